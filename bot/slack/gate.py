"""The checks an HTTP request passes before Bolt sees it, in order: size, then timestamp and signature, then
shape. Nothing of a request is parsed before its signature holds, so anybody on the network can cost the
server at most one capped read and one HMAC; client input gets a 4xx that says what is wrong, never a 500.

    body = await read_body(request, limit=MAX_BODY_BYTES)       # Rejected(413): too large
    verify_signature(secret, request.headers, body)              # Rejected(401): unsigned, forged or stale
    bolt_request = parse(body, request.headers, request.query_params)  # Rejected(400): not a Slack payload

Bolt parses bodies with the same rules (``parse_body``), but it trusts their shape: a list where Slack sends
an object ends in an AttributeError deep inside it. So ``check_shape`` holds every payload to the types Slack
uses for the fields Bolt and our listeners read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from typing import Any

from slack_bolt import BoltRequest
from slack_bolt.request.internals import parse_body
from starlette.requests import Request

# Slack's own payloads stay far below this: a 40,000-character message with its rich-text blocks, or a
# button click that carries our largest answer, is a few hundred KB.
MAX_BODY_BYTES = 1024 * 1024
# Slack's rule: a request older than five minutes may be a replay.
MAX_SKEW_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")

# Fields whose JSON type is fixed in every Slack payload. Strings and ids may be null (Slack sends nulls);
# objects and lists may not, since Bolt reads them as ``body.get("event", {}).get(...)``.
_STRINGS = frozenset(
    "type subtype command text token team_id api_app_id event_id response_url trigger_id challenge user_id "
    "channel_id enterprise_id ts thread_ts event_ts channel_type bot_id ssl_check callback_id user_team".split()
)
_ID_OR_OBJECT = frozenset("enterprise team user channel".split())  # "U123" or {"id": "U123", ...}
_OBJECTS = frozenset(
    "event view message previous_message item assistant_thread function_data container state bot_profile".split()
)
_LISTS_OF_OBJECTS = frozenset("authorizations actions response_urls".split())
_WALKED = frozenset("event message previous_message item assistant_thread authorizations".split())
_MAX_DEPTH = 64


class Rejected(Exception):
    """A request refused before Bolt saw it: ``status`` and a one-line ``reason`` safe to log and return."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


async def read_body(request: Request, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, read only while it stays within ``limit`` bytes; a larger one (declared or, when chunked,
    counted as it arrives) raises Rejected(413) without the rest being read."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Rejected(413, f"request body over {limit} bytes: Slack never sends one this large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Rejected(413, f"request body over {limit} bytes: Slack never sends one this large")
        chunks.append(chunk)
    return b"".join(chunks)


def verify_signature(
    secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None
) -> None:
    """Slack's v0 check on the raw bytes: ``X-Slack-Signature`` must be the HMAC-SHA256 of
    ``v0:{X-Slack-Request-Timestamp}:{body}`` under ``secret``, and the timestamp within five minutes."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise Rejected(401, "X-Slack-Request-Timestamp must be the request's Unix time in seconds")
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Rejected(401, "X-Slack-Request-Timestamp is over five minutes off: a replay, or a wrong clock")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    given = headers.get("x-slack-signature", "").encode("latin-1", errors="replace")
    if not hmac.compare_digest(expected.encode(), given):
        raise Rejected(401, "X-Slack-Signature does not match: is SLACK_SIGNING_SECRET the app's secret?")


def parse(body: bytes, headers: Mapping[str, str], query: Any = None) -> BoltRequest:
    """A BoltRequest for a verified body, or Rejected(400) naming what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Rejected(400, f"request body is not UTF-8 (byte {e.start})") from None
    content_type = headers.get("content-type", "").split(";")[0].strip() or None
    try:
        payload = parse_body(text, content_type)
    except ValueError as e:  # json.JSONDecodeError included
        raise Rejected(400, f"request body is not valid JSON or form data ({type(e).__name__})") from None
    except RecursionError:
        raise Rejected(400, "request body is JSON nested too deep to be a Slack payload") from None
    check_shape(payload)
    return BoltRequest(body=text, query=query, headers=dict(headers))


def check_shape(payload: object) -> None:
    """Rejected(400) unless ``payload`` is an object whose known fields have the types Slack gives them."""
    if not isinstance(payload, dict):
        raise Rejected(400, f"a Slack payload is a JSON object, not {_json_type(payload)}")
    _check_object(payload, "payload", depth=0)
    if payload.get("type") == "block_actions":
        actions = payload.get("actions")
        if not actions:
            raise Rejected(400, "a block_actions payload needs a non-empty 'actions' list")
        for i, action in enumerate(actions):
            for key in ("action_id", "block_id", "value"):
                if key in action and not isinstance(action[key], str):
                    _wrong(f"payload.actions[{i}].{key}", "a string", action[key])
            if not isinstance(action.get("action_id"), str):
                _wrong(f"payload.actions[{i}].action_id", "a string", action.get("action_id"))


def _check_object(obj: dict, path: str, *, depth: int) -> None:
    """The type rules on ``obj``, then on the nested objects that Bolt reads with the same rules (it looks
    for ids in the event, the message and the authorizations). Blocks, views and actions are not walked:
    their "text" is an object, not a string."""
    if depth > _MAX_DEPTH:
        raise Rejected(400, f"payload nested deeper than {_MAX_DEPTH} levels")
    for key, value in obj.items():
        where = f"{path}.{key}"
        if value is None and key not in _OBJECTS and key not in _LISTS_OF_OBJECTS:
            continue
        if key in _STRINGS and not isinstance(value, str):
            _wrong(where, "a string", value)
        if key in _ID_OR_OBJECT and not isinstance(value, str | dict):
            _wrong(where, "a string or an object", value)
        if key in _OBJECTS and not isinstance(value, dict):
            _wrong(where, "an object", value)
        if key in _LISTS_OF_OBJECTS and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            _wrong(where, "a list of objects", value)
        if key in _WALKED:
            for i, child in enumerate(value if isinstance(value, list) else [value]):
                _check_object(child, f"{where}[{i}]" if isinstance(value, list) else where, depth=depth + 1)


def _wrong(where: str, expected: str, value: object) -> None:
    raise Rejected(400, f"'{where}' must be {expected}, not {_json_type(value)}")


def _json_type(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def redacted_prefix(body: bytes, chars: int = 64) -> str:
    """What may be logged of a rejected body: its first ``chars`` characters, digits and the values of
    token-like fields masked, for telling a misrouted client from an attack."""
    head = body[:chars].decode("utf-8", errors="replace")
    head = re.sub(r"(token|secret|signature|response_url)([\"'=:\s]+)[^\"'&\s]*", r"\1\2…", head, flags=re.I)
    return json.dumps(re.sub(r"[0-9]", "0", head) + ("…" if len(body) > chars else ""))
