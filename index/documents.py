"""Reading documents: files in a corpus folder → cleaned `Document` records.

The body keeps only article text, so that every sentence a later stage quotes is the publisher's own::

    docs, skipped = read_corpus(Path("seeds"))   # a bad file is logged, listed in `skipped`, and passed over
    doc = read_document(Path("seeds/001_7516783149c43d0d.txt"))
    doc.title, doc.text.split("\\n\\n")[0]
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from .language import detect_language
from .laws import is_law
from .records import Document

logger = logging.getLogger(__name__)

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
METADATA_FILE = "metadata.json"
METADATA_FIELDS = (
    "title", "publisher", "author", "date", "url", "kind", "language", "short_name", "name_en", "in_force",
    "status", "status_note", "amended_from", "aliases",
)
KINDS = ("news", "law", "document")
LANGUAGES = ("en", "zh")

# What a rule does with a matching paragraph: drop it; drop it and the headline-like paragraphs under it;
# drop it and everything after it (only once some article text has been kept, so a byline at the top of a
# page does not wipe the article); keep it and drop everything after it (a sign-off: who wrote the article
# is a fact people ask about, the bio and site furniture below it are not); cut the matched part and keep
# the rest.
DROP, LIST, TAIL, SIGN, TRIM = "drop", "list", "tail", "sign", "trim"
_NAME = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4}"
# A report's sign-off, its byline: "Published by X", "Author: X, Paper", "Reuters with additional editing by X",
# "Reporting by X; Editing by Y". Bios and site furniture come after it; who wrote the report is asked about.
SIGN_OFF = re.compile(
    rf"^(?i:published|written|posted) by {_NAME}$|^(?i:author)s?:\s*\S"
    r"|^(?:[\w&. ]{2,40} )?with additional (?:reporting|editing|writing) by |^Reporting by "
)
# Matched against one paragraph at a time (one line of the normalised text); the first matching rule wins.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Stock-promotion disclaimers: "Please make sure to read ... our disclaimer ...", "NOT INVESTMENT ADVICE".
    (DROP, re.compile(r"(?i)^please (?:make sure to )?read\b.*\bdisclaimer\b|\bnot investment advice\b")),
    (SIGN, SIGN_OFF),
    # Related-content sections at the foot of a page: "Recent Posts", "Recent Stories", "You might also like".
    (TAIL, re.compile(r"(?i)^(?:recent (?:posts|stories|articles|news)|you (?:might|may) also (?:like|enjoy)"
                      r"|more (?:stories|news)|most (?:read|popular)|trending now)\s*:?$")),
    # A bare "ALSO SEE:" / "Read more:" header: unrelated headlines follow it.
    (LIST, re.compile(r"(?i)^(?:also see|see also|read more|read also|related(?: \w+)?)\s*:?$")),
    # The same links inline: "ALSO SEE: The Hit List: How China's Crackdowns Have Cost Its Firms Billions".
    (DROP, re.compile(r"(?i)^(?:also see|see also|read more|read also|related)\s*:\s*\S")),
    # Newsletter and sign-up prompts: "SignUp Now For Our Featured Newsletter", "Sign up to receive our
    # latest news!", "By submitting this form, I agree to the terms."
    (DROP, re.compile(r"(?i)^sign[ -]?up\b.*\b(?:newsletter|news|updates|alerts)\b"
                      r"|^by submitting this form\b|^subscribe (?:now|to our)\b")),
    # Photo captions end in a credit: "Liu Liehong, now head of China's national data bureau, ... May 2023.
    # Credit: GBA Science Forum". The caption states facts people ask about (who heads the bureau); the credit
    # is furniture.
    (TRIM, re.compile(r"(?:^|(?<=[.!?]))\s*(?:Photo |Image )?Credit: [^.!?]+$|^(?:Photo|Image|Picture): .*$")),
    # Teasers of other stories: timestamps ("11 hours ago") and summaries cut off with an ellipsis.
    (DROP, re.compile(r"(?i)^\d+ (?:second|minute|min|hour|day|week)s? ago$|\w\s?(?:…|\.{3})$")),
    # Reporter bios: "Jim Pollard is an Australian journalist based in Thailand since 1999. ...".
    (DROP, re.compile(rf"^{_NAME} is an? (?:[\w-]+ ){{0,3}}"
                      r"(?:journalist|reporter|writer|editor|correspondent|columnist)\b")),
    # Publisher marketing: subscription offers, newsletter descriptions, taglines.
    (DROP, re.compile(r"(?i)\bwe offer discounts\b|\bour subscriptions? page\b"
                      r"|\bwon['’]?t find anywhere else\b"
                      r"|^an? (?:daily|weekly|monthly) (?:curated )?"
                      r"(?:round-?up|reading list|newsletter|digest|briefing)\b"
                      r"|^The [\w ]{0,40}Platform used by [\w ]+$")),
)
_BULLET = re.compile(r"^(?:[•◦▪‣●*+–—-]\s+)+")
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'”’)\]]*$")
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
# Text cut off by a paywall: complete sentences, then a fragment of six or more words ending mid-word.
_DANGLING = re.compile(r"^(?P<kept>.*[.!?][\"'”’)\]]*)\s+(?:[^\s.!?]+\s+){5,}[a-z]+$")


class DocumentError(ValueError):
    """A file that cannot become a document; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


