"""Sentence-level re-scoring of candidate chunks.

No cross-encoder ships as a wheel here, so the re-scorer uses what the index already holds: a vector for
every sentence. A chunk whose best sentence matches the question closely is promoted, which a whole-chunk
vector (an average over several topics) tends to miss::

    best = best_sentence_scores(query_vector, candidate_rows, sentence_vectors, sentence_ptr)
    final = (1 - w) * fused + w * minmax(best)
"""

from __future__ import annotations

import numpy as np

from .fusion import minmax


def best_sentence_scores(
    query: np.ndarray, rows: np.ndarray, sentence_vectors: np.ndarray, sentence_ptr: np.ndarray
) -> np.ndarray:
    """For each chunk row in ``rows``, the highest cosine between ``query`` and one of its sentences.

    Sentences of chunk ``r`` are ``sentence_vectors[sentence_ptr[r]:sentence_ptr[r + 1]]``.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float32)
    starts, ends = sentence_ptr[rows], sentence_ptr[rows + 1]
    lengths = ends - starts
    gather = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
    sims = sentence_vectors[gather] @ query
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    best = np.maximum.reduceat(sims, offsets) if len(sims) else np.zeros(len(rows), dtype=np.float32)
    # A chunk always has at least one sentence; guard anyway so reduceat's empty-slice rule cannot bite.
    return np.where(lengths > 0, best, -1.0).astype(np.float32)


def rescore(fused: np.ndarray, best_sentence: np.ndarray, *, weight: float) -> np.ndarray:
    """Blend fused scores with the normalised best-sentence similarity."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"rescore weight={weight} must be within [0, 1]")
    return (1.0 - weight) * minmax(fused) + weight * minmax(best_sentence)
