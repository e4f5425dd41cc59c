"""Run the committed benchmark commands and compare their scores with eval/expected_scores.json.

    .venv/bin/python scripts/regression.py                 # every run (SciFact and SQuAD take minutes)
    .venv/bin/python scripts/regression.py devset scifact  # only these runs
    .venv/bin/python scripts/regression.py --update devset # re-measure and commit the new expected scores

Each run executes its recorded `regbot eval ...` command exactly (the corpus index is cached under the data
directory, so only the first run of a public benchmark pays for indexing). Exits 1 when a score dropped by
more than the run's tolerance. ``--update`` rewrites the expected scores of the named runs with what was just
measured (command and tolerance kept); review the diff before committing it.
"""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import sys
import tempfile
from pathlib import Path

from bot.cli import main as regbot
from eval.runner import regressions
from index.config import REPO_ROOT

EXPECTED = REPO_ROOT / "eval" / "expected_scores.json"
# Latency depends on the machine, and the curves and groups are derived from the pinned scores' questions: none
# of them is pinned.
NOT_PINNED = ("latency_ms", "recall_curve", "groups", "abstention_curve")


def run(name: str, entry: dict, out_dir: Path) -> dict:
    argv = shlex.split(entry["command"])
    if argv[:2] != ["regbot", "eval"]:
        raise ValueError(f"run {name!r}: command {entry['command']!r} is not a `regbot eval` command")
    out = out_dir / f"{name}.json"
    code = regbot([*argv[1:], "--json", str(out), "--chart", str(out.with_suffix(".png"))])
    if code != 0:
        raise RuntimeError(f"run {name!r}: `{entry['command']}` exited with {code}")
    return json.loads(out.read_text())


def pinned(report: dict) -> dict[str, dict[str, float]]:
    return {
        variant: {k: round(v, 4) for k, v in metrics.items() if k not in NOT_PINNED and v is not None}
        for variant, metrics in report["variants"].items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="*", help="run names (default: all in the expected-scores file)")
    parser.add_argument("--update", action="store_true", help="write the measured scores as the new expected ones")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    expected = json.loads(EXPECTED.read_text())
    names = args.runs or list(expected["runs"])
    unknown = [n for n in names if n not in expected["runs"]]
    if unknown:
        parser.error(f"unknown run(s) {', '.join(unknown)}; known: {', '.join(expected['runs'])}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            entry = expected["runs"][name]
            report = run(name, entry, Path(tmp))
            problems = regressions(report, entry)
            print(f"{name}: {'OK' if not problems else f'{len(problems)} regression(s)'} ({entry['command']})")
            for problem in problems:
                print(f"  {problem}")
            failed |= bool(problems)
            if args.update:
                entry["variants"] = pinned(report)
    if args.update:
        EXPECTED.write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n")
        print(f"updated {EXPECTED}")
    return 1 if failed and not args.update else 0


if __name__ == "__main__":
    sys.exit(main())
