"""Terms of art in both languages: the words an asker uses for what the sources call something else.

The multilingual model's nearest words and a general dictionary (`index.crosslingual`, `index.dictionary`)
translate a question word by word, and a law's terms of art are not the sum of their words: a "privacy
officer" is 个人信息保护负责人, not 隐私 and 公安机关; "separate consent" is 单独同意. So each corpus language
has a terminology file (``index/terms/*.tsv``): one term as its texts write it, then the words an asker in the
other language uses for it; likewise a firm or body the reports name in English by the Chinese name a reader
knows it by, where pinyin does not reach it (满帮 for "Full Truck Alliance"; 阿里巴巴 is found as "Alibaba" by
its pinyin). A question's phrases found there add the term to its translation::

    terminology = load_terminology()
    terminology.terms_for("Do we need a privacy officer?", "en")      # ['个人信息保护负责人']

A file may also list the everyday words of the corpus's own language for its terms: an employee asks in Chinese
about 国外 and 外包 where the laws write 境外 and 委托处理. Those terms are asked for by the corpus language
(``terms_for("客服外包给了别人", "zh", corpus="zh") == ["委托处理"]``) and are searched with the question.

Only what one side's texts lack is listed: a Chinese word the laws use is matched against them directly, and its
English would pull the reports into questions about the laws; the sources' own names add no term either.

File format: ``# corpus: zh, asked: en`` on the first line, then ``term<TAB>variant | variant | ...``; a term
``-`` lists the words of a source's own name, which add no term.
English variants match by their words, in order and adjacent (stop words and a plural's "s" aside); Chinese
variants as they are written.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .keyword import STOPWORDS

logger = logging.getLogger(__name__)

TERMS_DIR = Path(__file__).with_name("terms")
_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")  # "china's", "cross-border"; not the quotes of "'operator'"
_POSSESSIVE = re.compile(r"['’]s$")
# The term of a line that lists the words of a source's own name ("cybersecurity law", "pipl"): they are read
# and add nothing. A question naming a law is answered from it by name (`Retriever.named_documents`); its
# name's words as a term would pull up the few articles that write the name (its first and last).
NAME_ONLY = "-"
_HEADER = re.compile(r"#\s*corpus:\s*(\w+),\s*asked:\s*(\w+)")


@dataclass(frozen=True)
class Terminology:
    """Per asker language, corpus language and first word (or character), (the variant as matched, the
    corpus's term) pairs, longest variant first."""

    by_language: dict[tuple[str, str], dict[str, tuple[tuple[tuple[str, ...] | str, str], ...]]]

    def terms_for(self, question: str, language: str, corpus: str | None = None) -> list[str]:
        """The ``corpus`` language's terms (by default the other language's) whose variants the ``language``
        question uses, each once, in the question's order. The longest variant at a place wins: "privacy
        officer" is 个人信息保护负责人, not also 个人信息."""
        return list(dict.fromkeys(
            term for _, term in self.matches(question, language, corpus) if term != NAME_ONLY
        ))

    def matches(self, question: str, language: str, corpus: str | None = None) -> list[tuple[str, str]]:
        """(the variant the ``language`` question uses, the ``corpus`` language's term; by default the other
        language's) at each place, in order; a Chinese variant as written, an English one as its matched words:
        ``matches("蚂蚁集团被罚了吗", "zh") == [("蚂蚁集团", "ant group")]``."""
        corpus = corpus or ("en" if language == "zh" else "zh")
        starting = self.by_language.get((language, corpus), {})
        if not starting:
            return []
        units: tuple[str, ...] | str = question if language == "zh" else _words(question)
        found, at = [], 0
        while at < len(units):
            candidates = starting.get(units[at], ())
            match = next(((v, t) for v, t in candidates if units[at : at + len(v)] == v), None)
            if match is None:
                at += 1
                continue
            variant, term = match
            found.append((variant if isinstance(variant, str) else " ".join(variant), term))
            at += len(variant)
        return found

    @classmethod
    def read(cls, paths: list[Path]) -> Terminology:
        """The terminology of the files ``paths``; a malformed line is skipped with a warning."""
        indexed: dict[tuple[str, str], dict[str, list[tuple[tuple[str, ...] | str, str]]]] = {}
        for path in paths:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                logger.warning("%s unreadable (%s); its terms are not used", path, exc)
                continue
            header = _HEADER.match(lines[0]) if lines else None
            if header is None:
                logger.warning("%s: no '# corpus: .., asked: ..' first line; skipped", path)
                continue
            corpus, asked = header.group(1), header.group(2)
            starting = indexed.setdefault((asked, corpus), {})
            for number, line in enumerate(lines[1:], start=2):
                if not line.strip() or line.startswith("#"):
                    continue
                term, _, variants = line.partition("\t")
                if not variants.strip():
                    logger.warning("%s:%d: expected 'term<TAB>variant | ...'; skipped", path, number)
                    continue
                for variant in (v.strip() for v in variants.split("|")):
                    key = variant if asked == "zh" else _words(variant)
                    if key:
                        starting.setdefault(key[0], []).append((key, term.strip()))
        return cls({lang: {first: tuple(sorted(pairs, key=lambda pair: -len(pair[0])))  # stable: file order
                           for first, pairs in firsts.items()} for lang, firsts in indexed.items()})


def _words(text: str) -> tuple[str, ...]:
    """English words as matched: lower case, stop words dropped, a possessive's "'s" and a plural's "s" too
    ("a parent's okay" has the word "parent"), never stemmed further (a stem would make "offices" an "officer")."""
    words = (_POSSESSIVE.sub("", w) for w in _WORD.findall(text.lower()))
    words = (w for w in words if w not in STOPWORDS)
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


@lru_cache(maxsize=1)
def load_terminology(directory: Path = TERMS_DIR) -> Terminology:
    """The terminology shipped in ``index/terms`` (empty when the folder is missing)."""
    return Terminology.read(sorted(directory.glob("*.tsv")) if directory.is_dir() else [])
