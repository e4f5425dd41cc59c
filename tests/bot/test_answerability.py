"""Answer types: what kind of fact a question asks for, and whether a sentence states one."""

from __future__ import annotations

import pytest

from bot.engine.answerability import expected_answer_type, has_answer_type


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Which article of the DSL defines core data?", "article"),
        ("How much was Didi fined?", "amount"),
        ("How much of a priority is data security?", None),
        ("How many hours do we have to report a breach?", "duration"),
        ("How many companies were summoned?", "number"),
        ("When does the law take effect?", "date"),
        ("Whose instructions did the ministry relay?", "person"),
        ("Who heads the CAC's coordination bureau?", "official"),
        ("Who is responsible for checking the data?", "person"),
        ("Does the DSL apply to core data?", None),
    ],
)
def test_expected_answer_type(question, kind):
    assert expected_answer_type(question) == kind


@pytest.mark.parametrize(
    "sentence, is_person",
    [
        ("The MIIT delivered instructions from Chinese President Xi Jinping on data security.", True),
        ("Sun Weimin, head of the regulator's cybersecurity coordination bureau, said so.", True),
        ("The risk is real, said Rana Mitter, a professor at Oxford.", True),
        ("“It cannot go unnoticed,” said Opper, a professor at Bocconi University in Italy.", True),
        ("Current Director of the CAC, Zhuang Rongwen.", True),
        # Organisations, laws and places are capitalised pairs too, and are not people.
        ("The ministry summoned Alibaba Group Holding and Tencent Holdings on Wednesday.", False),
        ("Under China's new Data Security Law, companies that transfer core data face fines.", False),
        ("The forum was held in the Greater Bay Area, near Hong Kong.", False),
    ],
)
def test_a_person_is_recognised_by_how_news_text_introduces_one(sentence, is_person):
    assert has_answer_type(sentence, "person") is is_person


def test_a_count_is_not_answered_by_money_or_a_year():
    assert not has_answer_type("Didi was fined $1.2 billion in 2022.", "number")
    assert has_answer_type("The ministry summoned 12 companies.", "number")


def test_a_share_is_not_answered_by_a_sum_of_money():
    assert expected_answer_type("What is the maximum fine as a percentage of turnover?") == "percent"
    assert not has_answer_type("Didi was fined $1.2 billion.", "percent")
    assert has_answer_type("Fines reach 5% of the previous year's turnover.", "percent")
