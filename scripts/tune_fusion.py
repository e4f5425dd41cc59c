"""Tune the fusion of the default retrieval pipeline on SQuAD v1.1 dev, then score it on held-out questions.

    .venv/bin/python scripts/tune_fusion.py [--squad ../shared/benchmarks/squad-dev-v1.1.json]

The 2,067 dev paragraphs form a closed corpus. The evaluation sample is the one `regbot eval --format squad
--limit 2000` scores (seed 13); 1,000 other questions (seed 7) tune the weights, so the reported numbers are
not tuned on themselves. Metrics are at paragraph level (gold paragraph Recall@5, MRR@10). Prints a table;
asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from pathlib import Path

import numpy as np

from eval.datasets import load_squad
from index.builder import build_from_documents
from index.config import REPO_ROOT, Settings
from index.retriever import Candidates, Retriever, combine


def doc_ranking(retriever: Retriever, rows: np.ndarray, scores: np.ndarray, depth: int = 10) -> list[str]:
    ranked: list[str] = []
    for row in rows[np.argsort(-scores, kind="stable")]:
        doc = retriever.chunks[int(row)].doc_id
        if doc not in ranked:
            ranked.append(doc)
        if len(ranked) == depth:
            break
    return ranked


def score(rankings: list[list[str]], gold: list[str]) -> tuple[float, float]:
    recall = np.mean([g in r[:5] for r, g in zip(rankings, gold, strict=True)])
    mrr = np.mean([1.0 / (r.index(g) + 1) if g in r[:10] else 0.0 for r, g in zip(rankings, gold, strict=True)])
    return float(recall), float(mrr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--squad", type=Path, default=REPO_ROOT.parent / "shared/benchmarks/squad-dev-v1.1.json")
    parser.add_argument("--eval", type=int, default=2000)
    parser.add_argument("--tune", type=int, default=1000)
    args = parser.parse_args()
    settings = Settings.from_env()
    full = load_squad(args.squad)
    held_out = load_squad(args.squad, limit=args.eval).examples
    taken = {e.qid for e in held_out}
    rest = [e for e in full.examples if e.qid not in taken]
    tune_set = random.Random(7).sample(rest, args.tune)
    index_dir = settings.data_dir / "indexes" / "squad-dev-v1.1"
    started = time.perf_counter()
    report = build_from_documents(list(full.documents), index_dir, progress=True)
    print(f"index: {report.chunks} chunks, built/updated in {time.perf_counter() - started:.1f}s")
    retriever = Retriever.load(index_dir)
    splits = {"tune": tune_set, "eval": list(held_out)}
    pools: dict[str, list[tuple[Candidates, np.ndarray, list[str]]]] = {}
    for name, items in splits.items():
        vectors = retriever.embedder.encode([e.question for e in items], batch_size=128)
        pools[name] = []
        for example, vector in zip(items, vectors, strict=True):
            pool = retriever.candidates(retriever.check_query(example.question), vector)
            bm25_only = retriever.search(example.question, 30, method="bm25")
            pools[name].append((pool, retriever.best_sentence(vector, pool.rows), [h.doc_id for h in bm25_only]))

    def evaluate(name: str, fusion: str, dense_weight: float, rescore_weight: float) -> tuple[float, float]:
        rankings, gold = [], []
        for (pool, best, _), example in zip(pools[name], splits[name], strict=True):
            fused = combine(pool, fusion, dense_weight, best, rescore_weight)
            rankings.append(doc_ranking(retriever, pool.rows, fused))
            gold.append(example.gold_doc_ids[0])
        return score(rankings, gold)

    grid = list(itertools.product([0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6], [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]))
    tuned = {(w, r): evaluate("tune", "weighted", w, r) for w, r in grid}
    best_w, best_r = max(tuned, key=lambda key: tuned[key][0] + tuned[key][1])
    best_rrf_r = max([0.0, 0.1, 0.2, 0.3, 0.4, 0.5], key=lambda r: sum(evaluate("tune", "rrf", 0.5, r)))
    print(f"tuned on {len(splits['tune'])} questions: dense_weight={best_w}, rescore_weight={best_r}")
    print("\n| pipeline (2,000 held-out questions) | Recall@5 | MRR@10 |\n|---|---|---|")
    eval_gold = [e.gold_doc_ids[0] for e in splits["eval"]]
    dense_rankings = [doc_ranking(retriever, p.rows, p.dense) for p, _, _ in pools["eval"]]
    bm25_rankings = [r[:10] for _, _, r in pools["eval"]]
    rows = {
        "dense (MiniLM)": score(dense_rankings, eval_gold),
        "bm25": score(bm25_rankings, eval_gold),
        "rrf": evaluate("eval", "rrf", 0.5, 0.0),
        f"rrf + sentence re-score {best_rrf_r}": evaluate("eval", "rrf", 0.5, best_rrf_r),
        f"weighted {best_w}": evaluate("eval", "weighted", best_w, 0.0),
        f"weighted {best_w} + sentence re-score {best_r} (default)": evaluate("eval", "weighted", best_w, best_r),
    }
    for name, (recall, mrr) in rows.items():
        print(f"| {name} | {recall:.3f} | {mrr:.3f} |")


if __name__ == "__main__":
    main()
