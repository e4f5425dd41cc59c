"""Pure metric functions for the QA benchmark: retrieval, answers, citations, abstention and latency.

Nothing here mutates its inputs, loads a model or touches a file. Retrieval metrics take BEIR's shapes::

    qrels = {"q1": {"d1": 1, "d2": 2}}           # dict[qid, dict[docid, relevance]], relevance > 0 = relevant
    run = {"q1": {"d2": 0.9, "d7": 0.4}}         # dict[qid, dict[docid, score]], higher = better
    retrieval_metrics(qrels, run)                 # {"Recall@1": 1/3, ..., "MRR@10": 1.0, "NDCG@10": 0.78...}

Definitions (those of trec_eval as used through pytrec_eval by BEIR, differences stated):

- The ranking of a query is its run entries sorted by score descending, ties broken by doc id descending
  (trec_eval's order), then cut at ``k``.
- A document is relevant when its qrels relevance is > 0. Queries with no relevant document are left out of
  every mean (trec_eval does the same); a mean over no query at all is 0.0.
- A query that has relevant documents but is missing from the run scores 0 (BEIR averages only over the
  queries present in the run, which flatters a system that returns nothing for hard queries).
- ``Recall@k`` = relevant documents in the top k / all relevant documents of the query (BEIR's ``Recall@k``,
  trec_eval's ``recall_k``; not the capped ``R_cap@k``).
- ``MRR@k`` = 1 / rank of the first relevant document in the top k, 0 if none.
- ``NDCG@k`` = DCG@k / IDCG@k with linear gain (the relevance value itself, as trec_eval's ``ndcg_cut``) and
  discount ``1 / log2(rank + 1)``; IDCG sorts all the query's qrels relevances, not just the retrieved ones.

Answer metrics follow the official SQuAD script's normalisation (lower case, drop punctuation, drop the
articles a/an/the, collapse whitespace) and take the best score over the accepted answers.
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

Qrels = Mapping[str, Mapping[str, int]]
Run = Mapping[str, Mapping[str, float]]
PerQuery = Callable[[Mapping[str, int], Sequence[str], int], float]

__all__ = [
    "abstention_scores",
    "citation_precision",
    "citation_recall",
    "contains_answer",
    "exact_match",
    "latency_summary",
    "mrr_at_k",
    "ndcg_at_k",
    "normalize_answer",
    "percentile",
    "recall_at_k",
    "retrieval_metrics",
    "token_f1",
]


# --- retrieval ----------------------------------------------------------------------------------------------


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"k must be an int, got {k!r}")
    if k <= 0:
        raise ValueError(f"k must be positive, got {k}")


def _ranking(scores: Mapping[str, float], k: int) -> list[str]:
    """Doc ids by score descending, ties by doc id descending (trec_eval's order), top ``k``."""
    ranked = sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)
    return [doc_id for doc_id, _ in ranked[:k]]


def _judged_queries(qrels: Qrels) -> Iterable[tuple[str, dict[str, int]]]:
    """(qid, {docid: relevance > 0}) for every query that has at least one relevant document."""
    for qid, judgements in qrels.items():
        relevant = {doc_id: rel for doc_id, rel in judgements.items() if rel > 0}
        if relevant:
            yield qid, relevant


def _mean_over_queries(qrels: Qrels, run: Run, k: int, per_query: PerQuery) -> float:
    _check_k(k)
    values = [
        per_query(relevant, _ranking(run.get(qid, {}), k), k) for qid, relevant in _judged_queries(qrels)
    ]
    return sum(values) / len(values) if values else 0.0


def _recall(relevant: Mapping[str, int], ranking: Sequence[str], k: int) -> float:
    return sum(1 for doc_id in ranking if doc_id in relevant) / len(relevant)


def _reciprocal_rank(relevant: Mapping[str, int], ranking: Sequence[str], k: int) -> float:
    for rank, doc_id in enumerate(ranking, start=1):
        if doc_id in relevant:
            return 1.0 / rank
    return 0.0


def _ndcg(relevant: Mapping[str, int], ranking: Sequence[str], k: int) -> float:
    dcg = sum(relevant.get(doc_id, 0) / math.log2(rank + 1) for rank, doc_id in enumerate(ranking, start=1))
    # The ideal list is cut at k, not at the run's length: a short run must not get an easier target.
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(rel / math.log2(rank + 1) for rank, rel in enumerate(ideal, start=1))
    return dcg / idcg


def recall_at_k(qrels: Qrels, run: Run, k: int) -> float:
    """Mean over judged queries of (relevant docs in the top k) / (relevant docs).

    >>> recall_at_k({"q": {"a": 1, "b": 1}}, {"q": {"a": 0.9, "c": 0.5}}, 10)
    0.5
    """
    return _mean_over_queries(qrels, run, k, _recall)


