"""Deciding that the sources do not answer a question.

Three checks, each of which names its reason (kept in logs and useful when tuning):

1. the question names something the corpus never mentions (a capitalised name or an acronym with no
   occurrence in any indexed passage: "GDPR", "Guizhou", "PCPD"): the sources cannot be about it;
2. the best sentence scores below the calibrated threshold (similarity plus key-term overlap);
3. the question asks for an amount, a number, a duration or a date and the best sentence holds none.
   (A "who" question's person type only helps choose sentences: names are too varied to refuse on.)

    reason = abstain_reason(question, picked, retriever, threshold=0.4)
    if reason: ...   # e.g. "the sources never mention: GDPR, Meta"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index.glossary import ACRONYMS
from index.keyword import tokenize

if TYPE_CHECKING:
    from index.retriever import Retriever

    from .compose import ScoredSentence

_NAME = re.compile(r"(?<![\w'’])([A-Z][\w&'’.-]*[\w]|[A-Z]{2,})")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([A-Z][\w'’-]*)")

_AMOUNT = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:%|percent|yuan|dollars?|euros?|billion|million|thousand|bn|m)\b", re.I
)
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?"
)
_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.I)
_DURATION = re.compile(
    rf"\d|\b(?:{_NUMBER_WORDS}|a|an|several|many|few)\s+(?:years?|months?|weeks?|days?|hours?|decades?)\b", re.I
)
_DATE = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|"
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|"
    r"august|september|october|november|december|summer|winter|spring|autumn)\b|"
    r"\b(?:last|this|next)\s+(?:week|month|year)\b|\bago\b|\bin\s+(?:19|20)\d\d\b",
    re.I,
)
_ASKS_AMOUNT = re.compile(r"\bhow much\b|\bwhat (?:was|is|were) the (?:fine|penalty)\b|\bpercentage\b", re.I)
_ASKS_NUMBER = re.compile(r"\bhow many\b|\bwhat (?:number|share)\b", re.I)
_ASKS_DURATION = re.compile(r"\bhow long\b", re.I)
_ASKS_PERSON = re.compile(
    r"\b(?:who|whose)\b|\bwhich (?:academic|professor|official|minister|person|executive|expert)\b", re.I
)
# Two capitalised words in a row inside a sentence ("Niu Yibing", "Rana Mitter"), or a title before a name.
_PERSON = re.compile(
    r"(?<=[a-z,;:] )[A-Z][a-z]+ [A-Z][a-z]+\b|\b(?:Mr|Ms|Dr|Prof|professor|Minister|Governor|President)\.? [A-Z]"
)
_ASKS_DATE = re.compile(r"^\s*when\b|\bwhat (?:year|date|day|month)\b|\bsince when\b", re.I)


def expected_answer_type(question: str) -> str | None:
    """ "amount", "number", "duration" or "date" when the question asks for one, else None."""
    if _ASKS_AMOUNT.search(question):
        return "amount"
    if _ASKS_NUMBER.search(question):
        return "number"
    if _ASKS_DURATION.search(question):
        return "duration"
    if _ASKS_DATE.search(question):
        return "date"
    if _ASKS_PERSON.search(question):
        return "person"
    return None


def has_answer_type(text: str, kind: str | None) -> bool:
    if kind is None:
        return True
    pattern = {"amount": _AMOUNT, "number": _NUMBER, "duration": _DURATION, "date": _DATE, "person": _PERSON}[kind]
    return bool(pattern.search(text))


def question_names(question: str) -> list[str]:
    """Capitalised words and acronyms of the question, except words capitalised only to start a sentence."""
    starts = {m.start(1) for m in _SENTENCE_START.finditer(question)}
    names = []
    for match in _NAME.finditer(question):
        word = re.sub(r"['’]s$", "", match.group(1))
        if match.start(1) not in starts or word.isupper():  # "Which", "Does" start the sentence
            names.append(word)
    return list(dict.fromkeys(names))


def unknown_names(question: str, retriever: Retriever) -> list[str]:
    """Names and acronyms of the question that occur in no indexed passage."""
    unknown = []
    for word in question_names(question):
        if word.upper() in ACRONYMS:
            continue  # searched under its expansion, which the corpus may well use
        tokens = tokenize(word)
        if tokens and not any(retriever.knows(t) for t in tokens):
            unknown.append(word)
    return unknown


def abstain_reason(
    question: str, picked: Sequence[ScoredSentence], retriever: Retriever, *, threshold: float
) -> str | None:
    """Why the sources do not answer ``question``, or None when ``picked`` is a usable answer."""
    if not picked:
        return "no passage matched"
    names = unknown_names(question, retriever)
    if names:
        return "the sources never mention: " + ", ".join(names)
    if picked[0].score < threshold:
        return f"best sentence scores {picked[0].score:.2f} < {threshold:.2f}"
    kind = expected_answer_type(question)
    if kind in ("amount", "number", "duration", "date") and not has_answer_type(picked[0].sentence.text, kind):
        # Only the best sentence counts: a secondary quote with an amount is usually about something else.
        return f"the question asks for a {kind} and the best sentence states none"
    return None
