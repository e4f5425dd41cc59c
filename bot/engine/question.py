"""Question analysis: what a question asks, read once and handed down as a frozen `Question`.

    q = analyse("What's the max fine under PIPL?")
    q.language, q.kind, q.names          # ("en", "amount", ("PIPL",))
    q = analyse("and when did it take effect?", context=("What's the max fine under PIPL?",))
    q.search_text                        # "What's the max fine under PIPL? and when did it take effect?"

Everything later stages need to know about the question's words is here: its language, the kind of fact it
asks for (`answer_types`), the names it uses, its key terms for matching sentences, the articles it names,
and the text retrieval searches (a follow-up is searched together with the question it follows).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from index.acronyms import ACRONYMS
from index.keyword import tokenize
from index.language import detect_language
from index.laws import parse_chinese_number
from index.terminology import load_terminology

from .answer_types import (
    BOUNDED_KINDS,
    FACT_KINDS,
    asked_bound,
    asked_event,
    asked_kind,
    asked_requirements,
    asked_unit,
    asked_unknowns,
    asks_about_author,
    asks_about_breach,
    asks_exact,
    asks_for_contents,
    asks_for_names,
    asks_of_asker_day,
    fits_bound,
    fits_breach,
    names_someone_new,
    numbers_given,
    set_aside,
    states,
    states_event,
    without_asking,
)

# Follow-ups lean on what came before ("and the fine?", "what about Didi?", "那罚款呢？"); 那篇, 那家 ("that
# article", "that firm") point at something the question goes on to describe.
_FOLLOW_UP = re.compile(
    r"^(and|but|also|what about|how about|and what|is that|was it)\b|^(那(?![篇家个部条份次位些])|那么|还有|另外|它)", re.I
)
# ... and so do short ones opening as a reply does ("which one?", "why not?", "so the fine?"); a longer question
# opening so asks on its own ("Which vendor joined Acme at the ministry's meeting?").
_SHORT_FOLLOW_UP = re.compile(r"^(which|why|so|then)\b", re.I)
MAX_REPLY_WORDS = 4
MAX_CONTEXT_WORDS = 12
# Words that point back to something said earlier.
_ANAPHORA = frozenset("it its they them their that this those these he she his her".split())
_ZH_ANAPHORA = re.compile(r"它|他们|这个|那个|该法|这部|那部|上述")
_NAMED_DEMONSTRATIVE = re.compile(r"\b(?i:that|this|those|these)\s+(?=[A-Z])")
_NAME = re.compile(r"(?<![\w'’])([A-Z][\w&'’.-]*[\w]|[A-Z]{2,})")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([A-Z][\w'’-]*)")
_LATIN_IN_CHINESE = re.compile(r"[A-Za-z][A-Za-z0-9.&-]+")
# A question about what a news report says, by language: "per the article", "那篇报道说". ("Report" alone is a
# duty in the laws, "report an incident", and "the article of/under a law" is a law's article.)
_ASKS_REPORT = {
    "en": re.compile(
        r"\b(?:news|story|stories|coverage|journalists?|reporters?|"
        r"(?:the|that|this|an?) (?:news )?(?:article|report|piece|story)(?! (?:of|under|in)\b)|"
        r"(?:article|report|piece) (?:says|said|mentions|mentioned|reports|reported)|"
        # A publication pointed to: "the Hong Kong paper", "that outlet" (not a white paper).
        r"(?:the|that|this) (?:(?!white\b)[\w-]+ ){0,2}(?:newspaper|paper|outlet))\b",
        re.I,
    ),
    "zh": re.compile(r"文章|报道|报导|新闻|那篇|这篇|媒体|记者|报纸|报社|外媒|港媒|外电"),
}
# A report a law makes someone prepare, send, receive or keep ("which authority receives the report", "submit the
# report", "the period for retaining the report") is a duty, not a news report (which is written, published or
# issued, so those verbs do not count).
_REPORT_DUTY = re.compile(
    r"\b(?:receiv|submit|fil|send|sent|deliver|prepar|compil|draw(?:s|n)? up|hand(?:s|ed)? in|retain|keep|kept|"
    r"stor|archiv)"
    r"\w* (?:the|that|this|an?|its|their|our) (?:\w+ )?report\b",
    re.I,
)
# The words that say which report a question means ("the Acme article", "the piece on Jane Roe's rules",
# "讲甲公司、乙公司的那篇文章"): a name in them points at the report, and need not recur in the passage that
# answers. Names outside them still must. A report may be pointed to by its publication ("the Springfield
# paper"): those words, before what it is about, describe its publisher (`publication` names the noun).
_REPORT_BY = {
    "en": re.compile(
        r"(?P<head>(?:\b[\w’'.&/-]+[ /]){1,3}(?:data |fintech |regulatory |news )?"
        r"(?:article|piece|story|report|write-?up|(?P<publication>(?:news)?paper|outlet))\b)"
        r"(?: (?:on|about|covering|regarding) [^,.;:?!–—]{1,60})?",
        re.I,
    ),
    "zh": re.compile(r"(?:讲|关于|有关|报道|写)[^，。？?！!]{1,24}?的(?:那篇|这篇)?(?:文章|报道|新闻|稿子)|"
                     r"[^，。？?！!\s]{1,15}(?:那篇|这篇)(?:文章|报道|新闻)?|"
                     r"(?:该|此)[^，。？?！!\s]{1,20}?(?:报道|文章|新闻)|"
                     # A publication described by where it is: "香港那家英文报纸", "纽约那家媒体".
                     r"(?P<head>[^，。？?！!\s]{1,8}?(?:那家|这家|的)(?:英文|中文|财经|科技)?"
                     r"(?P<publication>报纸|媒体|报社|网站|杂志|通讯社))"),
}
# An article named, or several: "Art. 38", "Articles 21 and 25", "第三十八条".
_ARTICLE = re.compile(
    r"\b(?:articles?|arts?\.?)\s*(\d+(?:\s*(?:,|and|or|&|/)\s*\d+)*)\b|第([\d零一二三四五六七八九十百]+)条", re.I
)


# Where one part of a multi-part question ends: a question mark with more text after it.
_PARTS = re.compile(r"[?？]\s*(?=\S)")


class BadQuestion(ValueError):
    """The question cannot be asked (empty, control characters only); the message is written for the user."""


@dataclass(frozen=True)
class Question:
    """What the answer engine knows about a question; built by `analyse`.

    ``terms`` are the keyword tokens of the question's own words, one group per term (an acronym and the
    tokens of its expansion form one group). ``names`` are the proper names and acronyms it uses (in a
    Chinese question, its Latin-script words). ``kind`` is the kind of fact it asks for, or None, ``unit``
    the unit, grain or thing counted it asks in ("hour" for "within how many hours?"), or None, and
    ``about_report`` whether it asks what a news report says ("per the article", "那篇报道说").
    """

    text: str
    language: str
    search_text: str
    kind: str | None
    unit: str | None
    names: tuple[str, ...]
    terms: tuple[frozenset[str], ...]
    articles: tuple[int, ...]
    about_report: bool = False
    # The words that say which report is meant ("the Acme article", "讲甲公司的那篇文章").
    report_by: tuple[str, ...] = ()
    # Of those, the words that describe the publication rather than the report ("the Springfield paper" of "the
    # Springfield paper on Acme's fine"): its publisher's city or kind, which its reports need not name.
    publication_by: tuple[str, ...] = ()
    # What the other parts of a multi-part question ask for, each kind (None: no kind of fact) with its unit
    # ("每年做几次评估？不做的话罚多少？": a number besides the amount).
    also_asks: tuple[tuple[str | None, str | None], ...] = ()
    # What it is about: the question less the words that ask for its kind ("how many minutes"), and its terms.
    topic: str = ""
    topic_terms: tuple[frozenset[str], ...] = ()
    # The sources' own words, in its language, for its everyday ones (国外 → 境外, 外包 → 委托处理; see
    # `index.terminology`): searched with it, and matched as terms of it.
    own_terms: tuple[str, ...] = ()
    # The event a date is asked of ("taking effect" for "具体什么时候生效？"), or what a period is of ("retention"
    # for "要保存多久？"; see `answer_types.asked_event`): the date or period of another one does not answer.
    event: str | None = None
    # What it asks of breaking a rule ("penalty", "breach" or None; see `answer_types.asks_about_breach`): only
    # then does a fine or a detention answer it.
    breach: str | None = None
    # The numbers it states ("how many of the 12 firms ...?"): a count among them does not answer it.
    given: frozenset[int] = frozenset()
    # Whether it asks for an exact figure ("exactly how many", "具体多少"): a rough one does not answer it.
    exact: bool = False
    # "firms" or "bodies" when it asks which particular ones ("which insurers does the report name?", "具体是哪
    # 几家公司？"; see `answer_types.asks_for_names`): an answer must name one the question does not.
    names_asked: str | None = None
    # Whether it asks what a catalogue or list holds ("重要数据目录具体包括哪些数据？"; see
    # `answer_types.asks_for_contents`): an answer must set the list out, not only say that one is drawn up.
    contents_asked: bool = False
    # What it asks in the words a source uses to say it does not know ("when", "whether", "who"; see
    # `answer_types.asked_unknowns`): "it is not clear when ..." of the same thing does not answer it.
    unknowns_asked: frozenset[str] = frozenset()
    # What it asks a person in a role must have ("nationality", "experience"; see
    # `answer_types.asked_requirements`): a passage that never mentions it sets no such requirement.
    requirements_asked: frozenset[str] = frozenset()
    # The bound of a quantity it asks for ("upper" for "最多可以保存几年？"; see `answer_types.asked_bound`): a
    # text stating only the other bound does not state it.
    bound: str | None = None
    # Whether it asks about a day counted from the asker's ("明天", "this weekend"; see
    # `answer_types.asks_of_asker_day`): a news report, written before then, does not tell what happens then.
    asker_day: bool = False
    # It asks about a report's author or editor (`answer_types.asks_about_author`).
    about_author: bool = False
    # The things it sets aside when it asks which others ("Acme" of "besides Acme, which firms …?"; see
    # `answer_types.set_aside`): the answer lists others, and a sentence is not matched on their words.
    set_aside: tuple[str, ...] = ()

    @property
    def is_follow_up(self) -> bool:
        return self.search_text != self.text

    @property
    def beside_pointers(self) -> str:
        """The question without the words that only say which report is meant (`report_by`): "per the Acme
        article, when did Globex list?" -> "…, when did Globex list?"."""
        rest = self.text
        for words in self.report_by:
            rest = rest.replace(words, " ")
        return rest

    @property
    def aside_tokens(self) -> tuple[frozenset[str], ...]:
        """The keyword tokens of each thing it sets aside (`set_aside`)."""
        return tuple(frozenset(tokenize(thing)) for thing in self.set_aside)

    def without_set_aside(self, text: str) -> str:
        """``text`` (the question or part of it) without the words it sets aside."""
        for words in self.set_aside:
            text = text.replace(words, " ")
        return text

    def stated_in(self, text: str) -> bool:
        """Whether ``text`` states the kind of fact asked for, in the unit asked in and of the event asked about
        (true when none is asked); a fine or a detention only for a question about a breach."""
        return (states(text, self.kind, self.unit, self.given, exact=self.exact) and states_event(text, self.event)
                and fits_breach(text, self.kind, self.breach) and fits_bound(text, self.bound)
                and names_someone_new(text, self.kind, self.text))

    def partly_stated_in(self, text: str) -> bool:
        """Whether ``text`` states the kind of fact one part of the question asks for (see `stated_in`): "每年至少
        做几次评估？不做的话罚多少？" is answered in part by a sentence stating how many times."""
        return self.stated_in(text) or any(
            kind in FACT_KINDS and states(text, kind, unit) for kind, unit in self.also_asks
        )


