"""The feedback store (SQLite) and its JSONL export, the shape the benchmark reads."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.engine.records import Answer, Citation
from bot.slack.feedback import FeedbackStore, export
from index.records import Chunk

ROW_KEYS = {"question", "answer", "citations", "vote", "user", "channel", "ts", "time"}


def make_answer(question: str = "What fine did Didi get?") -> Answer:
    text = "Didi was fined 8.026 billion yuan by the CAC in July 2022."
    c = Chunk(id="didi:3", doc_id="didi", title="Didi fined", text=text, start=100, end=100 + len(text))
    quote = "fined 8.026 billion yuan"
    cite = Citation(n=1, chunk=c, quote=quote, start=109, end=109 + len(quote))
    return Answer(
        question=question, text="Didi was fined 8.026 billion yuan [1].", citations=(cite,), abstained=False
    )


@pytest.fixture
def open_store() -> Iterator[Callable[..., FeedbackStore]]:
    """Opens stores that are closed after the test, so that no expiry thread outlives it."""
    opened: list[FeedbackStore] = []

    def open_(*args: object, **kwargs: object) -> FeedbackStore:
        opened.append(FeedbackStore(*args, **kwargs))
        return opened[-1]

    yield open_
    for store in opened:
        store.close()


def test_answer_round_trip_and_thread_questions(tmp_path: Path, open_store: Callable[..., FeedbackStore]) -> None:
    store = open_store(tmp_path / "sub" / "fb.sqlite3")
    first = store.record_answer(make_answer("q1"), user="U1", channel="C1", thread_ts="100.1", ts="100.2")
    store.record_answer(make_answer("q2"), user="U1", channel="C1", thread_ts="100.1")
    store.record_answer(make_answer("other thread"), user="U1", channel="C1", thread_ts="200.1")
    store.record_answer(make_answer("dm top level"), user="U1", channel="D1")
    assert store.get(first.id) == first
    assert store.get("nope") is None
    assert first.citations[0].chunk_id == "didi:3" and first.citations[0].quote == "fined 8.026 billion yuan"
    assert store.thread_questions("C1", "100.1") == ["q1", "q2"]  # oldest first
    assert store.thread_questions("C1", "100.1", limit=1) == ["q2"]
    assert store.thread_questions("D1", None) == ["dm top level"]
    assert store.thread_questions("D1", "", since=first.created + 3600) == []
    with pytest.raises(ValueError, match="limit"):
        store.thread_questions("C1", "100.1", limit=0)


def test_votes_upsert_per_user_and_export_shape(tmp_path: Path, open_store: Callable[..., FeedbackStore]) -> None:
    db = tmp_path / "fb.sqlite3"
    store = open_store(db)
    stored = store.record_answer(make_answer(), user="U1", channel="C1", thread_ts="1.1", ts="1.2")
    store.record_vote(stored.id, vote="down", user="U2", channel="C1", ts="1.2")
    store.record_vote(stored.id, vote="up", user="U2", channel="C1", ts="1.2")  # changed their mind
    store.record_vote(stored.id, vote="down", user="U3")
    out = tmp_path / "out" / "feedback.jsonl"
    assert export(db, out) == 2
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [set(r) for r in rows] == [ROW_KEYS, ROW_KEYS]
    by_user = {r["user"]: r for r in rows}
    assert by_user["U2"]["vote"] == "up" and by_user["U3"]["vote"] == "down"
    row = by_user["U2"]
    assert row["question"] == "What fine did Didi get?"
    assert row["answer"] == "Didi was fined 8.026 billion yuan [1]."
    assert row["citations"] == [
        {"n": 1, "doc_id": "didi", "chunk_id": "didi:3", "quote": "fined 8.026 billion yuan"}
    ]
    assert (row["channel"], row["ts"]) == ("C1", "1.2")
    assert by_user["U3"]["ts"] == "1.2"  # taken from the stored answer when the click did not say
    assert row["time"].endswith("Z") and row["time"][:4].isdigit()
    assert [p.name for p in out.parent.iterdir()] == ["feedback.jsonl"]  # no temporary file left behind


def test_export_to_stdout_and_stream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], open_store: Callable[..., FeedbackStore]
) -> None:
    db = tmp_path / "fb.sqlite3"
    store = open_store(db)
    store.record_vote(store.record_answer(make_answer(), user="U1", channel="C1").id, vote="up", user="U9")
    assert export(db, "-") == 1
    assert json.loads(capsys.readouterr().out)["user"] == "U9"
    buffer = io.StringIO()
    assert export(db, buffer) == 1
    assert json.loads(buffer.getvalue())["vote"] == "up"


def test_export_of_missing_database_names_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="missing.sqlite3"):
        export(tmp_path / "missing.sqlite3", tmp_path / "x.jsonl")
    assert not (tmp_path / "x.jsonl").exists()


def test_bad_votes_and_unknown_answers_are_refused(tmp_path: Path, open_store: Callable[..., FeedbackStore]) -> None:
    store = open_store(tmp_path / "fb.sqlite3")
    stored = store.record_answer(make_answer(), user="U1", channel="C1")
    with pytest.raises(ValueError, match="sideways"):
        store.record_vote(stored.id, vote="sideways", user="U1")
    with pytest.raises(KeyError, match="nope"):
        store.record_vote("nope", vote="up", user="U1")
    with pytest.raises(ValueError, match="path"):
        FeedbackStore("  ")


def test_concurrent_writers_lose_nothing(tmp_path: Path, open_store: Callable[..., FeedbackStore]) -> None:
    store = open_store(tmp_path / "fb.sqlite3")
    ids = [store.record_answer(make_answer(f"q{i}"), user="U1", channel="C1").id for i in range(8)]
    errors: list[BaseException] = []

    def vote(i: int) -> None:
        try:
            for j in range(10):
                store.record_vote(ids[i], vote="up" if j % 2 else "down", user=f"U{j}")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT count(*) FROM votes").fetchone()[0] == 80
    assert sum(1 for _ in store.rows()) == 80


@pytest.mark.parametrize("command", [["export", "-o", "out.jsonl"], ["purge"]])
def test_a_file_that_is_not_a_feedback_database_is_refused_and_left_as_it_is(tmp_path, capsys, command) -> None:
    from bot.cli import main

    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a database")
    argv = ["feedback", command[0], "--db", str(notes), *[str(tmp_path / a) if a.endswith(".jsonl") else a
                                                          for a in command[1:]]]
    assert main(argv) == 2
    assert str(notes) in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"] and notes.read_text() == "my notes, not a database"


def test_export_to_a_folder_is_refused_before_anything_is_written(tmp_path: Path, capsys) -> None:
    from bot.cli import main

    db = tmp_path / "fb.sqlite3"
    with FeedbackStore(db) as store:
        store.record_vote(store.record_answer(make_answer(), user="U1", channel="C1").id, vote="up", user="U2")
    (tmp_path / "out").mkdir()
    assert main(["feedback", "export", "--db", str(db), "-o", str(tmp_path / "out")]) == 2
    assert "feedback.jsonl" in capsys.readouterr().err
    assert not any((tmp_path / "out").iterdir())


def test_regbot_feedback_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    db = tmp_path / "fb.sqlite3"
    with FeedbackStore(db) as store:
        store.record_vote(
            store.record_answer(make_answer(), user="U1", channel="C1").id, vote="up", user="U2"
        )
    out = tmp_path / "votes.jsonl"
    assert main(["feedback", "export", "--db", str(db), "-o", str(out)]) == 0
    assert json.loads(out.read_text())["vote"] == "up"
    assert main(["feedback", "export", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "no feedback database" in capsys.readouterr().err


DAY = 86_400


def age(db: Path, answer_id: str, days: float) -> None:
    """Make an answer look ``days`` old, as time would: the store's own clock is the wall clock."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE answers SET created = created - ? WHERE id = ?", (days * DAY, answer_id))


