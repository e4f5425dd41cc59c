"""Deciding that the sources do not answer a question.

Five checks, each of which names its reason (kept in logs and useful when tuning):

1. the question names something the corpus never mentions: a capitalised name or an acronym with no
   occurrence in any indexed passage ("GDPR", "Guizhou", "PCPD"), or a law or body whose full name never
   occurs ("the Cybersecurity Law" when the articles only discuss the Data Security Law): the sources cannot
   be about it, and answering about a different law is the worst mistake a regulation bot can make;
2. the best sentence scores below the calibrated threshold (similarity plus key-term overlap);
3. the question asks for a percentage, an amount, a count, a duration, a date or an article number and the
   best sentence holds none ("how many hours" is not answered by "$1.2 billion", a share of turnover not by
   a sum);
   A "who" question counts only when it asks who holds a post ("Who heads the bureau?"): the best
   sentence must then name a person. Other "who" questions may be answered by a firm or a regulator;
4. such a fact question names its subject ("How much was Alibaba fined?", "Didi's executives") and the
   passage of the best sentence never mentions it: the amount found belongs to someone else;
5. the question asks how something ranks ("the biggest fine ever?") and the best sentence ranks nothing.

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

    from .records import ScoredSentence

_NAME = re.compile(r"(?<![\w'’])([A-Z][\w&'’.-]*[\w]|[A-Z]{2,})")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([A-Z][\w'’-]*)")

_AMOUNT = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:%|percent|yuan|dollars?|euros?|billion|million|thousand|bn|m)\b|"
    r"\b(?:billions|millions|thousands|hundreds) of (?:dollars|yuan|euros)\b",
    re.I,
)
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?"
)
_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.I)
_DATE = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|"
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|"
    r"august|september|october|november|december|summer|winter|spring|autumn)\b|"
    r"\b(?:last|this|next)\s+(?:week|month|year)\b|\bago\b|\bin\s+(?:19|20)\d\d\b",
    re.I,
)
# Money, so that a count ("how many violations") is not answered by a fine ("$1.2 billion").
_MONEY = re.compile(
    r"[$€£¥]\s?\d[\d,.]*(?:\s?(?:billion|million|thousand|bn|m)\b)?|"
    r"\b\d[\d,.]*\s?(?:billion|million|thousand)?\s?(?:yuan|dollars?|euros?|rmb)\b",
    re.I,
)
# "how long" is answered by a number of units, not by any digit ("September 1").
_DURATION = re.compile(
    rf"\b(?:\d[\d,.]*|{_NUMBER_WORDS}|a|an|several|many|few)[\s-]+(?:hours?|days?|weeks?|months?|years?|decades?)\b|"
    r"\bsince\b|\buntil\b",
    re.I,
)
_ARTICLE = re.compile(r"\b(?:article|art\.|section|clause|paragraph)\s*\d+|第[\d一二三四五六七八九十百零]+条", re.I)
_ASKS_ARTICLE = re.compile(
    r"\b(?:which|what)\s+(?:article|section|clause|provision)s?\b|第几条|哪一?条", re.I
)
# "how much of a priority" asks for no amount.
_ASKS_AMOUNT = re.compile(
    r"\bhow much\b(?! of an?\b)|\bwhat (?:was|is|were) the (?:fine|penalty)\b", re.I
)
# A share is answered by a percentage, not by a sum of money.
_ASKS_PERCENT = re.compile(r"\bpercentage\b|\bwhat (?:percent|share|proportion)\b|\bper ?cent of\b", re.I)
_PERCENT = re.compile(r"\d\s?(?:%|percent\b|per cent\b)", re.I)
_ASKS_NUMBER = re.compile(r"\bhow many\b|\bwhat number\b", re.I)
_ASKS_DURATION = re.compile(
    r"\bhow long\b|\bhow soon\b|\bhow many (?:hours|days|weeks|months|years|decades)\b|\bwithin how\b", re.I
)
_ASKS_PERSON = re.compile(
    r"\b(?:who|whose)\b|\bwhich (?:academic|professor|official|minister|person|executive|expert)\b", re.I
)
# A person's name as news text introduces one: after a title ("Vice Minister Niu Yibing"), before a role
# ("Sun Weimin, head of ...", "Opper, a professor") or a speech verb, after "said", or closing a caption
# (", Zhuang Rongwen.").
# Any two capitalised words in a row would also take "Alibaba Group" and "Data Security" for people.
_NAME_WORDS = r"[A-Z][a-z]+[ -][A-Z][a-z]+"
_ROLE = (
    r"(?:Vice |Deputy |Prime )?(?:Minister|President|Premier|Governor|Director|Chairman|Chairwoman|Secretary|"
    r"Commissioner|Mr|Ms|Mrs|Dr|Prof|Professor|professor|CEO|founder|spokes(?:person|man|woman)|analyst|lawyer|"
    r"director|chief|head|official)\.?"
)
_PERSON = re.compile(
    rf"\b{_ROLE} [A-Z][a-z]+\b|"
    r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?(?=, (?:(?:a|an|the|now|who) )?(?:\w+ )?(?:head|director|professor|"
    r"minister|chief|official|spokes\w+|founder|chairman|analyst|lawyer|partner|researcher|fellow|CEO)\b)|"
    rf"\b{_NAME_WORDS}(?= (?:said|says|told|wrote|added|argued|noted|warned)\b)|"
    rf"\b(?:said|says|told|according to) {_NAME_WORDS}\b|"
    rf", {_NAME_WORDS}\.?$"
)
_ASKS_DATE = re.compile(r"^\s*when\b|\bwhat (?:year|date|day|month)\b|\bsince when\b", re.I)
# "Who heads the bureau?" asks for a person; "who is responsible for checking?" may be answered by a kind of firm.
_ASKS_OFFICIAL = re.compile(
    r"\bwho(?:'s|’s| is| was)? (?:heads|leads|runs|chairs|directs)\b|"
    r"\bwho(?:'s|’s| is| was) the (?:\w+ )?(?:head|director|chief|minister|governor|chair(?:man)?|president|"
    r"spokes\w+|founder|CEO)\b|\bwhich (?:official|person|executive|minister|professor|academic)\b",
    re.I,
)
# "Was it the biggest fine ever?" is answered only by a sentence that ranks something itself.
_ASKS_RANKING = re.compile(r"\b(?:biggest|largest|highest|lowest|smallest|toughest|harshest|strictest|ever)\b", re.I)
_RANKS = re.compile(r"\b(?:\w+est|most|least|first|ever|record|unprecedented|top)\b", re.I)
# What a sentence must hold to answer each kind of question (counts are handled apart).
_STATES = {
    "article": _ARTICLE,
    "percent": _PERCENT,
    "amount": _AMOUNT,
    "duration": _DURATION,
    "date": _DATE,
    "official": _PERSON,
    "person": _PERSON,
}


# Kinds of fact whose absence from the best sentence means the question is not answered, as a reason names them.
_KIND_PHRASE = {
    "article": "an article number",
    "percent": "a percentage",
    "amount": "an amount",
    "duration": "a duration",
    "number": "a number",
    "date": "a date",
}
FACT_KINDS = tuple(_KIND_PHRASE)
# Named laws and bodies: a question about one of them must not be answered from another one.
_BODY = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+)+(?:Law|Act|Regulations?|Measures|Provisions|Bureau|Administration|Ministry|"
    r"Commission|Agency|Authority|Court|Council|Department))\b"
)
_LAW_HEAD = re.compile(r"\b(?:Law|Act|Regulations?|Measures|Provisions)$")


def expected_answer_type(question: str) -> str | None:
    """ "article", "percent", "amount", "duration", "number", "date" or "person" when the question asks for one."""
    for kind, pattern in (
        ("article", _ASKS_ARTICLE),
        ("percent", _ASKS_PERCENT),  # before "amount": "how much as a percentage of turnover"
        ("amount", _ASKS_AMOUNT),
        ("duration", _ASKS_DURATION),  # before "number": "how many hours"
        ("number", _ASKS_NUMBER),
        ("date", _ASKS_DATE),
        ("official", _ASKS_OFFICIAL),
        ("person", _ASKS_PERSON),
    ):
        if pattern.search(question):
            return kind
    return None


def has_answer_type(text: str, kind: str | None) -> bool:
    if kind is None:
        return True
    if kind == "number":
        # A count is not a sum of money or a year: "how many violations" is not answered by "$1.2 billion".
        return bool(_NUMBER.search(_DATE.sub(" ", _MONEY.sub(" ", text))))
    return bool(_STATES[kind].search(text))


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
    """Names, acronyms and full names of laws and bodies in the question that occur in no indexed passage."""
    unknown = []
    for word in question_names(question):
        expansion = ACRONYMS.get(word.upper())
        if expansion:
            # Searched under its expansion; a law's full name must occur ("CSL" is not the Data Security Law).
            if _LAW_HEAD.search(expansion) and not retriever.knows(word.lower()) and not retriever.mentions(expansion):
                unknown.append(word)
            continue
        tokens = tokenize(word)
        if tokens and not any(retriever.knows(t) for t in tokens) and not retriever.mentions(word):
            unknown.append(word)  # a publisher ("per WallStreetPR") is known from the documents' metadata
    for match in _BODY.finditer(question):
        words = match.group(1).split()
        # "Does Data Security Law ...": a leading capitalised word may only start the sentence.
        if not any(retriever.mentions(" ".join(words[i:])) for i in range(len(words) - 1)):
            unknown.append(" ".join(words))
    return list(dict.fromkeys(unknown))


# "Didi's executives": what the question asks about is the possessed thing, not only its owner.
_POSSESSED = re.compile(r"\b[A-Z][\w&.-]*['’]s\s+([a-z]{3,})\b")


def missing_subject(question: str, best: ScoredSentence) -> list[str]:
    """Names of a fact question that the best sentence's passage never mentions ("Alibaba" for a Didi fine),
    and what the question says they own ("executives" in "Didi's executives", when only Didi was fined)."""
    passage = set(tokenize(best.chunk.text))
    missing = [m.group(1) for m in _POSSESSED.finditer(question) if not set(tokenize(m.group(1))) <= passage]
    for word in question_names(question):
        if word.upper() in ACRONYMS:
            continue  # spelled out or abbreviated, and usually the regulator rather than the subject
        tokens = tokenize(word)
        if tokens and not all(t in passage for t in tokens):
            missing.append(word)
    return missing


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
    if kind in FACT_KINDS:
        if not has_answer_type(picked[0].sentence.text, kind):
            # Only the best sentence counts: a secondary quote with an amount is usually about something else.
            return f"the question asks for {_KIND_PHRASE[kind]} and the best sentence states none"
        missing = missing_subject(question, picked[0])
        if missing:
            about = ", ".join(missing)
            return f"the question asks for {_KIND_PHRASE[kind]} about {about}; the best passage is not about that"
    if _ASKS_RANKING.search(question) and not _RANKS.search(picked[0].sentence.text):
        return "the question asks how something ranks and the best sentence ranks nothing"
    if kind == "official" and not has_answer_type(picked[0].sentence.text, kind):
        return "the question asks who holds a post and the best sentence names no one"
    return None
