"""Records produced by the answer engine. They know nothing about Slack."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.records import Chunk, Hit


@dataclass(frozen=True)
class Citation:
    """Marker ``[n]`` in an answer points here. ``quote`` is ``document.text[start:end]`` and lies inside ``chunk``."""

    n: int
    chunk: Chunk
    quote: str
    start: int
    end: int

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


@dataclass(frozen=True)
class Answer:
    """What ``bot.answer()`` returns.

    ``text`` carries ``[n]`` markers numbered 1..len(citations). When ``abstained`` is true, ``text`` says the
    sources do not cover the question, ``citations`` is empty and ``closest`` lists the nearest passages
    (shown as "closest sources", never as support). ``timings`` maps stage name to seconds.
    """

    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    closest: tuple[Hit, ...] = ()
    mode: str = "extractive"
    timings: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
