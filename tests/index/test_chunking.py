from __future__ import annotations

import itertools
import re

import pytest

from index.chunking import chunk_document, split_sentences
from index.documents import read_corpus
from index.laws import is_division
from index.records import Document
from tests.conftest import SEEDS


def sentences_of(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Other companies include JD.com Inc. (NASDAQ: JD) and the U.S. Navy. Then Nov. 3 came! Next one?"
    assert sentences_of(text) == [
        "Other companies include JD.com Inc. (NASDAQ: JD) and the U.S. Navy.",
        "Then Nov. 3 came!",
        "Next one?",
    ]


def test_line_breaks_and_chinese_punctuation_split():
    text = "Heading\n\n第一条 为了保护个人信息权益。第二条 自然人的个人信息受法律保护！"
    assert sentences_of(text) == ["Heading", "第一条 为了保护个人信息权益。", "第二条 自然人的个人信息受法律保护！"]


def test_every_seed_chunk_is_an_exact_span_within_the_model_limit(embedder):
    documents, skipped = read_corpus(SEEDS)
    assert len(documents) == 10 and not skipped  # five news articles, five laws
    budget = 254 - 40  # leave room for a title, as the builder does
    for doc in documents:
        chunks, sentences = chunk_document(doc, count_tokens=embedder.count_tokens, max_tokens=budget)
        assert chunks, doc.doc_id
        for n, chunk in enumerate(chunks):
            assert chunk.id == f"{doc.doc_id}:{n}"
            assert doc.text[chunk.start : chunk.end] == chunk.text
            assert embedder.count_tokens(chunk.text) <= budget
        for sentence in sentences:
            assert doc.text[sentence.start : sentence.end] == sentence.text
        # Nothing is lost: every non-space character of the document lies in some chunk, but a law's chapter
        # headings, which travel with each of their articles as its context instead.
        covered = set()
        for chunk in chunks:
            covered.update(range(chunk.start, chunk.end))
        lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", doc.text)]
        headings = {i for start, line in lines if is_division(line) for i in range(start, start + len(line))}
        assert all(i in covered or i in headings for i, ch in enumerate(doc.text) if not ch.isspace()), doc.doc_id


def test_neighbouring_chunks_share_one_sentence(embedder):
    text = " ".join(f"Sentence number {i} talks about data export rules in China." for i in range(60))
    doc = Document("d", "T", text)
    chunks, sentences = chunk_document(doc, count_tokens=embedder.count_tokens, max_tokens=60, overlap_sentences=1)
    assert len(chunks) > 3
    by_chunk = {}
    for s in sentences:
        by_chunk.setdefault(s.chunk_id, []).append((s.start, s.end))
    for left, right in itertools.pairwise(chunks):
        assert by_chunk[left.id][-1] == by_chunk[right.id][0]


def test_a_sentence_longer_than_the_limit_is_split_not_truncated(embedder):
    words = " ".join(f"regulation{i}" for i in range(400))  # one "sentence", far over 254 tokens
    doc = Document("long", "T", words)
    chunks, _ = chunk_document(doc, count_tokens=embedder.count_tokens, max_tokens=100)
    assert len(chunks) > 3
    assert all(embedder.count_tokens(c.text) <= 100 for c in chunks)
    assert " ".join(c.text for c in chunks).split() == words.split()


def test_bad_settings_are_rejected(embedder):
    doc = Document("d", "T", "Some text.")
    with pytest.raises(ValueError, match="max_tokens=2"):
        chunk_document(doc, count_tokens=embedder.count_tokens, max_tokens=2)
    with pytest.raises(ValueError, match="overlap_sentences=-1"):
        chunk_document(doc, count_tokens=embedder.count_tokens, overlap_sentences=-1)


def scan_pack(text, units, count_tokens, budget, overlap):
    """The packing rule by brute force: grow each chunk one sentence at a time while it fits."""
    groups, i = [], 0
    while i < len(units):
        j = i + 1
        while j < len(units) and count_tokens(text[units[i].start : units[j].end]) <= budget:
            j += 1
        groups.append(units[i:j])
        if j >= len(units):
            break
        i = max(j - overlap, i + 1)
    return groups


@pytest.mark.parametrize("budget", [40, 214])
def test_packing_finds_the_chunks_a_sentence_by_sentence_scan_finds(embedder, budget):
    from index.chunking import _pack

    documents, _ = read_corpus(SEEDS)
    tiny_lines = Document("lines", "T", "\n".join(f"Item {i}." for i in range(300)))
    for doc in [*documents, tiny_lines]:
        units = [s for s in split_sentences(doc.text) if embedder.count_tokens(doc.text[s.start : s.end]) <= budget]
        expected = scan_pack(doc.text, units, embedder.count_tokens, budget, 1)
        assert _pack(doc.text, units, embedder.count_tokens, budget, 1) == expected, doc.doc_id


def test_a_long_sentence_is_cut_where_the_longest_fitting_prefix_ends(embedder):
    from index.chunking import Span, split_long

    text = " ".join(f"word{i}" for i in range(120))
    pieces = split_long(text, Span(0, len(text)), embedder.count_tokens, 30)
    for piece in pieces[:-1]:
        longest = max(end for end in range(piece.start + 1, len(text) + 1)
                      if embedder.count_tokens(text[piece.start : end]) <= 30)
        # Cut at the last space within the longest prefix that fits (or there, when it ends a word).
        assert piece.end == (longest if longest == len(text) or text[longest] == " " else
                             text.rfind(" ", piece.start + 1, longest + 1))


def test_runs_of_dots_and_lines_starting_with_a_dot_split_cleanly():
    text = "Contents " + "." * 5000 + " 5\n. Next one. And " + "!?" * 3000 + " then"
    spans = split_sentences(text)
    assert all(text[s.start : s.end] == text[s.start : s.end].strip() != "" for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert sum(len("".join(text[s.start : s.end].split())) for s in spans) == len("".join(text.split()))
    assert sentences_of(text)[-2:] == ["Next one.", "And " + "!?" * 3000 + " then"]
