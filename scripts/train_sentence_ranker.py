"""Fit the sentence-score corrections (bot/engine/ranking.json): which candidate sentence states the answer?

    .venv/bin/python scripts/train_sentence_ranker.py          # about a minute on 2 cores

Every answerable question of our development sets (`eval.datasets.DEVELOPMENT_SETS`, never a blind set) goes
through the real engine over the default knowledge base. Among its candidate sentences
(the best ``CANDIDATES``), those that state the answer are the positives: for a law, a sentence of a gold
article; otherwise a sentence of a gold document that contains an accepted answer. A pairwise logistic
regression (each positive against each negative of the same question, both orders, no intercept) learns how
much the hand-blended score and each of `RANKING_FEATURES` count; the corrections are written in units of the
score. It prints how often the top sentence states the answer, with and without them, 5-fold by question
(three shuffles), per language and kind of source.

Only the multilingual model gets corrections: the features (another language, a law) do not vary in the
English corpora MiniLM serves.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from bot.engine import AnswerEngine
from bot.engine.ranking import RANKER_PATH, RANKING_FEATURES, load_ranker
from eval.datasets import DEVELOPMENT_SETS, QAExample, load_jsonl
from eval.metrics import contains_answer
from index.config import Settings

MODEL = "multilingual-e5-small"
CANDIDATES = 40
C = 0.1
SEED = 13


def candidates(engine: AnswerEngine, example: QAExample) -> tuple[str, np.ndarray, np.ndarray] | None:
    """(group, features [score without corrections, *RANKING_FEATURES], labels) of one question's candidates."""
    asked, _, scored = engine.examine(example.question)
    if not scored:
        return None
    retriever = engine.retriever
    named = retriever.named_documents(asked.search_text)
    rows, labels = [], []
    for s in scored[:CANDIDATES]:
        is_law = retriever.documents[s.chunk.doc_id].kind == "law"
        values = {"cross": s.cross, "is_law": is_law, "from_named_source": s.chunk.doc_id in named}
        rows.append([s.score, *(float(values[name]) for name in RANKING_FEATURES)])
        gold_articles = [n for d, n in example.articles if d == s.chunk.doc_id]
        if is_law:
            label = s.chunk.doc_id in example.gold_doc_ids and (not gold_articles or s.chunk.article in gold_articles)
        else:
            label = s.chunk.doc_id in example.gold_doc_ids and contains_answer(s.sentence.text, example.answers)
        labels.append(int(label))
    group = f"{asked.language}-{'law' if example.articles else 'news'}"
    return group, np.array(rows), np.array(labels)


def pairs(questions: list[tuple[str, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    x, y = [], []
    for _, features, labels in questions:
        for p in np.flatnonzero(labels == 1):
            for n in np.flatnonzero(labels == 0):
                x += [features[p] - features[n], features[n] - features[p]]
                y += [1, 0]
    return np.array(x), np.array(y)


def fit(questions: list[tuple[str, np.ndarray, np.ndarray]]) -> np.ndarray:
    """Weights on the raw features, the score's scaled to 1: the others are then in units of the score."""
    x, y = pairs(questions)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=3000, fit_intercept=False).fit(x / scale, y)
    raw = model.coef_[0] / scale
    return raw / raw[0]


def top_one(questions: list[tuple[str, np.ndarray, np.ndarray]], weights: np.ndarray) -> collections.Counter:
    hits: collections.Counter = collections.Counter()
    for group, features, labels in questions:
        right = int(labels[int(np.argmax(features @ weights))])
        hits[group] += right
        hits["all"] += right
    return hits


def cross_validated(questions: list[tuple[str, np.ndarray, np.ndarray]]) -> dict[str, dict[str, float]]:
    counts = collections.Counter(group for group, _, _ in questions)
    counts["all"] = len(questions)
    base = np.zeros(1 + len(RANKING_FEATURES))
    base[0] = 1.0
    before, after = top_one(questions, base), collections.Counter()
    for shuffle in range(3):
        for train, test in KFold(5, shuffle=True, random_state=SEED + shuffle).split(questions):
            weights = fit([questions[i] for i in train])
            after += top_one([questions[i] for i in test], weights)
    return {group: {"questions": n, "top_sentence_states_answer": round(before[group] / n, 3),
                    "with_corrections": round(after[group] / 3 / n, 3)} for group, n in sorted(counts.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    # Fitted on the uncorrected scores: the file is emptied first (an interrupted run leaves no corrections).
    RANKER_PATH.write_text(json.dumps({"about": "being refitted", "models": {}}) + "\n", encoding="utf-8")
    load_ranker.cache_clear()
    engine = AnswerEngine.from_settings(Settings.from_env())
    if engine.retriever.embedder.name != MODEL:
        raise SystemExit(f"the default knowledge base is indexed with {engine.retriever.embedder.name}, not {MODEL}")
    examples = [ex for path in DEVELOPMENT_SETS for ex in load_jsonl(path).examples if ex.answerable]
    questions = [c for c in (candidates(engine, ex) for ex in examples) if c is not None and c[2].any()]
    report = cross_validated(questions)
    weights = fit(questions)
    for group, row in report.items():
        print(f"{group:8} {row}")
    entry = {"features": list(RANKING_FEATURES), "weights": [round(float(w), 4) for w in weights[1:]],
             "report": {"questions_with_a_positive": len(questions), "five_fold": report}}
    print(f"{MODEL}: {dict(zip(RANKING_FEATURES, entry['weights'], strict=True))}")
    document = {
        "about": "Sentence-score corrections per embedding model, in units of the hand-blended score "
                 "(bot/engine/ranking.py). Written by scripts/train_sentence_ranker.py; do not edit by hand.",
        "command": " ".join(["scripts/train_sentence_ranker.py", *sys.argv[1:]]),
        "models": {MODEL: entry},
    }
    RANKER_PATH.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RANKER_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
