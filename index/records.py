"""Records passed between the indexing and retrieval stages.

They are small, frozen and explicit: a `Document` is what a reader produced, a `Chunk` is a span of a
document's cleaned text, and a `Hit` is a chunk with a score. Offsets are character offsets into
`Document.text`, so ``document.text[chunk.start:chunk.end] == chunk.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One cleaned source document. ``doc_id`` is the file stem for files read from a corpus folder."""

    doc_id: str
    title: str
    text: str
    source: str = ""
    publisher: str = ""
    author: str = ""
    date: str = ""
    url: str = ""


@dataclass(frozen=True)
class Chunk:
    """A contiguous span of ``Document.text``; ``id`` is ``f"{doc_id}:{n}"``."""

    id: str
    doc_id: str
    title: str
    text: str
    start: int
    end: int
    publisher: str = ""


@dataclass(frozen=True)
class Sentence:
    """A sentence inside a chunk, with offsets into the document text (used for re-scoring and quoting)."""

    chunk_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk and its score (higher is better; scale depends on the pipeline)."""

    chunk: Chunk
    score: float

    @property
    def doc_id(self) -> str:
        return self.chunk.doc_id

    @property
    def chunk_id(self) -> str:
        return self.chunk.id

    @property
    def title(self) -> str:
        return self.chunk.title

    @property
    def text(self) -> str:
        return self.chunk.text
