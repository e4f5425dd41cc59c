"""Checks that an index directory is exactly what a build wrote, before anything trusts it.

The loader and the builder's "is it up to date" check run the same checks, so an index that fails to load is
never taken as up to date: the next build repairs it. A failure raises `IndexNotUsable` naming the repair::

    manifest = read_manifest(index_dir)          # JSON object with the expected keys and types
    verify_checksums(index_dir, manifest)        # sha256 of every file, as recorded by the build
    chunks, documents, arrays = read_records(index_dir, manifest)   # every record's fields, offsets, shapes
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shlex
import types
import typing
from collections.abc import Collection, Iterator
from functools import cache
from pathlib import Path

import numpy as np

from .embedding import ENGLISH_DEFAULT, MULTILINGUAL_DEFAULT
from .records import Chunk, Document

MANIFEST = "manifest.json"
# The files a build reuses from the previous index (vectors and the records they belong to); the FAISS and
# BM25 files are derived from them and always written anew.
REUSABLE = ("chunks.jsonl", "documents.jsonl", "embeddings.npy", "sentences.npy", "sentence_vectors.npy")
# What a manifest must hold, and of which type. "files" (a sha256 per file) and "checksum" (of the manifest
# itself) are checked by `verify_checksums`: an index written before they existed can still lend its vectors.
MANIFEST_FIELDS: dict[str, type] = {
    "format": int, "model": str, "dim": int, "metric": str, "normalized": bool, "chunker": dict,
    "keyword_tokenizer": str, "store": str, "documents": dict, "n_documents": int, "n_chunks": int,
    "n_sentences": int, "source": str, "built_at": str,
}
STORES = ("flat", "hnsw", "empty")
AUTO_CHOICES = (ENGLISH_DEFAULT, MULTILINGUAL_DEFAULT)
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Changes whenever a record gains, loses or retypes a field: records written before are then not reused.
RECORDS_ID = hashlib.sha256(
    repr([(cls.__name__, f.name, str(f.type)) for cls in (Chunk, Document) for f in dataclasses.fields(cls)]).encode()
).hexdigest()[:12]


class IndexNotUsable(RuntimeError):
    """The index directory is missing, damaged, or was built for another model; the message names the fix."""

    detail = ""  # what is wrong, without the fix (for a builder that is about to apply it)


def repair_command(index_dir: Path, manifest: object = None) -> str:
    """The command that rebuilds ``index_dir``: its corpus folder comes from the manifest when that is readable."""
    known = manifest if isinstance(manifest, dict) else {}
    source = known.get("source")
    corpus = source if isinstance(source, str) and source and Path(source).is_dir() else "DIR"
    model = known.get("model")
    # The model "auto" would pick for the corpus needs no mention; another one does.
    env = f"REGBOT_MODEL={shlex.quote(model)} " if isinstance(model, str) and model not in AUTO_CHOICES else ""
    return f"{env}regbot index build --index {shlex.quote(str(index_dir))} --corpus {shlex.quote(corpus)}"


def damaged(index_dir: Path, detail: str, manifest: object = None) -> IndexNotUsable:
    """The error for an index that cannot be used as it is, naming the command that rebuilds it."""
    command = repair_command(index_dir, manifest)
    where = " (DIR: the folder of documents it indexes)" if command.endswith("--corpus DIR") else ""
    error = IndexNotUsable(f"index {index_dir} is not usable: {detail}; rebuild it with `{command}`{where}")
    error.detail = detail
    return error


def read_manifest(index_dir: Path) -> dict:
    """The manifest of ``index_dir``, checked for shape and types (not yet for agreement with the files)."""
    path = Path(index_dir) / MANIFEST
    if not path.exists():
        raise damaged(index_dir, f"there is no index there ({MANIFEST} missing)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise damaged(index_dir, f"{MANIFEST} is unreadable ({exc})") from exc
    if not isinstance(manifest, dict):
        raise damaged(index_dir, f"{MANIFEST} holds a JSON {type(manifest).__name__}, not an object")
    problems = [f"{key!r} missing or not {kind.__name__}" for key, kind in MANIFEST_FIELDS.items()
                if not _fits(manifest.get(key), (kind,))]
    if problems or (problems := _manifest_values(manifest)):
        raise damaged(index_dir, f"{MANIFEST} is malformed: " + "; ".join(problems[:3]), manifest)
    return manifest


def _manifest_values(manifest: dict) -> list[str]:
    problems = []
    if not all(isinstance(k, str) and _is_digest(v) for k, v in manifest["documents"].items()):
        problems.append("'documents' must map document ids to sha256 fingerprints")
    if min(manifest["n_documents"], manifest["n_chunks"], manifest["n_sentences"]) < 0 or manifest["dim"] < 1:
        problems.append("negative counts or dimensions")
    if manifest["store"] not in STORES:
        problems.append(f"'store' must be one of {', '.join(STORES)}")
    files = manifest.get("files", {})
    if not isinstance(files, dict) or not all(_safe_name(k) and _is_digest(v) for k, v in files.items()):
        problems.append("'files' must map relative file names to sha256 digests")
    return problems


def manifest_checksum(manifest: dict) -> str:
    """sha256 of the manifest's content without its own "checksum" entry (key order and spacing ignored)."""
    content = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def file_checksums(index_dir: Path) -> dict[str, str]:
    """sha256 of every file under ``index_dir`` but the manifest, by path relative to it (``bm25/...``)."""
    return {name: _sha256(Path(index_dir) / name) for name in _file_names(Path(index_dir))}


