"""Answers the bot gave and the 👍/👎 votes on them, in SQLite; exported as JSONL for the benchmark.

Every answer posted to Slack is recorded first, so that a button click (whose value is the answer id) can be
traced back to the question, the answer and its citations, even after a restart::

    store = FeedbackStore(settings.feedback_path)
    stored = store.record_answer(answer, user="U1", channel="C1", thread_ts="1700000000.000100")
    store.record_vote(stored.id, vote="up", user="U2")
    export(settings.feedback_path, "feedback.jsonl")   # -> number of rows written

One JSONL row per (answer, voter), the voter's latest vote::

    {"question", "answer", "citations": [{"n", "doc_id", "chunk_id", "quote"}],
     "vote": "up" | "down", "user", "channel", "ts", "time"}

Retention: an answer's text (question, answer, quotes) is removed ``retention_days`` after it was given,
when the store opens and then every hour while it is open (``store.expire()`` does it now, and
``store.expire(older_than_days=0)`` removes all text). What remains are ids, times and votes: an expired
answer exports with an empty question and answer, which the benchmark skips, and takes no new votes.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bot.engine.records import Answer

logger = logging.getLogger(__name__)

VOTES = ("up", "down")
DEFAULT_RETENTION_DAYS = 90
EXPIRY_INTERVAL_SECONDS = 3600.0
SECONDS_PER_DAY = 86_400

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,          -- JSON list of {"n", "doc_id", "chunk_id", "quote"}
    abstained INTEGER NOT NULL,
    user TEXT NOT NULL,
    channel TEXT NOT NULL,
    thread_ts TEXT NOT NULL,          -- "" for answers outside a thread (top of a DM, /regbot)
    ts TEXT NOT NULL,                 -- the answer message's ts, "" when it has none (ephemeral)
    created REAL NOT NULL,
    purged REAL                       -- when question, answer and quotes were removed; NULL while kept
);
CREATE INDEX IF NOT EXISTS answers_thread ON answers (channel, thread_ts, created);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL REFERENCES answers (id),
    user TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    time TEXT NOT NULL,               -- ISO 8601, UTC
    PRIMARY KEY (answer_id, user)
);
"""


