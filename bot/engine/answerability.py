"""Deciding that the sources do not answer a question: a small learned, calibrated model over generic features.

    decision = decide(question, scored, retriever)
    decision.abstain, decision.probability, decision.reason

The features describe how well the best sentence and its passage fit the question, in terms any corpus and
either language has: similarity, the share of the question's terms (weighted by rarity) and names the
sentence and passage contain, whether the kind of fact asked for (an amount, a date, ...) is there, the
margin over the next passage, whether the sentence is in the other language. A logistic regression turns
them into the probability that the extractive answer is right; below the model's threshold regbot abstains.
Its weights, one set per embedding model (similarities differ in scale between models), are the text file
``answerability.json`` beside this module, written by ``scripts/train_answerability.py`` from SQuAD 2.0
(split by article) and our development sets.

Rules stay outside the model where no weighing can make them wrong, each for a whole class of questions and
in either language:
- a question that asks for a kind of fact (an amount, a date, a duration, ...) that no close sentence states
  is not answered;
- nor one asking for a fact about a firm, a person or a place the corpus knows ("how much was Alibaba
  fined?") from a passage that does not name it;
- a question none of whose words the sources use is about something else (an off-topic one), and so is one
  no passage holds two of the words of, naming nothing the sources know ("公司年会的抽奖名单什么时候公布？":
  a law's 公司 and 公布 are in passages about other things), and one
  asking for a kind of fact whose answering passage has no word of what it is about (a law's "24小时" for how
  many hours learning to drive takes; for an English question, a Chinese passage has none of its words'
  dictionary senses);
- a question naming a law, a body or an acronym that the sources never mention ("GDPR", "the Cybersecurity
  Law" in a corpus with only the Data Security Law) is about something else;
- a question about the amended text of a law that the sources hold only from before the amendment ("the
  amended Cybersecurity Law", "2026年施行的网安法") is not answered from the older text.
- a question about a day counted from the asker's ("明天天气怎么样", "Acme's share price today") is not
  answered from a news report, written before that day (a law still applies on it);
- a question asking which particular firms or bodies ("which insurers does the report name?", "具体是哪几家
  公司？") is not answered by sentences that name none besides the question's own;
- nor one asking for a sum about firms or people it names by a report's sentence naming none of them ("How
  much was Acme fined?" by "Globex was fined $1.2 billion");
- nor one asking for a period, a frequency or a number by another passage's figure when a close passage states
  it only as one left open ("在一定期限内", "定期", "规定数量").
Other unknown names are only a feature: a passing place ("sending employee data to Singapore") need not sink
a question the laws answer. One answer is checked against data instead of weighed: when a law took effect, if
the answer leads with that law's sentence stating the in-force date of its metadata.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from index.acronyms import ACRONYMS, acronym_of
from index.keyword import tokenize
from index.language import CJK
from index.laws import asks_when_in_force, states_in_force
from index.terminology import load_terminology

from .answer_types import (
    DOCUMENT_KINDS,
    FACT_KINDS,
    PERSON_KINDS,
    ZH_BODY,
    beside_products,
    leaves_open,
    ordinals,
    sets_out_contents,
    states_requirement,
    unknown_stated,
)
from .compose import (
    SECONDARY_MARGIN,
    dates_another_law,
    known,
    leading_sentence,
    matches,
    matching_terms,
    names_form,
    term_weights,
)
from .fitted import fitted_entry
from .question import Question, terms_of

if TYPE_CHECKING:
    from index.retriever import Retriever

    from .records import ScoredSentence

WEIGHTS_PATH = Path(__file__).with_name("answerability.json")
FEATURES = (
    "similarity", "overlap", "score", "passage_overlap", "passage_score", "margin", "kind_asked", "kind_missing",
    "names_missing", "names_unknown", "cross", "rank", "terms", "missing_rare", "unknown_terms", "from_named_source",
)
# Named laws and bodies: a question about one of them must not be answered from another one.
_BODY = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+)+(?:Law|Act|Regulations?|Measures|Provisions|Bureau|Administration|Ministry|"
    r"Commission|Agency|Authority|Court|Council|Department))\b"
)
_LAW_HEAD = re.compile(r"\b(?:Law|Act|Regulations?|Measures|Provisions)$")
# An instrument named by its title in title marks ("《汽车数据安全管理若干规定（试行）》"): a law, rules, measures,
# a standard; not a publication ("《南华早报》").
_INSTRUMENT_TITLE = re.compile(
    r"《([^《》]{1,40}?(?:法|条例|规定|办法|细则|标准|指南|规范|措施|意见|通知|决定|规则)(?:[（(][^）)]*[）)])?)》"
)
# A question about a law's amended text names the amendment, in either language, or a year it was in force.
_AMENDED = re.compile(r"\b(?:amend(?:ed|ment|ments)|revised|revision|new version)\b|修正|修订|修改后|新版|新修", re.I)
# ... unless it sets the amendment aside: "the original one, not the amendment", "修订前的网安法".
_UNAMENDED = re.compile(
    r"\b(?:original|pre-?amendment|unamended|before (?:the|its) (?:amendment|revision)|"
    r"not the (?:amended|amendment|revised|revision|new)\b)|修订前|修正前|修改前|原版|旧版", re.I
)
# A word capitalised within a sentence, not at its start: a name in English text.
_CAPITALISED = re.compile(r"(?<=[\w,;:)’'\"”] )[A-Z][\w&'’-]*")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# An instrument's acronym has three letters or more (GDPR, CCPA, PDPO); two capitals are mostly an everyday
# abbreviation (HQ, ID, IM, AI, HR), which an answerable question may well use.
MIN_INSTRUMENT_ACRONYM = 3
# Words of the question's topic that what a source says is unknown must hold, when it does not hold a name the
# question gives (see `says_not_known`).
MIN_UNKNOWN_TERMS = 2
# How close to the answer's lead a sentence leaving the asked-for quantity open must come to sink it. On the
# read sets the open wording that marked a near miss was at most 0.09 below the lead; at the quoting margin
# (0.12) it also took in wording of another duty: DSL Art. 23's "及时" (the authorities' incident warnings),
# 0.1196 below the news sentence giving the date companies must comply with the law.
OPEN_WORDING_MARGIN = 0.10
# The largest share of passages a term of art may be in and still say what a passage is about (see `_specific`):
# the law passages' field terms are in 19% (关键信息基础设施) and 24% (网络安全) of them, a duty's or a body's in
# under 8% (保护工作部门, 重要数据).
SPECIFIC_TERM_SHARE = 0.10
# What a low feature says, for the reason shown with an abstention.
_EXPLAIN = {
    "names_missing": "the best passage does not name what the question names",
    "names_unknown": "the sources never mention some of what the question names",
    "kind_missing": "the question asks for a specific fact the best sentence does not state",
    "overlap": "the best sentence shares few of the question's terms",
    "similarity": "no sentence is close to the question",
    "margin": "no passage stands out",
}


@dataclass(frozen=True)
class Decision:
    """Whether to abstain, the estimated probability that the answer is right, and why (for logs)."""

    abstain: bool
    probability: float | None
    reason: str = ""


@dataclass(frozen=True)
class AnswerabilityModel:
    """A fitted logistic regression: standardise, weigh, squash. ``threshold`` is the chosen operating point."""

    embedding_model: str
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    calibration: tuple[float, float] = (1.0, 0.0)  # Platt scaling of the logit for the domain served

    def logit_terms(self, values: Sequence[float]) -> list[float]:
        return [c * (v - m) / s for v, m, s, c in zip(values, self.mean, self.scale, self.coef, strict=True)]

    def probability(self, values: Sequence[float]) -> float:
        a, b = self.calibration
        z = a * (self.intercept + sum(self.logit_terms(values))) + b
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


@lru_cache(maxsize=4)
def load_model(embedding_model: str, path: Path = WEIGHTS_PATH) -> AnswerabilityModel | None:
    """The weights fitted for ``embedding_model``, or None when the file has none for it."""
    entry = fitted_entry(path, embedding_model, FEATURES, "scripts/train_answerability.py")
    if entry is None:
        return None
    return AnswerabilityModel(
        embedding_model, tuple(entry["mean"]), tuple(entry["scale"]), tuple(entry["coef"]),
        float(entry["intercept"]), float(entry["threshold"]), tuple(entry.get("calibration", (1.0, 0.0))),
    )


def features(question: Question, scored: Sequence[ScoredSentence], retriever: Retriever) -> dict[str, float]:
    """The `FEATURES` of the best candidate sentence (``scored`` is sorted best first and not empty)."""
    best = scored[0]
    # What the answer leads with must state the kind of fact asked for: the best sentence itself (a near miss
    # often has a sentence stating that kind close by), but for a person asked for by role the sentence naming
    # someone in it (a report gives the role once: "Roe said ..." is best, "Governor Jane Roe" leads), for
    # an author the document's byline, and otherwise a sentence of the best one's own passage, close enough to
    # quote, that is nearer the question than the best (which won on its passage's words, not on what it says),
    # or, in a law, any such sentence of its article: a provision's next sentence states the fine its first
    # sentence's breach carries ("……不履行本法第二十一条……的，责令改正；拒不改正的，处一万元以上……罚款").
    lead = best
    if question.kind in DOCUMENT_KINDS:
        lead = leading_sentence(scored, whole_document=True)
    elif question.kind in PERSON_KINDS and question.unit:
        lead = leading_sentence(scored)
    else:
        lead = next((s for s in quotable(scored) if s.typed and s.chunk.id == best.chunk.id
                     and (s.similarity > best.similarity or best.chunk.article is not None)), best)
    passage = set(tokenize(best.chunk.text))
    groups, scale = matching_terms(question, retriever, cross=best.cross)
    weights = term_weights(groups, retriever)
    total = sum(weights)
    present = [matches(g, passage) for g in groups]
    covered = sum(w for w, here in zip(weights, present, strict=True) if here)
    has = [known(g, retriever) for g in groups]
    missing_rare = max((w for w, here, k in zip(weights, present, has, strict=True) if k and not here), default=0.0)
    missing_rare /= retriever.max_idf
    named = retriever.named_documents(question.search_text)
    other = next((s for s in scored[1:] if s.chunk.id != best.chunk.id), None)
    names = names_to_check(question)
    missing = [n for n in names if not _in_passage(n, best.chunk.text, passage)]
    unknown = unknown_names(question, retriever)
    return {
        "similarity": best.similarity,
        "overlap": best.overlap,
        "score": best.score,
        "passage_overlap": scale * covered / total if total > 0 else 0.0,
        "passage_score": best.passage_score,
        "margin": best.score - (other.score if other else 0.0),
        "kind_asked": float(question.kind in FACT_KINDS),
        "kind_missing": float(question.kind in FACT_KINDS and not question.partly_stated_in(lead.sentence.text)),
        "names_missing": len(missing) / len(names) if names else 0.0,
        "names_unknown": len(unknown) / len(names) if names else 0.0,
        "cross": float(best.cross),
        "rank": float(best.rank),
        "terms": math.log1p(len(groups)),
        # The rarest term of the question that the corpus knows but the best passage lacks ("validity" in "how
        # long is an assessment valid?"): a near miss asks for a detail next to what the passage says.
        "missing_rare": missing_rare,
        # Terms the corpus never uses at all ("Singapore", "GDPR").
        "unknown_terms": has.count(False) / len(has) if has else 0.0,
        "from_named_source": float(best.chunk.doc_id in named) if named else 0.5,
    }


def decide(
    question: Question, scored: Sequence[ScoredSentence], retriever: Retriever, *, threshold: float | None = None
) -> Decision:
    """Abstain or answer with ``scored[0]``. ``threshold`` overrides the model's operating point; without a
    fitted model for this embedding model, answer."""
    if not scored:
        return Decision(True, 0.0, "no passage matched")
    model = load_model(retriever.embedder.name)
    if model is None:
        return Decision(False, None)
    values = features(question, scored, retriever)
    row = [values[name] for name in FEATURES]
    lead = leading_sentence(scored)
    probability = model.probability(row)
    # First what the sources cannot hold, then an answer checked against data, then what the best sentence lacks.
    if outdated := asks_amended_text(question, retriever):
        return Decision(True, probability, "the sources hold only the text before the amendment of: "
                        + ", ".join(outdated))
    if states_date_in_force(question, lead, retriever):
        return Decision(False, probability)
    if shares_no_word(question, retriever):
        return Decision(True, probability, "the sources use none of the question's words")
    if holds_two_nowhere(question, retriever):
        return Decision(True, probability, "no passage holds two of the question's words")
    if question.asker_day and from_earlier_report(scored[0], retriever):
        return Decision(True, probability, "the question asks about a day after the report was written")
    if values["kind_missing"]:
        return Decision(True, probability, "the question asks for a kind of fact no close sentence states")
    named = retriever.named_documents(question.search_text)
    if dates_another_law(question, lead.sentence.text, named, retriever):
        return Decision(True, probability, "the date stated is when another law takes effect")
    if foreign := unknown_instruments(question, retriever):
        return Decision(True, probability, "the sources never mention: " + ", ".join(foreign))
    if question.kind and not about_the_same(question, scored[0], retriever):
        return Decision(True, probability, "the passage stating the fact shares nothing of what the question is about")
    if question.kind in FACT_KINDS and (absent := names_absent(question, scored[0], retriever)):
        return Decision(True, probability, "the passage that states the fact does not name: " + ", ".join(absent))
    if question.names_asked and not names_another(question, scored, retriever):
        return Decision(True, probability,
                        "the question asks which firms, products or bodies, and no close sentence names one")
    if question.contents_asked and not any(sets_out_contents(s.sentence.text) for s in quotable(scored)):
        return Decision(True, probability, "the question asks what a list holds, and no close sentence sets one out")
    if sum_of_another(question, lead, retriever):
        return Decision(True, probability, "the sum stated is of someone the question does not name")
    if of_another_order(question, lead):
        return Decision(True, probability, "the sentence states another one of several than the one asked")
    if left_open(question, lead, scored):
        return Decision(True, probability, "a close passage leaves the asked-for quantity open")
    if says_not_known(question, scored, retriever):
        return Decision(True, probability, "the source says it does not know what the question asks")
    if question.requirements_asked and not states_requirement(
        lead.chunk.text, question.requirements_asked
    ):
        return Decision(True, probability, "the question asks what a person must have, and the passage never says")
    threshold = model.threshold if threshold is None else threshold
    if probability >= threshold:
        return Decision(False, probability)
    terms = dict(zip(FEATURES, model.logit_terms(row), strict=True))
    worst = min((name for name in _EXPLAIN if terms[name] < 0), key=terms.get, default=None)
    unknown = unknown_names(question, retriever)
    why = f"the sources never mention: {', '.join(unknown)}" if unknown else _EXPLAIN.get(worst, "weak evidence")
    return Decision(True, probability, f"{why} (confidence {probability:.2f} < {threshold:.2f})")


def shares_no_word(question: Question, retriever: Retriever) -> bool:
    """Whether the sources use none of the question's words and it names none of them (a firm or person, in
    pinyin from Chinese, or a source) nor uses a term the terminology carries into the sources' language (满帮
    for "Full Truck Alliance"): "今天中午吃什么好？", "How do I export a Jira board?" are about something else,
    however close some passage's vector happens to be. All of its words count, those asking for its kind too:
    an English question about the laws may have no other word the English reports use ("How long must network
    logs be kept?")."""
    return (
        bool(question.terms)
        and not any(known(group, retriever) for group in question.terms)
        and not reaches_the_sources(question, retriever)
    )


def reaches_the_sources(question: Question, retriever: Retriever) -> bool:
    """Whether the question names a firm, a person or a place the corpus knows (in pinyin from Chinese), or a
    source, or uses a term the terminology carries into the sources' language: what ties a question to the
    sources when its own words do not."""
    return bool(
        retriever.names_in(question.text, question.language)
        or retriever.named_documents(question.search_text)
        or retriever.translation(question.text).terms
    )


def holds_two_nowhere(question: Question, retriever: Retriever) -> bool:
    """Whether no passage, in either language, holds two of the question's words, and it names nothing the
    sources know (a firm, a person or a place, a source or a report) nor uses a term the terminology carries
    across: a few everyday words a law happens to use ("公司年会的抽奖名单什么时候公布？": 公司, 公布) are
    scattered over passages about other things, while a question about the sources shares two words with the
    passage about it. An English question's words count in a Chinese passage by their dictionary senses too,
    loose as they are ("can inspectors of our critical systems charge us a fee?": "charge" → 负责 and "critical" →
    严重 meet in the penalty articles), since the rule asks only whether the question is about anything here."""
    if (
        question.about_report
        or any(retriever.knows(token) for name in question.names for token in tokenize(name))
        or reaches_the_sources(question, retriever)
    ):
        return False
    held: dict[int, int] = {}
    for group in question.terms:
        for row in frozenset().union(*(retriever.passages_with(term) for term in group)):
            held[row] = held.get(row, 0) + 1
    if max(held.values(), default=0) >= 2:
        return False
    if question.language != "en":
        return True
    senses = set(retriever.senses(question.text))
    return not any(sum(sense in chunk.text for sense in senses) >= 2 for chunk in retriever.chunks
                   if retriever.documents[chunk.doc_id].language != question.language)


def from_earlier_report(best: ScoredSentence, retriever: Retriever) -> bool:
    """Whether ``best`` is from a news report written before today (an undated one too), not a law: a report
    tells what was so when it was written, and a question about the asker's today or tomorrow ("明天天气怎么样")
    asks about a later day."""
    document = retriever.documents[best.chunk.doc_id]
    return document.kind == "news" and document.date < datetime.date.today().isoformat()


def about_the_same(question: Question, best: ScoredSentence, retriever: Retriever) -> bool:
    """Whether the best passage has a word of what the question is about (its words less those asking for its
    kind, and less the name of a law it names), or is from a report the question names or, in the other
    language, a law it names. A law's time limit states hours, but "新手学开车要多少个小时？" is about nothing in
    it. For an English question and a Chinese passage, a word counts by its dictionary
    sense ("How many hours do we have to report a breach?": report → 报告; the airport of "How many hours does
    the drive to the airport take?" has none), since the model's nearest words are too loose to tell ("report"
    → 新闻报道). A Chinese question about an English passage is not judged: no dictionary carries its words
    into English well enough (measured: right answers about the reports were refused). A term of art the
    terminology carries into the law's words counts too ("the sector regulator" → 保护工作部门), unless it is in
    so many passages that it names only their field. Nor is a question whose every word asks for its kind
    ("什么是关键信息基础设施？" asks for a definition)."""
    if not question.topic_terms:
        return True
    document = retriever.documents[best.chunk.doc_id]
    named = best.chunk.doc_id in retriever.named_documents(question.search_text)
    if named and (best.cross or document.kind != "law"):
        return True
    if not best.cross:
        # A law the question names is what it asks about, not a word of its topic: "网数条例里训练语料留存几年？" is
        # not about the records Art. 12 keeps for three years.
        topic = list(question.topic_terms)
        if named:
            rest = question.topic
            for name in sorted(document.names, key=len, reverse=True):
                rest = re.sub(re.escape(name), " ", rest, flags=re.I)
            # Only words the sources use can judge: what asking leaves around the name ("款是") judges nothing.
            topic = [g for g in terms_of(rest, question.language) if known(g, retriever)]
        passage = set(tokenize(best.chunk.text))
        return not topic or any(matches(g, passage) for g in topic)
    if question.language != "en":
        return True
    terms = _specific(retriever.translation(question.topic).terms, document.language, retriever)
    return any(word in best.chunk.text for word in [*retriever.senses(question.topic), *terms])


def _specific(terms: Sequence[str], language: str, retriever: Retriever) -> list[str]:
    """The ``terms`` in few of the passages in ``language``: one in a fifth of them (关键信息基础设施, 网络安全)
    names the field every provision is in, not what one is about."""
    if not terms:
        return []
    passages = [c.text for c in retriever.chunks if retriever.documents[c.doc_id].language == language]
    return [t for t in terms if sum(t in text for text in passages) <= SPECIFIC_TERM_SHARE * len(passages)]


def names_to_check(question: Question) -> list[str]:
    """The question's names, less the acronyms of the domain, singular or plural (they are spelled out as often
    as not), and less those it sets aside (`Question.set_aside`: the passage listing the others need not name
    them)."""
    aside = frozenset().union(*question.aside_tokens)
    return [n for n in question.names if acronym_of(n) is None and not (aside and set(tokenize(n)) <= aside)]


def unknown_names(question: Question, retriever: Retriever) -> list[str]:
    """Names, acronyms and full names of laws and bodies in the question that no indexed document mentions."""
    unknown = []
    # Capitals inside a Chinese name the terminology knows are known with it (a brand written "ABC直聘" that the
    # reports name in English). An English variant is an everyday word, "CEO" for 主要负责人, not a name the
    # sources mention.
    termed = " ".join(variant for variant, _ in load_terminology().matches(question.text, question.language)
                      if CJK.search(variant))
    for word in question.names:
        if word.casefold() in termed.casefold():
            continue
        if acronym := acronym_of(word):
            expansion = ACRONYMS[acronym]
            # Searched under its expansion; a law's full name must occur ("CSL" is not the Data Security Law).
            if _LAW_HEAD.search(expansion) and not retriever.knows(word.lower()) and not retriever.mentions(expansion):
                unknown.append(word)
            continue
        tokens = tokenize(word)
        if tokens and not any(retriever.knows(t) for t in tokens) and not retriever.mentions(word) and not (
            word.isupper() and retriever.abbreviates(word)  # "ACA" for an "Acme Cargo Alliance" the news names
        ):
            unknown.append(word)  # a publisher ("per WallStreetPR") is known from the documents' metadata
    for match in _BODY.finditer(question.text):
        words = match.group(1).split()
        # "Does Data Security Law ...": a leading capitalised word may only start the sentence.
        if not any(retriever.mentions(" ".join(words[i:])) for i in range(len(words) - 1)):
            unknown.append(" ".join(words))
    return list(dict.fromkeys(unknown))


def unknown_instruments(question: Question, retriever: Retriever) -> list[str]:
    """The unknown names that are acronyms or the names of laws and bodies ("GDPR", "the Personal Data
    Protection Act", "《汽车数据安全管理若干规定》"): a question about an instrument the sources never mention
    is about another law, however close its wording. An unknown place or firm ("Singapore") is left to the
    model: it may be incidental."""
    bodies = {" ".join(m.group(1).split()) for m in _BODY.finditer(question.text)}
    titles = [m.group(1) for m in _INSTRUMENT_TITLE.finditer(question.text)]
    return [n for n in unknown_names(question, retriever)
            if n in bodies or (n.isupper() and len(n) >= MIN_INSTRUMENT_ACRONYM)] + [
        title for title in titles if not retriever.named_documents(title) and not retriever.mentions(title)
    ]


def names_absent(question: Question, best: ScoredSentence, retriever: Retriever) -> list[str]:
    """The firms, people and places the question names (`Retriever.names_in`) that the best sentence's passage
    does not: an amount or a date stated about one firm does not answer how much another was fined. A name
    that only says which report is meant ("per the Acme article, when ...?") need only be in that report."""
    document = retriever.documents[best.chunk.doc_id].text
    passage = document if question.kind in DOCUMENT_KINDS else best.chunk.text
    pointing = {n for words in question.report_by for n in retriever.names_in(words, question.language)}
    pointing -= set(retriever.names_in(question.beside_pointers, question.language))
    # A publication described by where it is ("the Springfield paper") names its publisher's city, which its
    # reports need not: such a name is not looked for at all.
    publisher = {n for words in question.publication_by for n in retriever.names_in(words, question.language)}
    publisher &= pointing
    absent = []
    for forms in retriever.names_in(question.text, question.language):
        if forms in publisher:
            continue
        if forms in pointing:  # a whole report holds any short word: only its words count, or its Chinese
            found = names_form(forms, _tokens(document), document)
        else:
            found = any(form in _tokens(passage) or form in passage for form in forms)
        if not found:
            absent.append(" ".join(sorted(forms)))
    return absent


def names_another(question: Question, scored: Sequence[ScoredSentence], retriever: Retriever) -> bool:
    """Whether a sentence close enough to the best to be quoted names a firm, a person or a place (a word
    capitalised within the sentence, "the World Bank") or, when bodies are asked for, a body ("人民检察院") that
    the question does not: "Which insurers does the report name?" is not answered by "Foreign insurers haven't
    been able to ...", nor "关基条例具体点名了哪几家公司？" by articles that name only the state's bodies. Asked for a
    product, only a name beside one counts, and its maker's is none: "What is Acme's app called?" is not
    answered by "the app of ... Acme Ltd (NASDAQ: ACME)"."""
    own = set(tokenize(question.text)) | {
        token for forms in retriever.names_in(question.text, question.language) for form in forms
        for token in tokenize(form)
    }
    for candidate in quotable(scored):
        text = candidate.sentence.text
        if question.names_asked == "products":
            text = beside_products(text)
        if any(set(tokenize(word.group())) - own for word in _CAPITALISED.finditer(text)):
            return True
        if question.names_asked == "bodies" and any(b.group() not in question.text for b in ZH_BODY.finditer(text)):
            return True
    return False


def says_not_known(question: Question, scored: Sequence[ScoredSentence], retriever: Retriever) -> bool:
    """Whether a source the answer would quote says elsewhere that what the question asks is not known: "When
    will the firm's apps return?" is not answered by "it is not clear whether or when its apps will be allowed
    to return to app stores", nor the day of a leader's instructions by the day a ministry told of them, when the
    report adds that it "did not specify when he issued those instructions". The unknown must be asked the same
    way (when, whether, who) and be of what the question is about: a name it gives, in what is unknown ("when
    the minister issued") or in the sentence with two words of its topic besides ("<firm> ... its apps ... return to app
    stores"); a question naming nothing is not judged ("can our app lock out users?" is about no one's apps).
    A single shared word is chance ("new" of "New York" and of "new user registrations")."""
    if not question.unknowns_asked:
        return False
    names = [set(forms) for forms in retriever.names_in(question.text, question.language)]
    if not names:
        return False
    quoted = {s.chunk.doc_id for s in quotable(scored)}
    for candidate in (s for s in scored if s.chunk.doc_id in quoted):
        for words, about in unknown_stated(candidate.sentence.text):
            if words & question.unknowns_asked and _of_the_same(question, candidate, about, names, retriever):
                return True
    return False


def sum_of_another(question: Question, lead: ScoredSentence, retriever: Retriever) -> bool:
    """Whether the question asks for a sum about firms or people it names and the report sentence the answer
    leads with, stating a sum, names none of them: "How much was Acme fined?" is not answered by "Globex was
    fined $1.2 billion", however close the passage. A law names no one, and its sums are for whoever breaks it
    ("how much could Acme be fined under PIPL?"), so it is not judged; nor is a name that only says which
    report is meant."""
    if question.kind != "amount" or retriever.documents[lead.chunk.doc_id].kind == "law":
        return False
    pointing = {n for words in question.report_by for n in retriever.names_in(words, question.language)}
    names = [forms for forms in retriever.names_in(question.text, question.language) if forms not in pointing]
    text = lead.sentence.text
    return bool(names) and not any(form in _tokens(text) or form in text for forms in names for form in forms)


def of_another_order(question: Question, lead: ScoredSentence) -> bool:
    """Whether the question asks for one of several by its order and the sentence the answer leads with states
    others by theirs and not it: "第一个硕士是在哪读的？" is not answered by "His second master's degree is an MBA
    ..."."""
    asked = ordinals(question.text)
    stated = ordinals(lead.sentence.text)
    return bool(asked and stated and not asked & stated)


def left_open(question: Question, lead: ScoredSentence, scored: Sequence[ScoredSentence]) -> bool:
    """Whether a sentence close to the answer's lead (`OPEN_WORDING_MARGIN`), from another passage, states the
    quantity asked for only as one it leaves open: asked how many years PIPL bars an executive, Art. 66's "在一定
    期限内" says the law fixes none, and the "三年" of the article on impact reports answers another question; asked
    how often drills are held, "定期进行演练" beats "每年至少进行一次检测评估". Not when the lead's own passage
    leaves such a quantity open too: it tells the open step from the fixed one ("运营者应当及时报告……保护工作部门
    自收到报告之日起3个月内完成重新认定"), and the open wording elsewhere is of the other step."""
    if not lead.typed or leaves_open(lead.chunk.text, question.kind):
        return False
    return any(
        not s.typed and s.chunk.id != lead.chunk.id and s.score >= lead.score - OPEN_WORDING_MARGIN
        and leaves_open(s.sentence.text, question.kind)
        for s in quotable(scored)
    )


def _of_the_same(
    question: Question, candidate: ScoredSentence, about: str, names: list[set[str]], retriever: Retriever
) -> bool:
    about_tokens = set(tokenize(about))
    if any(forms & about_tokens for forms in names):
        return True
    if not any(forms & set(tokenize(candidate.sentence.text)) for forms in names):
        return False
    named = set().union(*names)
    groups = matching_terms(question, retriever, cross=True)[0] if candidate.cross else list(question.topic_terms)
    return sum(matches(g, about_tokens - named) for g in groups if not g & named) >= MIN_UNKNOWN_TERMS


def quotable(scored: Sequence[ScoredSentence]) -> list[ScoredSentence]:
    """The sentences close enough to the best to be quoted beside it."""
    return [s for s in scored if s.score >= scored[0].score - SECONDARY_MARGIN]


@lru_cache(maxsize=64)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def states_date_in_force(question: Question, lead: ScoredSentence, retriever: Retriever) -> bool:
    """Whether the question asks when a law it names took effect and the sentence the answer leads with, from
    that law, states the date its metadata gives ("本法自2021年11月1日起施行"): an answer checked against data
    need not be weighed, and across languages the weighing is weakest ("When did PIPL take effect?")."""
    document = retriever.documents[lead.chunk.doc_id]
    if question.kind != "date" or document.kind != "law" or not asks_when_in_force(question.text):
        return False
    named = retriever.named_documents(question.search_text)
    return document.doc_id in named and states_in_force(document.in_force, lead.sentence.text)


def date_in_force_first(
    question: Question, scored: Sequence[ScoredSentence], retriever: Retriever
) -> list[ScoredSentence]:
    """``scored`` with the sentence that `states_date_in_force` first, when there is one: asked when a law
    took effect, the law's own final article answers, though a report's "will take effect on September 1"
    may match the question's words better."""
    stating = next((s for s in scored if states_date_in_force(question, s, retriever)), None)
    return list(scored) if stating is None else [stating, *(s for s in scored if s is not stating)]


def asks_amended_text(question: Question, retriever: Retriever) -> list[str]:
    """The laws the question names whose text in the sources has since been amended, when it asks about the
    amended text ("the amended Cybersecurity Law", "2026年施行的新网安法"): quoting the older text would answer
    another question. Asked about the law without that, the older text is quoted with its status warning."""
    documents = retriever.documents
    amended = [documents[d] for d in sorted(retriever.named_documents(question.search_text))
               if documents[d].kind == "law" and documents[d].amended_from[:4].isdigit()]
    if _UNAMENDED.search(question.text):
        return []
    years = [int(y) for y in _YEAR.findall(question.text)]
    return [d.short_name or d.title for d in amended
            if _AMENDED.search(question.text) or any(y >= int(d.amended_from[:4]) for y in years)]


def _in_passage(name: str, text: str, tokens: set[str]) -> bool:
    named = tokenize(name)
    return all(t in tokens for t in named) if named else name.lower() in text.lower()
