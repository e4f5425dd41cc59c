"""Extractive answer composition: the sentences of the retrieved passages that best answer the question.

No text generator that states facts reliably ships as a wheel here, so the default answer is made of
verbatim sentences, each followed by the marker of the passage it comes from::

    scored = score_sentences(question, query_vector, hits, retriever)
    picked = select_sentences(scored, max_quotes=3)
    text, citations = cite(picked, question)

A sentence's score blends its cosine similarity to the question with the share of the question's key
terms (stemmed, stop words removed, weighted by rarity in the corpus) that it contains. Both are needed:
similarity alone rewards sentences on the right topic that do not say the asked-for fact, overlap alone
rewards keyword salad. Learned corrections (`ranking`) weigh what the blend cannot: the sentence's language
and kind of source. A sentence in the other language than the question's is matched against the
question's translated words and its similarity gets the model's cross-lingual offset, so that the law's
Chinese text and an English article compete fairly for an English question; a sentence near every sentence of
the question's language ("履行个人信息保护职责的部门履行下列职责" for English questions, a cross-lingual hub)
loses its excess.

A law is quoted by article: the article (or, when it is long, the sentences picked from it) with its label,
"PIPL Art. 66". When the question asks for an amount, a date, a percentage ... and the best sentence states
exactly one, the answer leads with it ("$1.2 billion [1]").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from index.keyword import tokenize
from index.language import CJK
from index.laws import referenced_articles
from index.documents import signed_off_at
from index.records import Chunk, Document, Hit
from index.retriever import Retriever

from .answer_types import DOCUMENT_KINDS, about_document, listed, names_aside, names_something, stated
from .question import Question, question_names
from .ranking import load_ranker
from .records import Citation, ScoredSentence

SIMILARITY_WEIGHT = 0.6
# A role after an author's name in metadata: "Jim Pollard (editing)".
_ROLE = re.compile(r"\s*\([^)]*\)")
# A sentence that holds what the question asks for (an amount for "how much") is likelier the answer.
ANSWER_TYPE_BONUS = 0.1
# A sentence of the other language that lies near every sentence of the question's language lies near every
# question in it too (`Retriever.sentence_hubness`): its similarity loses that excess, times the weight for the
# question's language. For English questions (Chinese law sentences), 1 did better on our development questions
# than CSLS's own 0.5 and than 2. For Chinese questions (English report sentences), CSLS's own 0.5: at 1 a typed
# sentence of another source came to lead Chinese near misses about a report, and answered them.
HUBNESS_WEIGHT = {"en": 1.0, "zh": 0.5}
# How much a question's term that the corpus never uses weighs against the rarest term it does use.
UNKNOWN_TERM_WEIGHT = 0.5
# A sentence that names what the question names ("is Acme one of...") is about the right thing; one naming some
# of it, in part ("which vendor sat beside acme and globex at the ministry's meeting?": the sentence listing them,
# not the lede naming the ministry).
NAME_BONUS = 0.1
# A sentence in a passage that retrieval ranked high (its fused score, 0..1) is likelier the answer.
PASSAGE_WEIGHT = 0.3
# A sentence of an article the question names in a law it names ("pipl art 38", "个保法第三十八条"), or one that
# cites it ("违反本法第三十一条规定…" for "the fine for breaching art 31"): the asker points at it.
NAMED_ARTICLE_BONUS = 0.2
# Asked which others there are besides what it names ("besides Acme, which firms …?", "除了取得个人同意，还有
# 哪些情形…？"), a list that holds it among others is the list asked about: the sentence naming Acme among the
# firms summoned, the article whose items are consent and the other grounds.
LIST_BONUS = 0.1
# Sentences too short to state a fact (datelines, headings) or list debris, by the sentence's language:
# Chinese says in 15 characters what English says in 40 ("本法自2021年11月1日起施行。").
MIN_SENTENCE_CHARS = {"en": 25, "zh": 8}
# A second or third quote must come close to the best one, or it dilutes the answer.
SECONDARY_MARGIN = 0.12
# Unless the best sentence lacks what the question asks for ("who ...?" answered without a name): then the
# best sentence that has it may come from further down, since it is likelier the answer than a close second.
TYPED_MARGIN = 0.2
# A law's article is quoted whole up to this length; a longer one by the sentences picked from it.
ARTICLE_QUOTE_CHARS = 400
# The kinds of fact an answer can lead with.
LEAD_KINDS = (
    "amount", "percent", "date", "duration", "deadline", "article", "official", "person", "author", "number"
)


def matches(group: frozenset[str], tokens: set[str]) -> bool:
    """Whether ``tokens`` hold one alternative of a term group (an acronym, or every token of its expansion)."""
    return any(all(part in tokens for part in alternative.split()) for alternative in group)


def term_weights(groups: Sequence[frozenset[str]], retriever: Retriever) -> list[float]:
    """Each group's rarity in the corpus. A term the corpus lacks is in no sentence, yet still part of what was
    asked: it weighs `UNKNOWN_TERM_WEIGHT` of the rarest known term's weight, so that a Chinese question about an
    English report does not find a Chinese law sentence complete for holding the few words the laws know."""
    return [max((retriever.idf(t) for alt in g for t in alt.split() if retriever.knows(t)),
                default=UNKNOWN_TERM_WEIGHT * retriever.max_idf) for g in groups]


def known(group: frozenset[str], retriever: Retriever) -> bool:
    """Whether the corpus has the term (one alternative of the group, any of its tokens)."""
    return any(retriever.knows(t) for alt in group for t in alt.split())


def matching_terms(question: Question, retriever: Retriever, *, cross: bool) -> tuple[list[frozenset[str]], float]:
    """The term groups a sentence is matched against, and the scale of the share it holds: the question's own
    words, or across languages its translated ones, scaled by the share of the question that translated at
    all (the translation holds only words the corpus has, so unscaled every passage would look on topic)."""
    if not cross:
        aside = frozenset().union(*question.aside_tokens)
        return [g for g in question.terms if not (aside and all(set(a.split()) <= aside for a in g))], 1.0
    translation = retriever.translation(question.without_set_aside(question.text))
    words = [frozenset([t]) for t in dict.fromkeys(tokenize(translation.text))]
    # A term of art is one thing asked about, however many words it has: all of them, or it is missing.
    terms = [frozenset([" ".join(tokens)]) for term in translation.terms if (tokens := tokenize(term))]
    return list(dict.fromkeys([*terms, *words])), translation.coverage


def score_sentences(
    question: Question, query_vector: np.ndarray, hits: Sequence[Hit], retriever: Retriever
) -> list[ScoredSentence]:
    """Every sentence of the hits, scored; a sentence shared by overlapping chunks is scored once.

    Key terms come from the question's own words (not the acronym-expanded query); for a sentence in the
    other language, from the question's translation.
    """
    groups, scale = {}, {}
    for cross in (False, True):
        groups[cross], scale[cross] = matching_terms(question, retriever, cross=cross)
    weights = {cross: term_weights(terms, retriever) for cross, terms in groups.items()}
    names, written = named_in_question(question, retriever)
    offset = retriever.cross_lingual_offset
    ranker = load_ranker(retriever.embedder.name)
    named = retriever.named_documents(question.search_text)
    aside = {False: question.aside_tokens, True: translated_aside(question, retriever)}
    # Others than the firms or people it names are firms or people too: a list of them names someone.
    set_aside = " ".join(question.set_aside)
    aside_named = bool(set_aside) and bool(
        retriever.names_in(set_aside, question.language) or question_names(set_aside, question.language)
    )
    seen: set[tuple[str, int]] = set()
    scored: list[ScoredSentence] = []
    for rank, hit in enumerate(hits):
        document = retriever.documents[hit.doc_id]
        language = document.language
        cross = language != question.language
        total = sum(weights[cross])
        is_law, from_named = document.kind == "law", hit.doc_id in named
        correction = ranker.correction(cross=cross, is_law=is_law, from_named_source=from_named)
        signed_at = signed_off_at(document.text)
        sentences, vectors = retriever.sentences(hit.chunk_id)
        similarities = (vectors @ query_vector if len(vectors) else np.zeros(0)) + (offset if cross else 0.0)
        # Ranked on similarity less hubness; the similarity recorded (what answerability weighs) stays the cosine.
        weight = HUBNESS_WEIGHT.get(question.language, 0.0) if cross else 0.0
        discounts = weight * retriever.sentence_hubness(hit.chunk_id)
        for sentence, vector, similarity, discount in zip(sentences, vectors, similarities, discounts, strict=True):
            key = (hit.doc_id, sentence.start)
            if key in seen or len(sentence.text) < MIN_SENTENCE_CHARS.get(language, 25):
                continue
            signed = sentence.start >= signed_at or about_document(sentence.text)
            if signed and not asks_of_author(question, document):
                continue  # a byline and its bio say who wrote the report, nothing of what it reports
            seen.add(key)
            tokens = set(tokenize(sentence.text))
            matched = sum(w for g, w in zip(groups[cross], weights[cross], strict=True) if matches(g, tokens))
            overlap = scale[cross] * matched / total if total > 0 else 0.0
            score = SIMILARITY_WEIGHT * float(similarity - discount) + (1 - SIMILARITY_WEIGHT) * overlap
            score += PASSAGE_WEIGHT * hit.evidence + correction
            typed = question.stated_in(sentence.text) and not dates_another_law(
                question, sentence.text, named, retriever
            )
            if question.set_aside:
                others, holds = list_of_others(sentence.text, hit.chunk.text, language, aside[cross], aside_named)
                typed = typed and others > 0
                score += LIST_BONUS if others and holds else 0.0
            if question.kind and typed:
                score += ANSWER_TYPE_BONUS
            if names or written:
                # Each name of the corpus counts apart; the other capitalised words, a law's or a body's, together.
                named_here = sum(names_form(forms, tokens, sentence.text) for forms in names)
                named_here += bool(written and written <= tokens)
                score += NAME_BONUS * named_here / (len(names) + bool(written))
            if from_named and on_named_article(question, hit.chunk, sentence.text):
                score += NAMED_ARTICLE_BONUS
            scored.append(ScoredSentence(
                sentence, hit.chunk, vector, float(similarity), overlap, score, rank, typed, cross, hit.evidence
            ))
    scored.sort(key=lambda s: (-s.score, s.rank, s.sentence.start))
    return scored


def list_of_others(
    text: str, passage: str, language: str, aside: Sequence[frozenset[str]], names_only: bool
) -> tuple[int, bool]:
    """For a question setting things aside (their tokens ``aside``): how many items of the list ``text`` (a
    sentence of ``passage``) sets out are others, only names counting with ``names_only``, and whether it holds
    one set aside as well, in its items or in the words leading into them, which may hold its first ("sectors
    ranging from banking to mining, retail, …")."""
    lead, items = listed(text, passage, language)
    if names_only:
        items = [item for item in items if names_something(item, language)]
    others = sum(not names_aside(item, aside) for item in items)
    return others, any(names_aside(part, aside) for part in [lead, *items])


def translated_aside(question: Question, retriever: Retriever) -> tuple[frozenset[str], ...]:
    """The tokens of each thing the question sets aside (`Question.set_aside`), in the other language."""
    translations = (retriever.translation(thing) for thing in question.set_aside)
    return tuple(frozenset(tokenize(" ".join([t.text, *t.terms]))) for t in translations)


def named_in_question(question: Question, retriever: Retriever) -> tuple[list[frozenset[str]], frozenset[str]]:
    """What the question names: the corpus's firms, people and places (`Retriever.names_in`, each as the forms a
    sentence may write it in, in lower case or pinyin too), and the tokens of its other capitalised words ("the
    Data Security Law"), less those that only say which report is meant ("per the Acme article, …" asks about
    the report, not about Acme)."""
    rest = question.without_set_aside(question.beside_pointers)
    names = retriever.names_in(rest, question.language)
    known = {form for forms in names for form in forms}
    written = {token for name in question_names(rest, question.language) for token in tokenize(name)} - known
    return names, frozenset(written)


def names_form(forms: frozenset[str], tokens: set[str] | frozenset[str], text: str) -> bool:
    """Whether a text (its keyword ``tokens`` and itself) writes one of a name's ``forms``: an English form as a
    word, a Chinese one anywhere in it."""
    return any(form in tokens or (CJK.search(form) and form in text) for form in forms)


def asks_of_author(question: Question, document: Document) -> bool:
    """Whether ``question`` asks who wrote ``document`` or about its author: by the kind it asks for, by words
    (`Question.about_author`) or by the author's name ("where is Jane Roe from?")."""
    name = _ROLE.sub("", document.author).strip().casefold()
    return question.kind in DOCUMENT_KINDS or question.about_author or bool(name and name in question.text.casefold())


def on_named_article(question: Question, chunk: Chunk, text: str) -> bool:
    """Whether ``text``, a sentence of ``chunk``, is of an article the question names or of a paragraph that
    cites one: "违反本法第三十一条规定…的，…；情节严重的，处…罚款" states the fine in its second sentence."""
    if not question.articles:
        return False
    if chunk.article in question.articles:
        return True
    return any(n in question.articles for n in referenced_articles(_paragraph_of(chunk.text, text)))


def _paragraph_of(text: str, sentence: str) -> str:
    """The line of ``text`` holding ``sentence`` (the sentence itself when it is not found)."""
    at = text.find(sentence)
    if at < 0:
        return sentence
    end = text.find("\n", at + len(sentence))
    return text[text.rfind("\n", 0, at) + 1 : end if end >= 0 else None]


def select_sentences(
    scored: Sequence[ScoredSentence], *, max_quotes: int = 3, duplicate_cosine: float = 0.9,
    whole_document: bool = False,
) -> list[ScoredSentence]:
    """The best sentence plus up to ``max_quotes - 1`` others that score close to it and say something new
    (a sentence closer than ``duplicate_cosine`` to one picked repeats it: the threshold is the model's).

    A question asking for a kind of fact (an amount, a date) is answered first by the best sentence that
    states one, when it scores within ``TYPED_MARGIN`` of the best: the fact leads, the context follows.
    ``whole_document``: the fact is about the best sentence's document (see `leading_sentence`).
    """
    if not scored:
        return []
    best = leading_sentence(scored, whole_document=whole_document)
    scored = [best, *(c for c in scored if c is not best)]
    picked = [best]
    for candidate in scored[1:]:
        if len(picked) >= max_quotes or candidate.score < best.score - SECONDARY_MARGIN:
            break
        if _new(candidate, picked, duplicate_cosine):
            picked.append(candidate)
    return picked


def dates_another_law(question: Question, text: str, named: frozenset[str], retriever: Retriever) -> bool:
    """Whether the question (naming the documents ``named``) asks when something takes effect and ``text``
    dates a law it names that the question does not ("Under the new Data Security Law, which will take effect
    on September 1, ..." for "when do the CAC's waiver rules take effect?"), in either language: that date is
    another instrument's."""
    if question.event != "taking effect":
        return False
    dated = retriever.named_documents(text)
    return bool(dated) and not dated & named


def leading_sentence(scored: Sequence[ScoredSentence], *, whole_document: bool = False) -> ScoredSentence:
    """The sentence an answer leads with: the best one, or the best that states the asked-for kind of fact
    when it scores within ``TYPED_MARGIN`` of it (``scored`` is sorted best first and not empty).

    The fact must come from the best sentence's document: a name or a figure that another source states
    beside other words answers another question ("谁负总责？" of a regulation, "President Xi" from a report).
    With ``whole_document`` the fact is about that document (who wrote it): the question's words say which
    document, not what the stating sentence says ("Published by ..."), so any margin will do.
    """
    best = scored[0]
    if best.typed:
        return best
    margin = math.inf if whole_document else TYPED_MARGIN
    return next((c for c in scored if c.typed and c.chunk.doc_id == best.chunk.doc_id
                 and c.score >= best.score - margin), best)


def _new(candidate: ScoredSentence, picked: Sequence[ScoredSentence], duplicate_cosine: float) -> bool:
    return all(float(candidate.vector @ p.vector) < duplicate_cosine for p in picked)


def cite(picked: Sequence[ScoredSentence], question: Question) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers, and its citations numbered 1..N in order of appearance.

    Sentences from one passage that are adjacent, or from one article of a law, make one quote with one
    marker. The text leads with the asked-for fact when the best sentence states exactly one.
    """
    groups: list[list[ScoredSentence]] = []
    for item in picked:
        for group in groups:
            if _same_quote(group, item):
                group.append(item)
                break
        else:
            groups.append([item])
    parts: list[str] = []
    citations: list[Citation] = []
    for n, group in enumerate(groups, start=1):
        chunk = group[0].chunk
        start, end = _quote_span(group)
        quote = chunk.text[start - chunk.start : end - chunk.start]
        label = chunk.label_zh if question.language == "zh" and chunk.label_zh else chunk.label
        citations.append(Citation(n=n, chunk=chunk, quote=quote, start=start, end=end, label=label))
        parts.append(f"{label}: {_one_line(quote)} [{n}]" if label else f"{_one_line(quote)} [{n}]")
    lead = lead_fact(picked[0], question) if picked else ""
    body = " ".join(parts)
    return (f"{lead} [1]\n{body}" if lead else body), citations


def lead_fact(best: ScoredSentence, question: Question) -> str:
    """The asked-for fact when the best sentence states exactly one of its kind ("$1.2 billion"), else ""."""
    if question.kind not in LEAD_KINDS:
        return ""
    facts = list(dict.fromkeys(stated(best.sentence.text, question.kind, question.unit, question.given)))
    return facts[0] if len(facts) == 1 else ""


def _quote_span(group: list[ScoredSentence]) -> tuple[int, int]:
    """A law's article whole when it is short; else from the first to the last sentence picked."""
    chunk = group[0].chunk
    if chunk.article is not None and len(chunk.text) <= ARTICLE_QUOTE_CHARS:
        return chunk.start, chunk.end
    group.sort(key=lambda s: s.sentence.start)
    return group[0].sentence.start, group[-1].sentence.end


def _same_quote(group: list[ScoredSentence], item: ScoredSentence) -> bool:
    chunk = group[0].chunk
    if item.chunk.id != chunk.id:
        return False
    if chunk.article is not None:
        return True
    for other in group:
        first, second = sorted((other.sentence, item.sentence), key=lambda s: s.start)
        gap = chunk.text[first.end - chunk.start : second.start - chunk.start]
        if gap.strip() == "" and "\n\n" not in gap:
            return True
    return False


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
