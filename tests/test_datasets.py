"""eval.datasets: small synthetic files for each format, the real benchmark files if present, our dev set."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.engine.records import Answer, Citation
from bot.slack.feedback import FeedbackStore, export
from eval.datasets import (
    BENCHMARKS_DIR,
    DEVSET_PATH,
    Dataset,
    QAExample,
    guess_format,
    load_beir,
    load_dataset,
    load_devset,
    load_feedback,
    load_jsonl,
    load_squad,
)
from index.config import REPO_ROOT
from index.documents import read_corpus
from index.records import Chunk


def _write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


# --- SQuAD --------------------------------------------------------------------------------------------------

SQUAD_V1 = {
    "version": "1.1",
    "data": [
        {
            "title": "Data_Security_Law",
            "paragraphs": [
                {
                    "context": "The law takes effect on September 1.",
                    "qas": [
                        {
                            "id": "q-a",
                            "question": "When does it take effect?",
                            "answers": [
                                {"answer_start": 24, "text": "September 1"},
                                {"answer_start": 24, "text": "September 1"},
                                {"answer_start": 21, "text": "on September 1"},
                            ],
                        }
                    ],
                },
                {"context": "Fines reach 10 million yuan.", "qas": []},
            ],
        },
        {
            "title": "Didi",
            "paragraphs": [
                {
                    "context": "Didi was fined $1.2 billion.",
                    "qas": [{"id": "q-b", "question": "How much?", "answers": [{"text": "$1.2 billion"}]}],
                }
            ],
        },
    ],
}


def test_squad_v1_one_document_per_paragraph(tmp_path):
    ds = load_squad(_write_json(tmp_path / "mini-v1.json", SQUAD_V1))
    assert ds.name == "mini-v1"
    assert [(d.doc_id, d.title) for d in ds.documents] == [
        ("0-0", "Data Security Law"),
        ("0-1", "Data Security Law"),
        ("1-0", "Didi"),
    ]
    assert ds.documents[1].text == "Fines reach 10 million yuan."
    first, second = ds.examples
    assert first == QAExample(
        "q-a", "When does it take effect?", ("0-0",), ("September 1", "on September 1"), True
    )
    assert second.gold_doc_ids == ("1-0",)
    assert ds.qrels == {"q-a": {"0-0": 1}, "q-b": {"1-0": 1}}


def test_squad_v2_unanswerables_have_no_gold(tmp_path):
    data = {
        "version": "v2.0",
        "data": [
            {
                "title": "Normans",
                "paragraphs": [
                    {
                        "context": "Normandy is in France.",
                        "qas": [
                            {
                                "id": "ok",
                                "question": "Where is Normandy?",
                                "answers": [{"text": "France", "answer_start": 15}],
                                "is_impossible": False,
                            },
                            {
                                "id": "impossible",
                                "question": "Where is Atlantis?",
                                "answers": [],
                                "plausible_answers": [{"text": "France", "answer_start": 15}],
                                "is_impossible": True,
                            },
                        ],
                    }
                ],
            }
        ],
    }
    ds = load_dataset(_write_json(tmp_path / "v2.json", data))
    ok, impossible = ds.examples
    assert ok.answerable and ok.gold_doc_ids == ("0-0",) and ok.answers == ("France",)
    assert not impossible.answerable
    assert impossible.gold_doc_ids == () and impossible.answers == ()
    assert "0-0" in impossible.note
    assert ds.qrels == {"ok": {"0-0": 1}}  # unanswerables are left out of retrieval scoring


def test_squad_limit_samples_questions_but_keeps_the_corpus(tmp_path):
    data = {
        "data": [
            {
                "title": "T",
                "paragraphs": [
                    {
                        "context": f"p{i}",
                        "qas": [{"id": f"q{i}", "question": f"q{i}?", "answers": [{"text": "x"}]}],
                    }
                    for i in range(20)
                ],
            }
        ]
    }
    path = _write_json(tmp_path / "s.json", data)
    ds = load_squad(path, limit=5)
    assert len(ds.examples) == 5 and len(ds.documents) == 20
    ids = [ex.qid for ex in ds.examples]
    assert ids == sorted(ids, key=lambda q: int(q[1:]))  # file order kept
    assert ids == [ex.qid for ex in load_squad(path, limit=5).examples]  # same seed, same sample
    assert ids != [ex.qid for ex in load_squad(path, limit=5, seed=14).examples]
    assert len(load_squad(path, limit=100).examples) == 20
    with pytest.raises(ValueError, match="limit"):
        load_squad(path, limit=0)


def test_squad_rejects_other_json(tmp_path):
    with pytest.raises(ValueError, match="'data'"):
        load_squad(_write_json(tmp_path / "x.json", {"rows": []}))
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.json"):
        load_squad(bad)


# --- BEIR ---------------------------------------------------------------------------------------------------


def _beir_folder(root: Path) -> Path:
    folder = root / "minibeir"
    (folder / "qrels").mkdir(parents=True)
    _write_jsonl(
        folder / "corpus.jsonl",
        [
            {"_id": "d1", "title": "Fines", "text": "Up to 10 million yuan."},
            {"_id": "d2", "title": "", "text": "Didi was fined."},
            {"_id": 3, "title": "Numeric id", "text": ""},
        ],
    )
    _write_jsonl(
        folder / "queries.jsonl",
        [
            {"_id": "q1", "text": "maximum fine", "metadata": {}},
            {"_id": "q2", "text": "didi"},
            {"_id": "q3", "text": "judged irrelevant only"},
            {"_id": "q4", "text": "not judged"},
        ],
    )
    # A header line and Windows line ends, as BEIR's downloads have.
    rows = ["query-id\tcorpus-id\tscore", "q1\td2\t1", "q1\td1\t2", "q2\td2\t1", "q3\td1\t0", ""]
    (folder / "qrels" / "test.tsv").write_bytes("\r\n".join(rows).encode("utf-8"))
    return folder


def test_beir_reads_corpus_queries_and_graded_qrels_with_crlf(tmp_path):
    ds = load_dataset(_beir_folder(tmp_path))
    assert ds.name == "minibeir"
    assert [d.doc_id for d in ds.documents] == ["d1", "d2", "3"]
    assert ds.documents[0].title == "Fines" and ds.documents[2].text == ""
    # q3 has only a relevance-0 judgement and q4 none: neither is an example
    assert [ex.qid for ex in ds.examples] == ["q1", "q2"]
    q1 = ds.examples[0]
    assert q1.question == "maximum fine" and q1.answers == () and q1.answerable
    assert q1.gold_doc_ids == ("d1", "d2")  # highest relevance first
    assert ds.qrels == {"q1": {"d2": 1, "d1": 2}, "q2": {"d2": 1}}


def test_beir_limit_keeps_judgements_of_the_sampled_queries_only(tmp_path):
    ds = load_beir(_beir_folder(tmp_path), limit=1)
    assert len(ds.examples) == 1 and len(ds.documents) == 3
    assert set(ds.qrels) == {ds.examples[0].qid}


def test_beir_missing_parts_are_named(tmp_path):
    folder = _beir_folder(tmp_path)
    with pytest.raises(ValueError, match="dev.tsv"):
        load_beir(folder, split="dev")
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\thigh\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"test.tsv:2: score 'high'"):
        load_beir(folder)
    _write_jsonl(folder / "corpus.jsonl", [{"_id": "d1", "text": "ok"}, {"title": "no id", "text": "x"}])
    with pytest.raises(ValueError, match=r"corpus.jsonl:2: field '_id'"):
        load_beir(folder)


# --- our JSONL ----------------------------------------------------------------------------------------------

GOOD_ROWS = [
    {
        "id": "a",
        "question": "When does the DSL apply?",
        "doc_ids": ["001_x"],
        "answers": ["September 1"],
        "answerable": True,
        "note": "paraphrased",
        "corpus": None,
    },
    {"id": "b", "question": "PIPL fine as % of turnover?", "doc_ids": [], "answers": [], "answerable": False},
]


def test_jsonl_good_file(tmp_path):
    path = _write_jsonl(tmp_path / "qa.jsonl", GOOD_ROWS)
    path.write_text(path.read_text() + "\n\n", encoding="utf-8")  # trailing blank lines are fine
    ds = load_dataset(path)
    assert ds.documents is None  # the default seeds corpus
    assert ds.examples == (
        QAExample("a", "When does the DSL apply?", ("001_x",), ("September 1",), True, "paraphrased"),
        QAExample("b", "PIPL fine as % of turnover?", (), (), False),
    )
    assert ds.qrels == {"a": {"001_x": 1}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question": "  "}, "field 'question'"),
        ({"answerable": "yes"}, "field 'answerable'"),
        ({"doc_ids": "001_x"}, "field 'doc_ids'"),
        ({"doc_ids": []}, "field 'doc_ids' is empty"),
        ({"answers": [1]}, "field 'answers'"),
        ({"answer": ["x"]}, "unknown field"),
        ({"corpus": "other"}, "field 'corpus'"),
        ({"note": 3}, "field 'note'"),
        ({"answerable": False}, "must be empty when answerable is false"),
        ({"id": "b"}, "field 'id': 'b' already used on line 1"),
    ],
)
def test_jsonl_bad_line_names_line_and_field(tmp_path, change, message):
    bad = {**GOOD_ROWS[0], **change}
    path = _write_jsonl(tmp_path / "qa.jsonl", [GOOD_ROWS[1], bad])
    with pytest.raises(ValueError, match=message) as caught:
        load_jsonl(path)
    assert "qa.jsonl:2:" in str(caught.value)


def test_jsonl_missing_field_and_broken_json(tmp_path):
    row = {k: v for k, v in GOOD_ROWS[0].items() if k != "answers"}
    with pytest.raises(ValueError, match=r"qa.jsonl:1: field 'answers' .* got missing"):
        load_jsonl(_write_jsonl(tmp_path / "qa.jsonl", [row]))
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(GOOD_ROWS[0]) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.jsonl:2: not valid JSON"):
        load_jsonl(path)
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.jsonl:1: expected a JSON object"):
        load_jsonl(path)


# --- feedback -----------------------------------------------------------------------------------------------


def _click(question: object, vote: str, doc_ids: list[str]) -> dict:
    citations = [{"n": n, "doc_id": d, "chunk_id": f"{d}:0", "quote": "q"} for n, d in enumerate(doc_ids, 1)]
    return {
        "question": question,
        "answer": "Didi was fined $1.2 billion [1].",
        "citations": citations,
        "vote": vote,
        "user": "U1",
        "channel": "C1",
        "ts": "1700000000.000100",
        "time": "2026-11-23T09:00:00+00:00",
    }


def test_feedback_votes_become_examples(tmp_path):
    rows = [
        _click("How big was Didi's fine?", "up", ["002_e", "000_a", "002_e"]),
        _click("Who fined Meta under GDPR?", "up", []),
        _click("When does the DSL apply?", "down", ["001_b"]),
        _click("   ", "up", ["001_b"]),
        _click(None, "down", []),
    ]
    path = _write_jsonl(tmp_path / "feedback.jsonl", rows)
    assert guess_format(path) == "feedback"
    ds = load_dataset(path)
    assert ds.documents is None
    up, abstained, down = ds.examples  # the two rows without a question are skipped
    assert up == QAExample(
        "feedback-1", "How big was Didi's fine?", ("002_e", "000_a"), (), True, "up-voted answer"
    )
    assert not abstained.answerable and abstained.gold_doc_ids == ()
    assert down.answerable and down.gold_doc_ids == () and down.qid == "feedback-3"
    assert ds.qrels == {"feedback-1": {"002_e": 1, "000_a": 1}}


def test_feedback_bad_rows(tmp_path):
    path = _write_jsonl(tmp_path / "fb.jsonl", [_click("q?", "meh", [])])
    with pytest.raises(ValueError, match="fb.jsonl:1: field 'vote'"):
        load_feedback(path)
    row = {**_click("q?", "up", []), "citations": [{"n": 1}]}
    with pytest.raises(ValueError, match="fb.jsonl:1: field 'citations'"):
        load_feedback(_write_jsonl(path, [row]))


def test_feedback_export_of_the_real_store_round_trips(tmp_path):
    # The file the Slack bot's `regbot feedback export` writes, produced by the real store, not by hand.
    text = "While Didi was fined $1.2 billion last month for violating data security rules"
    chunk = Chunk(
        id="002_e82dffa06f5920f7:3", doc_id="002_e82dffa06f5920f7", title="T", text=text, start=0, end=80
    )
    cite = Citation(n=1, chunk=chunk, quote=text[6:33], start=6, end=33)
    answered = Answer("How big was Didi's fine?", "Didi was fined $1.2 billion [1].", (cite,), False)
    abstained = Answer("PIPL fine as a share of turnover?", "The sources do not cover this.", (), True)
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    first = store.record_answer(answered, user="U1", channel="C1")
    second = store.record_answer(abstained, user="U1", channel="C1")
    store.record_vote(first.id, vote="up", user="U2")
    store.record_vote(first.id, vote="down", user="U3")
    store.record_vote(second.id, vote="up", user="U2")
    assert export(tmp_path / "fb.sqlite3", tmp_path / "feedback.jsonl") == 3

    ds = load_dataset(tmp_path / "feedback.jsonl")
    by_kind = {(ex.question, ex.note): ex for ex in ds.examples}
    assert len(by_kind) == 3
    assert by_kind[("How big was Didi's fine?", "up-voted answer")].gold_doc_ids == ("002_e82dffa06f5920f7",)
    assert by_kind[("How big was Didi's fine?", "down-voted; gold source unknown")].answerable
    assert not by_kind[("PIPL fine as a share of turnover?", "up-voted abstention")].answerable


# --- dispatch -----------------------------------------------------------------------------------------------


def test_load_dataset_dispatch_and_errors(tmp_path):
    squad = _write_json(tmp_path / "s.json", SQUAD_V1)
    assert guess_format(squad) == "squad"
    assert guess_format(_beir_folder(tmp_path)) == "beir"
    assert guess_format(_write_jsonl(tmp_path / "qa.jsonl", GOOD_ROWS)) == "jsonl"
    with pytest.raises(ValueError, match="'csv'"):
        load_dataset(squad, "csv")
    with pytest.raises(ValueError, match="cannot tell the format"):
        load_dataset(_write_json(tmp_path / "x.txt", {}))
    with pytest.raises(ValueError, match="cannot tell the format"):
        guess_format(tmp_path)  # a folder without corpus.jsonl
    with pytest.raises(FileNotFoundError, match="nope.json"):
        load_dataset(tmp_path / "nope.json")
    # keyword arguments reach the loader
    assert len(load_dataset(squad, "squad", limit=1).examples) == 1


def test_dataset_rejects_repeated_question_ids():
    example = QAExample("q", "?", ("d",), (), True)
    with pytest.raises(ValueError, match="'q' twice"):
        Dataset("x", None, (example, example))


def test_qrels_is_a_fresh_copy():
    ds = Dataset("x", None, (QAExample("q", "?", ("d",), (), True),))
    ds.qrels["q"]["d"] = 5
    assert ds.qrels == {"q": {"d": 1}}


# --- the real benchmark files (read where they are, never copied) ---------------------------------------


def _real(name: str) -> Path:
    path = BENCHMARKS_DIR / name
    if not path.exists():
        pytest.skip(f"{path} is not present (public benchmark data lives in ../shared/benchmarks)")
    return path


def test_real_squad_v11_dev_counts():
    ds = load_dataset(_real("squad-dev-v1.1.json"))
    assert len(ds.documents) == 2067
    assert len(ds.examples) == 10570
    assert all(ex.answerable and ex.answers for ex in ds.examples)
    assert len(load_dataset(_real("squad-dev-v1.1.json"), limit=2000).examples) == 2000


def test_real_squad_v20_half_dev_counts():
    ds = load_dataset(_real("squad-v2.0-cs224n-half-dev.json"))
    assert len(ds.documents) == 646
    assert len(ds.examples) == 6078
    assert sum(not ex.answerable for ex in ds.examples) == 3168


def test_real_scifact_test_counts():
    ds = load_dataset(_real("scifact"))
    assert len(ds.documents) == 5183
    assert len(ds.examples) == 300
    assert sum(len(docs) for docs in ds.qrels.values()) == 339


# --- our dev set --------------------------------------------------------------------------------------------

SEEDS = REPO_ROOT / "seeds"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def devset() -> Dataset:
    return load_devset()


@pytest.fixture(scope="module")
def raw_articles() -> dict[str, str]:
    """The raw text of every source, news and laws, by doc_id."""
    paths = [*SEEDS.glob("*.txt"), *(SEEDS / "laws").glob("*.md")]
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(paths)}


NEWS = sorted(path.stem for path in SEEDS.glob("*.txt"))
OUR_SETS = (
    "devset", "heldout", "blind2", "laws_dev", "laws_test", "zh_news_test", "blind3", "dev2", "blind4", "dev3",
    "blind5", "dev4", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12",
    "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19", "blind20", "blind21", "blind22",
    "blind23", "blind24", "blind25", "blind27", "blind28", "blind29", "blind30", "blind31", "blind32",
    "blind33", "blind34", "blind35", "blind36", "blind37", "blind38", "blind39",
)


def test_devset_counts(devset, raw_articles):
    examples = devset.examples
    assert DEVSET_PATH.parent.name == "eval" and devset.documents is None
    assert len(examples) >= 65
    unanswerable = [ex for ex in examples if not ex.answerable]
    assert len(unanswerable) >= 10
    assert all(ex.gold_doc_ids == () and ex.answers == () for ex in unanswerable)
    assert sum(len(ex.gold_doc_ids) >= 2 for ex in examples) >= 4
    covered = {doc_id for ex in examples for doc_id in ex.gold_doc_ids}
    assert set(NEWS) <= covered <= set(raw_articles)  # every article, and no doc id that is not a source
    assert len({ex.question.casefold() for ex in examples}) == len(examples)


def test_devset_asks_in_chinese_too(devset):
    chinese = [ex for ex in devset.examples if _CJK.search(ex.question)]
    assert len(chinese) == 2 and all(ex.language == "zh" for ex in chinese)


@pytest.mark.parametrize("name", OUR_SETS)
def test_answers_are_verbatim_in_a_gold_source_and_a_law_in_a_gold_article(name, raw_articles):
    from index.documents import read_document
    from index.laws import article_spans

    dataset = load_jsonl(REPO_ROOT / "eval" / f"{name}.jsonl")
    laws = {stem: read_document(SEEDS / "laws" / f"{stem}.md") for stem in raw_articles if stem not in NEWS}
    for ex in dataset.examples:
        assert set(ex.gold_doc_ids) <= set(raw_articles), ex.qid
        if not ex.answerable:
            continue
        assert ex.answers and len(ex.answers) <= 4, ex.qid
        gold_text = " ".join(raw_articles[doc_id] for doc_id in ex.gold_doc_ids)
        assert all(answer in gold_text for answer in ex.answers if answer not in ("",)), ex.qid
        for doc_id, number in ex.articles:
            spans = {s.number: s for s in article_spans(laws[doc_id].text)}
            assert number in spans, (ex.qid, doc_id, number)


def test_devset_answers_are_article_content_not_boilerplate(devset):
    # The cleaned text drops disclaimers, bios and unrelated headlines: an answer found only there is junk.
    docs, skipped = read_corpus(SEEDS)
    assert not skipped
    cleaned = {doc.doc_id: doc.text for doc in docs}
    for ex in devset.examples:
        for answer in ex.answers:
            assert any(answer in cleaned[doc_id] for doc_id in ex.gold_doc_ids), (ex.qid, answer)


def test_devset_questions_are_paraphrased(raw_articles, devset):
    # No run of six words from a question appears in an article (case and punctuation ignored).
    def words(text: str) -> list[str]:
        return re.sub(r"[^\w\s]", " ", text.lower()).split()

    corpus = " " + " ".join(" ".join(words(text)) for text in raw_articles.values()) + " "
    for ex in devset.examples:
        tokens = words(ex.question)
        for i in range(len(tokens) - 5):
            assert f" {' '.join(tokens[i : i + 6])} " not in corpus, ex.qid
