"""Property-based tests (hypothesis) of what Slack users and strangers can send: message text through
``question_from_text``, and random or hostile bodies and headers, signed and unsigned, against the real app
over real HTTP with the real engine. Nothing may raise, answer 5xx, log a traceback or let markup through.

Examples are derandomised, so a run is repeatable; raise FUZZ_EXAMPLES to search harder locally:
``FUZZ_EXAMPLES=2000 scripts/test.sh tests/slack/test_slack_fuzz.py``.
"""

from __future__ import annotations

import json
import logging
import os
import re
from urllib.parse import urlencode

import pytest
from conftest import signed_post
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack.render import ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP, cap_question, question_from_text
from bot.slack.serve import MAX_LOG_CHARS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MARKUP = re.compile(r"<[@#!]|<(?:https?|mailto|tel):", re.IGNORECASE)

# --- message text -------------------------------------------------------------------------------------------

PIECES = [
    "<@UBOT>", "<@U123>", "<@U1|anna>", "<@W9|@Li Wei>", "<#C1|legal>", "<#C2>", "<!here>", "<!channel>",
    "<!everyone|all>", "<!subteam^S1|@team>", "<!date^1^{date}|today>", "<https://cac.gov.cn|CAC>",
    "<https://x.cn>", "<mailto:a@b.cn|mail>", "&lt;", "&gt;", "&amp;", "<", ">", "|", "@", "#", "!", "^",
    "https:", "mailto:", " ", "\n", "How much was Didi fined?", "滴滴罚款多少",
]
slack_text = st.text() | st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=30).map("".join)


@FUZZ
@given(slack_text)
def test_question_from_text_never_raises_and_lets_no_markup_through(text: str) -> None:
    question = question_from_text(text, bot_user_id="UBOT")
    assert not MARKUP.search(question), question
    assert question == " ".join(question.split())
    capped, cut = cap_question(question or "x", 50)
    assert len(capped) <= 50 and (question or "x").startswith(capped) and cut == (len(question or "x") > 50)


# --- HTTP bodies --------------------------------------------------------------------------------------------

# Keys Slack payloads use, so that random payloads reach Bolt's and our listeners' code paths. Never
# "response_url": the bot posts to it, and a random one could point off this machine.
KEYS = [
    "type", "event", "user", "team", "channel", "enterprise", "actions", "authorizations", "command", "text",
    "challenge", "container", "message", "view", "ts", "thread_ts", "event_id", "subtype", "channel_type",
    "bot_id", "bot_profile", "action_id", "value", "ssl_check", "token", "is_ext_shared_channel", "item",
    "assistant_thread", "function_data", "previous_message", "user_team", "is_ephemeral", "id", "team_id",
]
TYPES = ["event_callback", "url_verification", "block_actions", "app_mention", "message", "interactive_message",
         "view_submission", "shortcut", "workflow_step_edit", "dialog_submission", "app_rate_limited"]
leaf = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.sampled_from(TYPES)
    | st.sampled_from(["/regbot", ACTION_VOTE_UP, ACTION_VOTE_DOWN, ACTION_SHARE, "im", "U1", "C1", "1.1"])
    | slack_text
)
json_values = st.recursive(
    leaf,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6),
    max_leaves=30,
)
payloads = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8)


@st.composite
def slack_like(draw) -> dict:
    """An envelope of a kind the app handles, with random (often wrongly typed) fields."""
    kind = draw(st.sampled_from(["mention", "dm", "click", "command", "random"]))
    extra = draw(payloads)
    if kind in ("mention", "dm"):
        event = {"type": "app_mention" if kind == "mention" else "message", "channel_type": "im",
                 "text": draw(slack_text), "channel": "C1", "ts": draw(st.sampled_from(["1.1", "2.2", 3]))}
        event.update(draw(payloads))
        return {"type": "event_callback", "event_id": draw(st.text(max_size=8)), "event": event, **extra}
    if kind == "click":
        action = {"action_id": draw(st.sampled_from([ACTION_VOTE_UP, ACTION_SHARE, "other"])),
                  "value": draw(st.text(max_size=40) | json_values)}
        return {"type": "block_actions", "actions": [action], **extra}
    if kind == "command":
        return {"command": "/regbot", "text": draw(slack_text), **extra}
    return extra


@st.composite
def bodies(draw) -> tuple[bytes, str]:
    """(body, Content-Type): JSON, form with payload=, plain form, or bytes."""
    shape = draw(st.sampled_from(["json", "payload", "form", "bytes"]))
    if shape == "bytes":
        return draw(st.binary(max_size=300)), draw(st.sampled_from(["application/json", "text/plain", ""]))
    value = draw(slack_like() | json_values)
    text = json.dumps(value, ensure_ascii=draw(st.booleans()))
    if shape == "json":
        return text.encode(), "application/json"
    if shape == "payload":
        form = {"payload": draw(st.just(text) | st.text(max_size=40))}
    else:
        form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in value.items()} if isinstance(
            value, dict
        ) else {"text": text}
    return urlencode(form).encode(), "application/x-www-form-urlencoded"


header_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=40)


def clean_log(caplog: pytest.LogCaptureFixture) -> None:
    """No traceback, no long line (a body), in anything any thread logged."""
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert not tracebacks, [f"{r.name}: {r.getMessage()[:300]}" for r in tracebacks]
    assert max((len(r.getMessage()) for r in caplog.records), default=0) <= MAX_LOG_CHARS


def test_signed_random_bodies_never_get_5xx_or_a_traceback(slack, caplog) -> None:
    statuses: set[int] = set()

    @FUZZ
    @given(bodies())
    def check(body_and_type: tuple[bytes, str]) -> None:
        body, content_type = body_and_type
        status = signed_post(slack.url, body, content_type=content_type).status
        assert status < 500, body[:300]
        statuses.add(status)

    with caplog.at_level(logging.INFO):
        check()
        slack.fake.quiet(1.0)  # listeners run after the HTTP answer: let them finish before reading the log
    clean_log(caplog)
    assert {200, 400} <= statuses  # the search reached both the app and the gate


def test_unsigned_random_requests_get_401_or_413_and_reach_nothing(slack, caplog) -> None:
    @FUZZ
    @given(bodies(), header_text, header_text, header_text)
    def check(body_and_type: tuple[bytes, str], timestamp: str, signature: str, content_type: str) -> None:
        body, _ = body_and_type
        headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}
        resp = signed_post(slack.url, body, content_type=content_type, headers=headers)
        assert resp.status in (401, 413), (resp.status, body[:300])

    with caplog.at_level(logging.INFO):
        check()
    slack.fake.quiet(0.3)
    assert [c.method for c in slack.fake.calls()] == ["auth.test"]
    clean_log(caplog)
