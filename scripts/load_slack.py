#!/usr/bin/env python
"""Load test of the Slack bot over real HTTP: N signed @mentions sent at once to `python -m bot.slack.serve --http`.

    .venv/bin/python scripts/load_slack.py            # 50 mentions, settings.workers engine threads
    .venv/bin/python scripts/load_slack.py -n 100 --workers 2

It starts the fake Slack Web API from tests/slack/fake_slack.py, runs the real server as a subprocess
pointed at it (SLACK_API_URL), sends one warm-up mention (not counted), then N mentions from N threads
released together, and prints whether every mention was answered exactly once, the ack latency (HTTP
response to Slack) and the time from sending a mention to its placeholder and to its answer (chat.update).
Exit status 0 only when all were answered once.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "slack"))
from fake_slack import FakeSlack  # noqa: E402
from slack_client import event_body, mention, post, signed_headers  # noqa: E402

QUESTIONS = (
    "How much was Didi fined for violating data security rules?",
    "When does the Data Security Law take effect?",
    "Which tech companies did the MIIT summon over data security?",
    "What did the central bank announce about fintech data collection?",
    "How did China relax the rules on transferring data overseas?",
)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_mention(port: int, secret: str, i: int, question: str) -> tuple[float, float, int]:
    """Send mention ``i`` (channel ``CLOAD{i}``); returns (sent_at, ack_seconds, status)."""
    ts = f"{1_800_000_000 + i}.000100"
    event = mention(question, ts=ts, channel=f"CLOAD{i}", user="ULOAD")
    body = event_body(event, event_id=f"EvLoad{i:05d}").encode()
    sent_at = time.time()
    resp = post(events_url(port), body, signed_headers(secret, body, content_type="application/json"))
    return sent_at, resp.seconds, resp.status


def events_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/slack/events"


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode} before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server was not ready after {timeout:.0f}s")


def fmt(values: list[float]) -> str:
    return (
        f"p50 {1000 * percentile(values, 50):7.0f} ms   p95 {1000 * percentile(values, 95):7.0f} ms   "
        f"max {1000 * max(values):7.0f} ms"
    )


@dataclass
class Server:
    """A running `python -m bot.slack.serve --http` and what the load scripts need to talk to it."""

    proc: subprocess.Popen
    port: int
    secret: str
    fake: FakeSlack
    log: Path
    ready_seconds: float

    @property
    def url(self) -> str:
        return events_url(self.port)

    def stop(self) -> None:
        """SIGTERM, as a supervisor would send it, and wait for the exit (idempotent)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextlib.contextmanager
def running_server(*, workers: int | None = None, repo: Path = REPO, timeout: float = 180) -> Iterator[Server]:
    """The real server in a subprocess (code from ``repo``) against a fresh fake Slack; its log goes to a
    temporary file. Stopped with SIGTERM on exit."""
    secret = secrets.token_hex(16)
    bot_token = "xoxb-load-" + secrets.token_hex(8)
    port = free_port()
    with FakeSlack(bot_token=bot_token) as fake, tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": bot_token,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_API_URL": fake.api_url,
            "REGBOT_FEEDBACK_DB": str(Path(tmp) / "feedback.sqlite3"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "NO_PROXY": "127.0.0.1,localhost",
        }
        if workers:
            env["REGBOT_WORKERS"] = str(workers)
        log = Path(tmp) / "server.log"
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot.slack.serve", "--http", "--host", "127.0.0.1", "--port", str(port)],
                cwd=repo,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = Server(proc, port, secret, fake, log, 0.0)
        try:
            started = time.perf_counter()
            wait_healthy(port, proc, timeout=timeout)
            server.ready_seconds = time.perf_counter() - started
            yield server
        finally:
            server.stop()


def server_errors(log: Path) -> list[str]:
    """The ERROR and traceback lines of a server log."""
    with open(log, encoding="utf-8", errors="replace") as f:
        return [line for line in f if " ERROR " in line or "Traceback" in line]


