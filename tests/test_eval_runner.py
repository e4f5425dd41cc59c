"""eval.runner and eval.report with the real model and real indexes: a 30-document BEIR folder, a small SQuAD
v2 file, the CLI, and the committed expected scores of our dev set (the regression guard)."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
from pathlib import Path

import pytest

from bot.engine import AnswerEngine
from bot.engine.records import Answer, Citation
from eval.datasets import QAExample, load_beir, load_squad
from eval.report import markdown, write_chart, write_json
from eval.runner import (
    ANSWER_KEYS,
    RETRIEVAL_KEYS,
    VARIANTS,
    EvalResult,
    VariantScores,
    abstention_curve,
    answer_metrics,
    command_line,
    corpus_key,
    doc_ranking,
    evaluate,
    load_expected,
    open_dataset_index,
    parse_variants,
    regressions,
    search_documents,
)
from index.config import REPO_ROOT, Settings
from index.records import Chunk, Hit

EXPECTED = REPO_ROOT / "eval" / "expected_scores.json"

# Thirty short abstracts on unrelated subjects, so that each test query has one clear answer.
TOPICS = [
    (
        "Honey bee navigation",
        "Honey bees communicate the direction of flowers through a waggle dance inside the hive.",
    ),
    (
        "Volcanic ash and aviation",
        "Volcanic ash clouds damage jet engines because the glass particles melt in the turbines.",
    ),
    (
        "Sourdough fermentation",
        "Sourdough bread rises thanks to wild yeast and lactic acid bacteria in the starter.",
    ),
    (
        "Coral bleaching",
        "Corals expel their symbiotic algae when the sea water stays too warm for several weeks.",
    ),
    ("Lithium battery fires", "Overcharged lithium-ion cells can enter thermal runaway and catch fire."),
    (
        "Roman concrete",
        "Roman harbour concrete grew stronger in seawater as new minerals formed in its pores.",
    ),
    (
        "Tardigrade survival",
        "Tardigrades survive freezing and the vacuum of space by drying out into a dormant tun.",
    ),
    ("Chess openings", "The Sicilian Defence answers the king's pawn opening with a pawn to c5."),
    (
        "Glacier retreat",
        "Alpine glaciers have lost a large share of their ice volume since the nineteenth century.",
    ),
    (
        "Octopus cognition",
        "Octopuses solve puzzles and open jars, with most of their neurons located in the arms.",
    ),
    (
        "Tea processing",
        "Green tea is heated soon after picking, which stops oxidation; black tea is fully oxidised.",
    ),
    (
        "Bridge resonance",
        "The Tacoma Narrows bridge collapsed in 1940 after wind drove torsional oscillations.",
    ),
    ("Bird migration", "Arctic terns fly from the Arctic to the Antarctic and back every year."),
    (
        "Penicillin discovery",
        "Alexander Fleming noticed in 1928 that a mould killed bacteria on a culture plate.",
    ),
    ("Desert irrigation", "Drip irrigation delivers water to the roots and wastes less to evaporation."),
    ("Jazz improvisation", "Jazz musicians improvise melodies over the chord changes of a standard tune."),
    ("Solar eclipses", "A total solar eclipse happens when the Moon fully covers the disc of the Sun."),
    ("Cheese ripening", "Blue cheeses ripen with Penicillium roqueforti mould growing through the paste."),
    (
        "Earthquake early warning",
        "Seismometers detect the fast P wave so alarms sound before the shaking S wave.",
    ),
    ("Whale song", "Humpback whale males sing long, repeating songs that change slowly over a season."),
    (
        "Printing press",
        "Gutenberg's movable metal type made printed books much cheaper in fifteenth-century Europe.",
    ),
    (
        "Rice paddies and methane",
        "Flooded rice paddies release methane made by microbes in the waterlogged soil.",
    ),
    ("Marathon physiology", "Marathon runners hit the wall when their muscles run out of stored glycogen."),
    (
        "Origami engineering",
        "Origami folding patterns let satellites pack large solar panels into a small rocket.",
    ),
    ("Sleep and memory", "Deep sleep helps the brain consolidate memories learned during the day."),
    (
        "Coffee roasting",
        "Roasting turns green coffee beans brown through the Maillard reaction and caramelisation.",
    ),
    (
        "Antarctic ice cores",
        "Air bubbles trapped in Antarctic ice cores record carbon dioxide levels from long ago.",
    ),
    ("Windmill history", "Dutch windmills pumped water out of low polders to keep farmland dry."),
    ("Spider silk", "Spider dragline silk is tougher than steel of the same weight."),
]
# The thirtieth document is long enough to need several chunks, so documents repeat in chunk rankings.
LONG_DOC = (
    "Lighthouse keeping",
    " ".join(
        f"Lighthouse keepers trimmed the lamp wick and wound the clockwork of the rotating lens "
        f"on night {n}, logging the weather and every passing ship in the station book before the "
        "morning relief arrived."
        for n in range(1, 31)
    ),
)
QUERIES = {
    "q1": ("How do bees tell each other where flowers are?", {"d00": 2}),
    "q2": ("Why is volcanic ash dangerous for aeroplanes?", {"d01": 1}),
    "q3": ("What made Roman concrete so durable in the sea?", {"d05": 1, "d02": 0}),
    "q4": ("Which bridge fell because of wind oscillations in 1940?", {"d11": 1}),
    "q5": ("Who discovered that mould kills bacteria?", {"d13": 2, "d17": 1}),
    "q6": ("What did lighthouse keepers do at night?", {"d29": 1}),
}


@pytest.fixture(scope="module")
def beir_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-beir") / "tiny"
    (folder / "qrels").mkdir(parents=True)
    docs = [*TOPICS, LONG_DOC]
    with (folder / "corpus.jsonl").open("w") as f:
        for i, (title, text) in enumerate(docs):
            f.write(json.dumps({"_id": f"d{i:02d}", "title": title, "text": text}) + "\n")
    with (folder / "queries.jsonl").open("w") as f:
        for qid, (text, _) in QUERIES.items():
            f.write(json.dumps({"_id": qid, "text": text}) + "\n")
    lines = ["query-id\tcorpus-id\tscore"]
    lines += [f"{qid}\t{doc}\t{rel}" for qid, (_, judged) in QUERIES.items() for doc, rel in judged.items()]
    (folder / "qrels" / "test.tsv").write_text("\r\n".join(lines) + "\r\n")
    return folder


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.from_env(data_dir=tmp_path_factory.mktemp("eval-data"))


@pytest.fixture(scope="module")
def beir_retriever(beir_dir: Path, settings: Settings, embedder):
    return open_dataset_index(load_beir(beir_dir), settings)


@pytest.fixture(scope="module")
def beir_result(beir_dir: Path, beir_retriever) -> EvalResult:
    return evaluate(load_beir(beir_dir), beir_retriever, command="regbot eval --dataset tiny --format beir")


# --- the dataset's index ------------------------------------------------------------------------------------


def test_the_corpus_index_is_cached_under_the_data_dir_and_reused(beir_dir, settings, beir_retriever):
    dataset = load_beir(beir_dir)
    index_dir = settings.data_dir / "eval-cache" / corpus_key(dataset)
    assert beir_retriever.index_dir == index_dir
    assert beir_retriever.manifest["n_documents"] == 30
    stamp = (index_dir / "manifest.json").stat().st_mtime_ns
    again = open_dataset_index(dataset, settings)
    assert (index_dir / "manifest.json").stat().st_mtime_ns == stamp  # not rewritten: nothing re-embedded
    assert again.size == beir_retriever.size > 30  # the long document has several chunks


def test_the_cache_key_changes_with_the_content(beir_dir, tmp_path):
    dataset = load_beir(beir_dir)
    changed = tmp_path / "changed"
    (changed / "qrels").mkdir(parents=True)
    for name in ("queries.jsonl", "qrels/test.tsv"):
        (changed / name).write_bytes((beir_dir / name).read_bytes())
    corpus = (beir_dir / "corpus.jsonl").read_text().replace("waggle dance", "round dance")
    (changed / "corpus.jsonl").write_text(corpus)
    other = load_beir(changed)
    assert corpus_key(dataset).startswith("tiny-") and corpus_key(other).startswith("changed-")
    assert corpus_key(dataset).split("-")[-1] != corpus_key(other).split("-")[-1]
    assert corpus_key(dataset) == corpus_key(load_beir(beir_dir))


# --- retrieval at document level ----------------------------------------------------------------------------


def _hit(doc_id: str, n: int, score: float) -> Hit:
    return Hit(Chunk(f"{doc_id}:{n}", doc_id, "t", "text", 0, 4), score)


def test_a_document_ranks_where_its_best_chunk_does():
    hits = [_hit("a", 0, 0.9), _hit("a", 1, 0.8), _hit("b", 0, 0.7), _hit("a", 2, 0.6), _hit("c", 0, 0.5)]
    assert doc_ranking(hits) == ["a", "b", "c"]
    assert doc_ranking(hits, n=2) == ["a", "b"]
    assert doc_ranking([]) == []


def test_repeated_chunks_make_the_search_go_deeper(beir_retriever):
    # Dense search ranks every chunk (BM25 leaves out those sharing no term with the query).
    question = QUERIES["q6"][0]
    chunks = beir_retriever.search(question, 4, method="dense")
    assert {h.doc_id for h in chunks} == {"d29"}  # the long document fills the top chunks
    ranking = search_documents(beir_retriever, question, "dense", n=4, depth=1)
    assert len(ranking) == len(set(ranking)) == 4
    assert ranking[0] == "d29"


def test_every_variant_is_scored_on_the_same_questions(beir_result):
    assert [v.name for v in beir_result.variants] == list(VARIANTS)
    assert beir_result.n_questions == len(QUERIES)
    for v in beir_result.variants:
        assert list(v.retrieval) == list(RETRIEVAL_KEYS)
        assert v.answers is None  # BEIR has no answers: retrieval only
        assert all(0.0 <= value <= 1.0 for value in v.retrieval.values())
        assert len(v.recall_curve) == 10 and list(v.recall_curve) == sorted(v.recall_curve)
        assert v.recall_curve[0] == v.retrieval["Recall@1"] and v.recall_curve[-1] == v.retrieval["Recall@10"]
        search = v.latency_ms["search"]
        assert set(v.latency_ms) == {"search"} and 0 < search["p50"] <= search["p95"]
        # Each question has an unmistakable answer; q5's second relevant doc (cheese mould) may rank low.
        assert v.retrieval["Recall@10"] >= 0.9, v.name
        assert v.retrieval["MRR@10"] == 1.0, v.name


def test_the_json_report_has_the_documented_shape(beir_result, tmp_path):
    path = write_json(beir_result, tmp_path / "out" / "tiny.json")
    report = json.loads(path.read_text())
    assert set(report) == {"dataset", "command", "n_questions", "variants"}
    assert report["dataset"] == "tiny" and report["n_questions"] == 6
    assert list(report["variants"]) == list(VARIANTS)
    for metrics in report["variants"].values():
        assert set(RETRIEVAL_KEYS) <= set(metrics) and not set(ANSWER_KEYS) & set(metrics)
        assert set(metrics["latency_ms"]["search"]) == {"p50", "p95"}


def test_markdown_and_chart(beir_result, tmp_path):
    table = markdown(beir_result).splitlines()
    assert table[2] == "| variant | Recall@1 | Recall@5 | Recall@10 | MRR@10 | NDCG@10 |"
    rows = [line for line in table if line.startswith("| default |")]
    assert len(rows) == 2  # scores and latency
    assert rows[0].split(" | ")[4] == f"{beir_result.variant('default').retrieval['MRR@10']:.3f}"
    png = write_chart(beir_result, tmp_path / "chart.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


# --- answers ------------------------------------------------------------------------------------------------


def _answer(cited: list[tuple[str, str]], text: str, abstained: bool = False) -> Answer:
    citations = tuple(
        Citation(n, Chunk(f"{doc}:0", doc, "t", passage, 0, len(passage)), passage, 0, len(passage))
        for n, (doc, passage) in enumerate(cited, start=1)
    )
    return Answer("q", text, citations, abstained)


def test_answer_metrics_by_hand():
    examples = [
        QAExample("a", "fine?", ("d1",), ("$1.2 billion",), True),
        QAExample("b", "law?", ("d1", "d2"), ("September 1",), True),
        QAExample("c", "PIPL percentage?", (), (), False),
        QAExample("d", "regulator of Peru?", (), (), False),
    ]
    answers = [
        # Cites a gold passage with the answer [1] and an off-topic one [2]: P = 1/2, R = 1/1.
        _answer(
            [("d1", "Didi was fined $1.2 billion."), ("d9", "Unrelated.")],
            "Didi was fined $1.2 billion. [1] x [2]",
        ),
        _answer([], "no", abstained=True),  # a false abstention: nothing cited, "" scored
        _answer([], "no", abstained=True),  # a right abstention
        _answer([("d1", "A passage.")], "Something [1]"),  # answered what it should not have
    ]
    scores = answer_metrics(examples, answers)
    assert list(scores) == list(ANSWER_KEYS)
    assert scores["EM"] == 0.0
    # a: "didi was fined 12 billion x" vs "12 billion": P = 2/6, R = 1, F1 = 0.5; b: "" scores 0.
    assert scores["F1"] == pytest.approx(0.25)
    assert scores["Contains"] == 0.5
    assert scores["Citation-P"] == pytest.approx((0.5 + 0.0) / 2)
    assert scores["Citation-R"] == pytest.approx((1.0 + 0.0) / 2)
    # Abstained on b and c; should have on c and d: P = 1/2, R = 1/2.
    assert (scores["Abstain-P"], scores["Abstain-R"], scores["Abstain-F1"]) == (0.5, 0.5, 0.5)


def test_the_abstention_curve_refuses_below_each_threshold():
    examples = [QAExample(q, q, ("d1",), ("x",), True) for q in "ab"]
    examples += [QAExample(q, q, (), (), False) for q in "cd"]
    answers = [dataclasses.replace(_answer([("d1", "x")], "x [1]"), confidence=p) for p in (0.85, 0.35, 0.25, 0.65)]
    curve = {point["threshold"]: point for point in abstention_curve(examples, answers)}
    # Below 0.3 only c is refused: right, half the unanswerable found, every answerable one answered.
    assert (curve[0.3]["Abstain-P"], curve[0.3]["Abstain-R"], curve[0.3]["Answered"]) == (1.0, 0.5, 1.0)
    assert (curve[0.5]["Abstain-P"], curve[0.5]["Abstain-R"], curve[0.5]["Answered"]) == (0.5, 0.5, 0.5)
    assert curve[0.7]["Abstain-R"] == 1.0 and curve[0.9]["Answered"] == 0.0
    assert abstention_curve(examples, [_answer([], "x")] * 4) == ()  # no estimates: no curve


def test_answer_metrics_without_answer_strings_are_null():
    scores = answer_metrics([QAExample("a", "q", ("d1",), (), True)], [_answer([("d1", "p")], "p [1]")])
    assert scores["EM"] is None and scores["Contains"] is None
    assert scores["Citation-P"] == 1.0 and scores["Citation-R"] == 1.0


SQUAD_V2 = {
    "version": "v2.0",
    "data": [
        {
            "title": "Didi",
            "paragraphs": [
                {
                    "context": "Chinese regulators fined the ride-hailing company Didi 8.026 billion yuan "
                    "in July 2022 for violating data security and personal information laws.",
                    "qas": [
                        {
                            "id": "s1",
                            "question": "How much was Didi fined by regulators?",
                            "answers": [{"text": "8.026 billion yuan", "answer_start": 56}],
                        },
                        {
                            "id": "s2",
                            "question": "What is the recipe for Peking duck?",
                            "answers": [],
                            "is_impossible": True,
                        },
                    ],
                },
                {
                    "context": "The Data Security Law of China took effect on September 1, 2021 and "
                    "sorts data by its importance to national security.",
                    "qas": [
                        {
                            "id": "s3",
                            "question": "When did the Data Security Law take effect?",
                            "answers": [{"text": "September 1, 2021", "answer_start": 46}],
                        },
                    ],
                },
            ],
        }
    ],
}


def test_squad_v2_answers_are_scored_with_unanswerables_as_abstention(tmp_path, settings, embedder):
    path = tmp_path / "squad-v2.json"
    path.write_text(json.dumps(SQUAD_V2))
    dataset = load_squad(path)
    retriever = open_dataset_index(dataset, settings)
    result = evaluate(
        dataset, retriever, variants=("bm25", "default"),
        answerer=lambda method: AnswerEngine(retriever, method=method).answer,
    )
    for v in result.variants:
        assert list(v.answers) == list(ANSWER_KEYS)
        assert v.retrieval["Recall@1"] == 1.0  # two judged questions; the unanswerable one has no qrels
        assert v.answers["Contains"] == 1.0 and v.answers["Citation-R"] == 1.0
        assert v.answers["Abstain-R"] == 1.0  # Peking duck is not in the corpus
        assert {"search", "retrieve", "compose", "total"} <= set(v.latency_ms)
    recall = [point["Abstain-R"] for point in result.variant("default").abstention_curve]
    assert recall == sorted(recall)  # refusing below a higher threshold finds at least as many
    assert "| chosen |" in markdown(result)


# --- the command line ---------------------------------------------------------------------------------------


def test_regbot_eval_writes_the_reports(beir_dir, tmp_path, capsys):
    from bot.cli import main

    out, chart = tmp_path / "r.json", tmp_path / "r.png"
    code = main(
        [
            "eval",
            "--dataset",
            str(beir_dir),
            "--format",
            "beir",
            "--variants",
            "bm25,hybrid",
            "--limit",
            "4",
            "--json",
            str(out),
            "--chart",
            str(chart),
            "--no-progress",
        ]
    )
    assert code == 0
    report = json.loads(out.read_text())
    assert list(report["variants"]) == ["bm25", "hybrid"] and report["n_questions"] == 4
    assert report["command"].endswith("--format beir --limit 4 --variants bm25,hybrid")
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert "| hybrid |" in capsys.readouterr().out


def test_command_line_is_canonical():
    assert command_line() == "regbot eval"
    assert command_line(REPO_ROOT / "eval" / "devset.jsonl", answers=False) == "regbot eval --no-answers"
    scifact = REPO_ROOT.parent / "shared" / "benchmarks" / "scifact"
    assert (
        command_line(scifact, format="beir", variants=("bm25",))
        == "regbot eval --dataset ../shared/benchmarks/scifact --format beir --variants bm25"
    )


@pytest.mark.parametrize("text, error", [("bm25,bm26", "'bm26'"), (" , ", "names no variant"), ("rrf", "'rrf'")])
def test_unknown_variants_are_named(text, error):
    with pytest.raises(ValueError, match=error):
        parse_variants(text)


def test_parse_variants_keeps_order_and_drops_repeats():
    assert parse_variants("default, bm25,default") == ("default", "bm25")


# --- regression guard ---------------------------------------------------------------------------------------


def test_regressions_are_drops_beyond_the_tolerance():
    scores = VariantScores("bm25", {"NDCG@10": 0.60, "Recall@5": 0.80}, (), None, {})
    report = EvalResult("x", "", 1, (scores,)).to_json()
    expected = {
        "tolerance": 0.02,
        "variants": {"bm25": {"NDCG@10": 0.61, "Recall@5": 0.83}, "dense": {"MRR@10": 0.5}},
    }
    assert regressions(report, expected) == [
        "bm25 Recall@5: 0.800 < expected 0.830 - tolerance 0.02",
        "dense MRR@10: expected 0.500, not measured",
    ]


OUR_RUNS = ["devset", "heldout", "blind2", "laws_dev", "laws_test", "zh_news_test", "blind3", "dev2", "blind4",
            "dev3", "blind5", "dev4", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12",
            "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19", "blind20", "blind21",
            "blind22", "blind23", "blind24", "blind25", "blind27",
            "blind28", "blind29", "blind30", "blind31", "blind32", "blind33",
            "blind34", "blind35", "blind36", "blind37", "blind38", "blind39", "blind40", "blind41", "blind43",
            "blind44", "hard46"]
# About 20 s a set: the default suite guards the development set, the law sets, the Chinese news set and the
# three newest pinned blind sets (every source, both languages); `-m slow` and scripts/regression.py run them all.
DEFAULT_SUITE_RUNS = {"devset", "laws_dev", "laws_test", "zh_news_test", "blind41", "blind43", "blind44"}


def test_every_pinned_question_set_is_checked():
    pinned = json.loads(EXPECTED.read_text())["runs"]
    assert set(OUR_RUNS) | {"scifact", "squad-v1.1-2000"} == set(pinned)
    assert DEFAULT_SUITE_RUNS <= set(OUR_RUNS)


@pytest.mark.parametrize(
    "run", [run if run in DEFAULT_SUITE_RUNS else pytest.param(run, marks=pytest.mark.slow) for run in OUR_RUNS]
)
def test_our_question_sets_hold_their_committed_scores(tmp_path, run):
    """Runs the committed command for each of our question sets (the default knowledge base); fails on a drop
    beyond the tolerance."""
    from bot.cli import main

    expected = load_expected(EXPECTED, run)
    argv = shlex.split(expected["command"])
    assert argv[:2] == ["regbot", "eval"]
    out = tmp_path / f"{run}.json"
    assert main([*argv[1:], "--json", str(out), "--no-progress"]) == 0
    assert regressions(json.loads(out.read_text()), expected) == []


@pytest.mark.slow
@pytest.mark.parametrize("run", ["scifact", "squad-v1.1-2000"])
def test_public_benchmarks_hold_their_committed_scores(tmp_path, run):
    """The full committed runs: `pytest -m slow`. The corpus is indexed in a fresh data dir (SciFact: about
    30 minutes on 2 cores) unless REGBOT_BENCH_DATA_DIR names one whose eval-cache can be reused (e.g.
    ~/.local/share/regbot); scripts/regression.py runs the same check against the usual data dir."""
    from bot.cli import main

    expected = load_expected(EXPECTED, run)
    argv = shlex.split(expected["command"])
    data_dir = os.environ.get("REGBOT_BENCH_DATA_DIR") or str(tmp_path / "data")
    out = tmp_path / f"{run}.json"
    assert main(["--data-dir", data_dir, *argv[1:], "--json", str(out), "--no-progress"]) == 0
    assert regressions(json.loads(out.read_text()), expected) == []
