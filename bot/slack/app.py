"""The Slack app: thin Bolt listeners around the answer engine, the renderer and the feedback store.

    engine = AnswerEngine.from_settings(settings)
    app = build_app(engine, settings, config=SlackConfig.from_env(require=("SLACK_BOT_TOKEN",)))
    # serve it with bot.slack.serve (Socket Mode, or HTTP on uvicorn at /slack/events)

How a question flows: Bolt acknowledges the event at once (``process_before_response=False``) and runs the
listener on its own small I/O pool; the listener drops bots and duplicates, reads the question out of the
Slack markup and cuts it to ``settings.max_question_chars``, posts a "Searching…" placeholder and hands the
question to a bounded engine pool (``settings.workers`` threads, long questions behind short ones), whose
worker answers, records the answer for feedback, and replaces the placeholder with ``chat.update``. Slash
commands are acknowledged with an ephemeral placeholder and answered through their ``response_url``.

This module is the only place that knows about Slack; the engine only sees a question and its context.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.engine import BadQuestion
from bot.engine.records import Answer
from bot.slack.feedback import FeedbackStore
from bot.slack.pools import BoundedExecutor, EnginePool
from bot.slack.render import (
    ACTION_SHARE,
    ACTION_VOTE_DOWN,
    ACTION_VOTE_UP,
    SlackMessage,
    cap_question,
    question_from_text,
    render_answer,
    render_apology,
    render_busy,
    render_help,
    render_notice,
    render_placeholder,
    render_vote_thanks,
)
from index.config import Settings

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
COMMAND = re.compile(r"^/regbot")  # also matches "/regbot-dev" and the like for a second install
# Follow-ups: this many earlier questions of the thread are passed to the engine as context. Outside a
# thread (the top of a DM) only questions from the last few minutes count, so a new topic starts clean.
CONTEXT_TURNS = 3
DM_CONTEXT_SECONDS = 15 * 60
# Questions waiting for or in the engine pool: beyond this many per worker, or beyond this expected wait,
# the bot says at once that it is busy rather than answering minutes later.
MAX_PENDING_PER_WORKER = 50
# Questions longer than this (after the cap) wait behind shorter ones: they cost the engine several times
# as much, and a normal question should not queue behind a batch of pasted documents.
LONG_QUESTION_CHARS = 500
# Slack retries an event up to three times within about five minutes; an hour covers that with room.
DEDUPE_SECONDS = 3600
# Shares go through the slash command's response_url, which Slack honours for 30 minutes.
SHARE_SECONDS = 30 * 60
LISTENER_THREADS = 16
# Events acknowledged but not yet taken by a listener thread; beyond this, new requests wait unread.
LISTENER_QUEUE = 64
_UNFURL_OFF = {"unfurl_links": False, "unfurl_media": False}


class AnswerEngineLike(Protocol):
    def answer(self, question: str, *, context: Sequence[str] = ()) -> Answer: ...


class ConfigError(ValueError):
    """A missing or malformed Slack setting; the message names the variable and is safe to print."""


@dataclass(frozen=True)
class SlackConfig:
    """Slack credentials and endpoint, read from the environment by the entry point only.

    ``SlackConfig.from_env(require=("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"))``; secrets stay out of repr.
    """

    bot_token: str = field(repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, require: Sequence[str] = ()) -> SlackConfig:
        """Read SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN and SLACK_API_URL; a variable in
        ``require`` that is unset or blank raises ConfigError naming it."""
        env = os.environ if env is None else env
        values = {name: env.get(name, "").strip() for name in _ENV_NAMES}
        for name in require:
            if name not in _ENV_NAMES:
                raise ValueError(f"unknown Slack variable {name!r}; expected one of {sorted(_ENV_NAMES)}")
            if not values[name]:
                raise ConfigError(f"{name} is not set. {_ENV_NAMES[name]}")
        config = cls(
            bot_token=values["SLACK_BOT_TOKEN"],
            signing_secret=values["SLACK_SIGNING_SECRET"],
            app_token=values["SLACK_APP_TOKEN"],
            api_url=values["SLACK_API_URL"] or DEFAULT_API_URL,
        )
        config.validate()
        return config

    def validate(self) -> None:
        """Catch the usual mix-ups (tokens swapped, a URL without a scheme) before Slack does."""
        if self.bot_token.startswith("xapp-"):
            raise ConfigError(
                "SLACK_BOT_TOKEN holds an app-level token (xapp-…); it must be the bot token (xoxb-…)"
            )
        if self.bot_token and not self.bot_token.startswith("xoxb-"):
            logger.warning("SLACK_BOT_TOKEN does not start with xoxb-; is it the bot user token?")
        if self.app_token and not self.app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write")
        if not re.match(r"^https?://[^/\s]+", self.api_url):
            raise ConfigError(f"SLACK_API_URL must be an http(s) URL, got {self.api_url!r}")

    @property
    def base_url(self) -> str:
        """``api_url`` with the trailing slash slack_sdk needs to append method names."""
        return self.api_url if self.api_url.endswith("/") else self.api_url + "/"

    def secrets(self) -> tuple[str, ...]:
        """The values that must never reach a log line."""
        return tuple(s for s in (self.bot_token, self.signing_secret, self.app_token) if s)


_ENV_NAMES = {
    "SLACK_BOT_TOKEN": "Set it to the app's Bot User OAuth Token (xoxb-…, 'OAuth & Permissions' page).",
    "SLACK_SIGNING_SECRET": "HTTP mode needs it to verify requests ('Basic Information' > 'Signing Secret').",
    "SLACK_APP_TOKEN": "Socket Mode needs an app-level token (xapp-…) with connections:write "
    "('Basic Information' > 'App-Level Tokens'), or run `regbot serve --http`.",
    "SLACK_API_URL": "",
}


def retry_handlers() -> list[RetryHandler]:
    """429 → wait Retry-After and retry (3 times); dropped connections and 500/503 → retry once more."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=1),
    ]


