"""The FAISS store against a numpy brute-force reference."""

from __future__ import annotations

import numpy as np

from index.store import VectorStore


def unit_vectors(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def brute_force(base: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(queries @ base.T), axis=1, kind="stable")[:, :k]


def test_exact_store_matches_brute_force(tmp_path):
    base, queries = unit_vectors(2000), unit_vectors(50, seed=1)
    store = VectorStore.build(base, ann_threshold=10_000)
    assert store.kind == "flat"
    store.save(tmp_path / "v.faiss")
    scores, ids = VectorStore.load(tmp_path / "v.faiss").search(queries, 10)
    expected = brute_force(base, queries, 10)
    for got, want, s, q in zip(ids, expected, scores, queries, strict=True):
        assert list(got) == list(want)
        np.testing.assert_allclose(s, base[got] @ q, rtol=1e-5, atol=1e-5)


def test_hnsw_above_threshold_has_high_recall():
    base, queries = unit_vectors(5000, seed=2), unit_vectors(100, seed=3)
    store = VectorStore.build(base, ann_threshold=1000)
    assert store.kind == "hnsw"
    _, ids = store.search(queries, 10)
    expected = brute_force(base, queries, 10)
    recall = np.mean([len(set(g) & set(w)) / 10 for g, w in zip(ids, expected, strict=True)])
    assert recall >= 0.9


def test_k_is_capped_and_no_minus_one_ids_leak():
    store = VectorStore.build(unit_vectors(3))
    scores, ids = store.search(unit_vectors(2, seed=5), 10)
    assert [len(row) for row in ids] == [3, 3]
    assert all((row >= 0).all() for row in ids)