def verify_checksums(index_dir: Path, manifest: dict, *, only: Collection[str] | None = None) -> None:
    """Every file is the one the build wrote: no file missing, added or changed, and the manifest unedited.

    With ``only``, just those files are checked (a build reusing them need not trust the rest).
    """
    files = manifest.get("files")
    if files is None or (only is None and manifest.get("checksum") is None):
        raise damaged(index_dir, "it has no checksums (written by an older regbot)", manifest)
    if only is None and manifest.get("checksum") != manifest_checksum(manifest):
        raise damaged(index_dir, f"{MANIFEST} was changed after the build", manifest)
    names = set(_file_names(Path(index_dir))) if only is None else set(only)
    if only is None and names != set(files):
        odd = sorted(names.symmetric_difference(files))
        raise damaged(index_dir, "files missing or unexpected: " + ", ".join(odd[:5]), manifest)
    for name in sorted(names):
        path = Path(index_dir) / name
        try:
            digest = _sha256(path)
        except OSError as exc:
            raise damaged(index_dir, f"{name} cannot be read ({exc.strerror or exc})", manifest) from exc
        if digest != files.get(name):
            raise damaged(index_dir, f"{name} does not match its checksum", manifest)


def read_records(index_dir: Path, manifest: dict) -> tuple[list[Chunk], dict[str, Document], dict[str, np.ndarray]]:
    """Chunks, documents and the sentence/vector arrays of ``index_dir``, each checked against the others."""
    index_dir = Path(index_dir)
    documents: dict[str, Document] = {}
    for where, row in _rows(index_dir, "documents.jsonl", manifest):
        doc = _record(Document, row, index_dir, where, manifest)
        if doc.doc_id in documents:
            raise damaged(index_dir, f"{where}: document {doc.doc_id!r} appears twice", manifest)
        documents[doc.doc_id] = doc
    _check_documents(index_dir, manifest, documents)
    rows = _rows(index_dir, "chunks.jsonl", manifest)
    chunks = [_record(Chunk, row, index_dir, where, manifest) for where, row in rows]
    _check_chunks(index_dir, manifest, chunks, documents)
    arrays = {name: _array(index_dir, name, manifest) for name in ("embeddings", "sentences", "sentence_vectors")}
    _check_arrays(index_dir, manifest, chunks, documents, arrays)
    return chunks, documents, arrays


def _check_documents(index_dir: Path, manifest: dict, documents: dict[str, Document]) -> None:
    # Their texts are vouched for by the checksums; fingerprinting them again would double the cost of a load.
    if documents.keys() != manifest["documents"].keys() or len(documents) != manifest["n_documents"]:
        raise damaged(index_dir, "documents.jsonl does not hold the documents the manifest lists", manifest)


def _check_chunks(index_dir: Path, manifest: dict, chunks: list[Chunk], documents: dict[str, Document]) -> None:
    if len(chunks) != manifest["n_chunks"] or len({c.id for c in chunks}) != len(chunks):
        raise damaged(index_dir, "chunks.jsonl does not hold the manifest's chunks, each once", manifest)
    for chunk in chunks:
        doc = documents.get(chunk.doc_id)
        if doc is None or not 0 <= chunk.start < chunk.end or doc.text[chunk.start : chunk.end] != chunk.text:
            raise damaged(index_dir, f"chunk {chunk.id!r} is not a span of its document", manifest)