def web_client(config: SlackConfig, *, timeout: int = 30) -> WebClient:
    """The Web API client every listener copies: ``config.base_url``, bot token, retry handlers."""
    return WebClient(
        token=config.bot_token, base_url=config.base_url, timeout=timeout, retry_handlers=retry_handlers()
    )


class _Seen:
    """Keys seen in the last ``ttl`` seconds (bounded); ``first()`` claims keys atomically across threads."""

    def __init__(self, ttl: float = DEDUPE_SECONDS, max_size: int = 50_000) -> None:
        self._ttl, self._max = ttl, max_size
        self._keys: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, *keys: str) -> bool:
        """True if none of ``keys`` was seen before (and remember them all); False for a duplicate."""
        now = time.monotonic()
        with self._lock:
            while self._keys and (
                next(iter(self._keys.values())) < now - self._ttl or len(self._keys) > self._max
            ):
                self._keys.popitem(last=False)
            if any(k in self._keys for k in keys if k):
                return False
            for k in keys:
                if k:
                    self._keys[k] = now
            return True


class _ExpiringCache:
    """Answers kept for the "Share in channel" button, dropped when their response_url has expired."""

    def __init__(self, ttl: float = SHARE_SECONDS) -> None:
        self._ttl = ttl
        self._items: OrderedDict[str, tuple[float, Answer]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str, value: Answer) -> None:
        now = time.monotonic()
        with self._lock:
            self._items[key] = (now, value)
            while self._items and next(iter(self._items.values()))[0] < now - self._ttl:
                self._items.popitem(last=False)

    def get(self, key: str) -> Answer | None:
        with self._lock:
            item = self._items.get(key)
        return item[1] if item and item[0] >= time.monotonic() - self._ttl else None


def is_from_bot(event: Mapping[str, Any]) -> bool:
    """Messages by any bot, ours included: answering them risks loops between bots."""
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message")


def field_str(obj: object, *path: str) -> str:
    """The string at ``path`` in nested dicts, or "" when a step is missing or of another type: payloads
    carry ids either as "U1" or as {"id": "U1"}, and a listener must not fail on one it did not expect.

    ``field_str({"user": {"id": "U1"}}, "user", "id")`` -> ``"U1"``
    """
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj if isinstance(obj, str) else ""