@dataclass(frozen=True)
class Skipped:
    """A corpus file that was not read, and why."""

    path: Path
    reason: str


def clean_text(raw: str, *, title: str | None = None, statute: bool = False) -> tuple[str, str]:
    """Split raw article text into ``(title, body)`` and drop what is not article content.

    ``clean_text("Headline\\n\\nFirst paragraph.\\n\\nRecent Posts\\n\\nOther story")`` →
    ``("Headline", "First paragraph.")``. Without ``title`` the first non-empty line is the title. With a
    known ``title`` (from metadata), the lines up to where it appears among the first three are dropped (a
    section label such as "Cyber Security" goes with them); if it does not appear there, the text has no
    title line and all of it is body. Paragraphs are joined with a blank line.

    A ``statute`` keeps every paragraph: the boilerplate rules are written for web pages, and no rule may
    drop or cut a word of a law.
    """
    lines = [_HEADING_MARK.sub("", _BULLET.sub("", line)) for line in _normalise(raw).split("\n")]
    lines = [line for line in lines if line]  # blank lines only separate paragraphs
    if title is None:
        title, lines = (lines[0], lines[1:]) if lines else ("", [])
    else:
        wanted = _HEADING_MARK.sub("", _normalise(title).strip())
        at = next((i for i, line in enumerate(lines[:3]) if line.casefold() == wanted.casefold()), None)
        title, lines = wanted, lines if at is None else lines[at + 1 :]
    return title, "\n\n".join(lines if statute else _article_paragraphs(lines))


