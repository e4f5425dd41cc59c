#!/usr/bin/env python
"""Hostile Slack requests against the real server (`python -m bot.slack.serve --http`, real engine over the
seeds, fake Slack Web API): the status each request gets, how soon a normal mention sent right after huge
ones is answered, the server's peak RSS and the size of its log. Prints; asserts nothing.

    .venv/bin/python scripts/bench_slack_hostile.py                  # this checkout
    .venv/bin/python scripts/bench_slack_hostile.py --repo /tmp/old  # the server code of another checkout
    .venv/bin/python scripts/bench_slack_hostile.py --big-mb 5 --at-once 6 --timeout 300

"Signed" requests carry a valid signature, as only Slack (or whoever holds the signing secret) can send;
unsigned ones are what anybody on the network can send.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from load_slack import REPO, Server, running_server, server_errors
from slack_client import event_body, mention, post, signed_headers

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
NORMAL = "How much was Didi fined for violating data security rules?"
FILLER = "What is the penalty for moving core data abroad without approval? "


@dataclass(frozen=True)
class Request:
    name: str
    body: bytes
    content_type: str = JSON
    signed: bool = True
    timestamp: str | None = None
    chunked: bool = False


def send(server: Server, req: Request) -> tuple[int, float]:
    """(status, seconds); status 0 when the server closed the connection without an answer."""
    headers = signed_headers(server.secret, req.body, content_type=req.content_type, timestamp=req.timestamp)
    if not req.signed:
        headers["X-Slack-Signature"] = "v0=" + "0" * 64
    resp = post(server.url, req.body, headers, chunked=req.chunked, timeout=300)
    return resp.status, resp.seconds


def mention_body(text: str, channel: str) -> bytes:
    ts = f"{time.time():.6f}"
    return event_body(mention(text, ts=ts, channel=channel), event_id=f"Ev{channel}").encode()


def big_text(n_bytes: int) -> str:
    return (FILLER * (n_bytes // len(FILLER) + 1))[:n_bytes]


def hostile_requests(big: int) -> list[Request]:
    broken = b'{"type": "event_callback", "event": {"type": "app_mention", "text": '
    bad_utf8 = b'{"type": "event_callback", "event": {"text": "\xff\xfe\xc3"}}'
    huge = mention_body(big_text(big), "CHUGE0")
    return [
        Request("malformed JSON, unsigned", broken, signed=False),
        Request("malformed JSON, signed", broken),
        Request("JSON array, signed", b'[{"type": "event_callback"}]'),
        Request("broken payload= form, signed", b"payload=%7B%22type%22%3A%22block_actions", FORM),
        Request("invalid UTF-8, unsigned", bad_utf8, signed=False),
        Request("invalid UTF-8, signed", bad_utf8),
        Request("non-numeric timestamp, signed over it", mention_body(NORMAL, "CTS"), timestamp="soon"),
        Request(f"unsigned {big / 1e6:.0f} MB body", huge, signed=False),
        Request(f"signed {big / 1e6:.0f} MB mention, chunked (no Content-Length)", huge, chunked=True),
    ]


def answered(server: Server, channel: str, sent: float, timeout: float) -> str:
    """How the mention in ``channel`` was answered, and how many seconds after ``sent``."""
    try:
        [call] = server.fake.wait_for(
            lambda c: c.method == "chat.update" and c.body.get("channel") == channel, timeout=timeout
        )
    except AssertionError:
        return f"not answered within {timeout:.0f} s"
    text = call.body.get("text", "")
    kind = "busy notice" if "too many questions" in text else "answer" if "[1]" in text else "refusal/notice"
    fine = ", states the fine" if "1.2 billion" in text else ""
    return f"{kind}{fine} after {call.time - sent:.2f} s"


def reply_kinds(server: Server, prefix: str, n: int) -> list[str]:
    """For mentions ``{prefix}0`` … ``{prefix}{n-1}``: what their final reply was."""
    kinds = []
    for i in range(n):
        updates = [c for c in server.fake.calls("chat.update") if c.body.get("channel") == f"{prefix}{i}"]
        if not updates:
            kinds.append("no reply")
            continue
        blocks, text = updates[-1].blocks, updates[-1].body.get("text", "")
        cut = " with the cut notice" if blocks and blocks[0].get("type") == "context" else ""
        kinds.append(("busy notice" if "too many questions" in text else "answer") + cut)
    return kinds


def huge_then_normal(server: Server, size: int, at_once: int, tag: str, timeout: float) -> dict[str, object]:
    """``at_once`` signed mentions of ``size`` bytes sent together, then a normal mention."""
    statuses: list[int] = []

    def one(i: int) -> None:
        statuses.append(send(server, Request("huge", mention_body(big_text(size), f"C{tag}{i}")))[0])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(at_once)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    channel = f"CNORMAL{tag}"
    sent = time.time()
    status, _ = send(server, Request("normal", mention_body(NORMAL, channel)))
    how = answered(server, channel, sent, timeout)
    accepted = sum(1 for s in statuses if s == 200)
    try:  # the huge ones that got through: wait for their replies too
        server.fake.wait_for(
            lambda c: c.method == "chat.update" and c.body.get("channel", "").startswith(f"C{tag}"),
            count=accepted,
            timeout=timeout,
        )
    except AssertionError:
        pass
    return {"huge": {s: statuses.count(s) for s in sorted(set(statuses))}, "normal": status, "how": how}


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident set size of ``pid`` in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def run(args: argparse.Namespace) -> None:
    big = int(args.big_mb * 1_000_000)
    with running_server(repo=args.repo) as server:
        print(f"server code: {args.repo}   ready in {server.ready_seconds:.1f} s (pid {server.proc.pid})")
        sent = time.time()
        send(server, Request("warm-up", mention_body(NORMAL, "CWARM")))
        print(f"warm-up mention: {answered(server, 'CWARM', sent, 120)}")
        rss, _ = peak_rss_mb(server.proc.pid)
        print(f"RSS after warm-up: {rss:.0f} MB\n")

        print(f"{'request':58} {'status':>6} {'seconds':>8}")
        for req in hostile_requests(big):
            status, seconds = send(server, req)
            print(f"{req.name:58} {status:>6} {seconds:8.2f}")

        sent = time.time()
        status, _ = send(server, Request("other user", mention_body("<@U123> " + NORMAL, "CUSER")))
        print(f"{'mention naming another user (<@U123> …)':58} {status:>6}   {answered(server, 'CUSER', sent, 60)}")

        print()
        scenarios = [
            (f"1 signed {args.big_mb:g} MB mention, then a normal one", big, 1, "A"),
            (f"{args.at_once} signed {args.big_mb:g} MB mentions at once, then a normal one", big, args.at_once, "B"),
            (
                f"{args.at_once} signed {args.under_cap_kb} KB mentions at once, then a normal one",
                args.under_cap_kb * 1000,
                args.at_once,
                "C",
            ),
            (
                f"a flood: {args.flood} signed {args.under_cap_kb} KB mentions at once, then a normal one",
                args.under_cap_kb * 1000,
                args.flood,
                "D",
            ),
        ]
        for name, size, at_once, tag in scenarios:
            result = huge_then_normal(server, size, at_once, tag, args.timeout)
            print(f"{name}:\n    huge ones' statuses: {result['huge']}")
            print(f"    normal one: {result['normal']}, {result['how']}")
            if tag in "CD":
                kinds = reply_kinds(server, f"C{tag}", at_once)
                counts = {k: kinds.count(k) for k in sorted(set(kinds))}
                print(f"    the {args.under_cap_kb} KB mentions got: {counts}")

        time.sleep(1.0)
        rss, peak = peak_rss_mb(server.proc.pid)
        server.stop()
        log = server.log.read_bytes()
        lines = log.splitlines()
        print(f"\nserver RSS now {rss:.0f} MB, peak {peak:.0f} MB")
        longest = max(map(len, lines), default=0)
        print(
            f"server log: {len(log) / 1024:.1f} KiB, {len(lines)} lines, longest line {longest} bytes, "
            f"{log.count(b'Traceback')} tracebacks, {len(server_errors(server.log))} ERROR/traceback lines"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose server code runs (default: this)")
    parser.add_argument("--big-mb", type=float, default=5, help="size of the huge bodies in MB (default 5)")
    parser.add_argument("--at-once", type=int, default=6, help="huge mentions sent together (default 6)")
    parser.add_argument("--under-cap-kb", type=int, default=900, help="a mention just under the body cap (KB)")
    parser.add_argument("--flood", type=int, default=40, help="mentions just under the cap sent together")
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for an answer")
    run(parser.parse_args())
    return 0


if __name__ == "__main__":
    sys.exit(main())