def analyse(text: object, *, context: Sequence[str] = ()) -> Question:
    """Read ``text`` (TypeError if not a string, `BadQuestion` if empty); ``context`` = earlier questions."""
    cleaned = clean_question(text)
    if isinstance(context, str) or not all(isinstance(earlier, str) for earlier in context):
        raise TypeError("context must be a sequence of the earlier questions (strings), e.g. [\"What is the "
                        f"maximum fine?\"], not {type(context).__name__} {str(context)[:40]!r}")
    language = detect_language(cleaned)
    kind = asked_kind(cleaned, language)
    unit = asked_unit(cleaned, kind)
    if kind == "person" and unit is not None:
        kind = "official"  # "which professor ...?" asks for a name, which a firm or a body does not give
    topic = without_asking(cleaned, kind, language)
    pointers = list(_REPORT_BY.get(language, _REPORT_BY["en"]).finditer(cleaned))
    own = tuple(load_terminology().terms_for(cleaned, language, corpus=language))
    return Question(
        text=cleaned,
        language=language,
        search_text=with_context(cleaned, context),
        kind=kind,
        unit=unit,
        names=tuple(question_names(_ARTICLE.sub(" ", cleaned), language)),  # "Art. 38" names no one
        terms=_with_own_terms(key_terms(cleaned), own),
        articles=_named_articles(cleaned),
        about_report=bool(_ASKS_REPORT.get(language, _ASKS_REPORT["en"]).search(_REPORT_DUTY.sub(" ", cleaned))),
        report_by=tuple(m.group() for m in pointers),
        publication_by=tuple(m.group("head") for m in pointers if m.groupdict().get("publication")),
        also_asks=_other_parts_ask(cleaned, language, kind),
        topic=topic,
        topic_terms=terms_of(topic, language),
        own_terms=own,
        event=asked_event(cleaned, kind),
        breach=asks_about_breach(cleaned),
        given=numbers_given(cleaned),
        exact=asks_exact(cleaned),
        names_asked=asks_for_names(cleaned, language),
        contents_asked=asks_for_contents(cleaned, language),
        unknowns_asked=asked_unknowns(cleaned, kind, language),
        requirements_asked=asked_requirements(cleaned),
        bound=asked_bound(cleaned) if kind in BOUNDED_KINDS else None,
        asker_day=asks_of_asker_day(cleaned, language),
        about_author=asks_about_author(cleaned, language),
        set_aside=set_aside(cleaned, language),
    )


