"""Fusing keyword and dense rankings.

Two methods, both over the same candidate set (the union of each retriever's top candidates):

    rrf_scores([bm25_ranks, dense_ranks])                   # reciprocal-rank fusion (Cormack et al., 2009)
    weighted_scores(dense, bm25, dense_weight=0.45)         # min-max normalised scores, linearly blended

Measured on SQuAD (scripts/tune_fusion.py; the figures are in the README) the tuned blend beats RRF because
it keeps score margins that ranks throw away.
"""

from __future__ import annotations

import numpy as np

RRF_K = 60  # the constant from the RRF paper; larger flattens the contribution of top ranks


def minmax(scores: np.ndarray) -> np.ndarray:
    """Scale to [0, 1]; a constant vector maps to zeros (it carries no preference)."""
    if scores.size == 0:
        return np.zeros(0, dtype=np.float32)
    lo, hi = float(scores.min()), float(scores.max())
    if hi - lo < 1e-12:
        return np.zeros_like(scores, dtype=np.float32)
    return ((scores - lo) / (hi - lo)).astype(np.float32)


def rrf_scores(rankings: list[np.ndarray], size: int, *, k: int = RRF_K) -> np.ndarray:
    """RRF score per candidate position 0..size-1; each ranking lists candidate positions best first."""
    fused = np.zeros(size, dtype=np.float32)
    for ranking in rankings:
        fused[ranking] += 1.0 / (k + 1 + np.arange(len(ranking), dtype=np.float32))
    return fused


def minmax_within(scores: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """`minmax` applied to each group of candidates apart (``groups`` labels each one; None: one group)."""
    if groups is None:
        return minmax(scores)
    scaled = np.zeros(len(scores), dtype=np.float32)
    for label in np.unique(groups):
        members = groups == label
        scaled[members] = minmax(scores[members])
    return scaled


def weighted_scores(
    dense: np.ndarray, keyword: np.ndarray, *, dense_weight: float, keyword_groups: np.ndarray | None = None
) -> np.ndarray:
    """``dense_weight * minmax(dense) + (1 - dense_weight) * minmax(keyword)`` over aligned candidates.

    Keyword scores that come from different queries (a question and its translation) are not comparable:
    ``keyword_groups`` says which query each came from, and each group is normalised apart.
    """
    if not 0.0 <= dense_weight <= 1.0:
        raise ValueError(f"dense_weight={dense_weight} must be within [0, 1]")
    return dense_weight * minmax(dense) + (1.0 - dense_weight) * minmax_within(keyword, keyword_groups)
