"""Hostile and careless requests against the real app over real HTTP: each gets a 4xx before Bolt parses it,
nothing reaches Slack or the engine, and the log holds no traceback and no body. Then what gets through:
Slack markup and over-long questions are cleaned up before the engine sees them, and long questions wait
behind normal ones."""

from __future__ import annotations

import json
import logging
import threading
from urllib.parse import quote

import pytest
from conftest import event_body, make_settings, mention, signed_post
from fake_slack import Call

from bot.slack.app import LONG_QUESTION_CHARS
from bot.slack.gate import MAX_BODY_BYTES

DIDI = "How much was Didi fined for violating data security rules?"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

MALFORMED = {
    "broken JSON": (b'{"type": "event_callback", "event": ', JSON),
    "JSON array": (b'[{"type": "event_callback"}]', JSON),
    "JSON string": (b'"event_callback"', JSON),
    "JSON null": (b"null", JSON),
    "JSON nested too deep": (b"[" * 100_000 + b"]" * 100_000, JSON),
    "broken payload= form": (b"payload=%7B%22type%22%3A%22block_actions", FORM),
    "payload= holding a list": (b"payload=" + quote("[1, 2]").encode(), FORM),
    "invalid UTF-8": (b'{"type": "event_callback", "event": {"text": "\xff\xfe"}}', JSON),
    "event that is a list": (b'{"type": "event_callback", "event": ["type"]}', JSON),
    "event that is null": (b'{"type": "event_callback", "event": null}', JSON),
    "actions that are null": (b'{"type": "block_actions", "actions": null}', JSON),
    "event type that is a number": (b'{"type": "event_callback", "event": {"type": 5}}', JSON),
    "user that is a list": (b'{"type": "event_callback", "user": ["id"], "event": {"type": "x"}}', JSON),
    "authorizations of numbers": (b'{"type": "event_callback", "authorizations": [1]}', JSON),
    "block_actions without actions": (b'{"type": "block_actions", "actions": []}', JSON),
    "action without an action_id": (b'{"type": "block_actions", "actions": [{"value": "a"}]}', JSON),
    "command that is a number": (b'{"command": 5, "text": "x"}', JSON),
}


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [f"{r.name}: {r.getMessage()[:200]}" for r in bad]


def nothing_sent(slack) -> None:
    slack.fake.quiet(0.3)
    assert [c.method for c in slack.fake.calls()] == ["auth.test"]


@pytest.mark.parametrize("case", MALFORMED)
def test_a_signed_malformed_body_gets_400(slack, caplog, case: str) -> None:
    body, content_type = MALFORMED[case]
    with caplog.at_level(logging.DEBUG):
        resp = signed_post(slack.url, body, content_type=content_type)
    assert resp.status == 400, resp.body
    nothing_sent(slack)
    no_tracebacks(caplog)


@pytest.mark.parametrize("case", MALFORMED)
def test_an_unsigned_body_gets_401_whatever_it_holds(slack, caplog, case: str) -> None:
    body, content_type = MALFORMED[case]
    with caplog.at_level(logging.DEBUG):
        resp = signed_post(slack.url, body, content_type=content_type, signature="v0=" + "ab" * 32)
    assert resp.status == 401
    nothing_sent(slack)
    no_tracebacks(caplog)


@pytest.mark.parametrize("timestamp", ["soon", "", "1e9", "-5", " 1700000000", "١٧٠٠٠٠٠٠٠٠", "9" * 40])
def test_a_timestamp_that_is_not_unix_seconds_gets_401(slack, caplog, timestamp: str) -> None:
    body = event_body(mention(DIDI, ts="1.1"), event_id="Ev-ts")
    with caplog.at_level(logging.DEBUG):
        # Signed over the bad timestamp, so that only the timestamp is wrong.
        resp = signed_post(slack.url, body, content_type=JSON, timestamp=timestamp)
    assert resp.status == 401
    nothing_sent(slack)
    no_tracebacks(caplog)


@pytest.mark.parametrize("chunked", [False, True], ids=["Content-Length", "chunked"])
@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_a_body_over_the_cap_gets_413(slack, caplog, chunked: bool, signed: bool) -> None:
    text = "What is the penalty for moving core data abroad? " * (5 * MAX_BODY_BYTES // 50)
    body = event_body(mention(text, ts="2.1"), event_id="Ev-huge")
    with caplog.at_level(logging.DEBUG):
        resp = signed_post(
            slack.url, body, content_type=JSON, chunked=chunked, signature=None if signed else "v0=0"
        )
    assert resp.status == 413
    nothing_sent(slack)
    no_tracebacks(caplog)
    assert "penalty" not in caplog.text


def test_an_unsigned_body_is_never_logged(slack, caplog) -> None:
    body = json.dumps({"type": "event_callback", "padding": "SECRET-LOOKING-PAYLOAD " * 20_000})
    with caplog.at_level(logging.DEBUG):
        assert signed_post(slack.url, body, content_type=JSON, secret="not-the-secret").status == 401
    logged = caplog.text
    assert logged.count("SECRET-LOOKING-PAYLOAD") == 0 and len(logged) < 2_000


class Recording:
    """The real engine, recording every question it is asked; ``hold`` keeps it waiting until released."""

    def __init__(self, engine, *, hold: bool = False) -> None:
        self.engine, self.asked = engine, []
        self.released = threading.Event()
        if not hold:
            self.released.set()

    def answer(self, question, *, context=()):
        self.asked.append(question)
        self.released.wait(30)
        return self.engine.answer(question, context=context)


def updates(slack, channel: str, count: int = 1) -> list[Call]:
    return slack.fake.wait_for(lambda c: c.method == "chat.update" and c.body["channel"] == channel, count=count)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (f"<@U123> {DIDI}", DIDI),
        (f"<@U123|anna> {DIDI}", f"anna {DIDI}"),
        (f"<!here> {DIDI} <#C42|legal> <https://x.cn/a|source>", f"{DIDI} #legal source"),
    ],
    ids=["another user", "a user with a name", "here, channel and link"],
)
def test_slack_markup_never_reaches_the_engine(slack_server_factory, engine, text: str, asked: str) -> None:
    recording = Recording(engine)
    slack = slack_server_factory(recording)
    assert slack.post_event(mention(text, ts="3.1"), event_id="Ev-markup").status == 200
    [update] = updates(slack, "C1")
    assert recording.asked == [asked]
    assert "1.2 billion" in json.dumps(update.blocks)


