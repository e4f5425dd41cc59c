"""Requests as Slack's servers send them (v0-signed), and as hostile clients do, over a plain socket.

    body = event_body(mention("How much was Didi fined?", ts="1.1"), event_id="Ev1")
    resp = post(url, body.encode(), signed_headers(SECRET, body.encode(), content_type="application/json"))
    resp.status, resp.body

``post`` speaks HTTP/1.1 itself instead of using http.client, for two things hostile clients do: a body
sent chunked (no Content-Length), and a server that answers before the body is sent (a 413 for a huge body),
where a client that insists on sending everything first would be cut off by a reset. Used by the tests and
by the scripts that load the server.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import select
import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fake_slack import BOT_USER_ID, TEAM_ID

PIECE_BYTES = 64 * 1024
# How long the first piece of a body waits for an answer to the headers alone (seconds).
HEADER_ANSWER_WAIT = 0.2


@dataclass(frozen=True)
class Response:
    status: int
    body: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature: HMAC-SHA256 of ``v0:{timestamp}:{raw body}`` with the signing secret."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, body: bytes, *, content_type: str, timestamp: int | str | None = None
) -> dict[str, str]:
    """Content-Type plus the two headers Slack adds; ``timestamp`` defaults to now."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sign(secret, ts, body),
    }


def post(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    chunked: bool = False,
    timeout: float = 30,
) -> Response:
    """POST ``body`` with ``headers`` (Content-Length added unless ``chunked``); stops sending as soon as the
    server answers. ``Response.status`` is 0 when the server closed the connection without answering."""
    parts = urlsplit(url)
    started = time.perf_counter()
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        lines = [f"POST {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}")
        try:
            # UTF-8, not the latin-1 of real clients: hostile headers may hold any character.
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            # A server that refuses on the headers alone answers within moments; a client that went on sending
            # into the closed connection would get a reset that discards the answer (as curl's "Expect:
            # 100-continue" wait avoids), so the first piece of a body sent in several waits a little for it.
            wait = HEADER_ANSWER_WAIT if len(body) > PIECE_BYTES else 0
            for piece in _pieces(body, chunked=chunked):
                if select.select([sock], [], [], wait)[0]:
                    break  # the server has answered (or closed): the rest would not be read
                wait = 0
                sock.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            resp = http.client.HTTPResponse(sock, method="POST")
            resp.begin()
            text = resp.read().decode("utf-8", errors="replace")
        except (http.client.RemoteDisconnected, ConnectionResetError, http.client.IncompleteRead):
            return Response(0, "", time.perf_counter() - started)
        return Response(resp.status, text, time.perf_counter() - started)


def _pieces(body: bytes, *, chunked: bool) -> Iterable[bytes]:
    for at in range(0, len(body), PIECE_BYTES):
        piece = body[at : at + PIECE_BYTES]
        yield b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
    if chunked:
        yield b"0\r\n\r\n"


def event_body(event: dict[str, Any], *, event_id: str) -> str:
    """An Events API envelope around ``event``, addressed to the bot of the fake workspace."""
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A111",
            "type": "event_callback",
            "event": event,
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
    )


def mention(
    text: str, *, ts: str, channel: str = "C1", user: str = "U1", thread_ts: str | None = None, **extra: Any
) -> dict[str, Any]:
    """An ``app_mention`` event: ``text`` after the bot's own mention, as Slack delivers it."""
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event
