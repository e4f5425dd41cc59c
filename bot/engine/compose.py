"""Extractive answer composition: the sentences of the retrieved passages that best answer the question.

No text generator that states facts reliably ships as a wheel here, so the default answer is made of
verbatim sentences, each followed by the marker of the passage it comes from::

    scored = score_sentences(question, query_vector, hits, retriever)
    picked = select_sentences(scored, max_quotes=3)
    text, citations = cite(picked)

A sentence's score blends its cosine similarity to the question with the share of the question's key
terms (stemmed, stop words removed, weighted by rarity in the corpus) that it contains. Both are needed:
similarity alone rewards
sentences on the right topic that do not say the asked-for fact, overlap alone rewards keyword salad.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from index.glossary import ACRONYMS
from index.keyword import tokenize
from index.records import Hit
from index.retriever import Retriever

from .answerability import expected_answer_type, has_answer_type, question_names
from .records import Citation, ScoredSentence

SIMILARITY_WEIGHT = 0.6
# A sentence that holds what the question asks for (an amount for "how much") is likelier the answer.
ANSWER_TYPE_BONUS = 0.1
# A sentence that names everything the question names ("is Pinduoduo one of...") is about the right thing.
NAME_BONUS = 0.1
# Sentences that are too short to state a fact (datelines, headings) or are list debris.
MIN_SENTENCE_CHARS = 25
# A second or third quote must come close to the best one, or it dilutes the answer.
SECONDARY_MARGIN = 0.12
# Unless the best sentence lacks what the question asks for ("who ...?" answered without a name): then the
# best sentence that has it may come from further down, since it is likelier the answer than a close second.
TYPED_MARGIN = 0.2
# Near-duplicate sentences (the same fact reported twice) add nothing.
DUPLICATE_COSINE = 0.9



def key_terms(question: str) -> list[frozenset[str]]:
    """The question's keyword tokens, one group per term; an acronym and its expansion form one group.

    A group is matched when the sentence has the acronym, or every token of its expansion, so that
    "CAC" is one term whether the article writes "CAC" or "Cyberspace Administration of China".
    """
    groups: list[frozenset[str]] = []
    question = re.sub(r"(\w)['’]s\b", r"\1", question)  # "CAC's" -> "CAC"
    rest = question
    for match in re.finditer(r"\b[A-Za-z]{2,6}\b", question):
        expansion = ACRONYMS.get(match.group().upper())
        if expansion and match.group().isupper():
            groups.append(frozenset(tokenize(match.group())) | {" ".join(tokenize(expansion))})
            rest = rest.replace(match.group(), " ")
    seen = {t for g in groups for t in g}
    groups.extend(frozenset([t]) for t in dict.fromkeys(tokenize(rest)) if t not in seen)
    return groups


def _matched(group: frozenset[str], tokens: set[str]) -> bool:
    return any(all(part in tokens for part in alternative.split()) for alternative in group)


def score_sentences(
    question: str, query_vector: np.ndarray, hits: Sequence[Hit], retriever: Retriever
) -> list[ScoredSentence]:
    """Every sentence of the hits, scored; a sentence shared by overlapping chunks is scored once.

    ``question`` is the user's text (not the acronym-expanded query): key terms come from it.
    """
    groups = key_terms(question)
    # Terms absent from the corpus cannot tell sentences apart (the abstention check handles them): weight 0.
    weights = [max((retriever.idf(t) for alt in g for t in alt.split() if retriever.knows(t)), default=0.0)
               for g in groups]
    total = sum(weights)
    kind = expected_answer_type(question)
    names = [set(tokenize(n)) for n in question_names(question) if n.upper() not in ACRONYMS]
    names = [n for n in names if n]
    seen: set[tuple[str, int]] = set()
    scored: list[ScoredSentence] = []
    for rank, hit in enumerate(hits):
        sentences, vectors = retriever.sentences(hit.chunk_id)
        similarities = vectors @ query_vector if len(vectors) else np.zeros(0)
        for sentence, vector, similarity in zip(sentences, vectors, similarities, strict=True):
            key = (hit.doc_id, sentence.start)
            if key in seen or len(sentence.text) < MIN_SENTENCE_CHARS:
                continue
            seen.add(key)
            tokens = set(tokenize(sentence.text))
            matched = sum(w for g, w in zip(groups, weights, strict=True) if _matched(g, tokens))
            overlap = matched / total if total > 0 else 0.0
            score = SIMILARITY_WEIGHT * float(similarity) + (1 - SIMILARITY_WEIGHT) * overlap
            typed = has_answer_type(sentence.text, kind)
            if kind and typed:
                score += ANSWER_TYPE_BONUS
            if names and all(n <= tokens for n in names):
                score += NAME_BONUS
            scored.append(
                ScoredSentence(sentence, hit.chunk, vector, float(similarity), overlap, score, rank, typed)
            )
    scored.sort(key=lambda s: (-s.score, s.rank, s.sentence.start))
    return scored


def select_sentences(scored: Sequence[ScoredSentence], *, max_quotes: int = 3) -> list[ScoredSentence]:
    """The best sentence plus up to ``max_quotes - 1`` others that score close to it and say something new.

    When no sentence picked so holds what the question asks for, the best one that does (within
    ``TYPED_MARGIN``) takes the last place.
    """
    if not scored:
        return []
    best = scored[0]
    picked = [best]
    for candidate in scored[1:]:
        if len(picked) >= max_quotes or candidate.score < best.score - SECONDARY_MARGIN:
            break
        if _new(candidate, picked):
            picked.append(candidate)
    if max_quotes > 1 and not any(p.typed for p in picked):
        typed = next((c for c in scored if c.typed and c.score >= best.score - TYPED_MARGIN), None)
        if typed is not None and _new(typed, picked):
            picked = picked[: max_quotes - 1] + [typed]
    return picked


def _new(candidate: ScoredSentence, picked: Sequence[ScoredSentence]) -> bool:
    return all(float(candidate.vector @ p.vector) < DUPLICATE_COSINE for p in picked)


def cite(picked: Sequence[ScoredSentence]) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers, and its citations numbered 1..N in order of appearance.

    Sentences that are adjacent in the same passage are merged into one quote with one marker.
    """
    groups: list[list[ScoredSentence]] = []
    for item in picked:
        for group in groups:
            if _adjacent(group, item):
                group.append(item)
                break
        else:
            groups.append([item])
    parts: list[str] = []
    citations: list[Citation] = []
    for n, group in enumerate(groups, start=1):
        group.sort(key=lambda s: s.sentence.start)
        chunk = group[0].chunk
        start, end = group[0].sentence.start, group[-1].sentence.end
        quote = chunk.text[start - chunk.start : end - chunk.start]
        citations.append(Citation(n=n, chunk=chunk, quote=quote, start=start, end=end))
        parts.append(f"{_one_line(quote)} [{n}]")
    return " ".join(parts), citations


def _adjacent(group: list[ScoredSentence], item: ScoredSentence) -> bool:
    chunk = group[0].chunk
    if item.chunk.id != chunk.id:
        return False
    for other in group:
        first, second = sorted((other.sentence, item.sentence), key=lambda s: s.start)
        gap = chunk.text[first.end - chunk.start : second.start - chunk.start]
        if gap.strip() == "" and "\n\n" not in gap:
            return True
    return False


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
