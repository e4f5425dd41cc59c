"""Print abstention precision/recall and answer quality on the dev set for a range of thresholds.

    .venv/bin/python scripts/calibrate_abstention.py

The engine abstains when its best sentence scores below the threshold; this sweeps the threshold over
the scores the dev set actually produces and prints, for each, what the issue's goals measure.
"""

from __future__ import annotations

import numpy as np

from bot.engine import AnswerEngine
from bot.engine.answerability import abstain_reason
from bot.engine.compose import score_sentences, select_sentences
from eval.datasets import load_devset
from eval.metrics import contains_answer
from index.config import Settings
from index.default import open_index


def main() -> None:
    settings = Settings.from_env()
    retriever = open_index(settings)
    engine = AnswerEngine(retriever, abstain_threshold=-1.0, k=settings.k, max_quotes=settings.max_quotes)
    examples = load_devset().examples
    rows = []
    for example in examples:
        answer = engine.answer(example.question)
        query = retriever.check_query(example.question)
        scored = score_sentences(example.question, retriever.encode(query), answer.closest or (), retriever)
        picked = select_sentences(scored, max_quotes=settings.max_quotes)
        # Every check but the threshold: the sweep below applies the threshold itself.
        other = abstain_reason(example.question, picked, retriever, threshold=-1.0)
        top = picked[0].score if picked and other is None else -1.0
        cited = {c.doc_id for c in answer.citations}
        has_fact = contains_answer(answer.text, example.answers)
        rows.append((example, top, has_fact, bool(cited & set(example.gold_doc_ids)), other))
    answerable = [r for r in rows if r[0].answerable]
    unanswerable = [r for r in rows if not r[0].answerable]
    print(f"{len(answerable)} answerable, {len(unanswerable)} unanswerable questions")
    print("| threshold | abstain on unanswerable | false abstentions | contains fact | cites gold | Abstain-P |")
    print("|---|---|---|---|---|---|")
    for threshold in np.arange(0.30, 0.62, 0.02):
        kept = [r for r in answerable if r[1] >= threshold]
        abstain_true = sum(r[1] < threshold for r in unanswerable)
        abstain_false = len(answerable) - len(kept)
        precision = abstain_true / (abstain_true + abstain_false) if abstain_true + abstain_false else 0.0
        print(
            f"| {threshold:.2f} | {abstain_true / len(unanswerable):.2f} | {abstain_false / len(answerable):.2f} "
            f"| {sum(r[2] for r in kept) / len(answerable):.2f} | {sum(r[3] for r in kept) / len(answerable):.2f} "
            f"| {precision:.2f} |"
        )
    print("\nanswerable questions, lowest best-sentence score first:")
    for example, top, has, cites, other in sorted(answerable, key=lambda r: r[1])[:12]:
        print(f"  {top:.3f} contains={has} cites_gold={cites} {other or ''} {example.question}")
    print("unanswerable questions, highest score first:")
    for example, top, _, _, _ in sorted(unanswerable, key=lambda r: -r[1])[:8]:
        print(f"  {top:.3f} {example.question}")


if __name__ == "__main__":
    main()