@dataclass(frozen=True)
class StoredCitation:
    n: int
    doc_id: str
    chunk_id: str
    quote: str


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as the bot posted it; ``id`` is what the feedback buttons carry."""

    id: str
    question: str
    text: str
    citations: tuple[StoredCitation, ...]
    abstained: bool
    user: str
    channel: str
    thread_ts: str
    ts: str
    created: float
    expired: bool = False  # the text was removed: question, text and quotes are ""


@dataclass(frozen=True)
class FeedbackRow:
    """One vote on one answer: the shape of an exported JSONL line (see ``as_json``)."""

    question: str
    answer: str
    citations: tuple[StoredCitation, ...]
    vote: str
    user: str
    channel: str
    ts: str
    time: str

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "citations": [
                {"n": c.n, "doc_id": c.doc_id, "chunk_id": c.chunk_id, "quote": c.quote}
                for c in self.citations
            ],
            "vote": self.vote,
            "user": self.user,
            "channel": self.channel,
            "ts": self.ts,
            "time": self.time,
        }


class FeedbackStore:
    """SQLite file at ``path`` (created with its parent folders). Safe to share between threads: one
    connection, used under a lock, in WAL mode so that other processes (an export) can read meanwhile.
    Keeping the connection open matters: closing the last one checkpoints the WAL, an fsync per answer.

    Text older than ``retention_days`` is removed on opening and then every ``expire_every`` seconds by a
    background thread; with ``expire_every=None`` only when ``expire()`` is called (short-lived stores such as
    an export's or a purge's).
    """

    def __init__(
        self,
        path: Path | str,
        *,
        retention_days: float = DEFAULT_RETENTION_DAYS,
        expire_every: float | None = EXPIRY_INTERVAL_SECONDS,
    ) -> None:
        if not str(path).strip():
            raise ValueError(f"feedback database path must not be empty, got {path!r}")
        if not retention_days > 0:
            raise ValueError(f"retention_days (REGBOT_RETENTION_DAYS) must be positive, got {retention_days!r}")
        self.path = Path(path).expanduser()
        self.retention_days = retention_days
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:  # another kind of file: name it, and leave it as it is
            self._db.close()
            raise ValueError(f"{self.path} is not a feedback database ({exc}): point REGBOT_FEEDBACK_DB or --db "
                             "at the file the bot writes, or at a new path") from None
        # With WAL this cannot corrupt the file; a power cut may lose the last few rows, not the database.
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Removed text is overwritten with zeros in the file, not merely marked free.
        self._db.execute("PRAGMA secure_delete=ON")
        with self._connect() as db:
            db.executescript(_SCHEMA)
            _add_purged_column(db)
        self._closed = threading.Event()
        self._expirer: threading.Thread | None = None
        if expire_every:
            self.expire()
            self._expirer = threading.Thread(
                target=self._expire_every, args=(expire_every,), name="regbot-feedback-expiry", daemon=True
            )
            self._expirer.start()

    def __repr__(self) -> str:
        return f"FeedbackStore({str(self.path)!r})"

    def close(self) -> None:
        self._closed.set()
        if self._expirer is not None:
            self._expirer.join()
        with self._lock:
            self._db.close()

    def __enter__(self) -> FeedbackStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._db:  # one transaction: commit on success, roll back on error
            yield self._db

    def expire(self, older_than_days: float | None = None) -> int:
        """Remove question, answer and quotes of the answers given over ``older_than_days`` (default
        ``retention_days``) ago; votes, ids and times stay. Returns how many answers lost their text."""
        days = self.retention_days if older_than_days is None else older_than_days
        if not days >= 0:
            raise ValueError(f"older_than_days must be 0 or more, got {days!r}")
        now = time.time()
        with self._connect() as db:
            found = db.execute(
                "SELECT id, citations FROM answers WHERE purged IS NULL AND created <= ?",
                (now - days * SECONDS_PER_DAY,),
            ).fetchall()
            db.executemany(
                "UPDATE answers SET question = '', answer = '', citations = ?, purged = ? WHERE id = ?",
                [(_without_quotes(r["citations"]), now, r["id"]) for r in found],
            )
        if found:
            with self._lock:  # old copies of the pages live on in the write-ahead log until it is reset
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            logger.info("removed the text of %d answers older than %g days from %s", len(found), days, self.path)
        return len(found)

    def _expire_every(self, seconds: float) -> None:
        while not self._closed.wait(seconds):
            try:
                self.expire()
            except Exception:  # a locked or vanished file must not end expiry for good
                logger.exception("could not expire old answers in %s", self.path)

    def record_answer(
        self, answer: Answer, *, user: str, channel: str, thread_ts: str | None = None, ts: str = ""
    ) -> StoredAnswer:
        """Store ``answer`` as posted (or about to be posted) and return it with its new id."""
        stored = StoredAnswer(
            id=uuid.uuid4().hex,
            question=answer.question,
            text=answer.text,
            citations=tuple(StoredCitation(c.n, c.doc_id, c.chunk_id, c.quote) for c in answer.citations),
            abstained=answer.abstained,
            user=user or "",
            channel=channel or "",
            thread_ts=thread_ts or "",
            ts=ts or "",
            created=time.time(),
        )
        citations = json.dumps([_citation_json(c) for c in stored.citations], ensure_ascii=False)
        with self._connect() as db:
            db.execute(
                "INSERT INTO answers (id, question, answer, citations, abstained, user, channel, thread_ts, ts, "
                "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stored.id,
                    stored.question,
                    stored.text,
                    citations,
                    int(stored.abstained),
                    stored.user,
                    stored.channel,
                    stored.thread_ts,
                    stored.ts,
                    stored.created,
                ),
            )
        return stored

    def set_ts(self, answer_id: str, ts: str) -> None:
        """Record the ts of the message that shows the answer (known only once it is posted)."""
        with self._connect() as db:
            db.execute("UPDATE answers SET ts = ? WHERE id = ?", (ts, answer_id))

    def get(self, answer_id: str) -> StoredAnswer | None:
        """``store.get(stored.id) == stored``; None for an unknown id."""
        with self._connect() as db:
            row = db.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return None if row is None else _answer_from_row(row)

    def thread_questions(
        self, channel: str, thread_ts: str | None, *, limit: int = 3, since: float | None = None
    ) -> list[str]:
        """The last ``limit`` questions answered in this thread (``thread_ts`` None/"" = outside threads),
        oldest first, optionally only those asked at or after ``since`` (a time.time() value)."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit!r}")
        with self._connect() as db:
            rows = db.execute(
                "SELECT question FROM answers WHERE channel = ? AND thread_ts = ? AND created >= ? "
                "AND purged IS NULL ORDER BY created DESC LIMIT ?",
                (channel, thread_ts or "", since if since is not None else 0.0, limit),
            ).fetchall()
        return [r["question"] for r in reversed(rows)]

    def record_vote(
        self, answer_id: str, *, vote: str, user: str, channel: str = "", ts: str = ""
    ) -> FeedbackRow:
        """Store ``user``'s vote on an answer; a second click by the same user replaces the first.

        Raises KeyError for an unknown or expired ``answer_id`` and ValueError for a vote other than
        "up"/"down".
        """
        if vote not in VOTES:
            raise ValueError(f"vote must be one of {VOTES}, got {vote!r}")
        stored = self.get(answer_id)
        if stored is None or stored.expired:
            raise KeyError(f"no answer with id {answer_id!r} in {self.path}, or its text has expired")
        row = FeedbackRow(
            question=stored.question,
            answer=stored.text,
            citations=stored.citations,
            vote=vote,
            user=user or "",
            channel=channel or stored.channel,
            ts=ts or stored.ts,
            time=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        )
        with self._connect() as db:
            db.execute(
                "INSERT INTO votes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, user) DO UPDATE SET "
                "vote = excluded.vote, channel = excluded.channel, ts = excluded.ts, time = excluded.time",
                (answer_id, row.user, vote, row.channel, row.ts, row.time),
            )
        return row

    def rows(self) -> list[FeedbackRow]:
        """All votes with their answers, oldest vote first; an expired answer's texts are ""."""
        with self._connect() as db:
            found = db.execute(
                "SELECT a.question, a.answer, a.citations, v.vote, v.user, v.channel, v.ts, v.time "
                "FROM votes v JOIN answers a ON a.id = v.answer_id ORDER BY v.time, v.rowid"
            ).fetchall()
        return [
            FeedbackRow(
                r["question"],
                r["answer"],
                tuple(StoredCitation(**c) for c in json.loads(r["citations"])),
                r["vote"],
                r["user"],
                r["channel"],
                r["ts"],
                r["time"],
            )
            for r in found
        ]


