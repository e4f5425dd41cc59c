"""End to end over real HTTP: signed requests into the real Bolt app on uvicorn, the real answer engine, and
a fake Slack Web API that records every call the bot makes."""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest
from conftest import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    direct_message,
    event_body,
    mention,
    signed_post,
)
from fake_slack import BOT_ID, BOT_USER_ID, Call

from bot.slack.app import MAX_PENDING_PER_WORKER
from bot.slack.feedback import export
from bot.slack.render import ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP

DIDI = "How much was Didi fined for violating data security rules?"
DIDI_DOC = "002_e82dffa06f5920f7"


def check_message(call: Call) -> None:
    """What every message the bot sends must satisfy, whatever it says."""
    body = call.body
    assert body.get("text"), f"{call.method} without top-level text"
    blocks = call.blocks
    assert 0 < len(blocks) <= 50
    for block in blocks:
        text = block.get("text", {}).get("text", "")
        assert len(text) <= 3000
    if call.method == "chat.postMessage":
        assert body["unfurl_links"] is False and body["unfurl_media"] is False


def answered(slack, channel: str, *, count: int = 1) -> list[Call]:
    updates = slack.fake.wait_for(
        lambda c: c.method == "chat.update" and c.status == 200 and c.body["channel"] == channel, count=count
    )
    for call in updates:
        check_message(call)
    return updates


def answer_id(call: Call) -> str:
    actions = [b for b in call.blocks if b["type"] == "actions"]
    assert actions, "the answer has no feedback buttons"
    return actions[-1]["elements"][0]["value"]


def all_text(call: Call) -> str:
    return json.dumps(call.blocks, ensure_ascii=False) + call.body.get("text", "")


