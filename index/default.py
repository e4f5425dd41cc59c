"""The default index: the corpus folder of `Settings`, built on first use and updated when it changes.

    retriever = open_index(Settings.from_env())     # builds or updates, then loads
    retriever = default_retriever()                  # the same, cached for the process
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from .builder import build_index
from .config import Settings
from .retriever import IndexNotUsable, RetrievalParams, Retriever

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_cache: dict[Settings, tuple[int, Retriever]] = {}


def retrieval_params(settings: Settings) -> RetrievalParams:
    """The retrieval knobs of ``settings`` (each `RetrievalParams` field has its namesake in `Settings`)."""
    return RetrievalParams(**{f.name: getattr(settings, f.name) for f in dataclasses.fields(RetrievalParams)})


def build_options(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of `build_index` / `build_from_documents` that `Settings` controls."""
    return {
        "model": settings.model,
        "chunk_tokens": settings.chunk_tokens,
        "overlap_sentences": settings.overlap_sentences,
        "ann_threshold": settings.ann_threshold,
        "encoder": settings.encoder,
        "model_cache": settings.data_dir / "models",
    }


def open_index(settings: Settings, *, progress: bool = False) -> Retriever:
    """Bring the index of ``settings.corpus_dir`` up to date (only changed documents are embedded), then load it."""
    report = build_index(settings.corpus_dir, settings.index_dir, progress=progress, **build_options(settings))
    for skipped in report.skipped:
        logger.warning("skipped %s: %s", skipped.path, skipped.reason)
    return Retriever.load(settings.index_dir, params=retrieval_params(settings))


def default_retriever(settings: Settings | None = None) -> Retriever:
    """The process-wide retriever for ``settings`` (default: from the environment).

    It is reloaded when another process (``regbot index build``) rewrote the index since it was loaded.
    """
    settings = settings or Settings.from_env()
    with _lock:
        cached = _cache.get(settings)
        stamp = _manifest_stamp(settings)
        if cached is None:
            retriever = open_index(settings, progress=True)  # a first build can take minutes: say how it goes
            _cache[settings] = (_manifest_stamp(settings), retriever)
            return retriever
        if cached[0] != stamp:
            logger.info("index %s changed on disk: reloading it", settings.index_dir)
            try:
                retriever = Retriever.load(settings.index_dir, params=retrieval_params(settings))
            except IndexNotUsable as exc:
                # What is on disk now is damaged: keep answering from the index already in memory.
                logger.error("could not reload the index, still using the one loaded before: %s", exc)
                retriever = cached[1]
            _cache[settings] = (stamp, retriever)
            return retriever
        return cached[1]


def _manifest_stamp(settings: Settings) -> int:
    try:
        return (settings.index_dir / "manifest.json").stat().st_mtime_ns
    except OSError:
        return -1
