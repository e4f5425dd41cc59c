"""Property tests over documents: whatever a file holds, reading it gives a document or a `DocumentError`, and
every chunk and sentence of any text is the exact span its offsets say, within the token budget."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import chunk_document, split_sentences
from index.documents import DocumentError, read_corpus, read_document
from index.records import Document

# Pieces that sentence splitting and cleaning treat specially, mixed with arbitrary text.
PIECES = [
    "Didi was fined $1.2 billion.", "Inc.", "U.S.", "e.g.", "Nov. 3", "(NASDAQ: JD)", "“Quoted.”", "...", "!?",
    " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "\u00a0", "\u3000", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c",
    "\x85", "\u200b", "\ufeff", "\x00", "\x07", "\x1b[31m", "e\u0301", "👍",
    "。", "！", "？", "；", "第一条", "个人信息处理者", "」", "）",
    "# ", "- ", "• ", "1. ", "> ", "<p>", "</p>", "<script>x</script>", "&amp;", "<!--", "-->", "[a](http://x)", "**",
    "Recent Posts", "ALSO SEE:", "Author: Jane Doe", "3 hours ago", "Credit: Agency",
]
fragments = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map("".join)
# One line of up to 40,000 characters: a repeated word, dots, Chinese, a token with no space at all.
huge_lines = st.builds(lambda unit, n: unit * n, st.sampled_from(["word ", "数据安全", ".", "a.b ", "x", "Inc. "]),
                       st.integers(1_000, 8_000))
texts = st.one_of(fragments, huge_lines, st.tuples(fragments, huge_lines, fragments).map("".join))
BUDGET = 60


@settings(max_examples=80)
@given(content=st.one_of(texts.map(lambda t: t.encode("utf-8")), st.binary(max_size=300)),
       suffix=st.sampled_from([".txt", ".md", ".html", ".htm"]))
def test_reading_any_file_gives_a_clean_document_or_says_why_not(content: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(content)
        try:
            doc = read_document(path)
        except DocumentError as error:
            assert error.path == path and error.reason
            return
        assert doc.doc_id == "doc" and doc.text == doc.text.strip() != ""
        assert all(isinstance(v, str) for v in (doc.title, doc.text, doc.source))
        docs, skipped = read_corpus(Path(folder))
        assert [d.text for d in docs] == [doc.text] and skipped == []


@settings(max_examples=200)
@given(text=texts)
def test_sentences_are_exact_trimmed_spans_in_order_covering_every_visible_character(text: str):
    spans = split_sentences(text)
    for span in spans:
        piece = text[span.start : span.end]
        assert piece == piece.strip() != "" and "\n" not in piece
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    covered = sum(len("".join(text[s.start : s.end].split())) for s in spans)
    assert covered == len("".join(text.split()))


@settings(max_examples=60)
@given(text=texts, overlap=st.integers(0, 2))
def test_chunks_and_sentences_are_exact_spans_within_the_budget(embedder, text: str, overlap: int):
    doc = Document("d", "T", text)
    chunks, sentences = chunk_document(doc, count_tokens=embedder.count_tokens, max_tokens=BUDGET,
                                       overlap_sentences=overlap)
    for n, chunk in enumerate(chunks):
        assert chunk.id == f"d:{n}" and doc.text[chunk.start : chunk.end] == chunk.text
        assert embedder.count_tokens(chunk.text) <= BUDGET
    by_id = {c.id: c for c in chunks}
    for sentence in sentences:
        chunk = by_id[sentence.chunk_id]
        assert doc.text[sentence.start : sentence.end] == sentence.text
        assert chunk.start <= sentence.start < sentence.end <= chunk.end
    covered = {i for c in chunks for i in range(c.start, c.end)}
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