def test_an_over_long_question_is_cut_before_the_engine_and_the_asker_told(slack_server_factory, engine) -> None:
    recording = Recording(engine)
    slack = slack_server_factory(recording)
    limit = make_settings(slack.feedback.path.parent).max_question_chars
    long = DIDI + " Please answer in detail." * (3 * limit // 25)
    slack.post_event(mention(long, ts="4.1"), event_id="Ev-long")
    slack.post_event(mention(DIDI, ts="4.2", channel="C2"), event_id="Ev-short")
    [cut] = updates(slack, "C1")
    [whole] = updates(slack, "C2")
    assert len(recording.asked) == 2 and all(len(q) <= limit for q in recording.asked)
    assert cut.blocks[0]["type"] == "context" and whole.blocks[0]["type"] != "context"
    assert slack.feedback.thread_questions("C1", "4.1")[0].startswith(DIDI)


def test_the_slash_command_caps_questions_too(slack_server_factory, engine) -> None:
    recording = Recording(engine)
    slack = slack_server_factory(recording)
    limit = make_settings(slack.feedback.path.parent).max_question_chars
    assert slack.post_command(DIDI + " why?" * limit, response_key="cap").status == 200
    [reply] = slack.fake.wait_for(lambda c: c.method == "response_url" and c.path.endswith("/cap"))
    assert [len(q) <= limit for q in recording.asked] == [True]
    assert reply.blocks[0]["type"] == "context"


def test_a_normal_question_overtakes_queued_long_ones(slack_server_factory, engine) -> None:
    recording = Recording(engine, hold=True)
    slack = slack_server_factory(recording, workers=1)
    long = DIDI + " In detail, please." * (LONG_QUESTION_CHARS // 10)
    try:
        slack.post_event(mention(long, ts="5.0", channel="CL0"), event_id="Ev-l0")
        slack.fake.wait_for(lambda c: c.method == "chat.postMessage" and c.body["channel"] == "CL0")
        for i in range(1, 4):
            slack.post_event(mention(long, ts=f"5.{i}", channel=f"CL{i}"), event_id=f"Ev-l{i}")
        slack.fake.wait_for(lambda c: c.method == "chat.postMessage", count=4)
        slack.post_event(mention(DIDI, ts="5.9", channel="CN"), event_id="Ev-normal")
        slack.fake.wait_for(lambda c: c.method == "chat.postMessage", count=5)
    finally:
        recording.released.set()
    slack.fake.wait_for(lambda c: c.method == "chat.update", count=5)
    # The first long question was already with the engine; the normal one goes next, then the rest.
    assert recording.asked[1] == DIDI and len(recording.asked) == 5


def test_clients_that_stall_mid_body_get_408_and_do_not_block_a_signed_question(slack, caplog, monkeypatch) -> None:
    import socket
    from urllib.parse import urlsplit

    import bot.slack.serve as serve

    monkeypatch.setattr(serve, "BODY_SECONDS", 1.0)
    where = urlsplit(slack.url)
    stalled = []
    for _ in range(serve.MAX_CONCURRENT_REQUESTS):  # every slot taken by a body that never comes
        sock = socket.create_connection((where.hostname, where.port), timeout=30)
        sock.sendall(f"POST {where.path} HTTP/1.1\r\nHost: x\r\nContent-Type: {JSON}\r\n"
                     "Content-Length: 1000\r\n\r\n{".encode())
        stalled.append(sock)
    gone = socket.create_connection((where.hostname, where.port), timeout=30)  # leaves mid-body
    gone.sendall(f"POST {where.path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{{".encode())
    gone.close()
    with caplog.at_level(logging.INFO):
        resp = signed_post(slack.url, event_body(mention("How much was Didi fined?", ts="9.1"), event_id="Ev-st"),
                           content_type=JSON)
        assert resp.status == 200
        for sock in stalled:
            assert sock.recv(64).startswith(b"HTTP/1.1 408")
            sock.close()
    no_tracebacks(caplog)
