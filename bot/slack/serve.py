"""Run the Slack bot: Socket Mode (no public URL needed) or the Events API over HTTP on uvicorn.

    regbot serve                      # Socket Mode: SLACK_BOT_TOKEN + SLACK_APP_TOKEN
    regbot serve --http --port 3000   # HTTP: SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET, POST /slack/events

or from Python, ``serve(Settings.from_env(), http=True, port=3000, host="0.0.0.0")``. The Slack variables
are checked before the model loads, so a missing one fails in a second, naming the variable.

HTTP mode serves Bolt on uvicorn (not Bolt's development server). Each request first passes the checks in
``bot.slack.gate`` (size, then signature, then shape), at most ``MAX_CONCURRENT_REQUESTS`` at a time, so
that only a bounded number of bodies is ever in memory; the others wait with their bodies unread. Then
``App.dispatch`` runs in a worker thread, not on the event loop as Bolt's Starlette adapter does, where a
slash command's wait for ``ack()`` would stall every other request.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_sdk.errors import SlackApiError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.slack.app import AnswerEngineLike, ConfigError, SlackConfig, build_app
from bot.slack.gate import MAX_BODY_BYTES, Rejected, parse, read_body, redacted_prefix, verify_signature
from index.config import Settings

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HTTP_REQUIRED = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
SOCKET_MODE_REQUIRED = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
# Requests read, verified and dispatched at once; with the body cap this bounds the memory bodies take.
MAX_CONCURRENT_REQUESTS = 8
# Slack sends a request's body at once; a client still sending after this long holds a slot others need.
BODY_SECONDS = 5.0
# Connections beyond this get uvicorn's 503 at once instead of waiting.
MAX_CONNECTIONS = 200
# No log line is longer: a library that logs a request body (Bolt does, for a bad signature) logs its start.
MAX_LOG_CHARS = 2000
# Tokens, the Socket Mode ticket and response_url paths: anything that lets someone act as the bot.
_SECRET_PATTERNS = (
    re.compile(r"xox[a-z]-[A-Za-z0-9-]+"),
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"(?<=ticket=)[^&\s'\"]+"),
    re.compile(r"(?<=hooks\.slack\.com/)[^\s'\"]+"),
)


class RedactSecrets(logging.Filter):
    """Replaces Slack tokens and the given literal secrets with ``[redacted]`` in every record a handler
    emits, traceback included, and cuts messages to ``max_chars``. Attach it to handlers: logger-level
    filters miss propagated records."""

    def __init__(self, secrets: Sequence[str] = (), *, max_chars: int = MAX_LOG_CHARS) -> None:
        super().__init__()
        self._literals = tuple(s for s in secrets if len(s) >= 8)
        self._max_chars = max_chars

    def redact(self, text: str) -> str:
        for s in self._literals:
            text = text.replace(s, "[redacted]")
        for pattern in _SECRET_PATTERNS:
            text = pattern.sub("[redacted]", text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message[: self._max_chars])
        if len(message) > self._max_chars:
            clean += f" …[{len(message) - self._max_chars} more characters not logged]"
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def install_redaction(secrets: Sequence[str], *, root: logging.Logger | None = None) -> RedactSecrets:
    """Add a RedactSecrets filter to every handler of the root logger (configure logging first)."""
    root = root or logging.getLogger()
    redactor = RedactSecrets(secrets)
    for handler in root.handlers:
        handler.addFilter(redactor)
    return redactor


def create_http_app(
    bolt_app: App,
    *,
    signing_secret: str,
    path: str = EVENTS_PATH,
    max_body: int = MAX_BODY_BYTES,
    max_concurrent: int = MAX_CONCURRENT_REQUESTS,
) -> Starlette:
    """ASGI app: ``POST {path}`` for events, commands and interactivity; ``GET /healthz`` for probes.
    Requests over ``max_body`` bytes get 413, unsigned or stale ones 401, malformed ones 400, all before Bolt
    sees them."""
    if not signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests")
    slots = asyncio.Semaphore(max_concurrent)

    async def events(request: Request) -> Response:
        async with slots:
            body = b""
            try:
                body = await _received(request, max_body)
                verify_signature(signing_secret, request.headers, body)
                bolt_request = parse(body, request.headers, request.query_params)
            except Rejected as e:
                _log_rejected(request, e, body)
                return PlainTextResponse(e.reason + "\n", status_code=e.status)
            bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[Route(path, events, methods=["POST"]), Route("/healthz", health, methods=["GET"])]
    )


async def _received(request: Request, max_body: int) -> bytes:
    """The body within `BODY_SECONDS`, else Rejected(408); a client gone before sending it all, Rejected(400)."""
    try:
        return await asyncio.wait_for(read_body(request, limit=max_body), timeout=BODY_SECONDS)
    except TimeoutError:
        raise Rejected(408, f"request body not received within {BODY_SECONDS:g} s") from None
    except ClientDisconnect:
        raise Rejected(400, "the client went away before sending its whole body") from None


def _log_rejected(request: Request, rejected: Rejected, body: bytes) -> None:
    """One line per refused request: who, why and the size. Of a body only a signed one (from Slack, so a
    bug to look into) shows its short redacted start; an unsigned one can carry anything and shows none."""
    client = f"{request.client.host}:{request.client.port}" if request.client else "?"
    size = request.headers.get("content-length") or "chunked"
    if rejected.status == 400:
        logger.info("refused a signed request from %s with 400: %s (%s bytes, starts %s)",
                    client, rejected.reason, size, redacted_prefix(body))
    else:
        logger.warning("refused a request from %s with %d: %s (%s bytes)", client, rejected.status,
                       rejected.reason, size)


def start_socket_mode(bolt_app: App, app_token: str) -> SocketModeHandler:
    """Open the Socket Mode connection (``apps.connections.open`` then a websocket) and return the handler;
    ``handler.close()`` disconnects."""
    handler = SocketModeHandler(bolt_app, app_token=app_token)
    handler.connect()
    return handler


def serve(
    settings: Settings,
    *,
    http: bool = False,
    port: int = 3000,
    host: str = "0.0.0.0",
    engine: AnswerEngineLike | None = None,
    env: Mapping[str, str] | None = None,
) -> None:
    """Run until SIGINT/SIGTERM, then finish the answers in flight. Raises ConfigError for a missing or
    rejected credential (the message names the variable and never contains its value)."""
    if not 0 < port < 65536:
        raise ValueError(f"port must be between 1 and 65535, got {port!r}")
    config = SlackConfig.from_env(env, require=HTTP_REQUIRED if http else SOCKET_MODE_REQUIRED)
    install_redaction(config.secrets())
    if engine is None:
        from bot.engine import AnswerEngine  # the model loads here, after the cheap checks passed

        logger.info("loading the answer engine for %s", settings.corpus_dir)
        engine = AnswerEngine.from_settings(settings)
    executor = ThreadPoolExecutor(settings.workers, thread_name_prefix="regbot-engine")
    try:
        app = _build_checked(engine, settings, config, executor)
        if http:
            _run_http(app, host=host, port=port, signing_secret=config.signing_secret)
        else:
            _run_socket_mode(app, config.app_token)
    finally:
        logger.info("finishing the answers in flight")
        executor.shutdown(wait=True)


def _build_checked(engine: AnswerEngineLike, settings: Settings, config: SlackConfig, executor: Any) -> App:
    """build_app, turning the auth.test failure Bolt raises into a ConfigError that names the variable."""
    from slack_bolt.error import BoltError

    try:
        return build_app(engine, settings, config=config, executor=executor)
    except BoltError as e:
        cause = e.__cause__ or e.__context__
        error = cause.response.get("error") if isinstance(cause, SlackApiError) else None
        raise ConfigError(f"Slack rejected SLACK_BOT_TOKEN (auth.test: {error or 'failed'})") from None
    except OSError as e:
        raise ConfigError(
            f"cannot reach the Slack API at {config.base_url}: {type(e).__name__}: {e}"
        ) from None


def _run_http(app: App, *, host: str, port: int, signing_secret: str) -> None:
    import uvicorn

    # log_config=None: uvicorn's records go through our handlers, and so through the redaction filter.
    config = uvicorn.Config(
        create_http_app(app, signing_secret=signing_secret),
        host=host,
        port=port,
        log_config=None,
        timeout_graceful_shutdown=10,
        limit_concurrency=MAX_CONNECTIONS,
    )
    if threading.current_thread() is threading.main_thread():
        # uvicorn re-raises the signal it stopped on once it has shut down; SIGTERM's default action would
        # then end the process before serve() finishes the answers in flight.
        signal.signal(signal.SIGTERM, lambda *_: logger.info("stopping"))
    logger.info("serving Slack events on http://%s:%d%s", host, port, EVENTS_PATH)
    uvicorn.Server(config).run()


def _run_socket_mode(app: App, app_token: str) -> None:
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    handler = start_socket_mode(app, app_token)
    logger.info("connected to Slack in Socket Mode; Ctrl-C to stop")
    try:
        stop.wait()
    finally:
        handler.close()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` options, for bot/cli.py's sub-parser."""
    parser.add_argument("--http", action="store_true", help="Events API over HTTP instead of Socket Mode")
    parser.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP interface (default 0.0.0.0)")


def main(args: argparse.Namespace) -> int:
    """``regbot serve`` entry point; returns the exit status (2 for a configuration error)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        serve(Settings.from_env(), http=args.http, port=args.port, host=args.host)
    except (ConfigError, ValueError) as e:
        print(f"regbot serve: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(prog="python -m bot.slack.serve", description=__doc__.splitlines()[0])
    add_arguments(_parser)
    sys.exit(main(_parser.parse_args()))
