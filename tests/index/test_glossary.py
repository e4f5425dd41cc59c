"""The glossary: acronyms expanded in queries, and Chinese questions rendered in English terms."""

from __future__ import annotations

from index.glossary import expand_acronyms, is_chinese, render_english


def test_acronyms_are_expanded_once_unless_the_corpus_writes_them():
    assert expand_acronyms("PIPL and PIPL") == "PIPL (Personal Information Protection Law) and PIPL"
    assert expand_acronyms("the CAC", corpus_has=lambda a: a == "cac") == "the CAC"


def test_a_chinese_question_is_rendered_as_its_english_terms_question_words_first():
    assert render_english("滴滴被罚了多少钱？") == "how much Didi fined?"
    # The longest term wins (个人信息保护法 is not 个人信息 + 保护 + 法), and ASCII words are kept.
    assert render_english("个人信息保护法什么时候生效？") == "when PIPL take effect?"
    rendered = render_english("满帮有几个App恢复了新用户注册？")
    assert rendered == "how many Full Truck Alliance App resumed new users registration?"


def test_a_question_with_too_few_known_terms_renders_as_nothing():
    assert render_english("今天天气怎么样？") == ""
    # 北京 alone would turn a weather question into a question about Beijing.
    assert render_english("今天北京天气怎么样？") == ""


def test_only_mostly_chinese_text_counts_as_chinese():
    assert is_chinese("滴滴被罚了多少钱？")
    assert is_chinese("PIPL的罚款是多少？")
    assert not is_chinese("What did the CAC say about 数据出境?")