def file_bytes(db: Path) -> bytes:
    """The database as it lies on disk, write-ahead log included."""
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_text_expires_after_the_retention_days_and_the_votes_stay(tmp_path: Path) -> None:
    db = tmp_path / "fb.sqlite3"
    with FeedbackStore(db, retention_days=90) as store:
        old = store.record_answer(make_answer("Which fine did Zorblax Ltd get?"), user="U1", channel="C1",
                                  thread_ts="1.1")
        young = store.record_answer(make_answer("q young"), user="U1", channel="C1", thread_ts="1.1")
        store.record_vote(old.id, vote="down", user="U2")
        store.record_vote(young.id, vote="up", user="U3")
    age(db, old.id, 91)
    assert b"Zorblax" in file_bytes(db)
    with FeedbackStore(db, retention_days=90) as store:  # expiry runs on opening
        expired, kept = store.get(old.id), store.get(young.id)
        assert expired is not None and expired.expired and (expired.question, expired.text) == ("", "")
        assert [(c.doc_id, c.chunk_id, c.quote) for c in expired.citations] == [("didi", "didi:3", "")]
        assert kept == young and not kept.expired
        assert store.thread_questions("C1", "1.1") == ["q young"]
        with pytest.raises(KeyError, match="expired"):
            store.record_vote(old.id, vote="up", user="U4")
        rows = {r.user: r for r in store.rows()}
    assert rows["U2"].vote == "down" and rows["U2"].question == "" and rows["U3"].question == "q young"
    assert b"Zorblax" not in file_bytes(db)  # overwritten on disk, not only unlinked


