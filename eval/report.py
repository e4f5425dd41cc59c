"""Reports of an `EvalResult`: a Markdown table, the JSON file and a PNG chart.

    print(markdown(result))
    write_json(result, Path("scifact.json"))
    write_chart(result, Path("scifact.png"))      # Recall@k per variant | latency per stage

matplotlib loads only inside `write_chart`, with the Agg backend (no display needed).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from .runner import ANSWER_KEYS, RETRIEVAL_KEYS, EvalResult

logger = logging.getLogger(__name__)


def markdown(result: EvalResult) -> str:
    """The scores table (one row per variant) and the latency table (p50 / p95 in ms per stage).

    ``markdown(result).splitlines()[4]`` is ``"| bm25 | 0.512 | ..."`` for a run whose first variant is bm25.
    """
    keys = list(RETRIEVAL_KEYS)
    if any(v.answers is not None for v in result.variants):
        keys += ANSWER_KEYS
    lines = [
        f"### {result.dataset}: {result.n_questions} questions",
        "",
        _row(["variant", *keys]),
        _row(["---", *["---:"] * len(keys)]),
    ]
    for v in result.variants:
        values = {**v.retrieval, **(v.answers or {})}
        lines.append(_row([v.name, *(_number(values.get(key)) for key in keys)]))
    stages = list(dict.fromkeys(stage for v in result.variants for stage in v.latency_ms))
    if stages:
        lines += ["", "Latency, ms (p50 / p95):", "", _row(["variant", *stages])]
        lines.append(_row(["---", *["---:"] * len(stages)]))
        for v in result.variants:
            cells = [_latency(v.latency_ms.get(stage)) for stage in stages]
            lines.append(_row([v.name, *cells]))
    lines += _breakdown(result)
    lines += _abstention_curve(result)
    if result.command:
        lines += ["", f"Command: `{result.command}`"]
    return "\n".join(lines)


BREAKDOWN_KEYS = ("n", "Recall@5", "Correct", "Contains", "Citation-P", "Answered", "Abstain-R")


def _breakdown(result: EvalResult) -> list[str]:
    """Per language and per source, for the default variant (else the last one run)."""
    if not result.variants:
        return []
    shown = next((v for v in result.variants if v.name == "default"), result.variants[-1])
    if not shown.groups:
        return []
    lines = ["", f"By language and source ({shown.name}):", "", _row(["group", *BREAKDOWN_KEYS])]
    lines.append(_row(["---", *["---:"] * len(BREAKDOWN_KEYS)]))
    for label, scores in shown.groups.items():
        cells = [f"{scores['n']:.0f}", *(_number(scores.get(key)) for key in BREAKDOWN_KEYS[1:])]
        lines.append(_row([label, *cells]))
    return lines


CURVE_KEYS = ("Abstain-P", "Abstain-R", "Abstain-F1", "Answered")


def _abstention_curve(result: EvalResult) -> list[str]:
    """The default variant's learned decision alone at each threshold, and the point regbot chose (its rules and
    the model's operating point together)."""
    shown = next((v for v in result.variants if v.name == "default"), result.variants[-1] if result.variants else None)
    if shown is None or not shown.abstention_curve or shown.answers is None:
        return []
    lines = ["", f"Abstention ({shown.name}): the estimated probability alone, refused below each threshold:", "",
             _row(["threshold", *CURVE_KEYS]), _row(["---", *["---:"] * len(CURVE_KEYS)])]
    for point in shown.abstention_curve:
        lines.append(_row([f"{point['threshold']:.1f}", *(_number(point.get(key)) for key in CURVE_KEYS)]))
    lines.append(_row(["chosen", *(_number(shown.answers.get(key)) for key in CURVE_KEYS)]))
    return lines


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _latency(summary: dict[str, float] | None) -> str:
    return "–" if summary is None else f"{summary['p50']:.1f} / {summary['p95']:.1f}"


CHART_FORMATS = (".png", ".svg", ".pdf")


def check_outputs(json_path: Path, chart_path: Path) -> None:
    """ValueError naming the option to change when a report could not be written where asked: checked before a
    run that may take minutes, not after it. Their folders are made here."""
    for option, path in (("--json", json_path), ("--chart", chart_path)):
        if path.is_dir():
            raise ValueError(f"{option} {path} is a folder: give a file path")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValueError(f"{option} {path}: cannot create its folder ({exc.strerror})") from None
        if not os.access(path.parent, os.W_OK):
            raise ValueError(f"{option} {path}: its folder is not writable")
    if chart_path.suffix.lower() not in CHART_FORMATS:
        raise ValueError(f"--chart {chart_path}: the chart is written as {', '.join(CHART_FORMATS)}; give one of them")


def write_json(result: EvalResult, path: Path) -> Path:
    """``result.to_json()`` written to ``path`` (parent folders created); returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_chart(result: EvalResult, path: Path) -> Path:
    """A PNG: Recall@k (k = 1..10) per variant on the left, p50 latency per stage and variant on the right
    (the bar's whisker reaches p95; log scale, as search and answer times differ by orders of magnitude)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure, (recall_ax, latency_ax) = plt.subplots(1, 2, figsize=(12, 4.5))
    for v in result.variants:
        ks = range(1, len(v.recall_curve) + 1)
        recall_ax.plot(ks, v.recall_curve, marker="o", markersize=3, label=v.name)
    recall_ax.set(title=f"{result.dataset}: document Recall@k", xlabel="k", ylabel="Recall@k", ylim=(0, 1.02))
    recall_ax.set_xticks(range(1, 11))
    recall_ax.grid(alpha=0.3)
    recall_ax.legend()
    _latency_bars(latency_ax, result)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _latency_bars(ax, result: EvalResult) -> None:
    stages = list(dict.fromkeys(stage for v in result.variants for stage in v.latency_ms))
    width = 0.8 / max(len(result.variants), 1)
    for i, v in enumerate(result.variants):
        xs = [s + (i - (len(result.variants) - 1) / 2) * width for s in range(len(stages))]
        p50 = [v.latency_ms.get(stage, {}).get("p50", 0.0) for stage in stages]
        p95 = [v.latency_ms.get(stage, {}).get("p95", 0.0) for stage in stages]
        whiskers = [[0.0] * len(stages), [max(high - mid, 0.0) for mid, high in zip(p50, p95, strict=True)]]
        ax.bar(xs, p50, width, label=v.name, yerr=whiskers, capsize=2)
    ax.set_xticks(range(len(stages)), stages, rotation=20)
    ax.set(title="latency per stage (bar p50, whisker p95)", ylabel="ms")
    if any(v.latency_ms for v in result.variants):
        ax.set_yscale("log")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize="small")