class _Bot:
    """The listeners and the jobs they start; one per App."""

    def __init__(
        self, engine: AnswerEngineLike, feedback: FeedbackStore, pool: EnginePool, *, max_question_chars: int
    ) -> None:
        self.engine = engine
        self.feedback = feedback
        self.pool = pool
        self.max_question_chars = max_question_chars
        self.seen = _Seen()
        self.shareable = _ExpiringCache()

    # --- events -------------------------------------------------------------------------------------------

    def on_mention(self, body: dict, event: dict, context: Any, client: WebClient) -> None:
        if not self._first_delivery(body, event):
            return
        thread_ts = field_str(event, "thread_ts") or field_str(event, "ts")
        self._ask(client, event, context, thread_ts=thread_ts, since=None)

    def on_message(self, body: dict, event: dict, context: Any, client: WebClient) -> None:
        # Only plain DMs from people: edits, deletions, joins and file shares carry a subtype.
        if event.get("channel_type") != "im" or event.get("subtype") is not None:
            return
        if not self._first_delivery(body, event):
            return
        thread_ts = field_str(event, "thread_ts") or None  # top-level DMs are answered at top level
        since = None if thread_ts else time.time() - DM_CONTEXT_SECONDS
        self._ask(client, event, context, thread_ts=thread_ts, since=since)

    def _first_delivery(self, body: dict, event: dict) -> bool:
        if not field_str(event, "channel") or not field_str(event, "ts"):
            logger.info("ignoring an event without a channel or ts: not a message")
            return False
        if is_from_bot(event):
            logger.debug("ignoring a message from bot %s", event.get("bot_id") or event.get("user"))
            return False
        # A Slack retry repeats the event_id; the same message can also arrive as two event types.
        keys = (body.get("event_id", ""), f"{event.get('channel')}:{event.get('ts')}")
        if not self.seen.first(*keys):
            logger.info("ignoring a repeated delivery of event %s", body.get("event_id"))
            return False
        return True

    def _ask(
        self, client: WebClient, event: dict, context: Any, *, thread_ts: str | None, since: float | None
    ):
        channel, user = field_str(event, "channel"), field_str(event, "user")
        question = question_from_text(field_str(event, "text"), bot_user_id=context.bot_user_id)
        if not question:
            self._post(client, channel, thread_ts, render_help())
            return
        question, cut = cap_question(question, self.max_question_chars)
        placeholder = self._post(client, channel, thread_ts, render_placeholder())
        if placeholder is None:
            return
        job = _Job(
            channel=channel, thread_ts=thread_ts, ts=placeholder, user=user, question=question, cut=cut, since=since
        )
        if not self.pool.submit(self._answer_in_thread, client, job, priority=self._priority(question)):
            logger.warning("engine pool full: told the user in %s to ask again", channel)
            self._update(client, job, render_busy())

    def _answer_in_thread(self, client: WebClient, job: _Job) -> None:
        context = self.feedback.thread_questions(
            job.channel, job.thread_ts, limit=CONTEXT_TURNS, since=job.since
        )
        message = self._answer(
            job.question,
            context,
            cut=job.cut,
            user=job.user,
            channel=job.channel,
            thread_ts=job.thread_ts,
            ts=job.ts,
            shareable=False,
        )
        self._update(client, job, message)

    def _priority(self, question: str) -> int:
        return int(len(question) > LONG_QUESTION_CHARS)

    def _answer(
        self, question: str, context: Sequence[str], *, cut: bool, shareable: bool, **where: Any
    ) -> SlackMessage:
        """Ask the engine and render the result; never raises, so every question gets a reply. ``cut``: the
        question was capped, which the reply says."""
        started = time.perf_counter()
        notice = f"Your question was cut to its first {self.max_question_chars:,} characters." if cut else ""
        try:
            answer = self.engine.answer(question, context=tuple(context))
        except BadQuestion as e:  # written for the user; any other error is ours and gets the apology
            logger.info("the engine refused a question in %s: %s", where.get("channel"), e)
            return render_notice(str(e), emoji=":information_source:")
        except Exception:
            logger.exception("the answer engine failed (channel %s)", where.get("channel"))
            return render_apology()
        try:
            stored = self.feedback.record_answer(answer, **where)
        except Exception:
            logger.exception("could not record an answer in %s; feedback on it will be lost", self.feedback)
            return render_answer(answer, answer_id="unrecorded", notice=notice)
        if shareable:
            self.shareable.put(stored.id, answer)
        logger.info(
            "answered in %s: %d citations, abstained=%s, %.0f ms",
            where.get("channel"),
            len(answer.citations),
            answer.abstained,
            1000 * (time.perf_counter() - started),
        )
        return render_answer(answer, answer_id=stored.id, shareable=shareable, notice=notice)

    # --- slash command ------------------------------------------------------------------------------------

    def on_command(self, ack: Callable[..., Any], command: dict) -> None:
        question = question_from_text(field_str(command, "text"))
        if not question or question.lower() in ("help", "?") or not field_str(command, "response_url"):
            # Slack always sends a response_url; without one there would be nowhere to answer.
            ack(response_type="ephemeral", **render_help(field_str(command, "command") or "/regbot").as_kwargs())
            return
        question, cut = cap_question(question, self.max_question_chars)
        # Acknowledge first, so the placeholder cannot arrive after a fast answer and cover it.
        ack(response_type="ephemeral", **render_placeholder().as_kwargs())
        if not self.pool.submit(self._answer_command, command, question, cut, priority=self._priority(question)):
            logger.warning("engine pool full: told the user of %s to ask again", field_str(command, "command"))
            send_response_url(
                command["response_url"],
                {"response_type": "ephemeral", "replace_original": True, **render_busy().as_kwargs()},
            )

    def _answer_command(self, command: dict, question: str, cut: bool) -> None:
        message = self._answer(
            question,
            (),
            cut=cut,
            user=field_str(command, "user_id"),
            channel=field_str(command, "channel_id"),
            thread_ts=None,
            ts="",
            shareable=True,
        )
        send_response_url(
            command["response_url"],
            {"response_type": "ephemeral", "replace_original": True, **message.as_kwargs(), **_UNFURL_OFF},
        )

    # --- buttons ------------------------------------------------------------------------------------------

    def on_vote(self, ack: Callable[..., Any], body: dict, action: dict, client: WebClient) -> None:
        ack()
        vote = "up" if action.get("action_id") == ACTION_VOTE_UP else "down"
        user = field_str(body, "user", "id")
        channel = field_str(body, "channel", "id") or field_str(body, "container", "channel_id")
        ts = field_str(body, "container", "message_ts") or field_str(body, "message", "ts")
        answer_id = field_str(action, "value")
        try:
            self.feedback.record_vote(answer_id, vote=vote, user=user, channel=channel, ts=ts)
            reply = render_vote_thanks(vote)
        except KeyError:
            logger.warning("a vote arrived for an unknown or expired answer id %r", answer_id[:64])
            reply = render_notice("Sorry, I can't find that answer any more, so the vote was not recorded.")
        except Exception:
            logger.exception("could not store a vote in %s", self.feedback)
            reply = render_notice("Sorry, I couldn't record your vote just now. Please try again later.")
        self._tell(client, body, reply)

    def on_share(self, ack: Callable[..., Any], body: dict, action: dict, client: WebClient) -> None:
        ack()
        answer_id = field_str(action, "value")
        answer = self.shareable.get(answer_id)
        url = field_str(body, "response_url")
        if answer is None or not url:
            self._tell(client, body, render_notice("That answer has expired; please ask again to share it."))
            return
        shared = render_answer(answer, answer_id=answer_id, shared_by=field_str(body, "user", "id"))
        if send_response_url(
            url,
            {"response_type": "in_channel", "replace_original": False, **shared.as_kwargs(), **_UNFURL_OFF},
        ):
            send_response_url(url, {"delete_original": True})

    def _tell(self, client: WebClient, body: dict, message: SlackMessage) -> None:
        """An ephemeral reply to whoever clicked: in the thread of a normal message, via response_url for an
        ephemeral one (which has no thread)."""
        channel = field_str(body, "channel", "id") or field_str(body, "container", "channel_id")
        user = field_str(body, "user", "id")
        ephemeral = isinstance(body.get("container"), dict) and body["container"].get("is_ephemeral")
        if not ephemeral and channel and user:
            thread_ts = field_str(body, "message", "thread_ts") or None
            try:
                client.chat_postEphemeral(
                    channel=channel, user=user, thread_ts=thread_ts, **message.as_kwargs()
                )
                return
            except SlackApiError as e:
                logger.warning(
                    "chat.postEphemeral failed (%s); replying through response_url", e.response.get("error")
                )
        if field_str(body, "response_url"):
            send_response_url(
                body["response_url"],
                {"response_type": "ephemeral", "replace_original": False, **message.as_kwargs()},
            )

    # --- Web API ------------------------------------------------------------------------------------------

    def _post(
        self, client: WebClient, channel: str, thread_ts: str | None, message: SlackMessage
    ) -> str | None:
        try:
            resp = client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, link_names=False, **message.as_kwargs(), **_UNFURL_OFF
            )
        except SlackApiError as e:
            logger.error("chat.postMessage to %s failed: %s", channel, e.response.get("error"))
            return None
        return resp.get("ts")

    def _update(self, client: WebClient, job: _Job, message: SlackMessage) -> None:
        try:
            client.chat_update(channel=job.channel, ts=job.ts, link_names=False, **message.as_kwargs())
        except SlackApiError as e:
            # The placeholder may have been deleted meanwhile: post the answer as a new message instead.
            logger.warning(
                "chat.update in %s failed (%s); posting a new message", job.channel, e.response.get("error")
            )
            self._post(client, job.channel, job.thread_ts, message)