def _citation_json(c: StoredCitation) -> dict[str, Any]:
    return {"n": c.n, "doc_id": c.doc_id, "chunk_id": c.chunk_id, "quote": c.quote}


def _without_quotes(citations: str) -> str:
    """The stored citations JSON with every quote emptied: which passages were cited stays."""
    return json.dumps([{**c, "quote": ""} for c in json.loads(citations)], ensure_ascii=False)


def _add_purged_column(db: sqlite3.Connection) -> None:
    """Databases from before retention lack ``purged``; the partial index keeps each expiry run cheap."""
    columns = {row["name"] for row in db.execute("PRAGMA table_info(answers)")}
    if "purged" not in columns:
        db.execute("ALTER TABLE answers ADD COLUMN purged REAL")
    db.execute("CREATE INDEX IF NOT EXISTS answers_unpurged ON answers (created) WHERE purged IS NULL")


def _answer_from_row(row: sqlite3.Row) -> StoredAnswer:
    return StoredAnswer(
        id=row["id"],
        question=row["question"],
        text=row["answer"],
        citations=tuple(StoredCitation(**c) for c in json.loads(row["citations"])),
        abstained=bool(row["abstained"]),
        user=row["user"],
        channel=row["channel"],
        thread_ts=row["thread_ts"],
        ts=row["ts"],
        created=row["created"],
        expired=row["purged"] is not None,
    )


def export(
    db_path: Path | str,
    out: Path | str | TextIO | None = None,
    *,
    retention_days: float = DEFAULT_RETENTION_DAYS,
) -> int:
    """Write every vote as one JSON line to ``out`` (a path, ``"-"``/None for stdout, or an open text file)
    and return the number of rows written. A file is replaced atomically, so a reader never sees half of it.
    Text older than ``retention_days`` is removed first, so it is never exported.

    ``export(Path("~/.local/share/regbot/feedback.sqlite3"), "feedback.jsonl")`` -> 12
    """
    db_path = Path(db_path).expanduser()
    if not db_path.is_file():
        raise FileNotFoundError(
            f"no feedback database at {db_path} (set REGBOT_FEEDBACK_DB or pass --db; the bot creates it "
            "on its first answer)"
        )
    with FeedbackStore(db_path, retention_days=retention_days, expire_every=None) as store:
        store.expire()
        rows = store.rows()
    if out is None or out == "-":
        return _write_rows(rows, sys.stdout)
    if not isinstance(out, str | Path):
        return _write_rows(rows, out)
    target = Path(out).expanduser()
    if target.is_dir():
        raise ValueError(f"the output {target} is a folder: name a file, such as {target / 'feedback.jsonl'}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            n = _write_rows(rows, f)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    logger.info("exported %d feedback rows from %s to %s", n, db_path, target)
    return n


def _write_rows(rows: list[FeedbackRow], f: TextIO) -> int:
    for row in rows:
        f.write(json.dumps(row.as_json(), ensure_ascii=False) + "\n")
    f.flush()
    return len(rows)
