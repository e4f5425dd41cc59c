"""Keyword search: BM25 (bm25s, Lucene variant) over stemmed, stop-worded tokens; CJK text as character bigrams.

    bm25 = KeywordIndex.build(["Didi was fined $1.2 billion", "..."])
    scores = bm25.scores("didi fine")        # one score per indexed text
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

# bm25s logs every index build at DEBUG on its own handler; keep it quiet unless asked for.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_WORD = re.compile(r"[a-z0-9]+(?:[.'’][a-z0-9]+)*|[\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Short English list: BM25's idf already discounts common words; these only add noise to the query.
STOPWORDS = frozenset(
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it its "
    "of on or our so than that the their them then there these they this to was we were what when where which "
    "who whom why will with would you your about any one also just us we".split()
)


# How a run of Chinese characters becomes tokens: "bigram" (overlapping character pairs) or "jieba" (its
# search-engine mode: words plus the shorter words inside them).
CHINESE_TOKENS = "bigram"
# Changes whenever tokenization changes, so that indexes built with other tokens get their BM25 rebuilt.
TOKENIZER_ID = hashlib.sha256(
    "|".join([_WORD.pattern, _CJK.pattern, "english-snowball", CHINESE_TOKENS, *sorted(STOPWORDS)]).encode()
).hexdigest()[:12]


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """The stem BM25 indexes an English word under: ``stem("assessments") == "assess"``."""
    return _stemmer().stemWord(word.lower())


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed word tokens; runs of Chinese characters become bigrams (or jieba words)."""
    tokens: list[str] = []
    for word in _WORD.findall(text.lower()):
        if _CJK.match(word):
            tokens.extend(_chinese_tokens(word))
        elif word not in STOPWORDS:
            tokens.append(word.replace("’", "'"))
    return _stemmer().stemWords(tokens) if tokens else []


def _chinese_tokens(run: str) -> list[str]:
    if CHINESE_TOKENS == "jieba":
        from .segment import segment_for_search

        return segment_for_search(run)
    return [run[i : i + 2] for i in range(max(1, len(run) - 1))]


PREFIX_LETTERS = 5


def top_positive(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest positive scores, best first (zero BM25 means no shared term)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    top = top[np.argsort(-scores[top], kind="stable")]
    return top[scores[top] > 0]


class KeywordIndex:
    """BM25 over a list of texts; row ``i`` of the scores is text ``i``."""

    def __init__(self, bm25: bm25s.BM25, size: int) -> None:
        self._bm25 = bm25
        self.size = size
        self._prefix_cache: frozenset[str] | None = None

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        bm25 = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        # An empty token list would be dropped by bm25s and shift every later row: keep a placeholder.
        rows = [tokenize(t) or [""] for t in texts]
        # Our own vocabulary, in sorted order: bm25s numbers tokens in a set's order, which changes with each
        # process's hash seed, so two builds of one corpus wrote different files (same scores, other checksums).
        vocab = {token: i for i, token in enumerate(sorted({token for row in rows for token in row}))}
        bm25.index(([[vocab[token] for token in row] for row in rows], vocab), show_progress=False)
        return cls(bm25, len(texts))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every indexed text for ``query`` (zeros when no query term is known)."""
        tokens = tokenize(query)
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (scores, row ids), best first; rows with score 0 (no shared term) are left out."""
        scores = self.scores(query)
        top = top_positive(scores, k)
        return scores[top], top

    def idf(self, token: str) -> float:
        """Inverse document frequency, log((N + 1) / (df + 0.5)); unseen tokens get the highest value."""
        column = self._bm25.vocab_dict.get(token)
        indptr = self._bm25.scores["indptr"]
        df = 0 if column is None else int(indptr[column + 1] - indptr[column])
        return math.log((self.size + 1) / (df + 0.5))

    def rows_with(self, token: str) -> frozenset[int]:
        """The rows of the indexed texts that hold ``token`` (exactly: no prefix match)."""
        column = self._bm25.vocab_dict.get(token)
        if column is None:
            return frozenset()
        indptr, indices = self._bm25.scores["indptr"], self._bm25.scores["indices"]
        return frozenset(indices[indptr[column] : indptr[column + 1]].tolist())

    @property
    def max_idf(self) -> float:
        """The idf of a token that no text has: the ceiling of `idf`."""
        return math.log((self.size + 1) / 0.5)

    def knows(self, token: str) -> bool:
        """Whether ``token`` occurs in the index; tokens of 5+ letters also match on their first five
        ("italian" and "itali"), because stemming leaves a word's derived forms apart."""
        if token in self._bm25.vocab_dict:
            return True
        return len(token) >= PREFIX_LETTERS and token[:PREFIX_LETTERS] in self._prefixes()

    def _prefixes(self) -> frozenset[str]:
        if self._prefix_cache is None:
            vocabulary = self._bm25.vocab_dict
            self._prefix_cache = frozenset(t[:PREFIX_LETTERS] for t in vocabulary if len(t) >= PREFIX_LETTERS)
        return self._prefix_cache

    def save(self, directory: Path) -> None:
        self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> KeywordIndex:
        bm25 = bm25s.BM25.load(str(directory), show_progress=False, verbosity=0)
        return cls(bm25, size)
