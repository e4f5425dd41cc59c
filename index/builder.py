"""Building and incrementally updating an index directory.

An index is a directory::

    manifest.json         model, dimensions, metric, chunker settings, per-document fingerprints, counts,
                          record layout, a sha256 of every other file and of itself (see integrity.py)
    vectors.faiss         the FAISS index over chunk vectors (row i = chunk i)
    embeddings.npy        the same chunk vectors as float32 (kept so an update re-embeds only what changed)
    chunks.jsonl          one Chunk per line, in row order
    documents.jsonl       the cleaned documents (quotes are verified against their text)
    sentences.npy         (chunk_row, start, end) per sentence, sorted by chunk row
    sentence_vectors.npy  one unit vector per sentence, for re-scoring and quote selection
    latent_terms.npz      the chunks' latent terms, when the model has a sparse head (see latent.py)
    encoder.onnx          the ONNX encoder that made the vectors (onnx encoders only); queries use it too
    bm25/                 the bm25s keyword index (plain .npy and .json files)

    report = build_index(Path("seeds"), Path("~/.local/share/regbot/indexes/seeds").expanduser())
    print(report.added, report.changed, report.removed, report.chunks_per_second)

A rebuild writes a fresh directory beside the old one and swaps it in, so a failed build loses nothing. An
index that fails the loader's checks is never up to date: the next build repairs it (``report.repaired``).
"""

from __future__ import annotations

import ctypes
import fcntl
import glob
import json
import logging
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse

from .chunking import chunk_document
from .crosslingual import TERMS_ID, Lexicon, is_multilingual
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
from .integrity import (
    RECORDS_ID,
    REUSABLE,
    IndexNotUsable,
    file_checksums,
    manifest_checksum,
    mistyped_fields,
    read_manifest,
    read_records,
    verify_checksums,
)
from .keyword import TOKENIZER_ID, KeywordIndex
from .latent import LATENT_FILE, encode_latent, load_latent, save_latent
from .laws import article_spans
from .onnx_encoder import file_digest
from .records import Chunk, Document, Sentence
from .store import VectorStore

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: latent terms
TITLE_TOKENS = 32  # at most this much of a title is prepended to a chunk's embedding input
ENCODER_FILE = "encoder.onnx"
PROGRESS_SECONDS = 5.0  # a progress line at most this often: a log read later still shows the build advancing
ENCODE_BATCH = 64  # texts per embedding call, the embedder's own batch size: progress is told between calls


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
    repaired: bool = False  # the index was damaged and has been rewritten (its intact vectors reused)

    @property
    def up_to_date(self) -> bool:
        return not (self.added or self.changed or self.removed or self.repaired)

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
    chunk_latent: scipy.sparse.csr_matrix | None = None  # None: the model has no sparse head


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
    if Path(corpus_dir).is_file():
        raise FileNotFoundError(f"{corpus_dir} is a file: the corpus is the folder that holds the documents")
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
    model = resolve_model(model, documents)
    fingerprints = _fingerprints(documents)
    settings = {"max_tokens": chunk_tokens, "overlap_sentences": overlap_sentences, "title_tokens": TITLE_TOKENS}
    encoder = index_encoder(model, encoder)
    _check_replaceable(index_dir)
    current = (index_dir, model, settings, fingerprints, ann_threshold, encoder)
    # An intact index that is up to date is only read, so it needs no lock: a read-only data folder serves, and
    # a reader does not wait for another process's build of a different corpus version.
    if not _damage(index_dir, quiet=True) and (unchanged := _unchanged_manifest(*current)) is not None:
        return _nothing_to_do(index_dir, documents, unchanged, started)
    with _lock(index_dir):
        _clean_up_interrupted(index_dir)
        damage = _damage(index_dir)
        unchanged = None if damage else _unchanged_manifest(*current)
        if unchanged is not None:  # built meanwhile by the process we waited for
            return _nothing_to_do(index_dir, documents, unchanged, started)
        embedder, encoder_record, encoder_file = open_encoder(index_dir, model, encoder, model_cache)
        _check_chunk_tokens(embedder, chunk_tokens, overlap_sentences)
        previous = _previous_parts(index_dir, model, settings, encoder_record, latent=embedder.sparse_dim > 0)
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
        repaired=bool(damage),
    )
    logger.info(
        "index %s: %d documents, %d chunks (%d added, %d changed, %d removed%s) in %.1fs",
        index_dir, report.documents, report.chunks, len(added), len(changed), len(removed),
        ", repaired" if damage else "", report.seconds,
    )
    return report


def _nothing_to_do(index_dir: Path, documents: Sequence[Document], manifest: dict, started: float) -> BuildReport:
    return BuildReport(index_dir, len(documents), manifest["n_chunks"], manifest["n_sentences"],
                       (), (), (), 0, time.perf_counter() - started, manifest["store"])


