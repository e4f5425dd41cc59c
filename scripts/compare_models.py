"""Would an index per language (MiniLM for English text, e5 across languages) answer English news questions better?

    .venv/bin/python scripts/compare_models.py            # about 3 minutes on 2 cores

The English questions of our sets whose gold is a news article, answered three ways:

- **combined, e5**: the default knowledge base (news and laws), multilingual-e5-small: what regbot does.
- **news only, e5**: the news articles alone, e5: what the laws cost as distractors.
- **news only, MiniLM**: the news articles alone, all-MiniLM-L6-v2: the English half of the per-language
  design at its best, with no law passage to compete with.

What the per-language design could win back is at most the gap between the first and the third rows. Printed
per group of sets: the development sets before the laws joined (devset, heldout, dev2-4), on which MiniLM's
rules were written, and the blind sets since, on which nothing of either was tuned. Indexes go under
``<data dir>/model-comparison/``. Prints a Markdown table; it asserts nothing.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import AnswerEngine  # noqa: E402
from eval.datasets import DEVSET_PATH, load_dataset  # noqa: E402
from eval.runner import is_correct  # noqa: E402
from index.config import REPO_ROOT, Settings  # noqa: E402

SEEDS = REPO_ROOT / "seeds"
GROUPS = {
    "dev (devset, heldout, dev2-4)": ("devset", "heldout", "dev2", "dev3", "dev4"),
    "blind sets": tuple(sorted(p.stem for p in DEVSET_PATH.parent.glob("blind*.jsonl"))),
}


def news_only_corpus(data_dir: Path) -> Path:
    """A corpus folder holding the news articles and their metadata, without the laws."""
    folder = data_dir / "model-comparison" / "news"
    folder.mkdir(parents=True, exist_ok=True)
    for path in [*SEEDS.glob("*.txt"), SEEDS / "metadata.json"]:
        shutil.copy2(path, folder / path.name)
    return folder


def questions(names: tuple[str, ...]) -> list:
    news = {p.stem for p in SEEDS.glob("*.txt")}
    return [
        ex for name in names for ex in load_dataset(DEVSET_PATH.with_name(f"{name}.jsonl")).examples
        if ex.language == "en" and ex.answerable and ex.gold_doc_ids and set(ex.gold_doc_ids) <= news
    ]


def score(engine: AnswerEngine, examples: list) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for ex in examples:
        hits = engine.retriever.search(ex.question, k=5)
        counts["R@1"] += bool(hits) and hits[0].doc_id in ex.gold_doc_ids
        counts["R@5"] += any(h.doc_id in ex.gold_doc_ids for h in hits)
        reply = engine.answer(ex.question)
        counts["false refusals" if reply.abstained else "right" if is_correct(ex, reply) else "wrong"] += 1
    return {key: counts[key] / len(examples) for key in ("R@1", "R@5", "right", "wrong", "false refusals")}


def main() -> None:
    base = Settings.from_env()
    news = news_only_corpus(base.data_dir)
    configs = {
        "combined, e5": base,
        "news only, e5": Settings.from_env(corpus_dir=news, model="multilingual-e5-small"),
        "news only, MiniLM": Settings.from_env(corpus_dir=news, model="all-MiniLM-L6-v2"),
    }
    print("| questions | n | index | R@1 | R@5 | right | wrong | false refusals |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for group, names in GROUPS.items():
        examples = questions(names)
        for label, settings in configs.items():
            figures = score(AnswerEngine.from_settings(settings), examples)
            cells = " | ".join(f"{value:.3f}" for value in figures.values())
            print(f"| {group} | {len(examples)} | {label} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
