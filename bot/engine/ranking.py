"""Learned corrections to a candidate sentence's score: which language, which kind of source.

    ranker = load_ranker("multilingual-e5-small")
    score += ranker.correction(cross=True, is_law=True, from_named_source=True)

`compose.score_sentences` blends similarity, term overlap and the passage's retrieval score by hand. Two things
that blend cannot weigh are learned instead, from our development questions (which sentence states the answer):
a sentence in the other language than the question scores lower than it should (its terms are matched through
a translation, its similarity is cross-lingual), and when a question names a source (a law, a report's
publisher), that source is the one to quote: a law's own text, not a news report about it.
``scripts/train_sentence_ranker.py`` fits a pairwise logistic regression (the sentence that states the answer
against the others for the same question) and writes each feature's weight in units of the hand-blended score
to ``ranking.json``, one set per embedding model; a model with no entry (MiniLM, which serves English corpora
of one kind of source) gets no correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .fitted import fitted_entry

RANKER_PATH = Path(__file__).with_name("ranking.json")
# What a candidate sentence is, besides its score: in the other language; from a law; from a source the question
# names (a law by name, a report by its publisher; a question naming a law is never answered from another law).
RANKING_FEATURES = ("cross", "is_law", "from_named_source")


@dataclass(frozen=True)
class Ranker:
    """Score corrections per feature (0/1 each), in units of the hand-blended sentence score."""

    weights: tuple[float, ...] = (0.0,) * len(RANKING_FEATURES)

    def correction(self, *, cross: bool, is_law: bool, from_named_source: bool) -> float:
        values = (cross, is_law, from_named_source)
        return sum(w for w, on in zip(self.weights, values, strict=True) if on)


@lru_cache(maxsize=4)
def load_ranker(embedding_model: str, path: Path = RANKER_PATH) -> Ranker:
    """The corrections fitted for ``embedding_model``; none (all zero) when the file has no entry for it."""
    entry = fitted_entry(path, embedding_model, RANKING_FEATURES, "scripts/train_sentence_ranker.py")
    if entry is None:
        return Ranker()
    return Ranker(tuple(float(w) for w in entry["weights"]))