def _fingerprints(documents: Sequence[Document]) -> dict[str, str]:
    """Each document's fingerprint, once every document is known to be one that can be indexed."""
    for doc in documents:
        if wrong := mistyped_fields(doc):
            raise TypeError(f"document {doc.doc_id!r}: {', '.join(wrong)} must be of the types Document declares")
    repeated = sorted(doc_id for doc_id, n in Counter(d.doc_id for d in documents).items() if n > 1)
    if repeated:
        raise ValueError("document ids must be unique; duplicates: " + ", ".join(repeated))
    fingerprints = {}
    for doc in documents:
        try:
            fingerprints[doc.doc_id] = document_fingerprint(doc)
        except UnicodeEncodeError as exc:  # lone surrogates, e.g. from a JSON "\ud800" escape
            raise ValueError(f"document {doc.doc_id!r} holds text that is not valid Unicode ({exc.reason}); "
                             "fix it where it comes from") from None
    return fingerprints


def _embed_documents(
    documents: Sequence[Document], embedder: Embedder, settings: dict[str, object], progress: bool
) -> dict[str, _DocPart]:
    budget = int(settings["max_tokens"]) - embedder.special_tokens
    chunked: list[tuple[Document, list[Chunk], list[Sentence]]] = []
    report = _Progress(progress, documents)
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
        report.chunked(len(chunks), len(sentences))
    all_chunks = [c for _, cs, _ in chunked for c in cs]
    all_sentences = [s for _, _, ss in chunked for s in ss]
    # One pass over chunks and sentences together: batches of similar length mix both, and a text met twice
    # is embedded once.
    texts = [embedding_input(c, embedder) for c in all_chunks] + [s.text for s in all_sentences]
    vectors = encode_unique(embedder, texts, report.embedded)
    chunk_vectors, sentence_vectors = vectors[: len(all_chunks)], vectors[len(all_chunks) :]
    latent = encode_latent(embedder, [c.text for c in all_chunks])
    if documents:
        report.tell()
    parts: dict[str, _DocPart] = {}
    c0 = s0 = 0
    for doc, chunks, sentences in chunked:
        c1, s1 = c0 + len(chunks), s0 + len(sentences)
        parts[doc.doc_id] = _DocPart(chunks, sentences, chunk_vectors[c0:c1], sentence_vectors[s0:s1],
                                     None if latent is None else latent[c0:c1])
        c0, s0 = c1, s1
    return parts


def _headings(doc: Document) -> list[str]:
    return list(dict.fromkeys(a.heading for a in article_spans(doc.text))) or [""] if doc.kind == "law" else [""]


def encode_unique(
    embedder: Embedder, texts: list[str], advance: Callable[[int], None] = lambda n: None
) -> np.ndarray:
    """The vectors of ``texts``, each distinct text embedded once (a sentence shared by two overlapping chunks,
    a boilerplate line repeated across documents); ``advance(n)`` is told after each batch."""
    unique = list(dict.fromkeys(texts))
    vectors = _encode(embedder, unique, advance)
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


def _encode(embedder: Embedder, texts: list[str], advance: Callable[[int], None]) -> np.ndarray:
    """Embed ``texts`` a batch at a time, so that progress can be told between batches.

    Longest first, as sentence-transformers orders one call's texts itself: the batches (and so their padding)
    stay those of a single call.
    """
    order = np.argsort([-len(t) for t in texts], kind="stable")
    pieces = [np.zeros((0, embedder.dim), dtype=np.float32)]
    for at in range(0, len(texts), ENCODE_BATCH):
        pieces.append(embedder.encode_documents([texts[i] for i in order[at : at + ENCODE_BATCH]]))
        advance(len(pieces[-1]))
    vectors = np.empty((len(texts), embedder.dim), dtype=np.float32)
    vectors[order] = np.concatenate(pieces)
    return vectors


