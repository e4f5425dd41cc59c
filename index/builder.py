"""Building and incrementally updating an index directory.

An index is a directory::

    manifest.json         model, dimensions, metric, chunker settings, per-document fingerprints, counts
    vectors.faiss         the FAISS index over chunk vectors (row i = chunk i)
    embeddings.npy        the same chunk vectors as float32 (kept so an update re-embeds only what changed)
    chunks.jsonl          one Chunk per line, in row order
    documents.jsonl       the cleaned documents (quotes are verified against their text)
    sentences.npy         (chunk_row, start, end) per sentence, sorted by chunk row
    sentence_vectors.npy  one unit vector per sentence, for re-scoring and quote selection
    encoder.onnx          the ONNX encoder that made the vectors (onnx encoders only); queries use it too
    bm25/                 the bm25s keyword index (plain .npy and .json files)

    report = build_index(Path("seeds"), Path("~/.local/share/regbot/indexes/seeds").expanduser())
    print(report.added, report.changed, report.removed, report.chunks_per_second)

A rebuild writes a fresh directory beside the old one and swaps it in, so a failed build loses nothing.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from .chunking import chunk_document
from .crosslingual import Lexicon, is_multilingual
from .documents import Skipped, document_fingerprint, read_corpus
from .embedding import (
    AUTO_MODEL,
    ENGLISH_DEFAULT,
    MULTILINGUAL,
    MULTILINGUAL_DEFAULT,
    ONNX_ENCODERS,
    Embedder,
    ModelUnavailable,
    index_encoder,
    load_embedder,
)
from .keyword import TOKENIZER_ID, KeywordIndex
from .laws import article_spans
from .onnx_encoder import file_digest
from .records import Chunk, Document, Sentence
from .store import VectorStore

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
TITLE_TOKENS = 32  # at most this much of a title is prepended to a chunk's embedding input
ENCODER_FILE = "encoder.onnx"


@dataclass(frozen=True)
class BuildReport:
    """What a build did. ``embedded_chunks`` counts only chunks that had to be (re-)embedded."""

    index_dir: Path
    documents: int
    chunks: int
    sentences: int
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    embedded_chunks: int
    seconds: float
    store_kind: str
    skipped: tuple[Skipped, ...] = field(default=())

    @property
    def up_to_date(self) -> bool:
        return not (self.added or self.changed or self.removed)

    @property
    def chunks_per_second(self) -> float:
        return self.embedded_chunks / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class _DocPart:
    """One document's share of the index: its chunks, sentences and their vectors."""

    chunks: list[Chunk]
    sentences: list[Sentence]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray


def embedding_input(chunk: Chunk, embedder: Embedder) -> str:
    """What the model sees for a chunk: a short title (and a law's chapter heading) gives it the topic a
    passage may not repeat ("数据安全法 第六章 法律责任: 第四十五条 …")."""
    return f"{context}: {chunk.text}" if (context := _context(chunk, embedder)) else chunk.text


def _context(chunk: Chunk, embedder: Embedder) -> str:
    return embedder.truncate(f"{chunk.title} {chunk.heading}".strip(), TITLE_TOKENS) if chunk.title else ""


def resolve_model(model: str, documents: Sequence[Document]) -> str:
    """``model``, or for "auto" the English MiniLM when every document is English and the multilingual
    e5 when any is not: one vector space serves questions in either language about text in either."""
    if model != AUTO_MODEL:
        return model
    return MULTILINGUAL_DEFAULT if any(d.language != "en" for d in documents) else ENGLISH_DEFAULT


def keyword_input(chunk: Chunk) -> str:
    """What BM25 indexes for a chunk: its title, a law's chapter heading, and its text."""
    return "\n".join(part for part in (chunk.title, chunk.heading, chunk.text) if part)


