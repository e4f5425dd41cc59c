"""The FAISS vector store: exact inner product on unit vectors, HNSW above a size threshold.

    store = VectorStore.build(vectors, ann_threshold=50_000)
    scores, ids = store.search(query_vectors, k=10)     # ids of -1 (FAISS's "no result") never come back
"""

from __future__ import annotations

import logging
from pathlib import Path

import faiss
import numpy as np

logger = logging.getLogger(__name__)

HNSW_M = 32  # graph degree: recall vs memory; 32 is FAISS's usual choice for 384-d text vectors
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


class VectorStore:
    """A FAISS index over unit vectors; ``kind`` is "flat" (exact) or "hnsw" (approximate)."""

    def __init__(self, index: faiss.Index) -> None:
        self.index = index
        self.kind = "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"
        if self.kind == "hnsw":
            self.index.hnsw.efSearch = HNSW_EF_SEARCH

    @classmethod
    def build(cls, vectors: np.ndarray, *, ann_threshold: int = 50_000) -> VectorStore:
        """Exact search up to ``ann_threshold`` vectors (it is both fast and perfect there), HNSW above."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        if len(vectors) > ann_threshold:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        else:
            index = faiss.IndexFlatIP(dim)
        index.add(vectors)
        return cls(index)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def search(self, queries: np.ndarray, k: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Top ``k`` (capped at the store's size) per query row, as (scores, ids) lists without -1 ids."""
        k = min(k, self.size)
        if k <= 0:
            empty = [np.zeros(0, dtype=np.float32) for _ in range(len(queries))]
            return empty, [np.zeros(0, dtype=np.int64) for _ in range(len(queries))]
        scores, ids = self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        keep = [row >= 0 for row in ids]
        return [s[m] for s, m in zip(scores, keep, strict=True)], [i[m] for i, m in zip(ids, keep, strict=True)]

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorStore:
        return cls(faiss.read_index(str(path)))