def _normalise(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", text)  # zero-width characters and stray BOMs
    text = re.sub(r"[^\S\n]+", " ", text)  # tabs, non-breaking and other spaces → one plain space
    return "\n".join(line.strip() for line in text.split("\n"))


def _article_paragraphs(lines: list[str]) -> list[str]:
    kept: list[str] = []
    in_list = False
    for at, line in enumerate(lines):
        kind, rule = next(((kind, rule) for kind, rule in _RULES if rule.search(line)), (None, None))
        if kind in (TAIL, SIGN) and kept:
            if kind == SIGN:
                kept += [line, *_signers_bio(line, lines[at + 1 :])]
            break
        if kind == SIGN:  # a byline above the article
            kind = None
        headline = not _ENDS_SENTENCE.search(line) and len(line.split()) <= 15
        if in_list and kind is None and headline:
            continue  # a headline under an "ALSO SEE:" header
        in_list = kind == LIST
        if kind == TRIM:
            line = rule.sub("", line).strip()
            kind = None if line else DROP
        if kind is not None:
            continue
        if dangling := _DANGLING.match(line):
            # Cut off by a paywall: what follows is the publisher's marketing and teasers.
            kept.append(dangling.group("kept"))
            break
        kept.append(line)
    return kept


def _signers_bio(sign_off: str, after: list[str]) -> list[str]:
    """The paragraphs after a sign-off that tell of the person who signed, wherever the page puts them among
    its furniture: each opens with their name ("Jim Pollard is an Australian journalist ...", "Benjamin Roussey
    is from ..."); a line of the name alone is left out. People ask where a report's author worked or studied;
    the links and teasers around the bio are no one's."""
    names = _signers(sign_off)
    return [line for line in after if names and line.startswith(names) and line not in names]


def _signers(sign_off: str) -> tuple[str, ...]:
    """The names of people in a sign-off: "Reuters with additional editing by Jim Pollard" -> ("Jim Pollard",)."""
    return tuple(name for name in re.findall(_NAME, sign_off) if " " in name)


@lru_cache(maxsize=1024)
def signed_off_at(text: str) -> int:
    """Where the sign-off that ends a report's ``text`` begins, its signer's bio after it, or ``len(text)`` when
    the text ends in none: what follows it tells who wrote the report, not what the report tells."""
    lines = list(re.finditer(r"(?m)^.+$", text))
    last = next((i for i in range(len(lines) - 1, -1, -1) if SIGN_OFF.search(lines[i].group())), None)
    if last is None:
        return len(text)
    names = _signers(lines[last].group())
    after = [line.group() for line in lines[last + 1 :]]
    return lines[last].start() if all(names and line.startswith(names) for line in after) else len(text)


class _HTMLText(HTMLParser):
    """Visible text of an HTML page, one line per block element; scripts, navigation and forms left out."""

    BLOCKS = frozenset("p div br li h1 h2 h3 h4 h5 h6 tr section article blockquote pre ul ol table".split())
    HIDDEN = frozenset("head script style noscript template svg nav aside footer form".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def _markdown_to_text(raw: str) -> str:
    """Join soft-wrapped lines (in Markdown a line break inside a paragraph is a space); drop link syntax."""
    raw = re.sub(r"<!--.*?-->", "", raw, flags=re.S)  # comments are markup, never content
    out: list[str] = []
    for line in raw.splitlines():
        starts_block = re.match(r"\s*(?:#|[-*+>|]\s|\d+[.)]\s|$)", line)
        if out and out[-1].strip() and not out[-1].lstrip().startswith("#") and not starts_block:
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", "\n".join(out))
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)


def _decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise DocumentError(path, "empty file")
    # UTF-16 (what Windows editors call "Unicode") is known by its byte-order mark; its NUL bytes are text.
    encoding = "utf-16" if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    if encoding != "utf-16" and b"\x00" in data:
        raise DocumentError(path, "binary content (NUL bytes); only text files are read")
    try:
        return data.decode(encoding)  # UTF-8 with or without a byte-order mark
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        named = "UTF-16" if encoding == "utf-16" else "UTF-8"
        reason = f"not {named} (byte 0x{bad} at offset {exc.start}); re-save it as UTF-8"
        raise DocumentError(path, reason) from None


def read_document(path: Path, *, metadata: Mapping[str, object] | None = None) -> Document:
    """Read and clean one .txt, .md or .html file: ``read_document(Path("a.md"), metadata={"date": "2024"})``.

    ``doc_id`` is the file stem; non-empty ``metadata`` values (`METADATA_FIELDS`) override what the file
    gives. A text with article headings (``第N条``, ``Article N``) is read as a law unless ``kind`` says
    otherwise; ``language`` is detected from the text unless given. Raises `DocumentError` for an
    unsupported, empty, binary or undecodable file.
    """
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        kinds = ", ".join(sorted(SUFFIXES))
        raise DocumentError(path, f"unsupported file type {path.suffix!r} (reads {kinds})")
    try:
        raw = _decode(path, path.read_bytes())
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror})") from None
    if path.suffix.lower() in {".html", ".htm"}:
        parser = _HTMLText()
        parser.feed(raw)
        raw = "".join(parser.parts)
    elif path.suffix.lower() == ".md":
        raw = _markdown_to_text(raw)
    given = {k: v for k, v in (metadata or {}).items() if k in METADATA_FIELDS and v}
    kind = given.get("kind") or ("law" if is_law(raw) else "document")
    title, body = clean_text(raw, title=given.get("title"), statute=kind == "law")
    if not body and not raw.strip().count("\n") and not given.get("title"):
        raise DocumentError(path, "only one line, which is read as the title: put the text on the lines below it")
    if not body:
        raise DocumentError(path, "no article text left after cleaning")
    # Metadata wins where it says something.
    fields = {"title": title, "language": detect_language(body), **given, "kind": kind}
    return Document(doc_id=path.stem, text=body, source=path.name, **fields)


