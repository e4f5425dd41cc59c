"""The answer engine: question → retrieval → cited answer, or a plain statement that the sources are silent.

    engine = AnswerEngine.from_settings(Settings.from_env())
    answer = engine.answer("How much was Didi fined?")
    print(answer.text)                   # "... Didi was fined $1.2 billion last month ... [1]"
    for c in answer.citations:
        print(c.n, c.title, c.quote)

It knows nothing about Slack; `context` carries earlier questions of a conversation so that a follow-up
("and what was the fine?") is searched together with what it follows.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Sequence

import numpy as np

from index.config import Settings
from index.retriever import Retriever

from .answerability import abstain_reason
from .compose import cite, score_sentences, select_sentences
from .generate import GenerationFailed, Generator, OpenAICompatibleGenerator
from .records import Answer, Citation

logger = logging.getLogger(__name__)

ABSTAIN_TEXT = (
    "My sources do not cover this question, so I will not guess. "
    "The closest passages I found are listed below; they do not answer it."
)
# Follow-ups are short and lean on what came before ("and the fine?", "what about Didi?").
_FOLLOW_UP = re.compile(r"^(and|but|also|what about|how about|so|then|which|why|and what|is that|was it)\b", re.I)
MAX_CONTEXT_WORDS = 12
# Words that point back to something said earlier.
_ANAPHORA = frozenset("it its they them their that this those these he she his her".split())
# How much a follow-up's own words count when choosing sentences, against the question it follows.
FOLLOW_UP_FOCUS = 0.7


class BadQuestion(ValueError):
    """The question cannot be asked (empty, control characters only); the message is written for the user."""


class AnswerEngine:
    """Retrieval plus composition. ``method`` selects the retrieval pipeline (see `Retriever.search`)."""

    def __init__(
        self,
        retriever: Retriever,
        *,
        method: str = "default",
        k: int = 5,
        max_quotes: int = 3,
        abstain_threshold: float = 0.40,
        generator: Generator | None = None,
    ) -> None:
        if k < 1 or max_quotes < 1:
            raise ValueError(f"k={k} and max_quotes={max_quotes} must be >= 1")
        self.retriever = retriever
        self.method = method
        self.k = k
        self.max_quotes = max_quotes
        self.abstain_threshold = abstain_threshold
        self.generator = generator

    @classmethod
    def from_settings(cls, settings: Settings) -> AnswerEngine:
        """The engine over the index of ``settings.corpus_dir`` (built or updated first if needed)."""
        from index.default import default_retriever

        generator = None
        if settings.llm_url:
            generator = OpenAICompatibleGenerator(
                settings.llm_url, settings.llm_model, api_key=settings.llm_api_key, timeout=settings.llm_timeout
            )
        return cls(
            default_retriever(settings),
            k=settings.k,
            max_quotes=settings.max_quotes,
            abstain_threshold=settings.abstain_threshold,
            generator=generator,
        )

    def answer(self, question: str, *, context: Sequence[str] = ()) -> Answer:
        """A short answer whose every sentence carries a verified citation, or an abstention."""
        started = time.perf_counter()
        asked = clean_question(question)
        # A Chinese question over English sources is searched and composed with its English terms.
        rendered = self.retriever.translate(asked)
        question = rendered or asked
        query = self.retriever.check_query(with_context(question, context))
        vector = self.retriever.encode(query)
        hits = self.retriever.search(query, self.k, method=self.method, query_vector=vector)
        retrieved = time.perf_counter()
        own = self.retriever.check_query(question)
        if query == own:
            scored = score_sentences(question, vector, hits, self.retriever)
        else:
            # A follow-up: its subject came from the context (retrieval above), but what it asks for is its own.
            focus = FOLLOW_UP_FOCUS * self.retriever.encode(own) + (1 - FOLLOW_UP_FOCUS) * vector
            scored = score_sentences(question, focus / np.linalg.norm(focus), hits, self.retriever)
        picked = select_sentences(scored, max_quotes=self.max_quotes)
        timings = {"retrieve": retrieved - started}
        if rendered:
            reason = abstain_reason(question, picked, self.retriever, threshold=self.abstain_threshold)
        else:
            reason = "the question is in Chinese and most of its words are not in the Chinese-English glossary"
        if reason:
            logger.info("abstaining on %r: %s", question, reason)
            timings["compose"] = time.perf_counter() - retrieved
            timings["total"] = time.perf_counter() - started
            return Answer(asked, ABSTAIN_TEXT, (), True, tuple(hits[:3]), "extractive", timings, reason)
        text, citations, mode = None, [], "extractive"
        if self.generator is not None:
            try:
                text, citations = self.generator.compose(question, hits, scored)
                mode = "generative"
            except GenerationFailed as exc:
                logger.warning("generative answer failed (%s): falling back to extractive", exc)
        if text is None:
            text, citations = cite(picked)
        text, citations = self._verified(text, citations)
        timings["compose"] = time.perf_counter() - retrieved
        timings["total"] = time.perf_counter() - started
        return Answer(asked, text, tuple(citations), False, tuple(hits[:3]), mode, timings)

    def _verified(self, text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
        """Every quote must be the exact span it claims to be; markers must be 1..N with none dangling.

        A quote comes from the index's sentence offsets into its documents, so one that does not match means the
        index is damaged: `IndexNotUsable` names the command that rebuilds it.
        """
        for citation in citations:
            document = self.retriever.documents.get(citation.doc_id)
            chunk = citation.chunk
            exact = document is not None and document.text[citation.start : citation.end] == citation.quote
            inside = chunk.start <= citation.start < citation.end <= chunk.end
            if not (exact and inside):
                raise self.retriever.damaged(f"citation [{citation.n}] is not an exact span of {chunk.id}")
        markers = sorted({int(m) for m in re.findall(r"\[(\d+)\]", text)})
        if markers != list(range(1, len(citations) + 1)):
            raise AssertionError(f"markers {markers} do not match {len(citations)} citations: a bug")
        return text, citations


def clean_question(question: object) -> str:
    """The question without control characters; TypeError, or `BadQuestion` with a message for the user."""
    if not isinstance(question, str):
        raise TypeError(f"question must be a str, not {type(question).__name__}")
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" else ch for ch in question
    )
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    if not cleaned:
        what = "only control characters" if question.strip() else "nothing"
        raise BadQuestion(f"The question contains {what}. Ask in words, e.g. “How much was Didi fined?”")
    return cleaned


def with_context(question: str, context: Sequence[str]) -> str:
    """Prefix a follow-up with the previous question, so "and the fine?" is searched with its subject.

    Only questions that read as follow-ups get the prefix: ones that open like "and ...", "what about ...",
    or short ones that point back ("was it ...", "how much was that?"). A new short question stands alone.
    """
    if not context:
        return question
    words = re.findall(r"[\w'’]+", question.lower())
    points_back = bool(_ANAPHORA.intersection(words)) and len(words) <= MAX_CONTEXT_WORDS
    if _FOLLOW_UP.match(question) or points_back:
        return f"{context[-1]} {question}"
    return question


def default_engine(settings: Settings | None = None) -> AnswerEngine:
    """An engine over the process-wide default retriever (reloaded when the index changes on disk)."""
    return AnswerEngine.from_settings(settings or Settings.from_env())
