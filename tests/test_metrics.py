"""Hand-computed cases for eval.metrics; the arithmetic is in the comments next to each expected value."""

from __future__ import annotations

import copy
import math
from types import MappingProxyType

import pytest

from eval.metrics import (
    abstention_scores,
    citation_precision,
    citation_recall,
    contains_answer,
    exact_match,
    latency_summary,
    mrr_at_k,
    ndcg_at_k,
    normalize_answer,
    percentile,
    recall_at_k,
    retrieval_metrics,
    token_f1,
)

# q1 has three relevant docs, q2 one. Rankings: q1 = a, z, b, y; q2 = y, x.
QRELS = {"q1": {"a": 1, "b": 1, "c": 1}, "q2": {"x": 1}}
RUN = {"q1": {"a": 0.9, "z": 0.8, "b": 0.7, "y": 0.6}, "q2": {"y": 0.5, "x": 0.4}}


# --- retrieval ---------------------------------------------------------------------------------------------


def test_recall_counts_the_fraction_of_relevant_docs_in_the_top_k():
    # k=1: q1 top [a] -> 1/3; q2 top [y] -> 0/1; mean = (1/3 + 0) / 2 = 1/6
    assert recall_at_k(QRELS, RUN, 1) == pytest.approx(1 / 6)
    # k=3: q1 [a, z, b] -> 2/3; q2 [y, x] -> 1; mean = (2/3 + 1) / 2 = 5/6
    assert recall_at_k(QRELS, RUN, 3) == pytest.approx(5 / 6)


def test_k_larger_than_the_run_uses_the_whole_run():
    # q1 has only 4 entries: [a, z, b, y] -> 2/3; q2 -> 1; mean 5/6, same at k=10 and k=1000
    assert recall_at_k(QRELS, RUN, 10) == pytest.approx(5 / 6)
    assert recall_at_k(QRELS, RUN, 1000) == pytest.approx(5 / 6)


def test_mrr_is_the_reciprocal_rank_of_the_first_relevant_doc_within_k():
    # k=10: q1 first relevant a at rank 1 -> 1; q2 x at rank 2 -> 1/2; mean 0.75
    assert mrr_at_k(QRELS, RUN, 10) == pytest.approx(0.75)
    # k=1: q2's x (rank 2) falls outside -> 0; mean (1 + 0) / 2 = 0.5
    assert mrr_at_k(QRELS, RUN, 1) == pytest.approx(0.5)


def test_ndcg_uses_graded_gains_and_an_ideal_over_all_qrels():
    qrels = {"q": {"a": 3, "b": 2, "c": 1}}
    run = {"q": {"b": 0.9, "x": 0.8, "a": 0.7}}
    # DCG@3 = 2/log2(2) + 0/log2(3) + 3/log2(4) = 2 + 0 + 1.5 = 3.5
    # IDCG@3 = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.26186 + 0.5 = 4.76186
    assert ndcg_at_k(qrels, run, 3) == pytest.approx(3.5 / (3 + 2 / math.log2(3) + 0.5))  # 0.73500
    # k=1: DCG = 2, IDCG = 3
    assert ndcg_at_k(qrels, run, 1) == pytest.approx(2 / 3)


def test_ndcg_ideal_is_cut_at_k_not_at_the_run_length():
    # Two relevant docs, the run found one: DCG = 1; IDCG@10 = 1 + 1/log2(3) = 1.63093 -> 0.61315
    qrels = {"q": {"a": 1, "b": 1}}
    assert ndcg_at_k(qrels, {"q": {"a": 1.0}}, 10) == pytest.approx(1 / (1 + 1 / math.log2(3)))


def test_perfect_ranking_scores_one_everywhere():
    scores = retrieval_metrics({"q": {"a": 2, "b": 1}}, {"q": {"a": 0.9, "b": 0.8, "c": 0.1}})
    # Recall@1 = 1/2 (only a fits), the rest are perfect
    assert scores == pytest.approx(
        {"Recall@1": 0.5, "Recall@5": 1.0, "Recall@10": 1.0, "MRR@10": 1.0, "NDCG@10": 1.0}
    )


def test_ties_are_broken_by_doc_id_descending_like_trec_eval():
    qrels = {"q": {"a": 1}}
    # Equal scores: ranking is b, a whatever the insertion order -> a at rank 2
    for run in ({"q": {"a": 0.5, "b": 0.5}}, {"q": {"b": 0.5, "a": 0.5}}):
        assert mrr_at_k(qrels, run, 10) == pytest.approx(0.5)
        assert recall_at_k(qrels, run, 1) == 0.0
        assert ndcg_at_k(qrels, run, 10) == pytest.approx(1 / math.log2(3))
    # The higher id wins the tie: b relevant -> rank 1
    assert mrr_at_k({"q": {"b": 1}}, {"q": {"a": 0.5, "b": 0.5}}, 10) == 1.0