def run(n: int, workers: int | None, timeout: float) -> int:
    with running_server(workers=workers) as server:
        port, secret, fake = server.port, server.secret, server.fake
        print(f"server ready in {server.ready_seconds:.1f}s (pid {server.proc.pid}, port {port})")
        try:
            post_mention(port, secret, 0, QUESTIONS[0])  # warm-up, not counted
            fake.wait_for(
                lambda c: c.method == "chat.update" and c.body.get("channel") == "CLOAD0", timeout=60
            )

            results: dict[int, tuple[float, float, int]] = {}
            barrier = threading.Barrier(n)

            def send(i: int) -> None:
                barrier.wait()
                results[i] = post_mention(port, secret, i, QUESTIONS[i % len(QUESTIONS)])

            threads = [threading.Thread(target=send, args=(i,)) for i in range(1, n + 1)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            try:
                fake.wait_for(
                    lambda c: (
                        c.method == "chat.update"
                        and c.status == 200
                        and c.body.get("channel", "").startswith("CLOAD")
                        and c.body["channel"] != "CLOAD0"
                    ),
                    count=n,
                    timeout=timeout,
                )
            except AssertionError:
                pass  # reported below
            fake.quiet(1.0)
            return report(n, results, fake, workers)
        finally:
            server.stop()
            errors = server_errors(server.log)
            if errors:
                print("server errors:\n" + "".join(errors[:20]))


def report(n: int, results: dict[int, tuple[float, float, int]], fake: FakeSlack, workers: int | None) -> int:
    def by_channel(method: str) -> dict[str, list]:
        out: dict[str, list] = {}
        for c in fake.calls(method, ok_only=True):
            out.setdefault(c.body.get("channel", ""), []).append(c)
        return out

    placeholders, updates = by_channel("chat.postMessage"), by_channel("chat.update")
    ids = range(1, n + 1)
    answered = [i for i in ids if updates.get(f"CLOAD{i}")]
    twice = [
        i for i in ids if len(updates.get(f"CLOAD{i}", [])) > 1 or len(placeholders.get(f"CLOAD{i}", [])) > 1
    ]
    busy = [i for i in answered if "too many questions" in updates[f"CLOAD{i}"][0].body.get("text", "")]
    apologies = [
        i for i in answered if "Sorry" in updates[f"CLOAD{i}"][0].body.get("text", "") and i not in busy
    ]
    bad_acks = [i for i, r in results.items() if r[2] != 200]
    acks = [r[1] for r in results.values()]
    to_placeholder = [placeholders[f"CLOAD{i}"][0].time - results[i][0] for i in answered if i in results]
    to_answer = [updates[f"CLOAD{i}"][0].time - results[i][0] for i in answered if i in results]
    rate_limited = len(fake.calls()) - len(fake.calls(ok_only=True))

    ok = len(answered) == n and not twice and not apologies and not busy and not bad_acks
    print(
        f"mentions sent at once: {n}   engine workers: {workers or os.environ.get('REGBOT_WORKERS') or 4}"
        f"   cores: {os.cpu_count()}"
    )
    print(
        f"all answered: {'yes' if ok else 'NO'}  ({len(answered)}/{n} answered, {len(twice)} answered twice, "
        f"{len(busy)} told to retry, {len(apologies)} apologies, {len(bad_acks)} non-200 acks, "
        f"{rate_limited} rate-limited calls)"
    )
    if acks:
        print(f"ack (HTTP response)    {fmt(acks)}")
    if to_placeholder:
        print(f"time to placeholder    {fmt(to_placeholder)}")
    if to_answer:
        print(f"time to answer         {fmt(to_answer)}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="mentions sent at once (default 50)")
    parser.add_argument("--workers", type=int, help="engine threads (REGBOT_WORKERS; default: settings)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for all answers")
    args = parser.parse_args()
    if args.n < 1:
        parser.error(f"-n must be at least 1, got {args.n}")
    return run(args.n, args.workers, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