def mrr_at_k(qrels: Qrels, run: Run, k: int) -> float:
    """Mean over judged queries of 1 / rank of the first relevant doc within the top k (0 if none).

    >>> mrr_at_k({"q": {"b": 1}}, {"q": {"a": 0.9, "b": 0.5}}, 10)
    0.5
    """
    return _mean_over_queries(qrels, run, k, _reciprocal_rank)


def ndcg_at_k(qrels: Qrels, run: Run, k: int) -> float:
    """Mean over judged queries of NDCG@k with graded (linear) gains and a log2 discount.

    >>> round(ndcg_at_k({"q": {"a": 1}}, {"q": {"b": 0.9, "a": 0.5}}, 10), 4)  # 1/log2(3)
    0.6309
    """
    return _mean_over_queries(qrels, run, k, _ndcg)


def retrieval_metrics(qrels: Qrels, run: Run, ks: Sequence[int] = (1, 5, 10)) -> dict[str, float]:
    """``Recall@k`` for each k in ``ks``, plus ``MRR@10`` and ``NDCG@10`` at the largest k.

    >>> sorted(retrieval_metrics({"q": {"a": 1}}, {"q": {"a": 1.0}}))
    ['MRR@10', 'NDCG@10', 'Recall@1', 'Recall@10', 'Recall@5']
    """
    if not ks:
        raise ValueError("ks must name at least one cut-off, got an empty sequence")
    for k in ks:
        _check_k(k)
    top = max(ks)
    scores = {f"Recall@{k}": recall_at_k(qrels, run, k) for k in ks}
    scores[f"MRR@{top}"] = mrr_at_k(qrels, run, top)
    scores[f"NDCG@{top}"] = ndcg_at_k(qrels, run, top)
    return scores


# --- answers ------------------------------------------------------------------------------------------------

_PUNCTUATION = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


_CJK_CHARACTER = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])")


def normalize_answer(text: str) -> str:
    """The official SQuAD normalisation: lower, drop punctuation, drop a/an/the, collapse whitespace; a Chinese
    character is a token of its own.

    >>> normalize_answer("The  $1.2 Billion fine!")
    '12 billion fine'
    >>> normalize_answer("罚款五千万元")
    '罚 款 五 千 万 元'
    """
    lowered = text.lower()
    no_punctuation = "".join(ch for ch in lowered if ch not in _PUNCTUATION)
    no_articles = _ARTICLES.sub(" ", no_punctuation)
    # Chinese has no spaces between words: each character is a token (as MLQA scores Chinese).
    return " ".join(_CJK_CHARACTER.sub(r" \1 ", no_articles).split())


def exact_match(prediction: str, golds: Sequence[str]) -> float:
    """1.0 when the normalised prediction equals any normalised gold answer, else 0.0 (also for no golds).

    >>> exact_match("10 million yuan.", ["10 million yuan", "US$1.55 million"])
    1.0
    """
    target = normalize_answer(prediction)
    return max((float(target == normalize_answer(gold)) for gold in golds), default=0.0)


