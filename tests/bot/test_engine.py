"""The answer engine with the real model and index: exact quotes, consistent markers, abstention, input."""

from __future__ import annotations

import json
import re

import pytest

from bot.engine import ABSTAIN_TEXT, AnswerEngine
from bot.engine.records import Answer, answer_as_dict
from eval.datasets import load_devset


@pytest.fixture(scope="module")
def engine(retriever) -> AnswerEngine:
    return AnswerEngine(retriever)


def assert_well_formed(answer: Answer, engine: AnswerEngine) -> None:
    markers = [int(m) for m in re.findall(r"\[(\d+)\]", answer.text)]
    assert sorted(set(markers)) == list(range(1, len(answer.citations) + 1))
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for citation in answer.citations:
        document = engine.retriever.documents[citation.doc_id]
        assert document.text[citation.start : citation.end] == citation.quote
        assert citation.chunk.start <= citation.start < citation.end <= citation.chunk.end
        assert citation.quote in citation.chunk.text


def test_every_dev_question_gets_exact_quotes_and_consistent_markers(engine):
    for example in load_devset().examples:
        answer = engine.answer(example.question)
        assert_well_formed(answer, engine)
        assert answer.abstained == (answer.text == ABSTAIN_TEXT)
        assert answer.abstained or answer.citations
        assert set(answer.timings) == {"retrieve", "compose", "total"}


@pytest.mark.parametrize(
    "question, fact, doc_id",
    [
        ("How much was Didi fined?", "$1.2 billion", "002_e82dffa06f5920f7"),
        ("What's the max penalty for shipping core data abroad?", "10 million yuan", "001_7516783149c43d0d"),
        ("How many tech companies did the ministry summon?", "12", "001_7516783149c43d0d"),
        ("When does the Data Security Law take effect?", "September 1", "001_7516783149c43d0d"),
        ("Which firms need a security review before listing overseas?", "1 million users", "002_e82dffa06f5920f7"),
        # The sentence naming what the question names wins over one that shares more common words.
        ("is Pinduoduo one of the companies the ministry summoned?", "Pinduoduo", "001_7516783149c43d0d"),
        # A "who" question prefers the sentence with a person's name.
        ("Who heads the CAC's cybersecurity coordination bureau?", "Sun Weimin", "002_e82dffa06f5920f7"),
        # The best-matching sentence says only "Xi": the one with a full name joins it as a second quote.
        ("Whose instructions was the ministry passing on to the firms?", "Xi Jinping", "001_7516783149c43d0d"),
    ],
)
def test_on_topic_questions_are_answered_from_the_article_that_states_the_fact(engine, question, fact, doc_id):
    answer = engine.answer(question)
    assert not answer.abstained
    assert fact in answer.text
    assert any(c.doc_id == doc_id and fact in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "How much did Ireland's data protection regulator fine Meta under GDPR?",
        "Does Singapore's PDPA allow transfers without consent?",
        "What is the weather like in Paris tomorrow?",
        "今天北京天气怎么样？",  # Chinese, and nothing in it the articles talk about
        "How much was Full Truck Alliance fined?",
    ],
)
def test_questions_the_sources_do_not_answer_are_abstained_on_plainly(engine, question):
    answer = engine.answer(question)
    assert answer.abstained
    assert answer.citations == ()
    assert "do not cover" in answer.text
    assert 1 <= len(answer.closest) <= 3


@pytest.mark.parametrize(
    "question, why",
    [
        # The articles discuss the Data Security Law only: never answer a CSL question from it.
        ("Does the Cybersecurity Law require data to be stored in China?", "never mention: Cybersecurity Law"),
        ("What does the CSL say about data localisation?", "never mention: CSL"),
        # The fine in the best passage is Didi's, not Alibaba's.
        ("How much was Alibaba fined?", "about Alibaba"),
        # Didi was fined; its executives were not, and the passage never mentions them.
        ("How much did Didi's executives have to pay?", "about executives"),
        # "$1.2 billion" is not a count, "September 1" not a duration, and no article number is quoted.
        ("How many separate violations did the CAC list against Didi?", "asks for a number"),
        ("How many hours do we have to report a data breach to the CAC?", "asks for a duration"),
        ("Which article of the Data Security Law defines core data?", "asks for an article number"),
        # The articles name the MIIT bureau but nobody who heads it.
        ("Who leads MIIT's Cybersecurity Bureau?", "names no one"),
        # The articles report Didi's fine without comparing it to any other.
        ("Was the Didi fine the biggest the CAC has handed out?", "ranks nothing"),
    ],
)
def test_near_misses_are_abstained_on_with_the_reason(engine, question, why):
    answer = engine.answer(question)
    assert answer.abstained
    assert why in answer.reason


