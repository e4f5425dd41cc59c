"""The Slack app: thin Bolt listeners around the answer engine, the renderer and the feedback store.

    engine = AnswerEngine.from_settings(settings)
    app = build_app(engine, settings, config=SlackConfig.from_env(require=("SLACK_BOT_TOKEN",)))
    # serve it with bot.slack.serve (Socket Mode, or HTTP on uvicorn at /slack/events)

How a question flows: Bolt acknowledges the event at once (``process_before_response=False``) and runs the
listener on its own small I/O pool; the listener drops bots and duplicates, posts a "Searching…" placeholder
and hands the question to a bounded engine pool (``settings.workers`` threads), whose worker answers, records
the answer for feedback, and replaces the placeholder with ``chat.update``. Slash commands are acknowledged
with an ephemeral placeholder and answered through their ``response_url``.

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
from bot.slack.render import (
    ACTION_SHARE,
    ACTION_VOTE_DOWN,
    ACTION_VOTE_UP,
    SlackMessage,
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
MAX_WAIT_SECONDS = 30.0
# Slack retries an event up to three times within about five minutes; an hour covers that with room.
DEDUPE_SECONDS = 3600
# Shares go through the slash command's response_url, which Slack honours for 30 minutes.
SHARE_SECONDS = 30 * 60
LISTENER_THREADS = 16
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


class EnginePool:
    """Runs answer jobs on ``executor`` (``workers`` threads) and refuses new ones, at once, when the queue
    is full or its expected wait (queued jobs per worker × the recent job time) exceeds ``max_wait`` seconds:
    a "busy, ask again" now is better than an answer minutes later. Exceptions in jobs are logged, since a
    ThreadPoolExecutor would otherwise keep them silently in a future nobody reads.

    ``pool.submit(fn, arg)`` -> False when refused.
    """

    def __init__(
        self, executor: Executor, workers: int, *, max_pending: int, max_wait: float = MAX_WAIT_SECONDS
    ):
        if workers < 1 or max_pending < 1 or max_wait <= 0:
            raise ValueError(
                f"workers={workers}, max_pending={max_pending}, max_wait={max_wait} must be positive"
            )
        self._executor, self._workers = executor, workers
        self._max_pending, self._max_wait = max_pending, max_wait
        self._pending = 0
        self._seconds: float | None = None  # moving average of a job's duration
        self._lock = threading.Lock()

    def expected_wait(self) -> float:
        """Seconds a job submitted now would wait, by the recent average; 0 before any job finished."""
        with self._lock:
            return self._pending / self._workers * (self._seconds or 0.0)

    def submit(self, fn: Callable[..., None], *args: Any) -> bool:
        with self._lock:
            wait = self._pending / self._workers * (self._seconds or 0.0)
            if self._pending >= self._max_pending or wait > self._max_wait:
                return False
            self._pending += 1
        try:
            self._executor.submit(self._run, fn, args)
        except RuntimeError:  # the executor is shutting down
            with self._lock:
                self._pending -= 1
            return False
        return True

    def _run(self, fn: Callable[..., None], args: tuple[Any, ...]) -> None:
        started = time.perf_counter()
        try:
            fn(*args)
        except Exception:
            logger.exception("unexpected error in a Slack answer job")
        finally:
            took = time.perf_counter() - started
            with self._lock:
                self._pending -= 1
                self._seconds = took if self._seconds is None else 0.8 * self._seconds + 0.2 * took


def is_from_bot(event: Mapping[str, Any]) -> bool:
    """Messages by any bot, ours included: answering them risks loops between bots."""
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message")


class _Bot:
    """The listeners and the jobs they start; one per App."""

    def __init__(self, engine: AnswerEngineLike, feedback: FeedbackStore, pool: EnginePool) -> None:
        self.engine = engine
        self.feedback = feedback
        self.pool = pool
        self.seen = _Seen()
        self.shareable = _ExpiringCache()

    # --- events -------------------------------------------------------------------------------------------

    def on_mention(self, body: dict, event: dict, context: Any, client: WebClient) -> None:
        if not self._first_delivery(body, event):
            return
        thread_ts = event.get("thread_ts") or event["ts"]
        self._ask(client, event, context, thread_ts=thread_ts, since=None)

    def on_message(self, body: dict, event: dict, context: Any, client: WebClient) -> None:
        # Only plain DMs from people: edits, deletions, joins and file shares carry a subtype.
        if event.get("channel_type") != "im" or event.get("subtype") is not None:
            return
        if not self._first_delivery(body, event):
            return
        thread_ts = event.get("thread_ts")  # top-level DMs are answered at top level
        since = None if thread_ts else time.time() - DM_CONTEXT_SECONDS
        self._ask(client, event, context, thread_ts=thread_ts, since=since)

    def _first_delivery(self, body: dict, event: dict) -> bool:
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
        channel, user = event["channel"], event.get("user", "")
        question = question_from_text(event.get("text", ""), bot_user_id=context.bot_user_id)
        if not question:
            self._post(client, channel, thread_ts, render_help())
            return
        placeholder = self._post(client, channel, thread_ts, render_placeholder())
        if placeholder is None:
            return
        job = _Job(
            channel=channel, thread_ts=thread_ts, ts=placeholder, user=user, question=question, since=since
        )
        if not self.pool.submit(self._answer_in_thread, client, job):
            logger.warning("engine pool full: told the user in %s to ask again", channel)
            self._update(client, job, render_busy())

    def _answer_in_thread(self, client: WebClient, job: _Job) -> None:
        context = self.feedback.thread_questions(
            job.channel, job.thread_ts, limit=CONTEXT_TURNS, since=job.since
        )
        message = self._answer(
            job.question,
            context,
            user=job.user,
            channel=job.channel,
            thread_ts=job.thread_ts,
            ts=job.ts,
            shareable=False,
        )
        self._update(client, job, message)

    def _answer(
        self, question: str, context: Sequence[str], *, shareable: bool, **where: Any
    ) -> SlackMessage:
        """Ask the engine and render the result; never raises, so every question gets a reply."""
        started = time.perf_counter()
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
            return render_answer(answer, answer_id="unrecorded")
        if shareable:
            self.shareable.put(stored.id, answer)
        logger.info(
            "answered in %s: %d citations, abstained=%s, %.0f ms",
            where.get("channel"),
            len(answer.citations),
            answer.abstained,
            1000 * (time.perf_counter() - started),
        )
        return render_answer(answer, answer_id=stored.id, shareable=shareable)

    # --- slash command ------------------------------------------------------------------------------------

    def on_command(self, ack: Callable[..., Any], command: dict) -> None:
        question = question_from_text(command.get("text", ""))
        if not question or question.lower() in ("help", "?"):
            ack(response_type="ephemeral", **render_help(command.get("command", "/regbot")).as_kwargs())
            return
        # Acknowledge first, so the placeholder cannot arrive after a fast answer and cover it.
        ack(response_type="ephemeral", **render_placeholder().as_kwargs())
        if not self.pool.submit(self._answer_command, command, question):
            logger.warning("engine pool full: told the user of %s to ask again", command.get("command"))
            send_response_url(
                command["response_url"],
                {"response_type": "ephemeral", "replace_original": True, **render_busy().as_kwargs()},
            )

    def _answer_command(self, command: dict, question: str) -> None:
        message = self._answer(
            question,
            (),
            user=command.get("user_id", ""),
            channel=command.get("channel_id", ""),
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
        user = body.get("user", {}).get("id", "")
        container = body.get("container", {})
        channel = body.get("channel", {}).get("id") or container.get("channel_id", "")
        ts = container.get("message_ts") or body.get("message", {}).get("ts", "")
        try:
            self.feedback.record_vote(action.get("value", ""), vote=vote, user=user, channel=channel, ts=ts)
            reply = render_vote_thanks(vote)
        except KeyError:
            logger.warning("a vote arrived for an unknown answer id %r", action.get("value"))
            reply = render_notice("Sorry, I can't find that answer any more, so the vote was not recorded.")
        except Exception:
            logger.exception("could not store a vote in %s", self.feedback)
            reply = render_notice("Sorry, I couldn't record your vote just now. Please try again later.")
        self._tell(client, body, reply)

    def on_share(self, ack: Callable[..., Any], body: dict, action: dict, client: WebClient) -> None:
        ack()
        answer_id = action.get("value", "")
        answer = self.shareable.get(answer_id)
        url = body.get("response_url")
        if answer is None or not url:
            self._tell(client, body, render_notice("That answer has expired; please ask again to share it."))
            return
        shared = render_answer(answer, answer_id=answer_id, shared_by=body.get("user", {}).get("id"))
        if send_response_url(
            url,
            {"response_type": "in_channel", "replace_original": False, **shared.as_kwargs(), **_UNFURL_OFF},
        ):
            send_response_url(url, {"delete_original": True})

    def _tell(self, client: WebClient, body: dict, message: SlackMessage) -> None:
        """An ephemeral reply to whoever clicked: in the thread of a normal message, via response_url for an
        ephemeral one (which has no thread)."""
        container = body.get("container", {})
        channel = body.get("channel", {}).get("id") or container.get("channel_id")
        user = body.get("user", {}).get("id")
        if not container.get("is_ephemeral") and channel and user:
            thread_ts = body.get("message", {}).get("thread_ts")
            try:
                client.chat_postEphemeral(
                    channel=channel, user=user, thread_ts=thread_ts, **message.as_kwargs()
                )
                return
            except SlackApiError as e:
                logger.warning(
                    "chat.postEphemeral failed (%s); replying through response_url", e.response.get("error")
                )
        if body.get("response_url"):
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
    handlers make 429s wait for Retry-After; ``feedback`` to ``FeedbackStore(settings.feedback_path)``;
    ``executor`` to a ThreadPoolExecutor of ``settings.workers`` threads (pass your own to shut it down).
    The bot token is checked with ``auth.test`` here, so a bad token fails at start-up.
    """
    if settings.workers < 1:
        raise ValueError(f"settings.workers must be at least 1, got {settings.workers!r}")
    if config is None:
        config = SlackConfig.from_env(require=() if client is not None else ("SLACK_BOT_TOKEN",))
    client = client if client is not None else web_client(config)
    if not client.token:
        raise ConfigError("SLACK_BOT_TOKEN is not set. " + _ENV_NAMES["SLACK_BOT_TOKEN"])
    feedback = feedback if feedback is not None else FeedbackStore(settings.feedback_path)
    executor = executor or ThreadPoolExecutor(settings.workers, thread_name_prefix="regbot-engine")
    pool = EnginePool(executor, settings.workers, max_pending=settings.workers * MAX_PENDING_PER_WORKER)
    bot = _Bot(engine, feedback, pool)

    app = App(
        client=client,
        # Without a secret (Socket Mode) use a random one, so that no HTTP request can ever verify.
        signing_secret=config.signing_secret or secrets.token_hex(32),
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="regbot-slack"),
        name="regbot",
    )
    app.event("app_mention")(bot.on_mention)
    app.event("message")(bot.on_message)
    app.command(COMMAND)(bot.on_command)
    app.action(ACTION_VOTE_UP)(bot.on_vote)
    app.action(ACTION_VOTE_DOWN)(bot.on_vote)
    app.action(ACTION_SHARE)(bot.on_share)
    return app
