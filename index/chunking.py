"""Sentence-aware chunking with exact character offsets. Pure functions: no model is imported here.

The token counter is passed in (the embedder's tokenizer in production), so a chunk never exceeds the
embedder's limit and nothing is truncated silently::

    chunks, sentences = chunk_document(doc, count_tokens=embedder.count_tokens, max_tokens=254)
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .documents import signed_off_at
from .laws import ArticleSpan, article_label, article_spans, is_division
from .records import Chunk, Document, Sentence

TokenCounter = Callable[[str], int]

# Words that end in a period without ending the sentence ("Inc.", "U.S.", "Nov.3").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st inc ltd co corp plc llc no vs etc e.g i.e u.s u.k u.n jan feb mar apr jun jul "
    "aug sep sept oct nov dec gov gen rep sen approx fig est dept".split()
)
# A sentence ends at terminal punctuation (plus closing quotes/brackets) followed by whitespace, or right
# after CJK terminal punctuation, which is not followed by a space. A match starts only at the first mark of
# a run ("...."), so a long run is scanned once rather than once from each of its marks.
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]]*(?=\s)|[。！？；]+[”’」』）]*")
_NEXT_STARTS_SENTENCE = re.compile(r"\s*[\"'“‘(\[]?[A-Z0-9\u4e00-\u9fff•\-–]")
_LINE = re.compile(r"[^\n]+")
_SINGLE_LETTER = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text``, trimmed of surrounding whitespace; a line break always ends a sentence.

    Linear in ``len(text)``: every search is bounded by the current line, and no prefix of the text is copied.
    """
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        start = line.start()
        # endpos makes the line's end the end of the string, as for a copy of the line, without the copy.
        for m in _BOUNDARY.finditer(text, line.start(), line.end()):
            if _is_sentence_end(text, line.start(), m.start(), m.end()):
                spans.extend(_trimmed(text, start, m.end()))
                start = m.end()
        spans.extend(_trimmed(text, start, line.end()))
    return spans


def _is_sentence_end(text: str, line_start: int, punct_at: int, end: int) -> bool:
    if text[punct_at] in "。！？；":
        return True
    if text[punct_at] == ".":
        token = _word_before(text, line_start, punct_at).lower().lstrip("(\"'“")
        if token in _ABBREVIATIONS or _SINGLE_LETTER.fullmatch(token):
            return False
    return bool(_NEXT_STARTS_SENTENCE.match(text, end))


def _word_before(text: str, line_start: int, at: int) -> str:
    """The run of non-space characters that ends at ``at``. Walking back costs only that word's length,
    and the words before two boundaries never overlap (a boundary is followed by whitespace), so all the
    walks of a document add up to at most its length."""
    begin = at
    while begin > line_start and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:at]


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return []
    lead = len(piece) - len(piece.lstrip())
    return [Span(start + lead, start + lead + len(stripped))]


def split_long(text: str, span: Span, count_tokens: TokenCounter, budget: int) -> list[Span]:
    """Cut a span that alone exceeds ``budget`` tokens into pieces that fit, at whitespace where possible."""
    pieces: list[Span] = []
    start = span.start
    while start < span.end:
        # The longest prefix that fits, found by counting windows about one piece long (never the whole rest of
        # the span, which would make a long span quadratic).
        longest = _first_failing(
            lambda end, start=start: count_tokens(text[start:end]) <= budget, start + 1, span.end + 1,
            first_step=budget,
        ) - 1
        if longest == span.end:
            pieces.append(Span(start, span.end))
            break
        longest = max(longest, start + 1)
        cut = text.rfind(" ", start + 1, longest + 1)
        cut = cut if cut > start else longest
        pieces.append(Span(start, cut))
        start = cut
        while start < span.end and text[start].isspace():
            start += 1
    return [p for p in pieces if p.end > p.start]


def _first_failing(fits: Callable[[int], bool], lo: int, hi: int, *, first_step: int = 1) -> int:
    """The smallest ``j`` in ``[lo, hi)`` for which ``fits(j)`` is false (``hi`` if none), when ``fits`` holds up
    to some point and fails after it (a longer span never has fewer tokens).

    Steps double from ``lo`` until one fails, then bisect: about ``2 log2(d)`` calls for an answer ``d`` past
    ``lo``, each on a span at most twice the answer's, where a scan would make ``d`` calls.
    """
    ok, bad, step = lo - 1, hi, first_step
    while ok + 1 < bad:
        probe = min(ok + step, bad - 1)
        if not fits(probe):
            bad = probe
            break
        ok, step = probe, step * 2
    while ok + 1 < bad:
        mid = (ok + bad) // 2
        if fits(mid):
            ok = mid
        else:
            bad = mid
    return bad