def _f1(prediction_tokens: list[str], gold_tokens: list[str]) -> float:
    # SQuAD v2's rule: if either side is empty, the score is 1 only when both are.
    if not prediction_tokens or not gold_tokens:
        return float(prediction_tokens == gold_tokens)
    common = Counter(prediction_tokens) & Counter(gold_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(prediction_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, golds: Sequence[str]) -> float:
    """SQuAD token-overlap F1 of the normalised texts, best over the golds (0.0 when there is no gold).

    >>> token_f1("a 10 million yuan fine", ["10 million yuan"])  # P=3/4, R=3/3, F1=6/7
    0.8571428571428571
    """
    tokens = normalize_answer(prediction).split()
    return max((_f1(tokens, normalize_answer(gold).split()) for gold in golds), default=0.0)


def contains_answer(text: str, golds: Sequence[str]) -> bool:
    """True when some normalised gold answer occurs in the normalised ``text`` as whole tokens.

    Matching is on token boundaries so that "12" does not match "120" or "2012"; golds that normalise to
    nothing (e.g. "the") never match. Unlike EM and F1, which keep SQuAD's official ASCII-only rule so that
    their numbers compare with published ones, typographic punctuation counts as punctuation here: news text
    quotes with “curly” marks, and ``”affectionate”`` contains "affectionate".

    >>> contains_answer("Didi was fined $1.2 billion last month.", ["$1.2 billion"])
    True
    """
    haystack = f" {normalize_answer(_ascii_punctuation(text))} "
    for gold in golds:
        needle = normalize_answer(_ascii_punctuation(gold))
        if needle and f" {needle} " in haystack:
            return True
    return False


def _ascii_punctuation(text: str) -> str:
    """Every Unicode punctuation mark (curly quotes, dashes, CJK marks) as a space."""
    return "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)


# --- citations ----------------------------------------------------------------------------------------------


def citation_precision(
    cited: Sequence[tuple[str, str]], gold_doc_ids: Sequence[str], golds: Sequence[str]
) -> float:
    """Fraction of citations ``(doc_id, passage_or_quote)`` from a gold doc whose passage holds an answer.

    Edge cases: no citation → 0.0 (nothing supports the answer). No accepted answer strings (retrieval-only
    data such as BEIR or feedback) → only the doc condition counts. Empty ``gold_doc_ids`` → ValueError:
    precision is undefined for questions the corpus does not answer; score those with `abstention_scores`.
    A document cited twice counts twice.

    >>> citation_precision([("d1", "fined $1.2 billion"), ("d2", "no answer here")], ["d1"], ["$1.2 billion"])
    0.5
    """
    gold = _gold_set(gold_doc_ids)
    if not cited:
        return 0.0
    good = sum(
        1 for doc_id, passage in cited if doc_id in gold and (not golds or contains_answer(passage, golds))
    )
    return good / len(cited)


def citation_recall(cited: Sequence[tuple[str, str]], gold_doc_ids: Sequence[str]) -> float:
    """Fraction of the distinct gold documents cited at least once (the passage need not hold an answer).

    Edge cases: no citation → 0.0. Empty ``gold_doc_ids`` → ValueError (undefined, as for precision).

    >>> citation_recall([("d1", "..."), ("d1", "..."), ("d9", "...")], ["d1", "d2"])
    0.5
    """
    gold = _gold_set(gold_doc_ids)
    cited_docs = {doc_id for doc_id, _ in cited}
    return len(gold & cited_docs) / len(gold)


def _gold_set(gold_doc_ids: Sequence[str]) -> set[str]:
    if isinstance(gold_doc_ids, str):
        raise TypeError(f"gold_doc_ids must be a sequence of doc ids, got the string {gold_doc_ids!r}")
    gold = set(gold_doc_ids)
    if not gold:
        raise ValueError(
            "gold_doc_ids is empty: citation metrics are undefined for unanswerable questions; "
            "score those with abstention_scores"
        )
    return gold


# --- abstention ---------------------------------------------------------------------------------------------


def abstention_scores(predicted_abstain: Sequence[bool], should_abstain: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of abstaining, the positive class being "abstain".

    A 0/0 ratio is 0.0, except when nothing should be abstained on and nothing was: then all three are 1.0
    (the system did exactly the right thing). F1 is 0.0 when precision + recall is 0.

    >>> abstention_scores([True, True, False], [True, False, False])
    {'Abstain-P': 0.5, 'Abstain-R': 1.0, 'Abstain-F1': 0.6666666666666666}
    """
    if len(predicted_abstain) != len(should_abstain):
        raise ValueError(
            f"predicted_abstain has {len(predicted_abstain)} items, "
            f"should_abstain has {len(should_abstain)}: they must be aligned"
        )
    pairs = list(zip(predicted_abstain, should_abstain, strict=True))
    true_pos = sum(1 for pred, gold in pairs if pred and gold)
    predicted = sum(1 for pred, _ in pairs if pred)
    actual = sum(1 for _, gold in pairs if gold)
    if predicted == 0 and actual == 0:
        return {"Abstain-P": 1.0, "Abstain-R": 1.0, "Abstain-F1": 1.0}
    precision = true_pos / predicted if predicted else 0.0
    recall = true_pos / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"Abstain-P": precision, "Abstain-R": recall, "Abstain-F1": f1}


# --- latency ------------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0..100) with linear interpolation between closest ranks, as ``numpy.percentile``.

    >>> percentile([10, 20, 30, 40], 50)
    25.0
    """
    if not values:
        raise ValueError("percentile of an empty sequence is undefined")
    if not 0 <= p <= 100:
        raise ValueError(f"p must be within [0, 100], got {p}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return float(ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower))


def latency_summary(timings: Sequence[Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """p50 and p95 per stage, in milliseconds, from per-question timings in seconds (as ``Answer.timings``).

    A stage missing from some questions is summarised over the questions that have it; stages keep the order
    in which they first appear.

    >>> latency_summary([{"retrieve": 0.010}, {"retrieve": 0.030}])
    {'retrieve': {'p50': 20.0, 'p95': 29.0}}
    """
    by_stage: dict[str, list[float]] = {}
    for row in timings:
        for stage, seconds in row.items():
            by_stage.setdefault(stage, []).append(seconds * 1000.0)
    return {stage: {"p50": percentile(ms, 50), "p95": percentile(ms, 95)} for stage, ms in by_stage.items()}