@dataclass(frozen=True)
class _Job:
    channel: str
    thread_ts: str | None
    ts: str  # the placeholder to replace
    user: str
    question: str
    cut: bool  # the question was capped
    since: float | None


def send_response_url(url: str, payload: dict[str, Any]) -> bool:
    """POST ``payload`` to a response_url with the same retry policy as the Web API (429 → Retry-After).
    The URL is a credential of sorts and is never logged."""
    try:
        resp = WebhookClient(url=url, timeout=10, retry_handlers=retry_handlers()).send_dict(payload)
    except Exception as e:
        logger.error("posting to a response_url failed: %s", type(e).__name__)
        return False
    if resp.status_code != 200:
        logger.error("a response_url answered %s: %s", resp.status_code, (resp.body or "")[:200])
        return False
    return True


def build_app(
    engine: AnswerEngineLike,
    settings: Settings,
    *,
    client: WebClient | None = None,
    feedback: FeedbackStore | None = None,
    config: SlackConfig | None = None,
    executor: Executor | None = None,
) -> App:
    """A Bolt App answering @mentions, DMs and ``/regbot`` with ``engine``.

    ``config`` defaults to ``SlackConfig.from_env()``; ``client`` to ``web_client(config)``, whose retry
    handlers make 429s wait for Retry-After; ``feedback`` to a FeedbackStore at ``settings.feedback_path``
    that expires text after ``settings.retention_days``;
    ``executor`` to a ThreadPoolExecutor of ``settings.workers`` threads (pass your own to shut it down).
    The bot token is checked with ``auth.test`` here, so a bad token fails at start-up.
    """
    if settings.workers < 1:
        raise ValueError(f"settings.workers must be at least 1, got {settings.workers!r}")
    if settings.max_question_chars < 1:
        raise ValueError(f"REGBOT_MAX_QUESTION_CHARS must be at least 1, got {settings.max_question_chars!r}")
    if config is None:
        config = SlackConfig.from_env(require=() if client is not None else ("SLACK_BOT_TOKEN",))
    client = client if client is not None else web_client(config)
    if not client.token:
        raise ConfigError("SLACK_BOT_TOKEN is not set. " + _ENV_NAMES["SLACK_BOT_TOKEN"])
    if feedback is None:
        feedback = FeedbackStore(settings.feedback_path, retention_days=settings.retention_days)
    executor = executor or ThreadPoolExecutor(settings.workers, thread_name_prefix="regbot-engine")
    pool = EnginePool(executor, settings.workers, max_pending=settings.workers * MAX_PENDING_PER_WORKER)
    bot = _Bot(engine, feedback, pool, max_question_chars=settings.max_question_chars)

    app = App(
        client=client,
        # Without a secret (Socket Mode) use a random one, so that no HTTP request can ever verify.
        signing_secret=config.signing_secret or secrets.token_hex(32),
        process_before_response=False,
        listener_executor=BoundedExecutor(
            LISTENER_THREADS, max_queued=LISTENER_QUEUE, thread_name_prefix="regbot-slack"
        ),
        name="regbot",
    )
    app.event("app_mention")(bot.on_mention)
    app.event("message")(bot.on_message)
    app.command(COMMAND)(bot.on_command)
    app.action(ACTION_VOTE_UP)(bot.on_vote)
    app.action(ACTION_VOTE_DOWN)(bot.on_vote)
    app.action(ACTION_SHARE)(bot.on_share)
    return app