def test_expiry_runs_by_itself_while_the_store_is_open(tmp_path: Path) -> None:
    db = tmp_path / "fb.sqlite3"
    with FeedbackStore(db, retention_days=1, expire_every=0.05) as store:
        stored = store.record_answer(make_answer("q"), user="U1", channel="C1")
        age(db, stored.id, 2)
        deadline = time.monotonic() + 10
        while not store.get(stored.id).expired:
            assert time.monotonic() < deadline, "the text never expired"
            time.sleep(0.02)


def test_a_database_from_before_retention_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.executescript(
            "CREATE TABLE answers (id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, "
            "citations TEXT NOT NULL, abstained INTEGER NOT NULL, user TEXT NOT NULL, channel TEXT NOT NULL, "
            "thread_ts TEXT NOT NULL, ts TEXT NOT NULL, created REAL NOT NULL);"
            "INSERT INTO answers VALUES ('a1', 'old q', 'old a', '[]', 0, 'U1', 'C1', '', '', 0);"
        )
    with FeedbackStore(db) as store:
        assert store.get("a1").expired  # created at the epoch: long past any retention


def test_retention_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="REGBOT_RETENTION_DAYS"):
        FeedbackStore(tmp_path / "fb.sqlite3", retention_days=0)


def test_regbot_feedback_purge_command(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    from bot.cli import main

    db = tmp_path / "fb.sqlite3"
    with FeedbackStore(db, expire_every=None) as store:
        week_old = store.record_answer(make_answer("a week old"), user="U1", channel="C1")
        today = store.record_answer(make_answer("asked today"), user="U1", channel="C1")
        store.record_vote(week_old.id, vote="up", user="U2")
    age(db, week_old.id, 7)
    assert main(["feedback", "purge", "--db", str(db), "--older-than", "5"]) == 0
    with FeedbackStore(db, expire_every=None) as store:
        assert store.get(week_old.id).expired and not store.get(today.id).expired
    assert main(["feedback", "purge", "--db", str(db), "--older-than", "0"]) == 0
    with FeedbackStore(db, expire_every=None) as store:
        assert store.get(today.id).expired and len(store.rows()) == 1
    assert b"asked today" not in file_bytes(db) and b"a week old" not in file_bytes(db)
    out = tmp_path / "votes.jsonl"
    assert main(["feedback", "export", "--db", str(db), "-o", str(out)]) == 0  # still works, text gone
    assert json.loads(out.read_text())["question"] == ""
    capsys.readouterr()
    assert main(["feedback", "purge", "--db", str(db), "--older-than", "-1"]) == 2
    assert "--older-than" in capsys.readouterr().err
    monkeypatch.setenv("REGBOT_RETENTION_DAYS", "0")
    assert main(["feedback", "purge", "--db", str(db)]) == 2
    assert "REGBOT_RETENTION_DAYS" in capsys.readouterr().err
