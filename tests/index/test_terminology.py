"""Terms of art in both languages: the shipped files hold the sources' own terms, a question's phrases find them,
and a question's translation carries them."""

from __future__ import annotations

import logging

import pytest

from index.terminology import NAME_ONLY, TERMS_DIR, Terminology, load_terminology
from tests.conftest import SEEDS, SHARED

LAWS = SHARED / "corpora" / "cn-laws-zh"


def _rows(name: str) -> list[tuple[str, list[str]]]:
    lines = (TERMS_DIR / name).read_text(encoding="utf-8").splitlines()[1:]
    return [(term, [v.strip() for v in variants.split("|")])
            for term, _, variants in (line.partition("\t") for line in lines if line.strip())]


def test_every_term_is_written_as_its_sources_write_it():
    laws = "".join(p.read_text(encoding="utf-8") for p in sorted(LAWS.glob("*.md")))
    news = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))).lower()
    assert laws and news
    assert [t for t, _ in _rows("laws.tsv") if t not in laws and t != NAME_ONLY] == []
    assert [t for t, _ in _rows("news.tsv") if t not in news] == []
    assert [t for t, _ in _rows("everyday_zh.tsv") if t not in laws] == []
    assert [t for t, _ in _rows("everyday_en.tsv") if t not in laws] == []
    # A Chinese word the laws use is matched against them directly: its English would pull the reports in, and
    # an everyday word the laws write is no everyday word for another of their terms.
    assert [v for _, variants in _rows("news.tsv") + _rows("everyday_zh.tsv") for v in variants if v in laws] == []
    for _, variants in _rows("laws.tsv") + _rows("news.tsv") + _rows("everyday_zh.tsv") + _rows("everyday_en.tsv"):
        assert all(variants) and len(variants) <= 8


@pytest.mark.parametrize(
    "question, corpus, terms",
    [
        # Everyday Chinese finds the laws' own words; by default the same question finds the reports' English.
        ("国外法院要我们交出国内机房的数据", "zh", ["外国司法或者执法机构", "境内", "存储"]),
        ("客服外包出去了，外包公司手里的客户资料怎么办", "zh", ["委托处理", "受托人", "个人信息"]),
        ("我们的服务器放在国外可以吗", "zh", ["境外"]),
        ("我们的服务器放在国外可以吗", None, ["overseas"]),
        # The laws' own words are no everyday words for them.
        ("向境外提供个人信息需要单独同意吗", "zh", []),
    ],
)
def test_a_chinese_question_in_everyday_words_finds_the_laws_terms(question, corpus, terms):
    assert load_terminology().terms_for(question, "zh", corpus=corpus) == terms


@pytest.mark.parametrize(
    "question, language, terms",
    [
        # A source's own name adds no term: "PIPL", "the Cybersecurity Law".
        ("Does PIPL make us name a privacy officer?", "en", ["个人信息保护负责人"]),
        ("What does the Cybersecurity Law mean by a 'network operator'?", "en", ["网络运营者"]),
        ("do we need separate consent before sending customer data abroad", "en", ["单独同意", "用户信息", "境外"]),
        ("how long must we keep server logs?", "en", ["网络日志"]),
        # A plural is its singular; a longer word is not a shorter one's stem ("offices" is no "officer").
        ("what are the fines for breaches?", "en", ["罚款"]),
        ("who may enter our offices?", "en", []),
        # A possessive is its word: "a parent's okay" asks for a guardian's consent.
        ("building a kids app - do we need a parent's okay?", "en", ["未成年人", "应用程序", "监护人"]),
        ("那家网约车公司被罚了多少？", "zh", ["ride-hailing"]),
        ("网信办提议给哪些跨境业务免掉评估？", "zh", ["cyberspace administration of china", "cross-border operations"]),
        # A firm the reports name in English, by a Chinese name that is not its pinyin.
        ("满帮和腾讯的美股代码分别是啥", "zh", ["full truck alliance", "tencent"]),
        ("What is the weather in Beijing tomorrow?", "en", []),
        ("明天北京会不会下雨", "zh", []),
    ],
)
def test_a_questions_phrases_find_the_sources_terms(question, language, terms):
    assert load_terminology().terms_for(question, language) == terms


def test_a_match_keeps_the_words_the_question_wrote():
    assert load_terminology().matches("南华早报说蚂蚁金服和腾讯怎么了", "zh") == [
        ("蚂蚁金服", "ant group"), ("腾讯", "tencent")]


def test_the_longest_phrase_at_a_place_wins(tmp_path):
    (tmp_path / "t.tsv").write_text("# corpus: zh, asked: en\n个人信息\tpersonal information\n"
                                    "个人信息保护负责人\tpersonal information protection officer\n", encoding="utf-8")
    terminology = Terminology.read([tmp_path / "t.tsv"])
    assert terminology.terms_for("who is the personal information protection officer", "en") == ["个人信息保护负责人"]
    assert terminology.terms_for("personal information of an officer", "en") == ["个人信息"]


def test_a_broken_file_or_line_is_skipped_with_a_warning(tmp_path, caplog):
    (tmp_path / "a.tsv").write_text("罚款\tfine\n", encoding="utf-8")  # no header
    (tmp_path / "b.tsv").write_text("# corpus: zh, asked: en\n没有变体\n罚款\tfine | fines\n", encoding="utf-8")
    (tmp_path / "c.tsv").write_bytes(b"\xff\xfe\x00broken")
    with caplog.at_level(logging.WARNING, logger="index.terminology"):
        terminology = Terminology.read(sorted(tmp_path.glob("*.tsv")))
    assert terminology.terms_for("what is the fine?", "en") == ["罚款"]
    assert len(caplog.records) == 3


def test_a_translation_carries_the_terms_in_either_direction(kb):
    english = kb.translation("Does PIPL make us name a privacy officer?")
    assert "个人信息保护负责人" in english.terms
    chinese = kb.translation("那家网约车公司被罚了多少？")
    assert "ride-hailing" in chinese.terms
    assert "ride-hailing" in chinese.searched and chinese.text in chinese.searched