def test_empty_run_scores_zero_and_missing_queries_count_as_zero():
    assert retrieval_metrics(QRELS, {}) == {
        "Recall@1": 0.0,
        "Recall@5": 0.0,
        "Recall@10": 0.0,
        "MRR@10": 0.0,
        "NDCG@10": 0.0,
    }
    # q2 absent from the run scores 0 (BEIR would drop it): (1 + 0) / 2
    assert recall_at_k({"q1": {"a": 1}, "q2": {"b": 1}}, {"q1": {"a": 1.0}}, 10) == 0.5
    assert recall_at_k({"q1": {"a": 1}}, {"q1": {}}, 10) == 0.0


def test_queries_without_relevant_docs_are_left_out_of_the_mean():
    # q2 has only a relevance-0 judgement: excluded, so the mean is q1's 1.0, not (1 + 0) / 2
    qrels = {"q1": {"a": 1}, "q2": {"b": 0}}
    run = {"q1": {"a": 1.0}, "q2": {"c": 1.0}}
    assert recall_at_k(qrels, run, 10) == 1.0
    assert mrr_at_k(qrels, run, 10) == 1.0
    # relevance-0 docs give no gain either: ranking [b, a] for q1 -> a at rank 2
    assert mrr_at_k({"q1": {"a": 1, "b": 0}}, {"q1": {"b": 0.9, "a": 0.1}}, 10) == 0.5
    # No judged query at all: the mean over nothing is 0.0
    assert retrieval_metrics({}, run)["NDCG@10"] == 0.0
    assert recall_at_k({"q2": {"b": 0}}, run, 10) == 0.0


def test_retrieval_metrics_keys_and_values():
    scores = retrieval_metrics(QRELS, RUN)
    assert list(scores) == ["Recall@1", "Recall@5", "Recall@10", "MRR@10", "NDCG@10"]
    assert scores["Recall@5"] == pytest.approx(5 / 6)
    assert scores["MRR@10"] == pytest.approx(0.75)
    # q1: DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.13093 -> 0.70392
    # q2: DCG = 1/log2(3) = 0.63093; IDCG = 1 -> 0.63093; mean 0.66742
    expected = (1.5 / (1 + 1 / math.log2(3) + 0.5) + 1 / math.log2(3)) / 2
    assert scores["NDCG@10"] == pytest.approx(expected)
    assert list(retrieval_metrics(QRELS, RUN, ks=(3, 1))) == ["Recall@3", "Recall@1", "MRR@3", "NDCG@3"]


@pytest.mark.parametrize("k", [0, -1])
def test_non_positive_k_is_rejected(k):
    with pytest.raises(ValueError, match=str(k)):
        recall_at_k(QRELS, RUN, k)
    with pytest.raises(ValueError):
        retrieval_metrics(QRELS, RUN, ks=(1, k))


def test_non_integer_k_is_rejected():
    with pytest.raises(TypeError, match="2.5"):
        ndcg_at_k(QRELS, RUN, 2.5)
    with pytest.raises(ValueError, match="empty"):
        retrieval_metrics(QRELS, RUN, ks=())


# --- answers -----------------------------------------------------------------------------------------------


def test_normalize_answer_follows_squad():
    # lower -> drop punctuation (no space inserted) -> drop a/an/the -> collapse spaces
    assert normalize_answer("The Data-Security  Law!") == "datasecurity law"
    assert normalize_answer("An apple a day, THE end") == "apple day end"
    assert normalize_answer("US$1.55 million") == "us155 million"
    assert normalize_answer("theory") == "theory"  # articles only as whole words
    assert normalize_answer("  ") == ""


def test_exact_match_takes_the_best_gold():
    assert exact_match("the Data Security Law.", ["DSL", "Data Security Law"]) == 1.0
    assert exact_match("Data Security", ["Data Security Law"]) == 0.0
    assert exact_match("anything", []) == 0.0