def _other_parts_ask(question: str, language: str, kind: str | None) -> tuple[tuple[str | None, str | None], ...]:
    """The kinds of fact (with units) that the parts of a question, split at its question marks, ask for
    besides ``kind``: "每年至少做几次检测评估？不做的话罚多少？" asks how often and how much."""
    parts = [part for part in _PARTS.split(question) if part.strip()]
    if len(parts) < 2:
        return ()
    asked = [(k, asked_unit(part, k)) for part in parts if (k := asked_kind(part, language)) != kind]
    return tuple(dict.fromkeys(asked))


def clean_question(question: object) -> str:
    """The question without control characters; TypeError, or `BadQuestion` with a message for the user."""
    if not isinstance(question, str):
        raise TypeError(f"question must be a str, not {type(question).__name__}")
    cleaned = "".join(
        # Lone surrogates (bytes that were not UTF-8, decoded with surrogateescape) are no text either.
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in "\n\t" else ch for ch in question
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
    # "that Acme meeting", "this Globex piece": a demonstrative before a name says what it means itself.
    words = re.findall(r"[\w'’]+", _NAMED_DEMONSTRATIVE.sub(" ", question).lower())
    points_back = bool(_ANAPHORA.intersection(words)) and len(words) <= MAX_CONTEXT_WORDS
    points_back |= bool(_ZH_ANAPHORA.search(question)) and len(question) <= 2 * MAX_CONTEXT_WORDS
    reply = len(words) <= MAX_REPLY_WORDS and _SHORT_FOLLOW_UP.match(question)
    if _FOLLOW_UP.match(question) or reply or points_back:
        return f"{context[-1]} {question}"
    return question


def question_names(question: str, language: str = "en") -> list[str]:
    """Capitalised words and acronyms of the question, except words capitalised only to start a sentence;
    in a Chinese question, its words in Latin script ("PIPL", "App")."""
    if language == "zh":
        return list(dict.fromkeys(_LATIN_IN_CHINESE.findall(question)))
    starts = {m.start(1) for m in _SENTENCE_START.finditer(question)}
    names = []
    for match in _NAME.finditer(question):
        word = re.sub(r"['’]s$", "", match.group(1))
        if match.start(1) not in starts or word.isupper():  # "Which", "Does" start the sentence
            names.append(word)
    return list(dict.fromkeys(names))


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


def terms_of(text: str, language: str) -> tuple[frozenset[str], ...]:
    """The `key_terms` of ``text`` and a group per term the sources write for its everyday words (all of the
    term's tokens, or it is missing): ``terms_of("客服外包了", "zh")`` ends with ``frozenset({"委托 托处 处理"})``."""
    return _with_own_terms(key_terms(text), load_terminology().terms_for(text, language, corpus=language))


def _with_own_terms(groups: list[frozenset[str]], own: Sequence[str]) -> tuple[frozenset[str], ...]:
    added = [frozenset([" ".join(tokens)]) for term in own if (tokens := tokenize(term))]
    return tuple(dict.fromkeys([*groups, *added]))


def _named_articles(question: str) -> tuple[int, ...]:
    numbers: list[int] = []
    for arabic, chinese in _ARTICLE.findall(question):
        numbers += [int(n) for n in re.findall(r"\d+", arabic)] if arabic else [parse_chinese_number(chinese)]
    return tuple(dict.fromkeys(n for n in numbers if n))
