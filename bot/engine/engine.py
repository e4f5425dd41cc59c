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
from collections.abc import Sequence

import numpy as np

from index.config import Settings
from index.records import Chunk, Hit
from index.retriever import Retriever

from .answer_types import DOCUMENT_KINDS, SOUGHT_KINDS
from .answerability import date_in_force_first, decide
from .compose import cite, score_sentences, select_sentences
from .generate import GenerationFailed, Generator, OpenAICompatibleGenerator
from .question import BadQuestion, Question, analyse, clean_question
from .records import Answer, Citation, ScoredSentence

__all__ = ["ABSTAIN_TEXT", "AnswerEngine", "BadQuestion", "clean_question", "default_engine"]

logger = logging.getLogger(__name__)

ABSTAIN_TEXT = (
    "My sources do not cover this question, so I will not guess. "
    "The closest passages I found are listed below; they do not answer it."
)
# Sentences are chosen from this many times ``k`` passages: the passage that states the asked-for fact is not
# always among the few that match the question best as a whole (an article on fines for "the maximum fine").
POOL = 2
# Passages are first retrieved this many times ``k``, so that those stating the asked-for kind of fact can move
# up by `TYPED_PASSAGE_BONUS` (on the fused 0..1 scale) before the `POOL` best are read sentence by sentence.
WIDE = 6
TYPED_PASSAGE_BONUS = 0.2
# How much a follow-up's own words count when choosing sentences, against the question it follows.
FOLLOW_UP_FOCUS = 0.7
# What a reader must be told when a quote is not in the language asked in, by the asker's language.
UNTRANSLATED = {
    "en": "The law is quoted in its original Chinese: regbot has no translation model, so it translates nothing.",
    "zh": "引文为英文原文：regbot 没有翻译模型，不做任何翻译。",
}


