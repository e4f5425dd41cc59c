"""A fake Slack for tests and the load script: the Web API, response_url endpoints and a Socket Mode
websocket server, all on 127.0.0.1 with the standard library only.

    with FakeSlack(bot_token="xoxb-test") as slack:
        client = WebClient(token="xoxb-test", base_url=slack.api_url)
        ...
        calls = slack.wait_for(lambda c: c.method == "chat.update", count=1)

Every request is recorded as a ``Call`` (method, parsed JSON or form body, headers, status, time). Tell it
to answer a method with HTTP 429 + Retry-After once with ``rate_limit("chat.update", retry_after=1)``.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0TEST"


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", or "response_url" for posts to a response URL
    body: dict[str, Any]
    headers: dict[str, str]
    status: int
    time: float
    path: str = ""

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.body.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks


@dataclass
class _Fault:
    status: int
    retry_after: int
    times: int


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    faults: dict[str, _Fault] = field(default_factory=dict)
    lock: threading.Condition = field(default_factory=threading.Condition)
    ts: itertools.count = field(default_factory=lambda: itertools.count(1))


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the load script opens many connections at once; the default 5 resets some
    daemon_threads = True


class FakeSlack:
    """The Slack Web API at ``api_url`` (``.../api/``) and response URLs from ``response_url(key)``."""

    def __init__(
        self, *, bot_token: str = "xoxb-test", app_token: str = "xapp-test", ws_url: str = ""
    ) -> None:
        self.bot_token, self.app_token, self.ws_url = bot_token, app_token, ws_url
        self.state = _State()
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack", daemon=True
        )

    # --- lifecycle ----------------------------------------------------------------------------------------

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def response_url(self, key: str) -> str:
        return f"{self.base_url}/response/{key}"

    # --- control and inspection ---------------------------------------------------------------------------

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get HTTP 429 with ``Retry-After: retry_after``."""
        with self.state.lock:
            self.state.faults[method] = _Fault(429, retry_after, times)

    def calls(self, method: str | None = None, *, ok_only: bool = False) -> list[Call]:
        with self.state.lock:
            calls = list(self.state.calls)
        return [
            c for c in calls if (method is None or c.method == method) and (not ok_only or c.status == 200)
        ]

    def wait_for(
        self, predicate: Callable[[Call], bool], *, count: int = 1, timeout: float = 20.0
    ) -> list[Call]:
        """Block until ``count`` recorded calls satisfy ``predicate``; AssertionError after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        with self.state.lock:
            while True:
                matched = [c for c in self.state.calls if predicate(c)]
                if len(matched) >= count:
                    return matched
                left = deadline - time.monotonic()
                if left <= 0:
                    methods = [c.method for c in self.state.calls]
                    raise AssertionError(
                        f"waited {timeout}s for {count} matching calls; got {len(matched)}; "
                        f"all calls: {methods}"
                    )
                self.state.lock.wait(left)

    def quiet(self, seconds: float = 0.5) -> None:
        """Wait until no call has arrived for ``seconds`` (before asserting that nothing more happens)."""
        while True:
            last = max((c.time for c in self.calls()), default=0.0)
            idle = time.time() - last
            if idle >= seconds:
                return
            time.sleep(seconds - idle)

    # --- the server ---------------------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                fake._handle(self, raw)

            do_GET = do_POST

        return Handler

    def _handle(self, handler: BaseHTTPRequestHandler, raw: str) -> None:
        path = handler.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in handler.headers.items()}
        if "json" in headers.get("content-type", ""):
            body = json.loads(raw) if raw else {}
        else:
            body = dict(parse_qsl(raw)) if raw else {}
        if path.startswith("/api/"):
            method = path[len("/api/") :]
        elif path.startswith("/response/"):
            method = "response_url"
        else:
            method = "unknown:" + path
        status, payload, extra = self._reply(method, body, headers)
        with self.state.lock:
            self.state.calls.append(Call(method, body, headers, status, time.time(), path))
            self.state.lock.notify_all()
        data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        handler.send_response(status)
        content_type = "text/plain" if isinstance(payload, str) else "application/json; charset=utf-8"
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for k, v in extra.items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(data)

    def _reply(self, method: str, body: dict[str, Any], headers: dict[str, str]):
        with self.state.lock:
            fault = self.state.faults.get(method)
            if fault and fault.times > 0:
                fault.times -= 1
                return (
                    fault.status,
                    {"ok": False, "error": "ratelimited"},
                    {"Retry-After": str(fault.retry_after)},
                )
        if method == "response_url":
            return 200, "ok", {}
        token = headers.get("authorization", "").removeprefix("Bearer ").strip() or body.get("token", "")
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != expected:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        if method == "auth.test":
            return (
                200,
                {
                    "ok": True,
                    "url": "https://test.slack.com/",
                    "team": "Test",
                    "user": "regbot",
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID,
                    "is_enterprise_install": False,
                },
                {},
            )
        if method == "apps.connections.open":
            return 200, {"ok": True, "url": self.ws_url or "ws://127.0.0.1:9/link"}, {}
        ts = f"{1_700_000_000 + next(self.state.ts)}.000100"
        if method == "chat.postMessage":
            return (
                200,
                {
                    "ok": True,
                    "channel": body.get("channel"),
                    "ts": ts,
                    "message": {"text": body.get("text"), "ts": ts, "bot_id": BOT_ID},
                },
                {},
            )
        if method == "chat.update":
            return (
                200,
                {"ok": True, "channel": body.get("channel"), "ts": body.get("ts"), "text": body.get("text")},
                {},
            )
        if method == "chat.postEphemeral":
            return 200, {"ok": True, "message_ts": ts}, {}
        return 200, {"ok": True}, {}


# --- Socket Mode ----------------------------------------------------------------------------------------

_WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketModeServer:
    """A minimal RFC 6455 server: accepts the client's handshake, answers pings, records the text frames the
    client sends (envelope acks) and pushes envelopes with ``send(obj)``."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._clients: list[socket.socket] = []
        self.handshakes: list[str] = []  # the request lines, e.g. "GET /link?ticket=t1 HTTP/1.1"
        self.received: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._accept_loop, name="fake-socket-mode", daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._sock.getsockname()[1]}/link?ticket=fake-ticket"

    def __enter__(self) -> FakeSocketModeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for c in self._clients:
            c.close()
        self._sock.close()

    def wait_connected(self, timeout: float = 10.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._clients, timeout):
                raise AssertionError(f"no Socket Mode client connected within {timeout}s")

    def wait_received(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 20.0
    ) -> dict[str, Any]:
        with self._cond:
            found: list[dict[str, Any]] = []

            def match() -> bool:
                found[:] = [m for m in self.received if predicate(m)]
                return bool(found)

            if not self._cond.wait_for(match, timeout):
                raise AssertionError(f"no matching frame within {timeout}s; received {self.received}")
            return found[0]

    def send(self, obj: dict[str, Any]) -> None:
        data = json.dumps(obj).encode()
        with self._cond:
            clients = list(self._clients)
        for c in clients:
            c.sendall(_frame(0x1, data))

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(None)
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        lines = request.decode().split("\r\n")
        headers = {
            k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:] if ":" in ln)
        }
        accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] + _WS_GUID).encode()).digest())
        conn.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        )
        with self._cond:
            self.handshakes.append(lines[0])
            self._clients.append(conn)
            self._cond.notify_all()
        conn.sendall(_frame(0x1, json.dumps({"type": "hello", "num_connections": 1}).encode()))
        try:
            self._read_frames(conn)
        except OSError:
            pass

    def _read_frames(self, conn: socket.socket) -> None:
        while not self._stop.is_set():
            head = _recv_exactly(conn, 2)
            if head is None:
                return
            opcode, masked, length = head[0] & 0x0F, head[1] & 0x80, head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", _recv_exactly(conn, 2) or b"\0\0")[0]
            elif length == 127:
                length = struct.unpack("!Q", _recv_exactly(conn, 8) or b"\0" * 8)[0]
            mask = _recv_exactly(conn, 4) if masked else b"\0\0\0\0"
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(_recv_exactly(conn, length) or b""))
            if opcode == 0x8:  # close
                conn.sendall(_frame(0x8, payload[:2]))
                return
            if opcode == 0x9:  # ping
                conn.sendall(_frame(0xA, payload))
            elif opcode == 0x1:
                with self._cond:
                    self.received.append(json.loads(payload))
                    self._cond.notify_all()


def _recv_exactly(conn: socket.socket, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _frame(opcode: int, payload: bytes) -> bytes:
    header = bytes([0x80 | opcode])
    if len(payload) < 126:
        header += bytes([len(payload)])
    elif len(payload) < 65536:
        header += bytes([126]) + struct.pack("!H", len(payload))
    else:
        header += bytes([127]) + struct.pack("!Q", len(payload))
    return header + payload
