"""regbot's retrieval library.

    from index import retrieve
    for hit in retrieve("How much was Didi fined?", k=3):
        print(f"{hit.score:.3f} {hit.doc_id} {hit.title}: {hit.text[:80]}")

The first call builds the index of the seed corpus (or of ``REGBOT_CORPUS_DIR``) under the data directory
and reuses it afterwards. For explicit control, use `Retriever.load(index_dir)` and `build_index(...)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Chunk, Document, Hit, Sentence

if TYPE_CHECKING:
    from .builder import BuildReport
    from .retriever import Retriever

__all__ = ["Chunk", "Document", "Hit", "Sentence", "retrieve", "build_index", "Retriever", "BuildReport"]


def retrieve(query: str, k: int = 5) -> list[Hit]:
    """The ``k`` passages of the default corpus that best match ``query``, best first.

    >>> hits = retrieve("Which law took effect on September 1?", k=3)
    >>> hits[0].doc_id, hits[0].chunk_id, hits[0].title, round(hits[0].score, 2)

    Raises TypeError for a non-string query and ValueError for an empty one or ``k <= 0``; a query
    longer than the model's limit is cut to it with a warning.
    """
    from .default import default_retriever
    from .retriever import validate_request

    validate_request(query, k)
    return default_retriever().search(query, k)


def __getattr__(name: str) -> object:
    # The heavy modules (faiss, numpy, the model wrapper) load only when these names are first used.
    if name == "Retriever":
        from .retriever import Retriever

        return Retriever
    if name in ("build_index", "BuildReport"):
        from . import builder

        return getattr(builder, name)
    raise AttributeError(f"module 'index' has no attribute {name!r}")