def test_token_f1_counts_shared_tokens():
    # pred "fine of 10 million yuan" = 5 tokens
    # gold 1 "10 million yuan us155 million" (5 tokens): shared 10, million, yuan = 3 -> P=3/5, R=3/5, F1=0.6
    # gold 2 "10 million yuan" (3 tokens): shared 3 -> P=3/5, R=1, F1=2*0.6/1.6=0.75; best = 0.75
    golds = ["10 million yuan (US$1.55 million)", "10 million yuan"]
    assert token_f1("fine of 10 million yuan", golds[:1]) == pytest.approx(0.6)
    assert token_f1("fine of 10 million yuan", golds) == pytest.approx(0.75)
    # repeated tokens count at most as often as on both sides: pred "million million" vs "10 million":
    # shared 1 -> P=1/2, R=1/2, F1=0.5
    assert token_f1("million million", ["10 million"]) == pytest.approx(0.5)
    assert token_f1("nothing shared", ["12"]) == 0.0


def test_token_f1_empty_sides_follow_squad_v2():
    assert token_f1("", ["the"]) == 1.0  # both normalise to no token
    assert token_f1("an answer", [""]) == 0.0
    assert token_f1("an answer", []) == 0.0


def test_contains_answer_matches_whole_normalised_tokens():
    assert contains_answer("Didi was fined $1.2 billion last month.", ["1.2 billion"])
    assert contains_answer("It takes effect on SEPTEMBER 1, 2021", ["September 1"])
    assert not contains_answer("It takes effect on September 10", ["September 1"])
    assert not contains_answer("In 2012 there were 120 firms", ["12"])
    assert contains_answer("12 firms were summoned", ["twelve", "12"])
    assert not contains_answer("the whole text", ["The"])  # normalises to nothing: never matches
    assert not contains_answer("anything", [])


def test_contains_answer_treats_typographic_quotes_as_punctuation():
    assert contains_answer("it seeks an ”affectionate” relationship", ["affectionate"])
    assert contains_answer("China’s ‘unprecedented’ crackdown", ["unprecedented", "x"])
    assert contains_answer("China’s rules", ["China's rules"])
    assert not contains_answer("it seeks an ”affectionate” relationship", ["affection"])
    # "$1.2" must not contain "12" (SQuAD's rule alone glues the digits together).
    assert not contains_answer("fined $1.2 billion", ["12"])


# --- citations ---------------------------------------------------------------------------------------------

CITED = [
    ("d1", "Didi was fined $1.2 billion last month"),  # gold doc, holds the answer -> good
    ("d1", "an unrelated sentence"),  # gold doc, no answer
    ("d2", "it was fined $1.2 billion"),  # answer, but not a gold doc
]


def test_citation_precision_needs_a_gold_doc_and_the_answer():
    # 1 good of 3 citations
    assert citation_precision(CITED, ["d1"], ["$1.2 billion"]) == pytest.approx(1 / 3)
    # both d1 and d2 gold: citations 1 and 3 are good -> 2/3
    assert citation_precision(CITED, ["d1", "d2"], ["$1.2 billion"]) == pytest.approx(2 / 3)


def test_citation_precision_without_answer_strings_checks_docs_only():
    # BEIR/feedback data has no answer strings: the two d1 citations count -> 2/3
    assert citation_precision(CITED, ["d1"], []) == pytest.approx(2 / 3)


def test_citation_recall_counts_distinct_gold_docs_cited():
    # cited docs {d1, d2}; gold {d1, d3} -> 1/2
    assert citation_recall(CITED, ["d1", "d3"]) == 0.5
    assert citation_recall(CITED, ["d1", "d1"]) == 1.0  # duplicate gold ids count once


def test_no_citation_scores_zero():
    assert citation_precision([], ["d1"], ["x"]) == 0.0
    assert citation_recall([], ["d1"]) == 0.0


def test_citation_metrics_are_undefined_without_gold_docs():
    with pytest.raises(ValueError, match="gold_doc_ids is empty"):
        citation_precision(CITED, [], ["x"])
    with pytest.raises(ValueError, match="gold_doc_ids is empty"):
        citation_recall(CITED, ())
    with pytest.raises(TypeError, match="d1"):
        citation_recall(CITED, "d1")


# --- abstention --------------------------------------------------------------------------------------------


def test_abstention_scores_treat_abstain_as_positive():
    # TP = items 0 and 4 = 2; predicted abstentions = 3; should abstain = 3
    # P = 2/3, R = 2/3, F1 = 2 * (4/9) / (4/3) = 2/3
    scores = abstention_scores([True, True, False, False, True], [True, False, True, False, True])
    assert scores == pytest.approx({"Abstain-P": 2 / 3, "Abstain-R": 2 / 3, "Abstain-F1": 2 / 3})
    # TP = 1, predicted = 1, should = 2: P = 1, R = 1/2, F1 = 2 * 0.5 / 1.5 = 2/3
    scores = abstention_scores([True, False, False], [True, True, False])
    assert scores == pytest.approx({"Abstain-P": 1.0, "Abstain-R": 0.5, "Abstain-F1": 2 / 3})