def _check_chunk_tokens(embedder: Embedder, chunk_tokens: int, overlap_sentences: int) -> None:
    if chunk_tokens > embedder.max_tokens:
        raise ValueError(f"chunk_tokens={chunk_tokens} exceeds the model's limit of {embedder.max_tokens}")
    if chunk_tokens < embedder.special_tokens + 16:
        raise ValueError(f"chunk_tokens={chunk_tokens} leaves no room for text")


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    *,
    model: str = AUTO_MODEL,
    chunk_tokens: int = 256,
    overlap_sentences: int = 1,
    ann_threshold: int = 50_000,
    progress: bool = False,
    encoder: str = "onnx",
    model_cache: Path | None = None,
) -> BuildReport:
    """Build or update the index of the documents in ``corpus_dir``; bad files are reported and skipped."""
    if not Path(corpus_dir).is_dir():
        raise FileNotFoundError(f"corpus folder {corpus_dir} does not exist")
    documents, skipped = read_corpus(Path(corpus_dir))
    report = build_from_documents(
        documents,
        index_dir,
        model=model,
        chunk_tokens=chunk_tokens,
        overlap_sentences=overlap_sentences,
        ann_threshold=ann_threshold,
        progress=progress,
        source=str(Path(corpus_dir).resolve()),
        encoder=encoder,
        model_cache=model_cache,
    )
    return replace(report, skipped=tuple(skipped))


