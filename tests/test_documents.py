"""Reading and cleaning documents: the five seeds, bad files, metadata, formats. Fast: no model."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from pathlib import Path

import pytest

from index.config import REPO_ROOT
from index.documents import (
    DocumentError,
    Skipped,
    clean_text,
    document_fingerprint,
    read_corpus,
    signed_off_at,
    read_document,
)
from index.records import Document

SEEDS = REPO_ROOT / "seeds"
TITLE_002 = "China Reassures Battered Tech Firms, Wants ‘Can-Do’ Relations"

# Boilerplate that the raw seeds contain and the cleaned bodies must not.
JUNK = [
    "disclaimer", "NOT INVESTMENT ADVICE",
    "SignUp Now", "Newsletter", "Sign up to receive", "By submitting this form",
    "ALSO SEE", "The Hit List", "Recent Posts", "Recent Stories", "You might also like",
    "Didi Soars", "China Gaming Shares", "Barbaric", "Optus", "passports", "Tata", "CIFI", "Meta said",
    "Meta Removes", "Toyota", "BYD", "Asia Shares Slump", "hours ago", "…",
    "Pollard\n\nJim Pollard\n",  # a line of the signer's name alone, above the bio
    "Credit:", "GBA Science Forum", "Exclusive longform", "scoops", "reading list",
    "David Barboza",
    "daily roundup", "We offer discounts", "Subscriptions page", "art scene", "Harvard professor",
    "Global Intelligence Platform", "Beijing is li", "•", "\u00a0",
]

# Sentences the cleaned bodies must keep, verbatim.
FACTS = {
    "000_203273770a4fecc1": [
        "draft regulations governing the sending of personal information overseas",
        "Companies will need approval for the cross-border transfer of essential and core data",
        "a crucial leadership change at the end of 2022.",
        # Who wrote it is asked about, and so is the author's bio under the sign-off.
        "\n\nPublished by Benjamin Roussey\n\nBenjamin Roussey is from Sacramento, California.",
        "MBA in Global Management from the University of Phoenix (2006).",
    ],
    "001_7516783149c43d0d": [
        "The new Data Security Law was passed in June and will take effect on September 1\n\n",
        "will face a penalty of up to 10 million yuan (US$1.55 million) and could be forced to shut down.",
        "Ride-hailing giant Didi Chuxing was recently put under China’s first-ever cybersecurity review",
        "\n\nAuthor: Che Pan, South China Morning Post",
    ],
    "002_e82dffa06f5920f7": [
        "While Didi was fined $1.2 billion last month for violating data security rules",
        "Chinese firms with data on more than 1 million users to undergo a security review",
        "\n\nOverseas Listings\n\nSun Weimin, head of the regulator’s cybersecurity coordination bureau",
        # The editor's bio comes after links to other stories, which are dropped.
        "Reuters with additional editing by Jim Pollard\n\nJim Pollard is an Australian journalist based in "
        "Thailand since 1999.",
    ],
    "003_063a98726e882e65": [
        "China’s central bank chief announced on Wednesday, Nov.3, a series of tight regulations",
        "citing People’s Bank of China Governor Yi Gang via video at the Hong Kong Fintech Week.",
        "“Going forward, we will continue to improve the legal system for personal information protection",
        "said Rana Mitter, a professor specializing in the history and politics of modern China",
    ],
    "004_b0dfca530d535ebd": [
        "For over a year, businesses in China have been struggling with a vexing roadblock",
        "proposed late last month waiving onerous security assessments for most day-to-day business activity",
        "following months of tightening enforcement around privacy and data access.",
        # Captions state facts (who heads what); only their credit is dropped.
        "Liu Liehong, now head of China's national data bureau, speaking at the Greater Bay Area Science Forum",
        "Current Director of the CAC, Zhuang Rongwen.",
    ],
}


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    """The five news articles of the seed corpus (the laws have their own tests)."""
    docs, skipped = read_corpus(SEEDS)
    assert skipped == []
    return {doc.doc_id: doc for doc in docs if doc.kind == "news"}


def _squeeze(text: str) -> str:
    """The raw text with its horizontal whitespace normalised, as cleaning is allowed to do."""
    return "\n".join(re.sub(r"[^\S\n]+", " ", line).strip() for line in text.splitlines())


def test_seed_corpus_has_the_five_articles_in_order(seeds: dict[str, Document]) -> None:
    assert list(seeds) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert list(seeds) == list(FACTS)
    assert all(doc.source == f"{doc.doc_id}.txt" for doc in seeds.values())


@pytest.mark.parametrize("doc_id", list(FACTS))
def test_seed_bodies_hold_no_boilerplate(seeds: dict[str, Document], doc_id: str) -> None:
    text = seeds[doc_id].text
    found = [junk for junk in JUNK if junk in text]
    assert found == []
    assert "\n\n\n" not in text and text == text.strip()
    assert all(line == line.strip() and line for line in text.split("\n\n"))


@pytest.mark.parametrize("doc_id", list(FACTS))
def test_seed_bodies_keep_the_facts(seeds: dict[str, Document], doc_id: str) -> None:
    missing = [fact for fact in FACTS[doc_id] if fact not in seeds[doc_id].text]
    assert missing == []


@pytest.mark.parametrize("doc_id", list(FACTS))
def test_cleaning_only_removes(seeds: dict[str, Document], doc_id: str) -> None:
    raw = _squeeze((SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8"))
    paragraphs = seeds[doc_id].text.split("\n\n")
    assert [p for p in paragraphs if p not in raw] == []
    # Paragraphs stay in their original order.
    positions = [raw.index(p) for p in paragraphs]
    assert positions == sorted(positions)


def test_seed_titles_come_from_the_text_or_are_declared(seeds: dict[str, Document]) -> None:
    assert seeds["002_e82dffa06f5920f7"].title == TITLE_002
    assert not seeds["002_e82dffa06f5920f7"].text.startswith(("Cyber Security", "China Reassures"))
    # 003 has no title line: its first sentence stays in the body, the title comes from metadata.
    assert seeds["003_063a98726e882e65"].text.startswith("China’s central bank chief announced")
    assert seeds["003_063a98726e882e65"].title
    assert seeds["000_203273770a4fecc1"].publisher == "WallStreetPR"
    assert (seeds["001_7516783149c43d0d"].publisher, seeds["001_7516783149c43d0d"].author) == (
        "South China Morning Post", "Che Pan")
    assert seeds["004_b0dfca530d535ebd"].publisher == "The Wire China"


def test_seed_metadata_states_only_what_the_text_says() -> None:
    metadata = json.loads((SEEDS / "metadata.json").read_text(encoding="utf-8"))
    assert sorted(metadata) == list(FACTS)
    for doc_id, fields in metadata.items():
        raw = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert fields.get("url", "") == "", doc_id  # never invented
        assert fields["date"] == "" or fields["date"] in raw, doc_id
        assert fields["publisher"] in raw, doc_id
        assert fields["author"].removesuffix(" (editing)") in raw, doc_id
        if doc_id != "003_063a98726e882e65":  # 003's title is declared as written for the index
            assert fields["title"] in raw, doc_id
    assert "not the publisher's" in metadata["003_063a98726e882e65"]["note"]


def test_section_label_before_the_title_goes_when_the_title_is_known() -> None:
    raw = (SEEDS / "002_e82dffa06f5920f7.txt").read_text(encoding="utf-8")
    assert clean_text(raw)[0] == "Cyber Security"  # without metadata the first line is the title
    title, body = clean_text(raw, title=TITLE_002)
    assert title.startswith("China Reassures") and body.startswith("China’s cyberspace watchdog")


RULE_CASES = {
    "whitespace": ("T\n\n\n\n  Para\u00a0one  with\tspaces.  \n\n\n\nPara two.\u200b\n",
                   "Para one with spaces.\n\nPara two."),
    "bullets": ("T\n  • First point\n  • Second point\nBody.", "First point\n\nSecond point\n\nBody."),
    "byline-at-top-and-tail": ("T\n\nAuthor: Jane Doe\n\nBody text.\n\nAuthor: Jane Doe\n\nHer bio.",
                               "Author: Jane Doe\n\nBody text.\n\nAuthor: Jane Doe"),
    "also-see-list": ("T\n\nOne.\n\nALSO SEE:\n\nHeadline One Here\n\nAnother Headline\n\nPara two goes on.",
                      "One.\n\nPara two goes on."),
    "paywall": ("T\n\nOne. Two sentences here and then cut off mid wor\n\nA daily roundup.\n\nTeaser.",
                "One."),
    "heading": ("T\n\nA heading without any punctuation at all here\n\nBody.",
                "A heading without any punctuation at all here\n\nBody."),
    "caption-and-teaser": ("T\n\nBody.\n\nA caption, May 2023. Credit: Agency\n\nMore.\n\nOther story, but…"
                           "\n\n3 hours ago", "Body.\n\nA caption, May 2023.\n\nMore."),
    "image-label": ("T\n\nBody.\n\nPhoto: Agency\n\nMore.", "Body.\n\nMore."),
    "signers-bio": ("T\n\nBody.\n\nPublished by Jane Roe\n\nRecent Posts\n\nOther Story Here\n\nJane Roe\n\n"
                    "Jane Roe is from Springfield. She studied law.\n\nSubscribe now to our newsletter.",
                    "Body.\n\nPublished by Jane Roe\n\nJane Roe is from Springfield. She studied law."),
}


@pytest.mark.parametrize(("raw", "expected"), RULE_CASES.values(), ids=RULE_CASES.keys())
def test_clean_text_rules(raw: str, expected: str) -> None:
    assert clean_text(raw) == ("T", expected)


def test_clean_text_with_a_title_absent_from_the_text_keeps_every_line() -> None:
    assert clean_text("First sentence.\nSecond.", title="Given") == ("Given", "First sentence.\n\nSecond.")


def test_bad_files_are_skipped_with_reasons_and_the_rest_is_read(tmp_path: Path, caplog) -> None:
    (tmp_path / "good.txt").write_text("Good title\n\nGood body.\n", encoding="utf-8")
    (tmp_path / "notes.md").write_bytes(b"\xef\xbb\xbf# Notes\n\nWritten with a BOM.\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\n\t\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00binary")
    (tmp_path / "latin.txt").write_bytes(b"Menu\n\ncaf\xe9 garbage \xe0 la carte")
    (tmp_path / "windows.txt").write_text("Windows title\n\n第一条 以 UTF-16 保存的文本。\n", encoding="utf-16")
    (tmp_path / "oneliner.txt").write_text("A single line of text.\n", encoding="utf-8")
    (tmp_path / "junk.txt").write_text("Title\n\nRecent Posts\n\n11 hours ago\n", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nNot read.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.txt").write_text("Other\n\nSame stem.", encoding="utf-8")
    (tmp_path / "sub" / "more.txt").write_text("More\n\nNested file.", encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="index.documents"):
        docs, skipped = read_corpus(tmp_path)

    assert [d.doc_id for d in docs] == ["good", "notes", "more", "windows"]
    assert [d.source for d in docs] == ["good.txt", "notes.md", "sub/more.txt", "windows.txt"]
    assert docs[3].text == "第一条 以 UTF-16 保存的文本。"
    assert docs[1].title == "Notes" and docs[1].text == "Written with a BOM."
    reasons = {s.path.relative_to(tmp_path).as_posix(): s.reason for s in skipped}
    assert sorted(reasons) == sorted(
        ["binary.txt", "blank.txt", "empty.txt", "junk.txt", "latin.txt", "oneliner.txt", "report.pdf",
         "sub/good.txt"])
    assert "NUL" in reasons["binary.txt"]
    assert reasons["empty.txt"] == reasons["blank.txt"] == "empty file"
    assert "0xe9" in reasons["latin.txt"] and "UTF-8" in reasons["latin.txt"]
    assert "title" in reasons["oneliner.txt"] and reasons["oneliner.txt"] != reasons["junk.txt"]
    assert "after cleaning" in reasons["junk.txt"]
    assert "unsupported" in reasons["report.pdf"]
    assert "good.txt" in reasons["sub/good.txt"] and "already taken" in reasons["sub/good.txt"]
    for name in reasons:
        assert any(name.split("/")[-1] in r.getMessage() for r in caplog.records), name
    assert all(isinstance(s, Skipped) for s in skipped)


@pytest.mark.parametrize("content", [b"", b"a\x00b", b"\xff\xfe\xfd"])
def test_read_document_raises_naming_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match="bad.txt") as info:
        read_document(path)
    assert isinstance(info.value, ValueError) and info.value.path == path


def test_metadata_overrides_and_completes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Section\nReal Title\n\nBody of a.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title of b\n\nBody of b.", encoding="utf-8")
    meta = {"a": {"title": "Real Title", "publisher": "Pub", "date": "2024-05-01", "url": "https://e.test/a"},
            "b": {"title": "", "author": "Ann Lee", "note": "a comment"}}
    (tmp_path / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")

    docs, skipped = read_corpus(tmp_path)

    assert skipped == []
    a, b = docs
    assert (a.title, a.text, a.publisher, a.date, a.url) == ("Real Title", "Body of a.", "Pub", "2024-05-01",
                                                            "https://e.test/a")
    assert (b.title, b.text, b.author, b.publisher) == ("Title of b", "Body of b.", "Ann Lee", "")


def test_metadata_with_unknown_fields_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("T\n\nBody.", encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps({"a": {"auther": "typo"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="auther"):
        read_corpus(tmp_path)


def test_missing_corpus_directory_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nope"):
        read_corpus(tmp_path / "nope")


def test_markdown_and_html(tmp_path: Path) -> None:
    md = tmp_path / "m.md"
    md.write_text("# Title\n\nA soft\nwrapped **line** with a [link](http://x.test).\n\n- item one\n- item 2")
    assert (read_document(md).title, read_document(md).text) == (
        "Title", "A soft wrapped line with a link.\n\nitem one\n\nitem 2")
    html = tmp_path / "h.html"
    html.write_text("<html><head><title>Site | T</title><script>var x;</script></head><body><nav>Home</nav>"
                    "<h1>Head</h1><p>First &amp; para.</p><p>Second\n  para.<br>Line</p><footer>(c)</footer>")
    doc = read_document(html)
    assert (doc.doc_id, doc.title, doc.text) == ("h", "Head", "First & para.\n\nSecond para.\n\nLine")


def test_fingerprint_changes_with_any_field(seeds: dict[str, Document]) -> None:
    doc = seeds["002_e82dffa06f5920f7"]
    fingerprint = document_fingerprint(doc)
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint)
    assert document_fingerprint(dataclasses.replace(doc)) == fingerprint
    assert document_fingerprint(dataclasses.replace(doc, text=doc.text + " ")) != fingerprint
    assert document_fingerprint(dataclasses.replace(doc, publisher="Asia Financial")) != fingerprint
    without_metadata = read_document(SEEDS / "002_e82dffa06f5920f7.txt")
    assert document_fingerprint(without_metadata) != fingerprint


def test_markdown_comments_are_not_content(tmp_path):
    path = tmp_path / "law.md"
    path.write_text("# 数据安全法\n\n<!-- INFO END -->\n\n第一条 为了规范数据处理活动。\n", encoding="utf-8")
    doc = read_document(path)
    assert "INFO END" not in doc.text and "第一条" in doc.text


def test_a_reports_sign_off_and_its_signers_bio_are_found_and_a_law_has_none():
    documents = {d.doc_id: d for d in read_corpus(SEEDS)[0]}
    assert {d.kind for d in documents.values()} == {"news", "law"}
    for doc in documents.values():
        at = signed_off_at(doc.text)
        if doc.kind == "law" or doc.doc_id in ("003_063a98726e882e65", "004_b0dfca530d535ebd"):
            assert at == len(doc.text), doc.doc_id
    roussey = documents["000_203273770a4fecc1"].text
    assert roussey[signed_off_at(roussey):].startswith("Published by Benjamin Roussey\n\nBenjamin Roussey is from")
    che_pan = documents["001_7516783149c43d0d"].text
    assert che_pan[signed_off_at(che_pan):] == "Author: Che Pan, South China Morning Post"
    # Text after the sign-off that is no bio of its signer: the sign-off does not end the report.
    text = "Body.\n\nPublished by Jane Roe\n\nMore body."
    assert signed_off_at(text) == len(text)