class _Progress:
    """Progress lines while a build works, at most every PROGRESS_SECONDS: documents chunked, texts embedded, rate.

    Logged, so they reach stderr whether or not it is a terminal; at INFO when asked for, else at DEBUG.
    """

    def __init__(self, enabled: bool, documents: Sequence[Document]) -> None:
        self.level = logging.INFO if enabled else logging.DEBUG
        self.documents = len(documents)
        self.count: Counter[str] = Counter()
        self.told = -1  # texts embedded when the last line was logged
        self.started = self.last = time.perf_counter()
        if documents:
            characters = sum(len(d.text) for d in documents)
            logger.log(self.level, "indexing %d documents (%s characters)", self.documents, f"{characters:,}")

    def chunked(self, chunks: int, sentences: int) -> None:
        self.count.update(documents=1, chunks=chunks, sentences=sentences)
        if self.count["documents"] == self.documents:
            self.started = time.perf_counter()  # the rate is of embedding alone
            logger.log(self.level, "chunked %d documents: embedding %s chunks and %s sentences", self.documents,
                       f"{self.count['chunks']:,}", f"{self.count['sentences']:,}")
        elif self._due():
            logger.log(self.level, "chunked %d of %d documents", self.count["documents"], self.documents)

    def embedded(self, n: int) -> None:
        self.count["embedded"] += n
        if self._due():
            self.tell()

    def tell(self) -> None:
        c = self.count
        if self.told == c["embedded"]:
            return  # the last line said this already
        self.told = c["embedded"]
        seconds = time.perf_counter() - self.started
        rate = c["embedded"] / seconds if seconds > 0 else 0.0
        logger.log(self.level, "%d documents: embedded %s distinct texts of %s chunks and %s sentences, %.0f texts/s",
                   self.documents, f"{c['embedded']:,}", f"{c['chunks']:,}", f"{c['sentences']:,}", rate)

    def _due(self) -> bool:
        now = time.perf_counter()
        if now - self.last < PROGRESS_SECONDS:
            return False
        self.last = now
        return True


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
    with _staging(index_dir) as staging:
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
        if parts and all(p.chunk_latent is not None for p in parts):
            save_latent(scipy.sparse.vstack([p.chunk_latent for p in parts]).tocsr(), staging)
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
            "lexicon_terms": TERMS_ID,
            "store": store.kind if store else "empty",
            "documents": fingerprints,
            "n_documents": len(documents),
            "n_chunks": len(chunks),
            "n_sentences": len(sentences),
            "lexicon": {lang: len(words) for lang, words in lexicon.words.items()} if lexicon else None,
            "source": source,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "records": RECORDS_ID,
            "files": file_checksums(staging),
        }
        manifest["checksum"] = manifest_checksum(manifest)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False))
    _swap(staging, index_dir)
    return manifest["store"]


@contextmanager
def _staging(index_dir: Path) -> Iterator[Path]:
    """A fresh folder beside the index to write the new one into. If writing fails (a full disk, Ctrl-C) it is
    removed, and the index in place stays as it was."""
    staging = index_dir.with_name(f"{index_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _clean_up_interrupted(index_dir: Path) -> None:
    """What a build killed before it finished left beside the index: its staging folder, and the previous index
    if it died between moving that aside and moving the new one in (`_swap`), which is then put back."""
    pattern = glob.escape(index_dir.name)
    for old in sorted(index_dir.parent.glob(f"{pattern}.old-*")):
        if index_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            logger.warning("a build of %s died while swapping it in: restoring the previous index", index_dir)
            old.rename(index_dir)
    for staging in index_dir.parent.glob(f"{pattern}.tmp-*"):
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, index_dir: Path) -> None:
    """Put the staged index in place. Exchanged in one step where the system can, so that no reader ever finds
    the folder missing; else moved in two, and a build killed between them is undone by the next one."""
    if index_dir.exists() and _exchange(staging, index_dir):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous index
        return
    old = index_dir.with_name(f"{index_dir.name}.old-{os.getpid()}")
    if index_dir.exists():
        index_dir.rename(old)
    staging.rename(index_dir)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 with RENAME_EXCHANGE); False where that is not available."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    return renameat2(at_cwd, os.fsencode(a.absolute()), at_cwd, os.fsencode(b.absolute()), rename_exchange) == 0


@cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _write_jsonl(path: Path, rows: Iterator[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


# What a build writes into an index folder: a folder holding anything else is not an index, and a build, which
# replaces the whole folder, must not touch it.
INDEX_ENTRIES = frozenset({
    "manifest.json", "chunks.jsonl", "documents.jsonl", "embeddings.npy", "sentences.npy", "sentence_vectors.npy",
    "vectors.faiss", "bm25", "latent_terms.npz", "lexicon.json", "lexicon_vectors.npy", ENCODER_FILE,
})


def _check_replaceable(index_dir: Path) -> None:
    """ValueError unless ``index_dir`` is new, an empty folder or an index, intact or damaged (its manifest, or
    only index files, left): a build replaces the whole folder, and the files of a folder named by mistake (the
    corpus itself, a home folder) would be lost with it."""
    if not index_dir.exists():
        return
    if not index_dir.is_dir():
        raise ValueError(f"{index_dir} is a file, not an index folder: pick a new or empty folder for the index")
    if (index_dir / "manifest.json").is_file():
        return
    foreign = sorted(entry.name for entry in index_dir.iterdir() if entry.name not in INDEX_ENTRIES)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise ValueError(
            f"{index_dir} is not a regbot index (it holds {shown}), and building would replace it: "
            "pick a new or empty folder for the index"
        )


def _damage(index_dir: Path, *, quiet: bool = False) -> str:
    """What is wrong with the index at ``index_dir`` ("" when it is intact, or there is none).

    The checks are those of `Retriever.load`, so an index that would not load is never taken as up to date.
    """
    if not index_dir.exists():
        return ""
    try:
        manifest = read_manifest(index_dir)
        verify_checksums(index_dir, manifest)
        read_records(index_dir, manifest)
    except IndexNotUsable as exc:
        if not quiet:
            logger.warning("index %s is damaged (%s): rebuilding it", index_dir, exc.detail)
        return exc.detail
    return ""


def _unchanged_manifest(
    index_dir: Path, model: str, settings: dict[str, object], fingerprints: dict[str, str], ann_threshold: int,
    encoder: str,
) -> dict | None:
    """The manifest of an intact index when it already holds exactly these documents with these settings."""
    if not (index_dir / "manifest.json").exists():
        return None
    manifest = read_manifest(index_dir)
    same = (
        manifest["format"], manifest["model"], manifest["chunker"], manifest["keyword_tokenizer"],
        manifest.get("lexicon_terms"), manifest.get("records"), manifest["documents"],
        _manifest_encoder(index_dir).get("name"),
    ) == (FORMAT_VERSION, model, settings, TOKENIZER_ID, TERMS_ID, RECORDS_ID, fingerprints, encoder)
    n_chunks = manifest["n_chunks"]
    expected_store = "empty" if not fingerprints else ("hnsw" if n_chunks > ann_threshold else "flat")
    return manifest if same and manifest["store"] == expected_store else None


def _previous_lexicon(index_dir: Path) -> Lexicon | None:
    try:
        return Lexicon.load(index_dir)
    except (OSError, ValueError) as exc:
        logger.info("lexicon of %s is unreadable (%s): embedding its words again", index_dir, exc)
        return None


def _previous_parts(
    index_dir: Path, model: str, settings: dict[str, object], encoder: dict[str, str], *, latent: bool
) -> tuple[dict[str, str], dict[str, _DocPart]] | None:
    """The reusable state of an existing index, or None when it must be rebuilt from scratch.

    Only the records and vectors need to be intact and made the same way: the FAISS and BM25 files and the
    manifest are written anew, so damage there costs no embedding.
    """
    if not (index_dir / "manifest.json").exists():
        return None
    try:
        manifest = read_manifest(index_dir)
        made_as = (manifest["format"], manifest["model"], manifest["chunker"], manifest.get("records", RECORDS_ID),
                   _manifest_encoder(index_dir))
        if made_as != (FORMAT_VERSION, model, settings, RECORDS_ID, encoder):
            logger.info("index %s was built with other settings: rebuilding it whole", index_dir)
            return None
        if "files" in manifest:  # an index from before checksums is trusted as far as its records check out
            verify_checksums(index_dir, manifest, only=REUSABLE)
        chunks, documents, arrays = read_records(index_dir, manifest)
    except IndexNotUsable as exc:
        logger.warning("index %s cannot lend its vectors (%s): embedding everything again", index_dir, exc.detail)
        return None
    try:
        terms = load_latent(index_dir, len(chunks))
        if latent and terms is None:
            raise ValueError(f"{LATENT_FILE} is missing")
    except ValueError as exc:
        logger.warning("index %s cannot lend its latent terms (%s): embedding everything again", index_dir, exc)
        return None
    vectors, sentence_rows, sentence_vectors = arrays["embeddings"], arrays["sentences"], arrays["sentence_vectors"]
    chunk_rows: dict[str, list[int]] = {doc_id: [] for doc_id in documents}  # a document may have no chunks
    for row, chunk in enumerate(chunks):
        chunk_rows[chunk.doc_id].append(row)
    sentence_index: dict[str, list[int]] = {}
    for i, row in enumerate(sentence_rows[:, 0].tolist()):
        sentence_index.setdefault(chunks[row].doc_id, []).append(i)
    parts: dict[str, _DocPart] = {}
    for doc_id, rows in chunk_rows.items():
        s_rows = sentence_index.get(doc_id, [])
        text = documents[doc_id].text
        sentences = [
            Sentence(chunks[r].id, s, e, text[s:e]) for r, s, e in sentence_rows[s_rows].tolist()
        ]
        parts[doc_id] = _DocPart([chunks[r] for r in rows], sentences, vectors[rows], sentence_vectors[s_rows],
                                 None if terms is None else terms[rows])
    return dict(manifest["documents"]), parts


@contextmanager
def _lock(index_dir: Path) -> Iterator[None]:
    """One builder per index at a time (two bot workers starting together must not interleave writes)."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(index_dir.with_name(f".{index_dir.name}.lock"), "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.warning("another process is building the index %s: waiting for it to finish", index_dir)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