def read_corpus(directory: Path) -> tuple[list[Document], list[Skipped]]:
    """Read every supported file under ``directory`` (recursively, in sorted order).

    ``docs, skipped = read_corpus(Path("seeds"))``. Hidden files and ``metadata.json`` are passed over; a file
    that cannot be read, or whose stem repeats an earlier ``doc_id``, is logged and listed in ``skipped``.
    A ``metadata.json`` in any folder maps the doc_ids of that folder's files to their fields (title,
    publisher, ..., see `METADATA_FIELDS` and `read_document`).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"corpus directory {str(directory)!r} does not exist or is not a directory")
    metadata = _folder_metadata(directory)
    docs: list[Document] = []
    skipped: list[Skipped] = []
    seen: dict[str, Path] = {}
    files = (p for p in directory.rglob("*") if p.is_file())
    for path in sorted(files, key=lambda p: p.relative_to(directory).as_posix()):
        relative = path.relative_to(directory)
        if any(part.startswith(".") for part in relative.parts) or path.name == METADATA_FILE:
            continue
        try:
            if path.stem in seen:
                raise DocumentError(path, f"doc_id {path.stem!r} is already taken by {seen[path.stem]}")
            doc = read_document(path, metadata=metadata.get(path.stem))
        except DocumentError as exc:
            logger.warning("Skipping %s", exc)
            skipped.append(Skipped(path, exc.reason))
            continue
        seen[doc.doc_id] = path
        docs.append(dataclasses.replace(doc, source=relative.as_posix()))
    for doc_id in sorted(set(metadata) - set(seen)):
        logger.warning("metadata under %s names %r, but no such document was read", directory, doc_id)
    return docs, skipped


def _folder_metadata(directory: Path) -> dict[str, dict[str, object]]:
    """The entries of every ``metadata.json`` under ``directory``; a doc_id may be described only once."""
    merged: dict[str, dict[str, object]] = {}
    for path in sorted(directory.rglob(METADATA_FILE)):
        if any(part.startswith(".") for part in path.relative_to(directory).parts):
            continue
        for doc_id, fields in load_metadata(path).items():
            if doc_id in merged:
                raise ValueError(f"{path}: {doc_id!r} is already described by another {METADATA_FILE}")
            merged[doc_id] = fields
    return merged


def load_metadata(path: Path) -> dict[str, dict[str, object]]:
    """``{doc_id: {field: value}}`` from a metadata file (``{}`` if there is none); "note" is a comment.

    Every value is a string, but ``aliases``, a list of strings; ``kind`` and ``language`` take one of
    `KINDS` and `LANGUAGES`.
    """
    if not path.exists():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not valid UTF-8 JSON ({exc})") from None
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: expected an object mapping doc_id to fields, got {type(entries).__name__}")
    for doc_id, fields in entries.items():
        if not isinstance(fields, dict):
            raise ValueError(f"{path}: entry {doc_id!r} must map field names to values")
        if unknown := set(fields) - {*METADATA_FIELDS, "note"}:
            raise ValueError(f"{path}: entry {doc_id!r} has unknown fields {sorted(unknown)}")
        for name, value in fields.items():
            if not _valid_field(name, value):
                raise ValueError(f"{path}: entry {doc_id!r} field {name!r} has the invalid value {value!r}")
    return entries


def _valid_field(name: str, value: object) -> bool:
    if name == "aliases":
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    if not isinstance(value, str):
        return False
    allowed = {"kind": KINDS, "language": LANGUAGES}.get(name)
    return allowed is None or value in allowed


def document_fingerprint(doc: Document) -> str:
    """sha256 over every field, so that a cleaning-rule or metadata change marks the document as changed."""
    payload = json.dumps(dataclasses.asdict(doc), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