def test_abstention_zero_over_zero():
    # never abstains but should have: P = 0/0 -> 0, R = 0/1 = 0, F1 = 0
    assert abstention_scores([False, False], [True, False]) == {
        "Abstain-P": 0.0,
        "Abstain-R": 0.0,
        "Abstain-F1": 0.0,
    }
    # abstains although nothing should be: P = 0/1, R = 0/0 -> 0
    assert abstention_scores([True, False], [False, False])["Abstain-F1"] == 0.0
    # nothing to abstain on and no abstention: perfect
    assert abstention_scores([False], [False]) == {"Abstain-P": 1.0, "Abstain-R": 1.0, "Abstain-F1": 1.0}
    assert abstention_scores([], [])["Abstain-F1"] == 1.0


def test_abstention_lengths_must_match():
    with pytest.raises(ValueError, match="2 items"):
        abstention_scores([True, False], [True])


# --- latency -----------------------------------------------------------------------------------------------


def test_percentile_interpolates_linearly_like_numpy():
    values = [3, 1, 2, 4]  # sorted 1, 2, 3, 4
    assert percentile(values, 50) == 2.5  # position 3 * 0.5 = 1.5 -> 2 + 0.5 * (3 - 2)
    assert percentile(values, 95) == pytest.approx(3.85)  # position 2.85 -> 3 + 0.85 * 1
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 4.0
    assert percentile([7.0], 95) == 7.0


def test_percentile_rejects_bad_input():
    with pytest.raises(ValueError, match="empty"):
        percentile([], 50)
    with pytest.raises(ValueError, match="101"):
        percentile([1.0], 101)


def test_latency_summary_gives_p50_p95_per_stage_in_ms():
    timings = [
        {"retrieve": 0.010, "compose": 0.001},
        {"retrieve": 0.020},
        {"retrieve": 0.030, "compose": 0.003},
    ]
    summary = latency_summary(timings)
    assert list(summary) == ["retrieve", "compose"]
    # retrieve ms 10, 20, 30: p50 = 20; p95 position 2 * 0.95 = 1.9 -> 20 + 0.9 * 10 = 29
    assert summary["retrieve"] == pytest.approx({"p50": 20.0, "p95": 29.0})
    # compose ms 1, 3 (only two questions have it): p50 = 2; p95 position 0.95 -> 1 + 0.95 * 2 = 2.9
    assert summary["compose"] == pytest.approx({"p50": 2.0, "p95": 2.9})
    assert latency_summary([]) == {}


# --- purity ------------------------------------------------------------------------------------------------


def test_no_function_mutates_its_inputs():
    qrels = {"q1": {"a": 3, "b": 0}, "q2": {"c": 1}}
    run = {"q1": {"b": 0.5, "a": 0.5, "z": 0.1}, "q2": {}}
    cited = [("d1", "fined $1.2 billion")]
    gold_docs = ["d1"]
    golds = ["$1.2 billion", "1.2 billion"]
    flags = ([True, False], [False, False])
    timings = [{"retrieve": 0.2}, {"retrieve": 0.1}]
    values = [3.0, 1.0, 2.0]
    before = copy.deepcopy((qrels, run, cited, gold_docs, golds, flags, timings, values))

    retrieval_metrics(qrels, run)
    for metric in (recall_at_k, mrr_at_k, ndcg_at_k):
        metric(qrels, run, 2)
    exact_match("x", golds)
    token_f1("x", golds)
    contains_answer("x", golds)
    citation_precision(cited, gold_docs, golds)
    citation_recall(cited, gold_docs)
    abstention_scores(*flags)
    latency_summary(timings)
    percentile(values, 50)

    assert (qrels, run, cited, gold_docs, golds, flags, timings, values) == before
    assert list(run["q1"]) == ["b", "a", "z"]  # insertion order kept too
    assert values == [3.0, 1.0, 2.0]


def test_read_only_inputs_are_accepted():
    # Mapping proxies raise on any write, so this also proves nothing is written.
    qrels = MappingProxyType({"q": MappingProxyType({"a": 1})})
    run = MappingProxyType({"q": MappingProxyType({"a": 1.0})})
    assert retrieval_metrics(qrels, run)["NDCG@10"] == 1.0
    assert latency_summary((MappingProxyType({"s": 0.001}),)) == {"s": {"p50": 1.0, "p95": 1.0}}