def test_the_checks_that_catch_near_misses_let_their_answerable_twins_through(engine):
    for question, fact in [
        ("Does the Data Security Law apply to core data sent overseas?", "core data"),
        ("How many tech companies did MIIT summon?", "12"),
        ("How much was Didi fined?", "$1.2 billion"),
        ("How much was Didi's fine?", "$1.2 billion"),
        ("Which company was the first to face a Chinese cybersecurity review?", "Didi"),
        ("how long have businesses been stuck trying to get data out of China?", "over a year"),
    ]:
        answer = engine.answer(question)
        assert not answer.abstained, (question, answer.reason)
        assert fact in answer.text
        assert answer.reason == ""


@pytest.mark.parametrize(
    "question, fact",
    [("滴滴被罚了多少钱？", "$1.2 billion"), ("网信办现任主任是谁？", "Zhuang Rongwen")],
)
def test_a_chinese_question_is_answered_from_the_english_articles(engine, question, fact):
    answer = engine.answer(question)
    assert not answer.abstained, answer.reason
    assert fact in answer.text
    assert answer.question == question


def test_a_chinese_question_the_articles_do_not_answer_is_abstained_on(engine):
    # PIPL fines are a share of turnover; the only fine in the articles is Didi's, in dollars.
    answer = engine.answer("个人信息保护法的最高罚款是上一年度营业额的百分之几？")
    assert answer.abstained
    assert "percentage" in answer.reason
    answer = engine.answer("今天北京天气怎么样？")
    assert answer.abstained
    assert "not in the Chinese-English glossary" in answer.reason


def test_a_follow_up_uses_the_question_it_follows(engine):
    answer = engine.answer("and what was the fine?", context=["What happened to Didi?"])
    assert not answer.abstained
    assert "$1.2 billion" in answer.text


@pytest.mark.parametrize(
    "question, error, fragment",
    [("", ValueError, "nothing"), ("  \n ", ValueError, "nothing"), ("\x00\x07\x1b", ValueError, "control"),
     (42, TypeError, "int")],
)
def test_unusable_questions_get_a_clear_message(engine, question, error, fragment):
    with pytest.raises(error, match=fragment):
        engine.answer(question)


def test_control_characters_are_removed_and_a_huge_question_still_answers(engine):
    assert "$1.2 billion" in engine.answer("How much was\x00 Didi\x1b fined?").text
    answer = engine.answer("How much was Didi fined? " + "please explain in detail " * 500)
    assert_well_formed(answer, engine)


def test_json_shape(engine):
    payload = json.loads(json.dumps(answer_as_dict(engine.answer("How much was Didi fined?"))))
    assert set(payload) == {
        "question", "answer", "abstained", "abstain_reason", "mode", "citations", "closest", "timings_ms"
    }
    assert set(payload["citations"][0]) == {"n", "doc_id", "chunk_id", "title", "publisher", "quote", "start", "end"}
    assert payload["closest"] == []


def test_the_module_level_answer_uses_the_default_index():
    from bot import answer

    result = answer("How much was Didi fined?")
    assert "$1.2 billion" in result.text and result.citations
    with pytest.raises(ValueError, match="nothing"):
        answer("   ")


def test_regbot_ask_says_why_it_abstains(capsys):
    from bot.cli import main

    assert main(["ask", "Does the Cybersecurity Law require data to be stored in China?"]) == 0
    out = capsys.readouterr().out
    assert "do not cover" in out
    assert "(Why: the sources never mention: Cybersecurity Law.)" in out
    assert "Closest sources" in out


def test_a_quote_that_is_not_its_documents_text_is_index_damage_not_a_crash(small_index_copy):
    from dataclasses import replace

    from index.retriever import IndexNotUsable, Retriever

    retriever = Retriever.load(small_index_copy)
    # What a damaged index would hand the engine: a document whose text no longer holds its sentences.
    for doc_id, doc in list(retriever.documents.items()):
        retriever.documents[doc_id] = replace(doc, text="X" * 40 + doc.text)
    with pytest.raises(IndexNotUsable, match="regbot index build"):
        AnswerEngine(retriever).answer("How much was Didi fined?")