def build_from_documents(
    documents: Sequence[Document],
    index_dir: Path,
    *,
    model: str = AUTO_MODEL,
    chunk_tokens: int = 256,
    overlap_sentences: int = 1,
    ann_threshold: int = 50_000,
    progress: bool = False,
    source: str = "",
    encoder: str = "onnx",
    model_cache: Path | None = None,
) -> BuildReport:
    """Index ``documents`` into ``index_dir``, re-embedding only documents whose fingerprint changed.

    ``encoder`` says how the model runs (see `index.embedding.ENCODERS`); an ONNX export is made once into
    ``model_cache`` (default: a temporary folder for this process) and copied into the index.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    repeated = sorted(doc_id for doc_id, n in Counter(d.doc_id for d in documents).items() if n > 1)
    if repeated:
        raise ValueError("document ids must be unique; duplicates: " + ", ".join(repeated))
    model = resolve_model(model, documents)
    fingerprints = {d.doc_id: document_fingerprint(d) for d in documents}
    settings = {"max_tokens": chunk_tokens, "overlap_sentences": overlap_sentences, "title_tokens": TITLE_TOKENS}
    encoder = index_encoder(model, encoder)
    with _lock(index_dir):
        unchanged = _unchanged_manifest(index_dir, model, settings, fingerprints, ann_threshold, encoder)
        if unchanged is not None:  # nothing to do: do not even load the model
            return BuildReport(index_dir, len(documents), unchanged["n_chunks"], unchanged["n_sentences"],
                               (), (), (), 0, time.perf_counter() - started, unchanged["store"])
        embedder, encoder_record, encoder_file = open_encoder(index_dir, model, encoder, model_cache)
        _check_chunk_tokens(embedder, chunk_tokens, overlap_sentences)
        previous = _previous_parts(index_dir, model, settings, encoder_record)
        old_prints = previous[0] if previous else {}
        fresh = [d for d in documents if old_prints.get(d.doc_id) != fingerprints[d.doc_id]]
        parts = {d: p for d, p in (previous[1] if previous else {}).items() if d in fingerprints}
        parts.update(_embed_documents(fresh, embedder, settings, progress))
        ordered = [parts[d.doc_id] for d in documents]
        lexicon = None
        if is_multilingual(documents) and model in MULTILINGUAL:
            lexicon = Lexicon.build(documents, embedder, previous=_previous_lexicon(index_dir))
        store_kind = _write(
            index_dir, documents, ordered, embedder, settings, fingerprints, ann_threshold, source,
            (encoder_record, encoder_file), lexicon,
        )
    added = tuple(d.doc_id for d in fresh if d.doc_id not in old_prints)
    changed = tuple(d.doc_id for d in fresh if d.doc_id in old_prints)
    removed = tuple(sorted(set(old_prints) - set(fingerprints)))
    report = BuildReport(
        index_dir=index_dir,
        documents=len(documents),
        chunks=sum(len(p.chunks) for p in ordered),
        sentences=sum(len(p.sentences) for p in ordered),
        added=added,
        changed=changed,
        removed=removed,
        embedded_chunks=sum(len(parts[d.doc_id].chunks) for d in fresh),
        seconds=time.perf_counter() - started,
        store_kind=store_kind,
    )
    logger.info(
        "index %s: %d documents, %d chunks (%d added, %d changed, %d removed) in %.1fs",
        index_dir, report.documents, report.chunks, len(added), len(changed), len(removed), report.seconds,
    )
    return report


def _embed_documents(
    documents: Sequence[Document], embedder: Embedder, settings: dict[str, object], progress: bool
) -> dict[str, _DocPart]:
    budget = int(settings["max_tokens"]) - embedder.special_tokens
    chunked: list[tuple[Document, list[Chunk], list[Sentence]]] = []
    for doc in documents:
        # Room for the context `embedding_input` puts before the text: the longest a chapter heading makes.
        context = max((_context(Chunk("", "", doc.title, "", 0, 0, heading=h), embedder) for h in _headings(doc)),
                      key=len)
        room = budget - (embedder.count_tokens(f"{context}: ") if context else 0)
        chunks, sentences = chunk_document(
            doc, count_tokens=embedder.count_tokens, max_tokens=room,
            overlap_sentences=int(settings["overlap_sentences"]),
        )
        chunked.append((doc, chunks, sentences))
    all_chunks = [c for _, cs, _ in chunked for c in cs]
    all_sentences = [s for _, _, ss in chunked for s in ss]
    if progress and all_chunks:
        logger.info("embedding %d chunks and %d sentences", len(all_chunks), len(all_sentences))
    # One pass over chunks and sentences together: batches of similar length mix both, and a text met twice
    # is embedded once.
    texts = [embedding_input(c, embedder) for c in all_chunks] + [s.text for s in all_sentences]
    vectors = encode_unique(embedder, texts, progress=progress)
    chunk_vectors, sentence_vectors = vectors[: len(all_chunks)], vectors[len(all_chunks) :]
    parts: dict[str, _DocPart] = {}
    c0 = s0 = 0
    for doc, chunks, sentences in chunked:
        c1, s1 = c0 + len(chunks), s0 + len(sentences)
        parts[doc.doc_id] = _DocPart(chunks, sentences, chunk_vectors[c0:c1], sentence_vectors[s0:s1])
        c0, s0 = c1, s1
    return parts


def _headings(doc: Document) -> list[str]:
    return list(dict.fromkeys(a.heading for a in article_spans(doc.text))) or [""] if doc.kind == "law" else [""]


def encode_unique(embedder: Embedder, texts: list[str], *, progress: bool = False) -> np.ndarray:
    """``embedder.encode_documents(texts)``, each distinct text embedded once (a sentence shared by two
    overlapping chunks, a boilerplate line repeated across documents)."""
    unique = list(dict.fromkeys(texts))
    vectors = embedder.encode_documents(unique, progress=progress)
    if len(unique) == len(texts):
        return vectors
    row = {text: i for i, text in enumerate(unique)}
    return vectors[[row[t] for t in texts]]


def open_encoder(
    index_dir: Path, model: str, encoder: str, model_cache: Path | None
) -> tuple[Embedder, dict[str, str], Path | None]:
    """(embedder, its manifest record, its ONNX file) for a build of ``index_dir``. An ONNX encoder the index
    already holds is reused, so that kept vectors and new ones come from the same file."""
    if encoder not in ONNX_ENCODERS:
        return load_embedder(model), {"name": encoder}, None
    from .onnx_encoder import cached_export, default_cache_dir

    old, path = _manifest_encoder(index_dir), index_dir / ENCODER_FILE
    if old.get("name") == encoder and path.is_file() and file_digest(path) == old.get("sha256"):
        try:
            return load_embedder(model, encoder=encoder, onnx_file=path, sha256=old["sha256"]), old, path
        except ModelUnavailable as exc:
            logger.warning("index %s: its encoder is unusable (%s); using a fresh export", index_dir, exc)
    path = cached_export(model, encoder, model_cache or default_cache_dir())
    sha = file_digest(path)
    embedder = load_embedder(model, encoder=encoder, onnx_file=path, sha256=sha)
    return embedder, {"name": encoder, "sha256": sha}, path


def _manifest_encoder(index_dir: Path) -> dict:
    """The manifest's encoder record; an index from before encoders were recorded was built with torch."""
    try:
        manifest = json.loads((index_dir / "manifest.json").read_text())
        record = manifest.get("encoder", {"name": "torch"})
    except (OSError, ValueError, AttributeError):
        return {}
    return record if isinstance(record, dict) else {}


