"""Slack test fixtures: the real answer engine over the seeds (built once per session), a fake Slack Web API,
and the real Bolt app served by uvicorn on 127.0.0.1, reached with requests signed like Slack signs them."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fake_slack import TEAM_ID, FakeSlack
from slack_client import Response, event_body, mention, post, signed_headers

__all__ = ["Response", "event_body", "mention", "signed_post"]

from bot.slack.app import SlackConfig, build_app
from bot.slack.feedback import FeedbackStore
from index.config import Settings

BOT_TOKEN = "xoxb-1111-2222-testbottoken"
APP_TOKEN = "xapp-1-A111-333-testapptoken"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
HTTP_TIMEOUT = 10


@pytest.fixture(scope="session")
def engine(data_dir: Path):
    """The real AnswerEngine over the seed corpus, its index built under the session's temporary data dir."""
    from bot.engine import AnswerEngine

    return AnswerEngine.from_settings(Settings.from_env())


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as fake:
        yield fake


def signed_post(
    url: str,
    body: str | bytes,
    *,
    content_type: str,
    secret: str = SIGNING_SECRET,
    timestamp: int | str | None = None,
    headers: dict[str, str] | None = None,
    signature: str | None = None,
    chunked: bool = False,
) -> Response:
    """POST ``body`` with Slack's v0 signature headers, as Slack's servers would; ``headers`` and
    ``signature`` replace what Slack would send."""
    raw = body.encode() if isinstance(body, str) else body
    sent = signed_headers(secret, raw, content_type=content_type, timestamp=timestamp)
    if signature is not None:
        sent["X-Slack-Signature"] = signature
    return post(url, raw, {**sent, **(headers or {})}, chunked=chunked, timeout=HTTP_TIMEOUT)


def direct_message(
    text: str, *, ts: str, channel: str = "D1", user: str = "U1", **extra: Any
) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }


@dataclass
class SlackServer:
    """The real app behind real HTTP; helpers send what Slack would send."""

    url: str
    fake: FakeSlack
    feedback: FeedbackStore

    def post_event(
        self, event: dict[str, Any], *, event_id: str, headers: dict[str, str] | None = None, **kw: Any
    ) -> Response:
        return signed_post(
            self.url,
            event_body(event, event_id=event_id),
            content_type="application/json",
            headers=headers,
            **kw,
        )

    def post_command(
        self, text: str, *, response_key: str = "cmd", user: str = "U1", channel: str = "C1"
    ) -> Response:
        body = urlencode(
            {
                "token": "legacy",
                "team_id": TEAM_ID,
                "team_domain": "test",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": "anna",
                "command": "/regbot",
                "text": text,
                "api_app_id": "A111",
                "response_url": self.fake.response_url(response_key),
                "trigger_id": "1.2.3",
            }
        )
        return signed_post(self.url, body, content_type="application/x-www-form-urlencoded")

    def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U2",
        channel: str = "C1",
        message_ts: str = "",
        thread_ts: str | None = None,
        ephemeral: bool = False,
        response_key: str = "click",
    ) -> Response:
        # As Slack sends it, down to the fields nobody reads: a button's "text" is an object, not a string.
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": "bob", "name": "bob", "team_id": TEAM_ID},
            "api_app_id": "A111",
            "token": "legacy",
            "team": {"id": TEAM_ID, "domain": "test"},
            "enterprise": None,
            "is_enterprise_install": False,
            "state": {"values": {}},
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "channel": {"id": channel, "name": "general"},
            "trigger_id": "1.2.3",
            "response_url": self.fake.response_url(response_key),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "regbot_feedback",
                    "text": {"type": "plain_text", "text": "👍 Helpful", "emoji": True},
                    "value": value,
                    "type": "button",
                    "action_ts": str(time.time()),
                }
            ],
        }
        if not ephemeral:
            payload["message"] = {
                "type": "message",
                "ts": message_ts,
                "bot_id": "BBOT",
                "text": "answer",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "answer", "verbatim": True}}],
                **({"thread_ts": thread_ts} if thread_ts else {}),
            }
        return signed_post(
            self.url,
            urlencode({"payload": json.dumps(payload)}),
            content_type="application/x-www-form-urlencoded",
        )


@contextlib.contextmanager
def serve_http(bolt_app) -> Iterator[str]:
    """Serve ``bolt_app`` with uvicorn on a free 127.0.0.1 port in a thread; yields the events URL."""
    import uvicorn

    from bot.slack.serve import EVENTS_PATH, create_http_app

    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(
            create_http_app(bolt_app, signing_secret=SIGNING_SECRET),
            log_config=None,
            lifespan="off",
            timeout_graceful_shutdown=5,
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + HTTP_TIMEOUT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}{EVENTS_PATH}"
    finally:
        server.should_exit = True
        thread.join(timeout=HTTP_TIMEOUT)
        sock.close()


def make_settings(tmp_path: Path, **changes: Any) -> Settings:
    return dataclasses.replace(Settings.from_env(), feedback_db=tmp_path / "feedback.sqlite3", **changes)


@pytest.fixture
def slack_server_factory(fake_slack: FakeSlack, tmp_path: Path):
    """``start(engine, workers=2)`` -> SlackServer; everything it starts is stopped after the test."""
    with contextlib.ExitStack() as stack:

        def start(engine, *, workers: int = 2) -> SlackServer:
            settings = make_settings(tmp_path, workers=workers)
            executor = ThreadPoolExecutor(workers, thread_name_prefix="test-engine")
            stack.callback(executor.shutdown, wait=True)
            config = SlackConfig(
                bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake_slack.api_url
            )
            feedback = stack.enter_context(FeedbackStore(settings.feedback_path))
            app = build_app(engine, settings, config=config, feedback=feedback, executor=executor)
            url = stack.enter_context(serve_http(app))
            return SlackServer(url=url, fake=fake_slack, feedback=feedback)

        yield start


@pytest.fixture
def slack(slack_server_factory, engine) -> SlackServer:
    """The real app with the real engine, served over HTTP, talking to the fake Web API."""
    return slack_server_factory(engine)
