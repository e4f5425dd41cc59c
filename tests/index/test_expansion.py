"""The learned query expansion: its links, their use in keyword search, and a file that cannot be read."""

from __future__ import annotations

import logging

import pytest

import index.expansion as expansion_module
from index.config import Settings
from index.default import default_retriever
from index.expansion import expansion


def test_an_english_term_links_to_the_word_the_laws_use():
    assert "负责人" in expansion("Who has to designate a personal information protection officer?", "en")
    assert "同意" in expansion("Do we need consent before sharing customer data?", "en")


def test_function_words_and_other_languages_have_no_links():
    assert expansion("What is it and what does it do?", "en") == []
    assert expansion("谁需要指定个人信息保护负责人？", "zh") == []


def test_the_links_bring_the_article_an_english_question_is_about_to_the_top(kb):
    # The dense side and the word-by-word translation both prefer Art. 29 (processing sensitive data), which
    # repeats the term; Art. 28 lists what it is.
    question = "What does the PIPL list as sensitive personal information?"
    best = kb.search(question, k=1)[0]
    assert (best.doc_id, best.article) == ("PIPL_2021-08-20_zh", 28)


def test_expansion_can_be_turned_off_from_the_environment(kb):
    settings = Settings.from_env({"REGBOT_EXPANSION": "off"}, data_dir=kb.index_dir.parent.parent)
    assert settings.expansion is False
    assert default_retriever(settings).params.expansion is False
    with pytest.raises(ValueError, match="REGBOT_EXPANSION"):
        Settings.from_env({"REGBOT_EXPANSION": "sometimes"})


def test_an_unreadable_links_file_turns_expansion_off_with_a_warning(tmp_path, monkeypatch, caplog):
    broken = tmp_path / "expansion.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(expansion_module, "LINKS_PATH", broken)
    expansion_module.load_links.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="index.expansion"):
            assert expansion("Who must appoint a personal information protection officer?", "en") == []
        assert any(record.levelno == logging.WARNING for record in caplog.records)
    finally:
        monkeypatch.undo()
        expansion_module.load_links.cache_clear()