def _check_arrays(
    index_dir: Path, manifest: dict, chunks: list[Chunk], documents: dict[str, Document], arrays: dict[str, np.ndarray]
) -> None:
    n, n_sentences, dim = manifest["n_chunks"], manifest["n_sentences"], manifest["dim"]
    shapes = {"embeddings": (np.float32, (n, dim)), "sentence_vectors": (np.float32, (n_sentences, dim)),
              "sentences": (np.int64, (n_sentences, 3))}
    for name, (dtype, shape) in shapes.items():
        if arrays[name].dtype != dtype or arrays[name].shape != shape:
            raise damaged(index_dir, f"{name}.npy is {arrays[name].dtype} {arrays[name].shape}, not {shape}", manifest)
    if not (np.isfinite(arrays["embeddings"]).all() and np.isfinite(arrays["sentence_vectors"]).all()):
        raise damaged(index_dir, "the vectors hold NaN or infinite values", manifest)
    rows, starts, ends = arrays["sentences"].T
    chunk_start = np.array([c.start for c in chunks], dtype=np.int64)
    chunk_end = np.array([c.end for c in chunks], dtype=np.int64)
    in_range = (rows >= 0).all() and (rows < n).all() and (np.diff(rows) >= 0).all()
    if not in_range or not ((starts < ends) & (starts >= chunk_start[rows]) & (ends <= chunk_end[rows])).all():
        raise damaged(index_dir, "sentences.npy has sentences outside their chunks", manifest)


def _rows(index_dir: Path, name: str, manifest: dict) -> Iterator[tuple[str, object]]:
    try:
        with (index_dir / name).open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                try:
                    yield f"{name} line {n}", json.loads(line)
                except ValueError as exc:
                    raise damaged(index_dir, f"{name} line {n} is not JSON ({exc})", manifest) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise damaged(index_dir, f"{name} cannot be read ({exc})", manifest) from exc


def _record(cls: type, row: object, index_dir: Path, where: str, manifest: dict):
    """``cls(**row)`` when ``row`` has exactly ``cls``'s fields (those without defaults required) and types.

    A JSON value's type is exactly str, int, float, bool, list, dict or NoneType, so a set lookup of its type
    checks it (and keeps True from passing as an int): this runs for every chunk of an index on every load.
    """
    required, accepted = _schema(cls)
    if not isinstance(row, dict) or not required <= row.keys() <= accepted.keys():
        raise damaged(index_dir, f"{where} is not a {cls.__name__} record", manifest)
    for key, value in row.items():
        if accepted[key] is not None and type(value) not in accepted[key]:
            raise damaged(index_dir, f"{where}: {cls.__name__}.{key} has the wrong type", manifest)
    return cls(**row)


def mistyped_fields(record: object) -> list[str]:
    """The fields of a dataclass record whose values are not of their declared types (``[]`` when all are)."""
    _, accepted = _schema(type(record))
    return [name for name, types_ in accepted.items() if not _fits(getattr(record, name), types_)]


@cache
def _schema(cls: type) -> tuple[frozenset[str], dict[str, tuple[type, ...] | None]]:
    """A record class's required fields, and for each field the types its value may have (None: any).

    Worked out once per class from its type hints, so that checking a record costs a few isinstance calls.
    """
    required = frozenset(f.name for f in dataclasses.fields(cls)
                         if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
    return required, {name: _accepted(hint) for name, hint in typing.get_type_hints(cls).items()}


def _accepted(hint: object) -> tuple[type, ...] | None:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        parts = [_accepted(h) for h in typing.get_args(hint)]
        return None if None in parts else tuple(t for part in parts for t in part)
    if hint is float:
        return (int, float)
    origin = typing.get_origin(hint) or hint
    if origin in (list, tuple):
        return (list, tuple)  # a tuple field is a list in JSON
    return (origin,) if isinstance(origin, type) else None


def _fits(value: object, accepted: tuple[type, ...] | None) -> bool:
    """Whether ``value`` has one of the ``accepted`` types; True is no int (JSON keeps them apart)."""
    if accepted is None:
        return True
    return isinstance(value, accepted) and (bool in accepted or not isinstance(value, bool))


def _array(index_dir: Path, name: str, manifest: dict) -> np.ndarray:
    try:
        return np.load(index_dir / f"{name}.npy", allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise damaged(index_dir, f"{name}.npy is unreadable ({exc})", manifest) from exc


def _file_names(index_dir: Path) -> list[str]:
    return sorted(p.relative_to(index_dir).as_posix() for p in index_dir.rglob("*")
                  if p.is_file() and p.relative_to(index_dir).as_posix() != MANIFEST)


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _is_digest(value: object) -> bool:
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def _safe_name(name: object) -> bool:
    """A path inside the index folder: relative, without "..", so a manifest cannot point the check elsewhere."""
    return isinstance(name, str) and bool(name) and not name.startswith("/") and ".." not in name.split("/")