class AnswerEngine:
    """Retrieval plus composition. ``method`` selects the retrieval pipeline (see `Retriever.search`)."""

    def __init__(
        self,
        retriever: Retriever,
        *,
        method: str = "default",
        k: int = 5,
        max_quotes: int = 3,
        abstain_threshold: float | None = None,
        generator: Generator | None = None,
    ) -> None:
        if k < 1 or max_quotes < 1:
            raise ValueError(f"k={k} and max_quotes={max_quotes} must be >= 1")
        _check_threshold(abstain_threshold)
        self.retriever = retriever
        self.method = method
        self.k = k
        self.max_quotes = max_quotes
        self.abstain_threshold = abstain_threshold
        self.generator = generator
        self._settings: Settings | None = None  # set by `from_settings`: the index on disk is followed
        self._successor: AnswerEngine | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> AnswerEngine:
        """The engine over the index of ``settings.corpus_dir`` (built or updated first if needed)."""
        from index.default import default_retriever

        generator = None
        if settings.llm_url:
            generator = OpenAICompatibleGenerator(
                settings.llm_url, settings.llm_model, api_key=settings.llm_api_key, timeout=settings.llm_timeout
            )
        engine = cls(
            default_retriever(settings),
            k=settings.k,
            max_quotes=settings.max_quotes,
            abstain_threshold=settings.abstain_threshold,
            generator=generator,
        )
        engine._settings = settings
        return engine

    def _following_index(self) -> AnswerEngine:
        """The engine to answer with: this one, or, when `regbot index build` has since rewritten the index of
        an engine made `from_settings`, a twin over the reloaded one. A twin rather than a new retriever here:
        a long-running bot answers on several threads, and each answer must use one index throughout."""
        if self._settings is None:
            return self
        from index.default import default_retriever

        retriever = default_retriever(self._settings)
        if retriever is self.retriever:
            return self
        twin = self._successor
        if twin is None or twin.retriever is not retriever:
            twin = AnswerEngine(retriever, method=self.method, k=self.k, max_quotes=self.max_quotes,
                                abstain_threshold=self.abstain_threshold, generator=self.generator)
            self._successor = twin
        return twin

    def answer(self, question: str, *, context: Sequence[str] = ()) -> Answer:
        """A short answer whose every sentence carries a verified citation, or an abstention."""
        if (engine := self._following_index()) is not self:
            return engine.answer(question, context=context)
        started = time.perf_counter()
        asked, hits, scored = self._examine(question, context=context)
        retrieved = time.perf_counter()
        decision = decide(asked, scored, self.retriever, threshold=self.abstain_threshold)
        timings = {"retrieve": retrieved - started}
        if decision.abstain:
            # The question is the asker's text: kept out of routine logs, which no retention period covers.
            logger.info("abstaining on a question of %d characters: %s", len(asked.text), decision.reason)
            logger.debug("abstained on %r", asked.text[:200])
            timings["compose"] = time.perf_counter() - retrieved
            timings["total"] = time.perf_counter() - started
            return Answer(asked.text, ABSTAIN_TEXT, (), True, tuple(hits[:3]), "extractive", timings,
                          decision.reason, confidence=decision.probability)
        text, citations, mode = None, [], "extractive"
        if self.generator is not None:
            try:
                text, citations = self.generator.compose(asked.text, hits, scored)
                mode = "generative"
            except GenerationFailed as exc:
                logger.warning("generative answer failed (%s): falling back to extractive", exc)
        if text is None:
            text, citations = cite(self.pick(scored, whole_document=asked.kind in DOCUMENT_KINDS), asked)
        text, citations = self._verified(text, citations)
        timings["compose"] = time.perf_counter() - retrieved
        timings["total"] = time.perf_counter() - started
        return Answer(asked.text, text, tuple(citations), False, tuple(hits[:3]), mode, timings,
                      notices=self._notices(asked, citations), confidence=decision.probability)

    def pick(self, scored: Sequence[ScoredSentence], *, whole_document: bool = False) -> list[ScoredSentence]:
        """The sentences to quote (see `compose.select_sentences`)."""
        return select_sentences(
            scored, max_quotes=self.max_quotes, duplicate_cosine=self.retriever.duplicate_cosine,
            whole_document=whole_document,
        )

    def examine(
        self, question: str, *, context: Sequence[str] = ()
    ) -> tuple[Question, list[Hit], list[ScoredSentence]]:
        """What `answer` decides on: the question read, the passages found, and their sentences scored
        (best first), ``engine.examine("How much was Didi fined?")[2][0].sentence.text``."""
        if (engine := self._following_index()) is not self:
            return engine.examine(question, context=context)
        return self._examine(question, context=context)

    def _examine(
        self, question: str, *, context: Sequence[str] = ()
    ) -> tuple[Question, list[Hit], list[ScoredSentence]]:
        # `answer` has chosen its index already: asking again could hand it the passages of a newer one.
        asked = analyse(question, context=context)
        query = self.retriever.check_query(" ".join([asked.search_text, *asked.own_terms]))
        hits = self.retriever.search(query, WIDE * self.k, method=self.method)
        vector = self.retriever.encode(query)  # the search's own, kept
        hits = self._typed_first(asked, hits + self._typed_in_named_laws(asked, hits))[: POOL * self.k]
        extra = self._reports_if_none(asked, hits) + self._named_articles(asked, hits)
        scored = score_sentences(asked, self._focus(asked, query, vector), hits + extra, self.retriever)
        scored = date_in_force_first(asked, self._on_named_sources(asked, scored), self.retriever)
        return asked, hits[: self.k], scored

    def _typed_in_named_laws(self, asked: Question, hits: list[Hit]) -> list[Hit]:
        """Every passage of a law the question names that states the asked-for kind of fact, scored as the
        last hit: "When did PIPL take effect?" must reach PIPL's final article even when the words of the
        question and of "本法自2021年11月1日起施行" do not meet."""
        named = self._named_laws(asked)
        if not named or asked.kind not in SOUGHT_KINDS or not hits:
            return []
        found = {h.chunk_id for h in hits}
        return _scored_last(hits, [c for c in self.retriever.chunks
                                   if c.doc_id in named and c.id not in found and asked.stated_in(c.text)])

    def _named_articles(self, asked: Question, hits: list[Hit]) -> list[Hit]:
        """The passages of the articles the question names, in the laws it names, scored as the last hit:
        "what does pipl art 52 say about the officer?" must weigh Art. 52 whatever its words."""
        named = self._named_laws(asked)
        if not named or not asked.articles or not hits:
            return []
        found = {h.chunk_id for h in hits}
        return _scored_last(hits, [c for c in self.retriever.chunks if c.doc_id in named
                                   and c.article in asked.articles and c.id not in found])

    def _reports_if_none(self, asked: Question, hits: list[Hit]) -> list[Hit]:
        """Every report passage, scored as the last hit, when the question asks what a report says and its
        words found only law passages ("that BABA article says the rules build on a data security law - passed
        when?"): it is answered from the reports alone (see `_on_named_sources`), so they must be weighed."""
        documents = self.retriever.documents
        if not asked.about_report or not hits or any(documents[h.doc_id].kind != "law" for h in hits):
            return []
        return _scored_last(hits, [c for c in self.retriever.chunks if documents[c.doc_id].kind != "law"])

    @staticmethod
    def _typed_first(asked: Question, hits: list[Hit]) -> list[Hit]:
        """A question asking for an amount, a date ... prefers the passages that state one: a law's article
        on fines for "the maximum fine under PIPL", its final article for "when did PIPL take effect"."""
        if asked.kind not in SOUGHT_KINDS:
            return hits
        promoted = [Hit(h.chunk, h.score + TYPED_PASSAGE_BONUS * asked.stated_in(h.text), h.latent) for h in hits]
        return sorted(promoted, key=lambda h: -h.score)

    def _focus(self, asked: Question, query: str, vector: np.ndarray) -> np.ndarray:
        """The vector sentences are scored against: a follow-up's subject came from the context (retrieval
        searched both), but what it asks for is its own."""
        if not asked.is_follow_up:
            return vector
        own = self.retriever.encode(self.retriever.check_query(asked.text))
        focus = FOLLOW_UP_FOCUS * own + (1 - FOLLOW_UP_FOCUS) * vector
        return focus / np.linalg.norm(focus)

    def _on_named_sources(self, asked: Question, scored: list[ScoredSentence]) -> list[ScoredSentence]:
        """A question that names laws is answered from those laws or from other kinds of source (news about
        the law), never from another law: a Cybersecurity Law question must not get a Data Security Law
        article. One that asks what a report says ("per the SCMP piece", "那篇报道说") is answered from the
        reports (the one it names first, by the ranker's correction), never from a law's text: a Chinese question
        shares more words with the Chinese laws than with an English report. One asking who wrote a source it
        names is answered from that source alone."""
        documents = self.retriever.documents
        named = self.retriever.named_documents(asked.search_text)
        if named and asked.kind in DOCUMENT_KINDS:  # who wrote the PIPL is not who wrote a report on it
            return [s for s in scored if s.chunk.doc_id in named]
        reports = {d for d in named if documents[d].kind != "law"}
        if asked.about_report or reports:
            return [s for s in scored if documents[s.chunk.doc_id].kind != "law"]
        laws = named - reports
        if not laws:
            return scored
        return [s for s in scored if documents[s.chunk.doc_id].kind != "law" or s.chunk.doc_id in laws]

    def _named_laws(self, asked: Question) -> frozenset[str]:
        documents = self.retriever.documents
        return frozenset(d for d in self.retriever.named_documents(asked.search_text) if documents[d].kind == "law")

    def _notices(self, asked: Question, citations: Sequence[Citation]) -> tuple[str, ...]:
        """A law amended since the text quoted; quotes not in the language asked in."""
        documents = self.retriever.documents
        notices = []
        for doc_id in dict.fromkeys(c.doc_id for c in citations):
            document = documents[doc_id]
            if document.status_note:
                notices.append(f"{document.short_name or document.title}: {document.status_note}")
        if any(documents[c.doc_id].language != asked.language for c in citations):
            notices.append(UNTRANSLATED.get(asked.language, UNTRANSLATED["en"]))
        return tuple(notices)

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


def _check_threshold(threshold: float | None) -> None:
    if threshold is not None and not 0.0 <= threshold <= 1.0:  # NaN too: it would refuse every question
        raise ValueError(f"abstain_threshold={threshold} must be within [0, 1] (REGBOT_ABSTAIN_THRESHOLD), "
                         "or unset for the answerability model's own")


def default_engine(settings: Settings | None = None) -> AnswerEngine:
    """An engine over the process-wide default retriever (reloaded when the index changes on disk)."""
    return AnswerEngine.from_settings(settings or Settings.from_env())


def _scored_last(hits: Sequence[Hit], chunks: Sequence[Chunk]) -> list[Hit]:
    """``chunks`` as hits that score as the last of ``hits`` (not empty): weighed, never preferred by retrieval."""
    last = min(hits, key=lambda h: h.score)
    return [Hit(c, last.score, last.latent) for c in chunks]
