"""Run pipeline variants over a benchmark dataset and score them side by side.

    settings = Settings.from_env()
    dataset = load_dataset(BENCHMARKS_DIR / "scifact", "beir")
    retriever = open_dataset_index(dataset, settings, progress=True)     # cached under data_dir/eval-cache
    result = evaluate(dataset, retriever, variants=("bm25", "dense", "default"), answers=False)
    result.variant("bm25").retrieval["NDCG@10"]                          # 0.6...

Variants are named pipelines (`VARIANTS`): ``bm25``, ``dense``, ``hybrid`` (plain reciprocal-rank fusion),
``weighted`` (the blend without the sentence re-score) and ``default`` (what ``retrieve()`` and ``answer()``
use). Every variant sees the same questions over the same index.

Retrieval is scored at document level: the ranked chunks are mapped to their documents, a document's first
(best) chunk gives its rank, and enough chunks are fetched to fill a top-10 of distinct documents. Answers are
scored with the metrics of `eval.metrics` (see `answer_metrics`); latency is measured per question: the
``search`` stage is the retrieval call timed here, the other stages are the answer engine's own timings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shlex
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tqdm import tqdm

from index.config import REPO_ROOT, Settings
from index.records import Chunk, Document

from .datasets import DEVSET_PATH, Dataset, QAExample, unit_id
from .metrics import (
    abstention_scores,
    citation_precision,
    citation_recall,
    contains_answer,
    exact_match,
    latency_summary,
    recall_at_k,
    retrieval_metrics,
    token_f1,
)

if TYPE_CHECKING:
    from index.records import Hit
    from index.retriever import Retriever


class Cited(Protocol):
    doc_id: str
    chunk: Chunk


class AnswerLike(Protocol):
    """What the benchmark reads of an answer (`bot.engine.Answer` has it); eval never imports the bot."""

    text: str
    abstained: bool
    citations: Sequence[Cited]
    timings: Mapping[str, float]


# Given a retrieval method ("bm25", "default", ...), a function that answers a question with it.
Answerer = Callable[[str], Callable[[str], AnswerLike]]

logger = logging.getLogger(__name__)

# Report name -> `Retriever.search` / `AnswerEngine` method.
VARIANTS: dict[str, str] = {
    "bm25": "bm25",
    "dense": "dense",
    "hybrid": "rrf",
    "weighted": "weighted",
    "default": "default",
}
RETRIEVAL_KEYS = ("Recall@1", "Recall@5", "Recall@10", "MRR@10", "NDCG@10")
ANSWER_KEYS = (
    "EM", "F1", "Contains", "Citation-P", "Citation-R", "Correct", "Answered", "Abstain-P", "Abstain-R", "Abstain-F1",
)
TOP_DOCS = 10
# Chunks fetched per query; doubled until TOP_DOCS distinct documents are found or the index runs out.
CHUNK_DEPTH = 50
SEARCH_STAGE = "search"
_MARKER = re.compile(r"\s*\[\d+\]")


@dataclass(frozen=True)
class VariantScores:
    """One variant's scores. ``answers`` is None when answers were not run; a value inside it is None when
    the dataset has no question it applies to (e.g. EM without answer strings)."""

    name: str
    retrieval: dict[str, float]
    recall_curve: tuple[float, ...]  # Recall@1 .. Recall@TOP_DOCS
    answers: dict[str, float | None] | None
    latency_ms: dict[str, dict[str, float]]
    groups: dict[str, dict[str, float | None]] = field(default_factory=dict)  # "lang=zh" -> metrics
    # Refusing below each threshold of the answers' estimated probability: {"threshold", "Abstain-P", ...}.
    abstention_curve: tuple[dict[str, float], ...] = ()

    def to_json(self) -> dict:
        return {
            **self.retrieval,
            **(self.answers or {}),
            "latency_ms": self.latency_ms,
            "recall_curve": list(self.recall_curve),
            "groups": self.groups,
            "abstention_curve": list(self.abstention_curve),
        }


@dataclass(frozen=True)
class EvalResult:
    """Scores of every variant on one dataset, and the command that reproduces them."""

    dataset: str
    command: str
    n_questions: int
    variants: tuple[VariantScores, ...]

    def variant(self, name: str) -> VariantScores:
        for scores in self.variants:
            if scores.name == name:
                return scores
        raise KeyError(f"variant {name!r} was not run; ran {', '.join(v.name for v in self.variants)}")

    def to_json(self) -> dict:
        """The JSON report: ``{"dataset", "command", "n_questions", "variants": {name: {metric: value}}}``."""
        return {
            "dataset": self.dataset,
            "command": self.command,
            "n_questions": self.n_questions,
            "variants": {v.name: v.to_json() for v in self.variants},
        }


def parse_variants(text: str) -> tuple[str, ...]:
    """``"bm25,hybrid"`` -> ``("bm25", "hybrid")``; ValueError naming an unknown or missing variant."""
    if not isinstance(text, str):
        raise TypeError(f"variants must be a comma-separated str, got {type(text).__name__}")
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not names:
        raise ValueError(f"variants {text!r} names no variant; choose from {', '.join(VARIANTS)}")
    unknown = [name for name in names if name not in VARIANTS]
    if unknown:
        raise ValueError(f"unknown variant(s) {', '.join(map(repr, unknown))}; choose from {', '.join(VARIANTS)}")
    return names


def command_line(
    dataset: str | Path | None = None,
    *,
    format: str | None = None,
    limit: int | None = None,
    variants: Sequence[str] = tuple(VARIANTS),
    answers: bool = True,
) -> str:
    """The `regbot eval` command that reproduces a run, to be run from the repository root.

    ``command_line("/work/shared/benchmarks/scifact", format="beir", variants=("bm25",))`` ->
    ``"regbot eval --dataset ../shared/benchmarks/scifact --format beir --variants bm25"``.
    """
    words = ["regbot", "eval"]
    if dataset is not None and Path(dataset).resolve() != DEVSET_PATH:
        path = Path(dataset).resolve()
        words += ["--dataset", os.path.relpath(path, REPO_ROOT)]
    if format:
        words += ["--format", format]
    if limit is not None:
        words += ["--limit", str(limit)]
    if tuple(variants) != tuple(VARIANTS):
        words += ["--variants", ",".join(variants)]
    if not answers:
        words.append("--no-answers")
    return shlex.join(words)


# --- the index of a dataset's corpus ------------------------------------------------------------------------


def corpus_key(dataset: Dataset) -> str:
    """``f"{name}-{hash}"``: the cache folder name; it changes whenever a document's id, title or text
    does."""
    if dataset.documents is None:
        raise ValueError(f"dataset {dataset.name!r} uses the seeds corpus; it has no corpus of its own")
    digest = hashlib.sha256()
    for doc in dataset.documents:
        for part in (doc.doc_id, doc.title, doc.text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "-", dataset.name).strip("-") or "dataset"
    return f"{safe_name}-{digest.hexdigest()[:12]}"


def open_dataset_index(dataset: Dataset, settings: Settings, *, progress: bool = False) -> Retriever:
    """The retriever over ``dataset``'s corpus: the seeds index when it has none, else a cached index under
    ``settings.data_dir / "eval-cache" / corpus_key(dataset)`` (built once; later runs reuse it at no cost).
    """
    from index.builder import build_from_documents
    from index.default import build_options, open_index, retrieval_params
    from index.retriever import Retriever

    if dataset.documents is None:
        return open_index(settings, progress=progress)
    # The cache folder names the model unless it is chosen by the corpus ("auto"), so two models never share one.
    model = "" if settings.model == "auto" else f"--{settings.model}"
    index_dir = settings.data_dir / "eval-cache" / f"{corpus_key(dataset)}{model}"
    report = build_from_documents(
        dataset.documents, index_dir, progress=progress, source=dataset.name, **build_options(settings)
    )
    if not report.up_to_date:
        logger.info("indexed %s: %d chunks in %.0fs", dataset.name, report.chunks, report.seconds)
    return Retriever.load(index_dir, params=retrieval_params(settings))


# --- retrieval ----------------------------------------------------------------------------------------------


def doc_ranking(hits: Sequence[Hit], n: int = TOP_DOCS) -> list[str]:
    """Distinct documents in hit order, at most ``n``: a document ranks where its best chunk does. A law
    counts article by article (see `unit_id`).

    Hits for chunks of documents a, a, b, a, c give ``["a", "b", "c"]``.
    """
    ranked: dict[str, None] = {}
    for hit in hits:
        ranked.setdefault(unit_id(hit.doc_id, hit.article))
        if len(ranked) == n:
            break
    return list(ranked)


def search_documents(
    retriever: Retriever, question: str, method: str, *, n: int = TOP_DOCS, depth: int = CHUNK_DEPTH
) -> list[str]:
    """The top ``n`` distinct documents for ``question``: ``depth`` chunks first, twice as many while
    repeated documents leave the top ``n`` short and the index has more."""
    depth = min(depth, max(retriever.size, 1))
    while True:
        hits = retriever.search(question, depth, method=method)
        ranking = doc_ranking(hits, n)
        if len(ranking) == n or len(hits) < depth or depth >= retriever.size:
            return ranking
        depth = min(depth * 2, retriever.size)


def run_retrieval(
    retriever: Retriever,
    examples: Sequence[QAExample],
    method: str,
    *,
    progress: bool = False,
    label: str = "",
) -> tuple[dict[str, dict[str, float]], list[dict[str, float]]]:
    """(run, timings): the document ranking of every example with gold documents, in BEIR's run shape with
    scores ``1 / rank`` (so ties cannot reorder it), and the seconds each search took."""
    judged = [ex for ex in examples if ex.gold_doc_ids]
    if judged:  # the first query pays for lazy set-up (tokenizer, BM25 caches); keep it out of the timings
        retriever.search(judged[0].question, 1, method=method)
    run: dict[str, dict[str, float]] = {}
    timings: list[dict[str, float]] = []
    for example in tqdm(judged, desc=f"{label} retrieval", disable=not progress, leave=False, unit="q"):
        started = time.perf_counter()
        ranking = search_documents(retriever, example.question, method)
        timings.append({SEARCH_STAGE: time.perf_counter() - started})
        run[example.qid] = {doc_id: 1.0 / rank for rank, doc_id in enumerate(ranking, start=1)}
    return run, timings


def score_retrieval(
    qrels: Mapping[str, Mapping[str, int]], run: Mapping[str, Mapping[str, float]]
) -> tuple[dict[str, float], tuple[float, ...]]:
    """(the `RETRIEVAL_KEYS` metrics, Recall@1..TOP_DOCS) of a document-level run."""
    metrics = retrieval_metrics(qrels, run, ks=(1, 5, TOP_DOCS))
    curve = tuple(recall_at_k(qrels, run, k) for k in range(1, TOP_DOCS + 1))
    return {key: metrics[key] for key in RETRIEVAL_KEYS}, curve


# --- answers ------------------------------------------------------------------------------------------------


def needs_answers(dataset: Dataset) -> bool:
    """False for pure retrieval data (BEIR: every question has gold documents, none has answer strings)."""
    return any(ex.answers or not ex.answerable or not ex.gold_doc_ids for ex in dataset.examples)


def run_answers(
    answer: Callable[[str], AnswerLike], examples: Sequence[QAExample], *, progress: bool = False, label: str = ""
) -> tuple[list[AnswerLike], list[dict[str, float]]]:
    """The answer to every example and its stage timings (the engine's own)."""
    answers, timings = [], []
    for example in tqdm(examples, desc=f"{label} answers", disable=not progress, leave=False, unit="q"):
        result = answer(example.question)
        answers.append(result)
        timings.append(dict(result.timings))
    return answers, timings


def answer_text(answer: AnswerLike) -> str:
    """The prediction scored: the answer without its [n] markers; "" for an abstention (as in SQuAD v2)."""
    return "" if answer.abstained else _MARKER.sub("", answer.text).strip()


def answer_metrics(examples: Sequence[QAExample], answers: Sequence[AnswerLike]) -> dict[str, float | None]:
    """`ANSWER_KEYS` means over the examples each applies to (None when none does):

    - EM, F1, Contains: answerable examples with answer strings; an abstention predicts "".
    - Citation-P, Citation-R: examples with gold documents; a citation is ``(doc_id, chunk text)``, so the
      passage must hold an answer string (when the example has any) for precision.
    - Abstain-P/R/F1: every example; it should abstain exactly when the example is not answerable.
    """
    if len(examples) != len(answers):
        raise ValueError(f"{len(examples)} examples but {len(answers)} answers: they must be aligned")
    pairs = list(zip(examples, answers, strict=True))
    with_answers = [(ex, answer_text(ans)) for ex, ans in pairs if ex.answerable and ex.answers]
    with_docs = [(ex, _cited(ans)) for ex, ans in pairs if ex.gold_doc_ids]
    answerable = [ans for ex, ans in pairs if ex.answerable]
    scores: dict[str, float | None] = {
        "EM": _mean([exact_match(text, ex.answers) for ex, text in with_answers]),
        "F1": _mean([token_f1(text, ex.answers) for ex, text in with_answers]),
        "Contains": _mean([float(contains_answer(text, ex.answers)) for ex, text in with_answers]),
        "Citation-P": _mean([citation_precision(c, ex.gold_units, ex.answers) for ex, c in with_docs]),
        "Citation-R": _mean([citation_recall(c, ex.gold_units) for ex, c in with_docs]),
        "Correct": _mean([float(is_correct(ex, ans)) for ex, ans in pairs if ex.answerable and ex.answers]),
        "Answered": _mean([float(not ans.abstained) for ans in answerable]),
    }
    abstain = abstention_scores([ans.abstained for ans in answers], [not ex.answerable for ex in examples])
    return {**scores, **abstain}


CURVE_THRESHOLDS = tuple(round(0.1 * i, 1) for i in range(1, 10))


def abstention_curve(examples: Sequence[QAExample], answers: Sequence[AnswerLike]) -> tuple[dict[str, float], ...]:
    """The learned decision alone, at each of `CURVE_THRESHOLDS`: Abstain-P/R/F1 and Answered (of answerable
    questions) when an answer is refused exactly when its estimated probability (``confidence``) is below the
    threshold. Empty when the answers carry no estimate or no example is unanswerable. The answers' own
    decisions (the class rules and the model's operating point) are the chosen point, in the scores table."""
    confidence = [getattr(answer, "confidence", None) for answer in answers]
    if all(c is None for c in confidence) or all(ex.answerable for ex in examples):
        return ()
    should = [not ex.answerable for ex in examples]
    curve = []
    for threshold in CURVE_THRESHOLDS:
        refused = [c is None or c < threshold for c in confidence]
        answered = [not r for r, ex in zip(refused, examples, strict=True) if ex.answerable]
        point = {"threshold": threshold, **abstention_scores(refused, should)}
        curve.append({**point, "Answered": sum(answered) / len(answered) if answered else 0.0})
    return tuple(curve)


def is_correct(example: QAExample, answer: AnswerLike) -> bool:
    """Answered, containing an accepted answer, and citing a gold article or document."""
    gold = set(example.gold_units)
    return (
        not answer.abstained
        and contains_answer(answer_text(answer), example.answers)
        and any(unit in gold for unit, _ in _cited(answer))
    )


def _cited(answer: AnswerLike) -> list[tuple[str, str]]:
    return [(unit_id(c.doc_id, c.chunk.article), c.chunk.text) for c in answer.citations]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None



# --- the whole run ------------------------------------------------------------------------------------------


def evaluate(
    dataset: Dataset,
    retriever: Retriever,
    *,
    variants: Sequence[str] = tuple(VARIANTS),
    answers: bool = True,
    progress: bool = False,
    command: str = "",
    answerer: Answerer | None = None,
) -> EvalResult:
    """Score each variant on ``dataset`` with ``retriever`` (see the module doc for what is measured).

    Answers run when ``answers`` is true and the dataset has something to score them on (`needs_answers`):
    ``answerer(method)`` gives the function that answers a question with that retrieval method, e.g.
    ``lambda method: AnswerEngine(retriever, method=method).answer``.
    """
    names = parse_variants(variants if isinstance(variants, str) else ",".join(variants))
    qrels = dataset.qrels
    with_answers = answers and needs_answers(dataset)
    if with_answers and answerer is None:
        raise ValueError(f"{dataset.name} has answers to score: pass answerer=, or answers=False")
    scored = []
    groups_of = {ex.qid: example_groups(ex, retriever.documents) for ex in dataset.examples}
    for name in tqdm(names, desc=dataset.name, disable=not progress, unit="variant"):
        method = VARIANTS[name]
        run, timings = run_retrieval(retriever, dataset.examples, method, progress=progress, label=name)
        retrieval, curve = score_retrieval(qrels, run)
        answer_scores, produced, refusals = None, None, ()
        if with_answers:
            produced, answer_timings = run_answers(
                answerer(method), dataset.examples, progress=progress, label=name
            )
            answer_scores = answer_metrics(dataset.examples, produced)
            refusals = abstention_curve(dataset.examples, produced)
            timings = [*timings, *answer_timings]
        latency = latency_summary(timings) if timings else {}
        groups = group_scores(dataset.examples, groups_of, qrels, run, produced)
        scored.append(VariantScores(name, retrieval, curve, answer_scores, latency, groups, refusals))
        logger.info("%s %s: %s", dataset.name, name, {k: round(v, 3) for k, v in retrieval.items()})
    return EvalResult(dataset.name, command, len(dataset.examples), tuple(scored))


def example_groups(example: QAExample, documents: Mapping[str, Document]) -> tuple[str, ...]:
    """The report groups of an example: ``lang=en|zh`` when known, and ``source=`` the kind of its first gold
    document ("news", "law", "document") or ``unanswerable``."""
    groups = [f"lang={example.language}"] if example.language else []
    if not example.answerable:
        return (*groups, "source=unanswerable")
    first = documents.get(example.gold_doc_ids[0]) if example.gold_doc_ids else None
    return (*groups, f"source={first.kind}") if first else tuple(groups)


def group_scores(
    examples: Sequence[QAExample],
    groups_of: Mapping[str, tuple[str, ...]],
    qrels: Mapping[str, Mapping[str, int]],
    run: Mapping[str, Mapping[str, float]],
    answers: Sequence[AnswerLike] | None,
) -> dict[str, dict[str, float | None]]:
    """Recall@5 and, when answers ran, the answer metrics of each group with two kinds of example or more
    (a dataset that is all one language has no language breakdown)."""
    labels = sorted({label for ex in examples for label in groups_of[ex.qid]})
    dimension = [label.split("=")[0] for label in labels]
    result: dict[str, dict[str, float | None]] = {}
    for label in (label for label, dim in zip(labels, dimension, strict=True) if dimension.count(dim) > 1):
        members = [i for i, ex in enumerate(examples) if label in groups_of[ex.qid]]
        judged = {examples[i].qid: qrels[examples[i].qid] for i in members if examples[i].qid in qrels}
        scores: dict[str, float | None] = {"n": float(len(members))}
        scores["Recall@5"] = recall_at_k(judged, run, 5) if judged else None
        if answers is not None:
            scores.update(answer_metrics([examples[i] for i in members], [answers[i] for i in members]))
        result[label] = scores
    return result


# --- committed expected scores ------------------------------------------------------------------------------


def load_expected(path: str | Path, run: str) -> dict:
    """The entry ``run`` of an expected-scores file (``eval/expected_scores.json``): ``command``,
    ``tolerance`` and ``variants`` ({name: {metric: value}})."""
    runs = json.loads(Path(path).read_text(encoding="utf-8"))["runs"]
    if run not in runs:
        raise ValueError(f"{path} has no run {run!r}; it has {', '.join(sorted(runs))}")
    return runs[run]


def regressions(report: Mapping, expected: Mapping) -> list[str]:
    """One line per expected score that the JSON ``report`` (`EvalResult.to_json`) misses by more than the
    expected entry's tolerance; higher is better for every metric. A variant or metric that the report lacks
    (or has as null) is a regression too. ``regressions(result.to_json(), load_expected(path, "devset"))``.
    """
    tolerance = float(expected["tolerance"])
    failures = []
    actual = report["variants"]
    for name, metrics in expected["variants"].items():
        for metric, want in metrics.items():
            got = actual.get(name, {}).get(metric)
            if got is None:
                failures.append(f"{name} {metric}: expected {want:.3f}, not measured")
            elif got < want - tolerance:
                failures.append(f"{name} {metric}: {got:.3f} < expected {want:.3f} - tolerance {tolerance}")
    return failures
