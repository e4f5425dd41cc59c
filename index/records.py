"""Records passed between the indexing and retrieval stages.

They are small, frozen and explicit: a `Document` is what a reader produced, a `Chunk` is a span of a
document's cleaned text, and a `Hit` is a chunk with a score. Offsets are character offsets into
`Document.text`, so ``document.text[chunk.start:chunk.end] == chunk.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One cleaned source document. ``doc_id`` is the file stem for files read from a corpus folder.

    ``kind`` is "law" for a statute (split by article, see `index.laws`), "news" for a news article, or
    "document". ``language`` is "en" or "zh". A law also has a ``short_name`` ("PIPL"), an English name, the
    date it took effect and its ``status`` today; ``status_note`` is shown with every citation of it (e.g.
    that the text predates an amendment), and ``amended_from`` is the date an amendment this text predates
    took effect. ``aliases`` are other names a question may call it by.
    """

    doc_id: str
    title: str
    text: str
    source: str = ""
    publisher: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    kind: str = "document"
    language: str = "en"
    short_name: str = ""
    name_en: str = ""
    in_force: str = ""
    status: str = ""
    status_note: str = ""
    amended_from: str = ""
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Read back from JSON, a tuple arrives as a list; keep the record hashable and immutable.
        object.__setattr__(self, "aliases", tuple(self.aliases))

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a question may use for this document: short name, title, English name, aliases."""
        return tuple(dict.fromkeys(n for n in (self.short_name, self.title, self.name_en, *self.aliases) if n))


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
    # In a law: the article the span belongs to, its chapter heading, and the labels a citation shows in an
    # English ("PIPL Art. 38") and a Chinese ("个人信息保护法 第三十八条") answer.
    article: int | None = None
    heading: str = ""
    label: str = ""
    label_zh: str = ""


@dataclass(frozen=True)
class Sentence:
    """A sentence inside a chunk, with offsets into the document text (used for re-scoring and quoting)."""

    chunk_id: str
    start: int
    end: int
    text: str


class OfChunk:
    """Read-through fields for a record that carries a `Chunk` (a `Hit`, a citation)."""

    chunk: Chunk

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
    def publisher(self) -> str:
        return self.chunk.publisher

    @property
    def article(self) -> int | None:
        return self.chunk.article


@dataclass(frozen=True)
class Hit(OfChunk):
    """A retrieved chunk and its score (higher is better; scale depends on the pipeline)."""

    chunk: Chunk
    score: float
    # The part of ``score`` that latent terms added (`index.latent`). They help find a passage; what its score
    # says about answering the question is the rest, on which the answerability model was fitted.
    latent: float = 0.0

    @property
    def evidence(self) -> float:
        """``score`` without the latent terms' part."""
        return self.score - self.latent

    @property
    def text(self) -> str:
        return self.chunk.text

    @property
    def label(self) -> str:
        return self.chunk.label
