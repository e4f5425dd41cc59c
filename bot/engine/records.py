"""Records passed between the answer engine's stages and returned to callers. They know nothing about Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index.records import Chunk, Hit, OfChunk, Sentence

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Citation(OfChunk):
    """Marker ``[n]`` in an answer points here. ``quote`` is ``document.text[start:end]`` and lies inside ``chunk``."""

    n: int
    chunk: Chunk
    quote: str
    start: int
    end: int
    label: str = ""  # a law's article in the asker's language: "PIPL Art. 38", "个人信息保护法 第三十八条"


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence of a retrieved passage, scored as an answer to the question (see `compose.score_sentences`)."""

    sentence: Sentence
    chunk: Chunk
    vector: np.ndarray
    similarity: float
    overlap: float
    score: float
    rank: int  # rank of its chunk in the retrieval results
    typed: bool  # holds the kind of fact the question asks for (a name for "who"), or it asks for none
    cross: bool = False  # in the other language than the question
    passage_score: float = 0.0  # its chunk's retrieval score


@dataclass(frozen=True)
class Answer:
    """What ``bot.answer()`` returns.

    ``text`` carries ``[n]`` markers numbered 1..len(citations). When ``abstained`` is true, ``text`` says the
    sources do not cover the question, ``citations`` is empty and ``closest`` lists the nearest passages
    (shown as "closest sources", never as support) and ``reason`` says why, for logs and evaluators
    (e.g. "the sources never mention: Cybersecurity Law"). ``timings`` maps stage name to seconds.
    ``notices`` are what a reader must know about the sources cited (a law quoted in Chinese for an English
    question; a law amended since the text quoted). ``confidence`` is the estimated probability that the
    answer is right (None when no model estimated it).
    """

    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    closest: tuple[Hit, ...] = ()
    mode: str = "extractive"
    timings: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    reason: str = ""
    notices: tuple[str, ...] = ()
    confidence: float | None = None

    def shows(self, citation: Citation) -> bool:
        """Whether ``text`` already shows ``citation``'s quote word for word, as an extractive answer does (a
        generated one summarises): a list of sources need not print it twice,
        ``[c for c in answer.citations if not answer.shows(c)]``."""
        return " ".join(citation.quote.split()) in " ".join(self.text.split())


def answer_as_dict(answer: Answer) -> dict:
    """The JSON shape of `regbot ask --json` (documented in the README)."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "abstain_reason": answer.reason,
        "confidence": None if answer.confidence is None else round(answer.confidence, 3),
        "mode": answer.mode,
        "notices": list(answer.notices),
        "citations": [
            {
                "n": c.n,
                "doc_id": c.doc_id,
                "chunk_id": c.chunk_id,
                "article": c.article,
                "label": c.label,
                "title": c.title,
                "publisher": c.publisher,
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
            }
            for c in answer.citations
        ],
        "closest": [
            {"doc_id": h.doc_id, "chunk_id": h.chunk_id, "article": h.article, "label": h.label, "title": h.title,
             "publisher": h.publisher, "score": round(h.score, 4), "text": h.text}
            for h in (answer.closest if answer.abstained else ())
        ],
        "timings_ms": {stage: round(seconds * 1000, 1) for stage, seconds in answer.timings.items()},
    }