def _write(
    index_dir: Path,
    documents: Sequence[Document],
    parts: list[_DocPart],
    embedder: Embedder,
    settings: dict[str, object],
    fingerprints: dict[str, str],
    ann_threshold: int,
    source: str,
    encoder: tuple[dict[str, str], Path | None],
    lexicon: Lexicon | None,
) -> str:
    chunks = [c for p in parts for c in p.chunks]
    dim = embedder.dim
    vectors = np.concatenate([p.chunk_vectors for p in parts]) if chunks else np.zeros((0, dim), np.float32)
    row_of = {c.id: i for i, c in enumerate(chunks)}
    sentences = [s for p in parts for s in p.sentences]
    sentence_rows = np.array([(row_of[s.chunk_id], s.start, s.end) for s in sentences], dtype=np.int64)
    sentence_vectors = (
        np.concatenate([p.sentence_vectors for p in parts]) if sentences else np.zeros((0, dim), np.float32)
    )
    store = VectorStore.build(vectors, ann_threshold=ann_threshold) if chunks else None
    staging = index_dir.with_name(f"{index_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    np.save(staging / "embeddings.npy", vectors)
    np.save(staging / "sentences.npy", sentence_rows.reshape(-1, 3))
    np.save(staging / "sentence_vectors.npy", sentence_vectors)
    _write_jsonl(staging / "chunks.jsonl", (asdict(c) for c in chunks))
    _write_jsonl(staging / "documents.jsonl", (asdict(d) for d in documents))
    if store is not None:
        store.save(staging / "vectors.faiss")
        KeywordIndex.build([keyword_input(c) for c in chunks]).save(staging / "bm25")
    if lexicon is not None:
        lexicon.save(staging)
    if encoder[1] is not None:
        shutil.copyfile(encoder[1], staging / ENCODER_FILE)  # a copy: damage to one never spreads
    manifest = {
        "format": FORMAT_VERSION,
        "model": embedder.name,
        "encoder": encoder[0],
        "dim": dim,
        "metric": "inner_product",
        "normalized": True,
        "chunker": settings,
        "keyword_tokenizer": TOKENIZER_ID,
        "store": store.kind if store else "empty",
        "documents": fingerprints,
        "n_documents": len(documents),
        "n_chunks": len(chunks),
        "n_sentences": len(sentences),
        "lexicon": {lang: len(words) for lang, words in lexicon.words.items()} if lexicon else None,
        "source": source,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    _swap(staging, index_dir)
    return manifest["store"]


def _swap(staging: Path, index_dir: Path) -> None:
    old = index_dir.with_name(f"{index_dir.name}.old-{os.getpid()}")
    if index_dir.exists():
        index_dir.rename(old)
    staging.rename(index_dir)
    shutil.rmtree(old, ignore_errors=True)


def _write_jsonl(path: Path, rows: Iterator[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _unchanged_manifest(
    index_dir: Path, model: str, settings: dict[str, object], fingerprints: dict[str, str], ann_threshold: int,
    encoder: str,
) -> dict | None:
    """The manifest when the index already holds exactly these documents with these settings, else None."""
    try:
        manifest = json.loads((index_dir / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    same = (
        manifest.get("format"), manifest.get("model"), manifest.get("chunker"), manifest.get("keyword_tokenizer"),
        manifest.get("documents"), _manifest_encoder(index_dir).get("name"),
    ) == (FORMAT_VERSION, model, settings, TOKENIZER_ID, fingerprints, encoder)
    n_chunks = manifest.get("n_chunks", 0)
    expected_store = "empty" if not fingerprints else ("hnsw" if n_chunks > ann_threshold else "flat")
    if not same or manifest.get("store") != expected_store:
        return None
    return manifest if _files_agree(index_dir, manifest) else None


def _files_agree(index_dir: Path, manifest: dict) -> bool:
    """Cheap integrity check of an index that looks current: every file present, every row count equal."""
    try:
        n, n_sentences = manifest["n_chunks"], manifest["n_sentences"]
        with (index_dir / "chunks.jsonl").open("rb") as f:
            lines = sum(1 for _ in f)
        shapes = [np.load(index_dir / f"{name}.npy", mmap_mode="r").shape[0]
                  for name in ("embeddings", "sentences", "sentence_vectors")]
        if n and VectorStore.load(index_dir / "vectors.faiss").size != n:
            return False
        if n and not (index_dir / "bm25" / "params.index.json").exists():
            return False
        if manifest.get("lexicon") and not (index_dir / "lexicon.json").exists():
            return False
        encoder = manifest.get("encoder", {})
        if "sha256" in encoder and file_digest(index_dir / ENCODER_FILE) != encoder["sha256"]:
            return False
        return lines == n and shapes == [n, n_sentences, n_sentences] and (index_dir / "documents.jsonl").exists()
    except (OSError, ValueError, KeyError, RuntimeError):
        return False


def _previous_lexicon(index_dir: Path) -> Lexicon | None:
    try:
        return Lexicon.load(index_dir)
    except (OSError, ValueError) as exc:
        logger.info("lexicon of %s is unreadable (%s): embedding its words again", index_dir, exc)
        return None


def _previous_parts(
    index_dir: Path, model: str, settings: dict[str, object], encoder: dict[str, str]
) -> tuple[dict[str, str], dict[str, _DocPart]] | None:
    """The reusable state of an existing index, or None when it must be rebuilt from scratch."""
    manifest_path = index_dir / "manifest.json"
    if not manifest_path.exists():
        return None
    try:
        manifest = json.loads(manifest_path.read_text())
        if (manifest.get("format"), manifest.get("model"), manifest.get("chunker"), _manifest_encoder(index_dir)) != (
            FORMAT_VERSION, model, settings, encoder,
        ):
            logger.info("index %s was built with other settings: rebuilding it whole", index_dir)
            return None
        chunks = [Chunk(**row) for row in read_jsonl(index_dir / "chunks.jsonl")]
        vectors = np.load(index_dir / "embeddings.npy")
        sentence_rows = np.load(index_dir / "sentences.npy")
        sentence_vectors = np.load(index_dir / "sentence_vectors.npy")
        if not (len(chunks) == len(vectors) and len(sentence_rows) == len(sentence_vectors)):
            raise ValueError("row counts disagree")
    except (OSError, ValueError, TypeError, KeyError) as exc:
        logger.warning("index %s is unreadable (%s): rebuilding it whole", index_dir, exc)
        return None
    documents = {row["doc_id"]: row["text"] for row in read_jsonl(index_dir / "documents.jsonl")}
    chunk_rows: dict[str, list[int]] = {}
    for row, chunk in enumerate(chunks):
        chunk_rows.setdefault(chunk.doc_id, []).append(row)
    sentence_index: dict[str, list[int]] = {}
    for i, row in enumerate(sentence_rows[:, 0].tolist()):
        sentence_index.setdefault(chunks[row].doc_id, []).append(i)
    parts: dict[str, _DocPart] = {}
    for doc_id, rows in chunk_rows.items():
        s_rows = sentence_index.get(doc_id, [])
        text = documents[doc_id]
        sentences = [
            Sentence(chunks[r].id, s, e, text[s:e]) for r, s, e in sentence_rows[s_rows].tolist()
        ]
        parts[doc_id] = _DocPart([chunks[r] for r in rows], sentences, vectors[rows], sentence_vectors[s_rows])
    return dict(manifest["documents"]), parts


@contextmanager
def _lock(index_dir: Path) -> Iterator[None]:
    """One builder per index at a time (two bot workers starting together must not interleave writes)."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(index_dir.with_name(f".{index_dir.name}.lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