def chunk_document(
    doc: Document,
    *,
    count_tokens: TokenCounter,
    max_tokens: int = 254,
    overlap_sentences: int = 1,
) -> tuple[list[Chunk], list[Sentence]]:
    """Pack whole sentences into chunks of at most ``max_tokens`` tokens; neighbours share ``overlap_sentences``.

    Returns the chunks and, for each chunk, the sentences it contains (a sentence in an overlap appears once per
    chunk). ``max_tokens`` excludes the model's special tokens: the caller subtracts them.
    """
    if max_tokens < 8:
        raise ValueError(f"max_tokens={max_tokens} is too small to hold a sentence")
    if overlap_sentences < 0:
        raise ValueError(f"overlap_sentences={overlap_sentences} must be >= 0")
    text = doc.text
    articles = article_spans(text) if doc.kind == "law" else []
    if articles:
        pieces = _law_pieces(text, articles, count_tokens, max_tokens)
    else:
        units = _fitting(text, split_sentences(text), count_tokens, max_tokens)
        # The signer's bio under a report's sign-off is packed on its own: what the report says is found by
        # passages of the report alone, and the bio by its own.
        bio = _after_line(text, signed_off_at(text))
        pieces = [
            _Piece(group, group)
            for part in ([u for u in units if u.start < bio], [u for u in units if u.start >= bio])
            for group in _pack(text, part, count_tokens, max_tokens, overlap_sentences)
        ]
    chunks: list[Chunk] = []
    sentences: list[Sentence] = []
    for n, piece in enumerate(pieces):
        start, end = piece.units[0].start, piece.units[-1].end
        labels = {}
        if piece.article is not None or doc.kind == "law":
            labels = {
                "label": article_label(doc.short_name, doc.title, piece.article),
                "label_zh": article_label(doc.short_name, doc.title, piece.article, language="zh"),
            }
        chunk = Chunk(
            f"{doc.doc_id}:{n}", doc.doc_id, doc.title, text[start:end], start, end, doc.publisher,
            article=piece.article, heading=piece.heading, **labels,
        )
        chunks.append(chunk)
        sentences.extend(Sentence(chunk.id, s.start, s.end, text[s.start : s.end]) for s in piece.sentences)
    return chunks, sentences


def _after_line(text: str, at: int) -> int:
    """Where the line holding offset ``at`` of ``text`` ends (``len(text)`` for the last line)."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end


@dataclass(frozen=True)
class _Piece:
    """What becomes one chunk: the units it spans, its sentences, and in a law its article and chapter."""

    units: list[Span]
    sentences: list[Span]
    article: int | None = None
    heading: str = ""


def _fitting(text: str, spans: list[Span], count_tokens: TokenCounter, budget: int) -> list[Span]:
    """``spans``, with any that alone exceeds the budget cut into pieces that fit."""
    units: list[Span] = []
    for span in spans:
        if count_tokens(text[span.start : span.end]) > budget:
            units.extend(split_long(text, span, count_tokens, budget))
        else:
            units.append(span)
    return units


def _law_pieces(
    text: str, articles: list[ArticleSpan], count_tokens: TokenCounter, budget: int
) -> list[_Piece]:
    """One piece per article; an article too long for the model is split between paragraphs (an item
    "（一）…" is a paragraph), a paragraph too long between sentences. Every piece keeps its article number.
    Text before the first article (the adoption line) is a piece of its own without a number."""
    pieces: list[_Piece] = []
    preamble = [p for p in _paragraphs(text, 0, articles[0].start) if not is_division(text[p.start : p.end])]
    if preamble:
        sentences = _fitting(text, _sentences_in(text, preamble), count_tokens, budget)
        pieces += [_Piece(g, g) for g in _pack(text, sentences, count_tokens, budget, 0)]
    for article in articles:
        paragraphs = _paragraphs(text, article.start, article.end)
        sentences_of = {p: _fitting(text, _sentences_in(text, [p]), count_tokens, budget) for p in paragraphs}
        units = [u for p in paragraphs for u in ([p] if count_tokens(text[p.start : p.end]) <= budget
                                                  else sentences_of[p])]
        for group in _pack(text, units, count_tokens, budget, 0):
            inside = [s for p in paragraphs for s in sentences_of[p]
                      if group[0].start <= s.start and s.end <= group[-1].end]
            pieces.append(_Piece(group, inside, article.number, article.heading))
    return pieces


def _paragraphs(text: str, start: int, end: int) -> list[Span]:
    """Non-blank paragraphs (separated by blank lines) of ``text[start:end]``, trimmed."""
    spans = []
    for match in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text[start:end]):
        spans.extend(_trimmed(text, start + match.start(), start + match.end()))
    return spans


def _sentences_in(text: str, paragraphs: list[Span]) -> list[Span]:
    return [
        Span(p.start + s.start, p.start + s.end) for p in paragraphs for s in split_sentences(text[p.start : p.end])
    ]


def _pack(
    text: str, units: list[Span], count_tokens: TokenCounter, budget: int, overlap: int
) -> list[list[Span]]:
    groups: list[list[Span]] = []
    i = 0
    while i < len(units):
        # Token counts of joined text are not additive (whitespace, merges), so count the whole span; a search
        # rather than a scan keeps that from being quadratic in the sentences per chunk.
        start = units[i].start
        j = _first_failing(lambda j, start=start: count_tokens(text[start : units[j].end]) <= budget, i + 1, len(units))
        groups.append(units[i:j])
        if j >= len(units):
            break
        i = max(j - overlap, i + 1)
    return groups