def test_url_verification_echoes_the_challenge(slack) -> None:
    body = json.dumps(
        {
            "token": "legacy",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    resp = signed_post(slack.url, body, content_type="application/json")
    assert resp.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in resp.body


@pytest.mark.parametrize("case", ["wrong secret", "stale timestamp", "garbage signature", "unsigned"])
def test_unverified_requests_are_rejected_with_401(slack, case: str) -> None:
    body = event_body(mention(DIDI, ts="10.1"), event_id="Ev-bad")
    kwargs = {
        "wrong secret": {"secret": "not-the-secret"},
        "stale timestamp": {"timestamp": int(time.time()) - 10 * 60},
        "garbage signature": {"signature": "v0=" + "0" * 64},
        "unsigned": {"signature": ""},
    }[case]
    if case == "unsigned":
        resp = signed_post(
            slack.url, body, content_type="application/json", headers={"X-Slack-Signature": ""}
        )
    else:
        resp = signed_post(slack.url, body, content_type="application/json", **kwargs)
    assert resp.status == 401
    slack.fake.quiet(0.3)
    assert [c.method for c in slack.fake.calls()] == ["auth.test"]  # nothing posted


def test_mention_is_answered_in_its_thread_with_sources(slack) -> None:
    resp = slack.post_event(mention(DIDI, ts="1700000001.000200"), event_id="Ev-mention")
    assert resp.status == 200 and resp.seconds < 1.5  # acknowledged before the engine runs
    [update] = answered(slack, "C1")
    [placeholder] = slack.fake.calls("chat.postMessage")
    check_message(placeholder)
    assert placeholder.body["thread_ts"] == "1700000001.000200"
    assert "Searching" in placeholder.body["text"]
    assert placeholder.time < update.time
    assert update.body["ts"] != "1700000001.000200"  # the placeholder is replaced, not the question
    text = all_text(update)
    assert "1.2 billion" in text and "[1]" in text and "*Sources*" in text
    assert "China Reassures Battered Tech Firms" in text  # the title of the article that states the fine
    stored = slack.feedback.get(answer_id(update))
    assert stored is not None and stored.question == DIDI and stored.thread_ts == "1700000001.000200"
    assert DIDI_DOC in {c.doc_id for c in stored.citations}


def test_mention_inside_a_thread_answers_in_that_thread(slack) -> None:
    slack.post_event(mention(DIDI, ts="1700000005.000300", thread_ts="1700000000.000100"), event_id="Ev-thr")
    answered(slack, "C1")
    [placeholder] = slack.fake.calls("chat.postMessage")
    assert placeholder.body["thread_ts"] == "1700000000.000100"


def test_follow_up_in_a_thread_uses_the_earlier_question(slack) -> None:
    thread = "1700000100.000100"
    slack.post_event(mention("What happened to Didi after the CAC probe?", ts=thread), event_id="Ev-f1")
    answered(slack, "C1")
    slack.post_event(
        mention("and what was the fine?", ts="1700000101.000100", thread_ts=thread), event_id="Ev-f2"
    )
    second = answered(slack, "C1", count=2)[-1]
    assert "1.2 billion" in all_text(second)
    assert slack.feedback.thread_questions("C1", thread) == [
        "What happened to Didi after the CAC probe?",
        "and what was the fine?",
    ]


def test_direct_message_is_answered_in_the_dm(slack) -> None:
    resp = slack.post_event(direct_message(DIDI, ts="1700000200.000100"), event_id="Ev-dm")
    assert resp.status == 200
    [update] = answered(slack, "D1")
    [placeholder] = slack.fake.calls("chat.postMessage")
    assert placeholder.body["channel"] == "D1" and "thread_ts" not in placeholder.body
    assert "1.2 billion" in all_text(update)


def test_slash_command_acks_at_once_and_answers_ephemerally_through_response_url(slack) -> None:
    resp = slack.post_command(DIDI, response_key="cmd1")
    assert resp.status == 200 and resp.seconds < 3
    ack = resp.json()
    assert ack["response_type"] == "ephemeral" and "Searching" in ack["text"]
    [reply] = slack.fake.wait_for(lambda c: c.method == "response_url" and c.path.endswith("/cmd1"))
    check_message(reply)
    assert reply.body["response_type"] == "ephemeral" and reply.body["replace_original"] is True
    assert "1.2 billion" in all_text(reply)
    buttons = [e["action_id"] for b in reply.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [ACTION_VOTE_UP, ACTION_VOTE_DOWN, ACTION_SHARE]
    assert not slack.fake.calls("chat.postMessage")  # nothing visible to the channel yet

    # "Share in channel": posted for everyone through the response_url, the ephemeral copy removed.
    resp = slack.click(ACTION_SHARE, answer_id(reply), user="U1", ephemeral=True, response_key="share1")
    assert resp.status == 200
    shared, delete = slack.fake.wait_for(
        lambda c: c.method == "response_url" and c.path.endswith("/share1"), count=2
    )
    assert shared.body["response_type"] == "in_channel" and "1.2 billion" in all_text(shared)
    assert "Shared by <@U1>" in all_text(shared) and ACTION_SHARE not in all_text(shared)
    assert delete.body == {"delete_original": True}


def test_slash_command_without_a_question_shows_help(slack) -> None:
    resp = slack.post_command("   ")
    assert resp.status == 200
    assert resp.json()["response_type"] == "ephemeral" and "/regbot" in resp.json()["text"]
    slack.fake.quiet(0.3)
    assert not slack.fake.calls("response_url")


def test_retries_and_repeated_event_ids_are_answered_once(slack) -> None:
    event = mention(DIDI, ts="1700000300.000100")
    assert slack.post_event(event, event_id="Ev-dup").status == 200
    # Slack's retry of the same event, a plain duplicate, and the same message under another event id.
    assert (
        slack.post_event(
            event,
            event_id="Ev-dup",
            headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
        ).status
        == 200
    )
    assert slack.post_event(event, event_id="Ev-dup").status == 200
    assert slack.post_event(event, event_id="Ev-dup-other").status == 200
    answered(slack, "C1")
    slack.fake.quiet(1.0)
    assert len(slack.fake.calls("chat.postMessage")) == 1
    assert len(slack.fake.calls("chat.update")) == 1


def test_a_retry_of_an_event_never_seen_is_answered_once(slack) -> None:
    # E.g. the first delivery reached a process that has since restarted: answering keeps the bot from
    # going silent, and the event id still guards against a second answer.
    headers = {"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"}
    slack.post_event(mention(DIDI, ts="1700000350.000100"), event_id="Ev-late", headers=headers)
    slack.post_event(mention(DIDI, ts="1700000350.000100"), event_id="Ev-late", headers=headers)
    answered(slack, "C1")
    slack.fake.quiet(0.5)
    assert len(slack.fake.calls("chat.update")) == 1


@pytest.mark.parametrize(
    "event",
    [
        mention(DIDI, ts="1700000400.000100", bot_id="B999", user="U999"),
        direct_message(DIDI, ts="1700000401.000100", subtype="bot_message", bot_id="B999"),
        direct_message(DIDI, ts="1700000402.000100", bot_id=BOT_ID, user=BOT_USER_ID),  # our own message
        direct_message(DIDI, ts="1700000403.000100", subtype="message_changed"),
        direct_message(DIDI, ts="1700000404.000100", bot_profile={"id": "B5", "name": "otherbot"}),
    ],
    ids=["other bot mention", "bot_message DM", "own message", "edited message", "bot profile"],
)
def test_bots_and_non_messages_are_ignored(slack, event) -> None:
    assert slack.post_event(event, event_id=f"Ev-{event['ts']}").status == 200
    slack.fake.quiet(0.5)
    assert [c.method for c in slack.fake.calls()] == ["auth.test"]


def test_feedback_click_is_stored_acknowledged_and_exported(slack, tmp_path) -> None:
    thread = "1700000500.000100"
    slack.post_event(mention(DIDI, ts=thread), event_id="Ev-fb")
    [update] = answered(slack, "C1")
    aid, message_ts = answer_id(update), update.body["ts"]
    resp = slack.click(ACTION_VOTE_DOWN, aid, user="U2", message_ts=message_ts, thread_ts=thread)
    assert resp.status == 200
    [thanks] = slack.fake.wait_for(lambda c: c.method == "chat.postEphemeral")
    assert (
        thanks.body["user"] == "U2" and thanks.body["thread_ts"] == thread and "Thanks" in thanks.body["text"]
    )
    slack.click(ACTION_VOTE_UP, aid, user="U2", message_ts=message_ts, thread_ts=thread)  # changed their mind
    slack.fake.wait_for(lambda c: c.method == "chat.postEphemeral", count=2)

    out = tmp_path / "feedback.jsonl"
    assert export(slack.feedback.path, out) == 1
    row = json.loads(out.read_text())
    assert row["vote"] == "up" and row["user"] == "U2" and row["channel"] == "C1" and row["ts"] == message_ts
    assert row["question"] == DIDI and "[1]" in row["answer"]
    assert row["citations"] and set(row["citations"][0]) == {"n", "doc_id", "chunk_id", "quote"}
    assert row["citations"][0]["quote"] in update.body["text"] or row["citations"][0]["quote"][
        :40
    ] in all_text(update)


def test_vote_on_an_unknown_answer_is_acknowledged_not_stored(slack) -> None:
    assert slack.click(ACTION_VOTE_UP, "no-such-answer", message_ts="1.1").status == 200
    [reply] = slack.fake.wait_for(lambda c: c.method == "chat.postEphemeral")
    assert "can't find" in reply.body["text"]
    assert list(slack.feedback.rows()) == []


def test_rate_limited_update_is_retried_after_retry_after(slack) -> None:
    slack.fake.rate_limit("chat.update", retry_after=1)
    slack.post_event(mention(DIDI, ts="1700000600.000100"), event_id="Ev-429")
    limited, retried = slack.fake.wait_for(lambda c: c.method == "chat.update", count=2)
    assert limited.status == 429 and retried.status == 200
    assert retried.time - limited.time >= 1.0
    assert retried.body == limited.body
    slack.fake.quiet(0.5)
    assert len(slack.fake.calls("chat.update")) == 2


def test_hostile_or_unusable_user_text_never_pings(slack) -> None:
    # Slack delivers "<!channel>" and "<@U123>" as markup; the question is read as plain words and whatever
    # is sent back is escaped. Control characters alone get the engine's own explanation.
    slack.post_event(
        direct_message("<!channel> <@U123> <!here> fines?\x07", ts="1700000700.000100"), event_id="Ev-hostile"
    )
    slack.post_event(direct_message("\x07\x08", ts="1700000701.000100"), event_id="Ev-control")
    first, second = answered(slack, "D1", count=2)
    for update in (first, second):
        for markup in ("<!channel>", "<@U123>", "<!here>"):
            assert markup not in all_text(update)
    notices = [u for u in (first, second) if "control characters" in u.body["text"]]
    assert len(notices) == 1 and not any(b["type"] == "actions" for b in notices[0].blocks)


def test_when_the_engine_pool_is_full_the_user_is_told_at_once(slack_server_factory, engine) -> None:
    gate = threading.Event()

    class Held:
        """The real engine, held back until the queue has filled up."""

        def answer(self, question, *, context=()):
            gate.wait(20)
            return engine.answer(question, context=context)

    slack = slack_server_factory(Held(), workers=1)
    n = MAX_PENDING_PER_WORKER + 1
    try:
        for i in range(n):
            slack.post_event(
                mention(DIDI, ts=f"1700001300.{i:06d}", channel=f"CB{i}"), event_id=f"Ev-busy-{i}"
            )
        [busy] = slack.fake.wait_for(lambda c: c.method == "chat.update" and "too many" in c.body["text"])
        check_message(busy)
    finally:
        gate.set()
    done = slack.fake.wait_for(
        lambda c: c.method == "chat.update" and "1.2 billion" in all_text(c), count=n - 1
    )
    assert busy.body["channel"] not in {c.body["channel"] for c in done}


def test_engine_failure_gives_an_apology_and_the_bot_keeps_answering(
    slack_server_factory, engine, caplog
) -> None:
    class Failing:
        """The real engine, except that one question makes it raise."""

        def answer(self, question, *, context=()):
            if "explode" in question:
                raise RuntimeError("index file xoxb-secret-in-error is corrupt")
            return engine.answer(question, context=context)

    slack = slack_server_factory(Failing())
    with caplog.at_level(logging.ERROR, logger="bot.slack.app"):
        slack.post_event(mention("please explode", ts="1700000800.000100"), event_id="Ev-boom")
        [apology] = answered(slack, "C1")
    assert "Sorry" in apology.body["text"] and "corrupt" not in all_text(apology)
    assert any(r.exc_info and "index file" in str(r.exc_info[1]) for r in caplog.records)
    slack.post_event(mention(DIDI, ts="1700000801.000100"), event_id="Ev-after")
    assert "1.2 billion" in all_text(answered(slack, "C1", count=2)[-1])


def test_secrets_never_reach_the_logs_or_slack(slack, caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        slack.post_event(mention(DIDI, ts="1700000900.000100"), event_id="Ev-secret")
        answered(slack, "C1")
        slack.post_command(DIDI, response_key="cmd-secret")
        slack.fake.wait_for(lambda c: c.method == "response_url")
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN):
        assert secret not in logged
    sent = json.dumps([c.body for c in slack.fake.calls()])
    assert BOT_TOKEN not in sent and SIGNING_SECRET not in sent


def test_health_endpoint(slack) -> None:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(slack.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.request("GET", "/healthz")
    resp = conn.getresponse()
    assert resp.status == 200 and resp.read() == b"ok"
    conn.close()


HOSTILE_DOC = """Data fines digest <!channel> & <@U123>

The regulator fined Acme Logistics 5 million yuan <!channel> for leaking customer addresses <@U123>. \
Details are at <https://evil.example|the official notice> & <!here> should read them.

Acme said it would appeal the fine and strengthen its data protection programme.
"""


def test_hostile_document_text_is_escaped_end_to_end(slack_server_factory, tmp_path) -> None:
    """A corpus whose own text tries to ping the channel and forge a link, answered for real."""
    from conftest import make_settings

    from bot.engine import AnswerEngine

    corpus = tmp_path / "hostile-corpus"
    corpus.mkdir()
    (corpus / "acme.txt").write_text(HOSTILE_DOC, encoding="utf-8")
    (corpus / "metadata.json").write_text(json.dumps({"acme": {"publisher": "<!everyone> Daily"}}))
    hostile_engine = AnswerEngine.from_settings(make_settings(tmp_path, corpus_dir=corpus))
    slack = slack_server_factory(hostile_engine)
    slack.post_event(
        mention("How much was Acme Logistics fined for leaking addresses?", ts="1700001200.000100"),
        event_id="Ev-hostile-doc",
    )
    [update] = answered(slack, "C1")
    payload = all_text(update)
    assert "5 million yuan" in payload  # it really quoted the hostile passage
    for markup in ("<!channel>", "<@U123>", "<https://evil", "<!here>", "<!everyone>"):
        assert markup not in payload
    assert "&lt;!channel&gt;" in payload and "&lt;@U123&gt;" in payload
    assert "&lt;!everyone&gt; Daily" in payload  # the publisher line is escaped too
