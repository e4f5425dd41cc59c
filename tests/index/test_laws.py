"""Law texts: read whole, split by article with exact offsets, labelled, and found across languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.chunking import chunk_document
from index.documents import read_corpus, read_document
from index.laws import (
    article_label,
    article_spans,
    asks_about_penalty,
    asks_when_in_force,
    chinese_numeral,
    parse_chinese_number,
    referenced_articles,
    states_in_force,
)

LAWS = Path(__file__).resolve().parents[2] / "seeds" / "laws"
# The number of articles of each text, from ../shared/corpora/SOURCES.md.
ARTICLES = {"PIPL": 74, "DSL": 55, "CSL": 79, "NDSMR": 64, "CIIR": 51}


@pytest.fixture(scope="module")
def laws():
    docs, skipped = read_corpus(LAWS)
    assert not skipped
    return {d.short_name: d for d in docs}


def test_every_law_is_read_as_a_chinese_law_with_its_metadata(laws):
    assert set(laws) == set(ARTICLES)
    for doc in laws.values():
        assert (doc.kind, doc.language) == ("law", "zh")
        assert doc.in_force and doc.status and doc.name_en
    assert laws["CSL"].status == "amended" and "2026-01-01" in laws["CSL"].status_note
    assert not laws["PIPL"].status_note


def test_cleaning_keeps_every_paragraph_of_the_statute(laws):
    for doc in laws.values():
        raw = (LAWS / f"{doc.doc_id}.md").read_text(encoding="utf-8").split("<!-- INFO END -->")[-1]
        paragraphs = [" ".join(p.strip().lstrip("#").split()) for p in raw.split("\n\n") if p.strip()]
        assert all(p in doc.text for p in paragraphs), doc.doc_id


def test_every_article_is_found_once_numbered_without_a_gap(laws):
    for short, doc in laws.items():
        spans = article_spans(doc.text)
        assert [s.number for s in spans] == list(range(1, ARTICLES[short] + 1)), short
        for span in spans:
            text = doc.text[span.start : span.end]
            assert text.startswith(f"第{chinese_numeral(span.number)}条")
            assert span.heading.startswith("第") and "章" in span.heading


def test_chunks_keep_their_article_and_exact_offsets(laws, embedder):
    for short, doc in laws.items():
        chunks, sentences = chunk_document(doc, count_tokens=embedder.count_tokens, max_tokens=200)
        numbered = [c.article for c in chunks if c.article is not None]
        assert sorted(set(numbered)) == list(range(1, ARTICLES[short] + 1)), short
        assert numbered == sorted(numbered)  # a long article's pieces stay together and in order
        for chunk in chunks:
            assert doc.text[chunk.start : chunk.end] == chunk.text
            assert chunk.text.strip() and embedder.count_tokens(chunk.text) <= 200
            if chunk.article is not None:
                assert chunk.label == f"{short} Art. {chunk.article}"
                assert chunk.label_zh.endswith(f"第{chinese_numeral(chunk.article)}条")
        for sentence in sentences:
            assert doc.text[sentence.start : sentence.end] == sentence.text


def test_a_long_article_is_split_between_paragraphs(laws, embedder):
    doc = laws["PIPL"]
    article = next(s for s in article_spans(doc.text) if s.number == 13)  # seven numbered items
    paragraphs = doc.text[article.start : article.end].split("\n\n")
    budget = max(embedder.count_tokens(p) for p in paragraphs) + 5  # each paragraph fits, the article does not
    chunks, _ = chunk_document(doc, count_tokens=embedder.count_tokens, max_tokens=budget)
    pieces = [c for c in chunks if c.article == 13]
    assert len(pieces) > 1
    for piece in pieces[1:]:
        assert doc.text[piece.start - 2 : piece.start] == "\n\n"  # each piece starts a paragraph


def test_chinese_numerals_round_trip():
    for n in range(1, 200):
        assert parse_chinese_number(chinese_numeral(n)) == n
    assert parse_chinese_number("十二") == 12 and parse_chinese_number("一百零五") == 105
    with pytest.raises(ValueError):
        parse_chinese_number("abc")


def test_labels_in_both_languages():
    assert article_label("PIPL", "中华人民共和国个人信息保护法", 38) == "PIPL Art. 38"
    assert article_label("PIPL", "中华人民共和国个人信息保护法", 38, language="zh") == "个人信息保护法 第三十八条"


def test_an_english_law_with_article_headings_is_split_the_same_way(tmp_path, embedder):
    path = tmp_path / "ACME_Data_Act.md"
    path.write_text(
        "# Data Handling Act\n\n## Chapter I General Provisions\n\n"
        "Article 1 This Act governs personal data.\n\n"
        "Article 2 Controllers shall keep records for three years.\n\n(1) the purpose;\n\n(2) the recipients.\n\n"
        "## Chapter II Penalties\n\n"
        "Article 3 A breach of Article 2 is fined up to 500,000 dollars.\n",
        encoding="utf-8",
    )
    doc = read_document(path, metadata={"short_name": "DHA"})
    assert (doc.kind, doc.language) == ("law", "en")
    chunks, _ = chunk_document(doc, count_tokens=embedder.count_tokens, max_tokens=200)
    assert [c.article for c in chunks] == [1, 2, 3]
    assert [c.label for c in chunks] == ["DHA Art. 1", "DHA Art. 2", "DHA Art. 3"]
    assert chunks[1].text.endswith("(2) the recipients.")  # items stay with their article
    assert chunks[2].heading == "Chapter II Penalties"
    assert re.search(r"Article 2\b", chunks[2].text)  # a reference inside an article starts no new one


def test_each_law_states_its_in_force_date_in_one_article_its_last(laws):
    for name, doc in laws.items():
        stating = [span.number for span in article_spans(doc.text)
                   if states_in_force(doc.in_force, doc.text[span.start : span.end])]
        assert stating == [ARTICLES[name]], name


@pytest.mark.parametrize(
    "in_force, text, stated",
    [
        ("2021-11-01", "本法自2021年11月1日起施行。", True),
        ("2021-11-01", "This Law shall come into force on November 1, 2021.", True),
        ("2021-11-01", "This Act enters into force on 1 November 2021.", True),
        ("2021-11-01", "本法自2021年11月11日起施行。", False),  # another day of the month
        ("2021-11-01", "will take effect on November 1", False),  # no year: not the metadata's date
        ("", "本法自公布之日起施行。", False),  # no date in the metadata
    ],
)
def test_the_in_force_date_is_recognised_as_chinese_and_english_statutes_write_it(in_force, text, stated):
    assert states_in_force(in_force, text) is stated


@pytest.mark.parametrize(
    "question, asks",
    [
        ("When did PIPL take effect?", True),
        ("is the DSL in force yet?", True),
        ("On what date did the PIPL enter into force?", True),
        ("数据安全法什么时候施行？", True),
        ("关基条例哪天生效的", True),
        ("what's the DSL commencement date?", True),
        ("When did the CII regulations commence?", True),
        ("When did MIIT summon the 12 firms?", False),
        ("个人信息出境需要满足什么条件？", False),
    ],
)
def test_a_question_about_when_a_law_took_effect_is_told_in_either_language(question, asks):
    assert asks_when_in_force(question) is asks


@pytest.mark.parametrize(
    "text, articles",
    [
        ("组织、个人不履行本法第二十七条、第二十九条、第三十条规定的数据安全保护义务的", [27, 29, 30]),
        ("违反本法第三十五条规定，拒不配合数据调取的", [35]),
        ("违反本条例第十条第二款规定的", [10]),  # a paragraph (款) of an article is that article
        ("违反本法第二十二条第三款、第四十一条至第四十三条规定", [22, 41, 42, 43]),
        ("依照《中华人民共和国个人信息保护法》第五十三条规定", []),  # another law's article
        ("Whoever violates Articles 2 and 3 of this Act is fined up to 500,000 dollars.", [2, 3]),
        ("A breach of Article 31 of this Law is fined.", [31]),
    ],
)
def test_a_provision_refers_to_articles_of_its_own_law(text, articles):
    assert referenced_articles(text) == articles


@pytest.mark.parametrize(
    "question, asks",
    [
        ("What's the DSL fine for exporting important data?", True),
        ("how much was Didi fined?", True),
        ("What penalty does the CSL set for that?", True),
        ("拒不配合数据调取，数据安全法怎么罚？", True),
        ("违反个保法会受到什么处罚", True),
        ("is it fine to send employee data to our HQ?", False),
        ("Does PIPL require fine-grained consent?", False),
        ("个人信息出境需要满足什么条件？", False),
    ],
)
def test_a_question_about_a_penalty_is_told_in_either_language(question, asks):
    assert asks_about_penalty(question) is asks
