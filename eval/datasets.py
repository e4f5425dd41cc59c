"""Benchmark datasets: our own JSONL dev set, SQuAD, BEIR folders and the Slack bot's feedback export.

Every loader returns a `Dataset`: the corpus to index (``documents``; ``None`` means regbot's default seeds
corpus), the questions (`QAExample`) and ``qrels`` in BEIR's shape for the retrieval metrics::

    ds = load_dataset("eval/devset.jsonl")                                  # format guessed from the path
    ds = load_dataset("../shared/benchmarks/scifact", "beir", limit=100)    # 100 test queries, seed 13
    ds.qrels["q1"]                                                          # {"001_7516783149c43d0d": 1}

``limit=N`` keeps N questions drawn with ``random.Random(seed)`` (in file order); the corpus is never cut, so
retrieval always runs over the whole closed corpus.

Formats
=======

``jsonl`` (ours, ``eval/devset.jsonl``): one JSON object per line, blank lines ignored::

    {"id": "dev-001", "question": "When does the Data Security Law kick in?",
     "doc_ids": ["001_7516783149c43d0d", "DSL_2021-06-10_zh"], "articles": {"DSL_2021-06-10_zh": [55]},
     "answers": ["September 1", "2021年9月1日"], "answerable": true, "lang": "en", "kind": "casual",
     "note": "optional free text", "corpus": null}

- ``id``: unique non-empty string. ``question``: non-empty string.
- ``doc_ids``: every corpus document (file stem) that states the answer; non-empty when answerable, empty
  when not. ``answers``: accepted answer strings (short spans, verbatim from a gold document; scored after
  SQuAD normalisation), empty when not answerable; may be empty for a retrieval-only question.
- ``answerable``: false for questions that sound on-topic but that the corpus does not answer; the system
  should abstain on them.
- ``articles`` (optional): for a law among ``doc_ids``, the article numbers that state the answer; retrieval
  and citations of that law are then judged by article (see `unit_id`), of the other documents by document.
- ``lang`` (optional, "en" or "zh") and ``kind`` (optional label) group the scores in the report.
- ``note`` (optional string) and ``corpus`` (optional, must be null: the default seeds corpus). Any other key
  is an error, so that a typo such as "answer" does not silently drop the gold answers. A bad line raises
  ValueError naming the file, the line number and the field.

``squad`` (SQuAD v1.1 and v2.0 JSON, ``{"data": [{"title", "paragraphs": [{"context", "qas"}]}]}``):

- One `Document` per paragraph: ``doc_id = f"{article_index}-{paragraph_index}"`` (both 0-based, in file
  order), ``title`` = the article title with "_" → " ", ``text`` = the context.
- A question's gold document is its own paragraph, relevance 1; ``answers`` are the distinct answer texts.
- v2.0 ``is_impossible`` questions have ``answerable=False``, no gold document and no answers (they are left
  out of ``qrels`` and of retrieval metrics and scored as abstention); ``note`` names the paragraph they were
  asked about.

``beir`` (a folder): ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl`` (``_id``, ``text``)
and ``qrels/<split>.tsv`` (``query-id``, ``corpus-id``, ``score``; a header line; LF or CRLF line ends). Only
queries with at least one judgement of relevance > 0 become examples; ``gold_doc_ids`` are those documents
(highest relevance first) and ``qrels`` keeps the graded relevances (relevance-0 judgements included). The
corpus is always whole; examples have no answer strings.

``feedback`` (what ``regbot feedback export`` writes): one object per button click::

    {"question", "answer", "citations": [{"n", "doc_id", "chunk_id", "quote"}], "vote": "up"|"down",
     "user", "channel", "ts", "time"}

- 👍 on an answer with citations: answerable, gold ``doc_ids`` = the cited documents (first-cited first),
  ``answers`` = [] (the user approved the passages, not a span).
- 👍 on an answer without citations (an abstention the user agreed with): ``answerable=False``.
- 👎: kept as answerable with no gold document: the user wanted an answer but we do not know which source
  holds it, so it counts only in the abstention metrics (a false abstention if the system abstains again).
- Rows without a question are skipped with a warning; ``qid`` is ``f"feedback-{line_number}"``.

Retrieval and citation metrics apply to the examples that have ``gold_doc_ids``; abstention metrics to all
(``should_abstain = not example.answerable``).
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.config import REPO_ROOT
from index.records import Document

logger = logging.getLogger(__name__)

FORMATS = ("squad", "beir", "jsonl", "feedback")
DEVSET_PATH = Path(__file__).resolve().with_name("devset.jsonl")
# Our question sets that tuning and training may use (the others are blind: run to measure, never tuned on).
# blind4 to blind8 joined them once their end figures were taken; hard46, hard48, hard50 and hard52 were written to
# be read (paraphrased away from the sources' words, like blind44).
DEVELOPMENT_SETS = tuple(
    DEVSET_PATH.with_name(f"{name}.jsonl")
    for name in (
        "devset", "laws_dev", "dev2", "blind4", "dev3", "blind5", "dev4", "blind6", "blind7", "blind8", "blind9",
        "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16",
        "blind17", "blind18", "blind19", "blind20", "blind21", "blind22", "blind23", "blind24", "blind25",
        "blind27", "blind28", "blind29", "blind30", "blind31", "blind32",
        "blind33", "blind34", "blind35", "blind36", "blind37", "blind38", "hard46", "hard48", "hard50", "blind47",
        "hard52", "blind49", "blind52", "blind56", "casual_a", "casual_d", "blind58",
    )
)
# Public benchmark data sits beside the repository, never inside it.
BENCHMARKS_DIR = REPO_ROOT.parent / "shared" / "benchmarks"
DEFAULT_SEED = 13

_JSONL_REQUIRED = ("id", "question", "doc_ids", "answers", "answerable")
_JSONL_OPTIONAL = ("note", "corpus", "articles", "lang", "kind")


def unit_id(doc_id: str, article: int | None) -> str:
    """What retrieval and citations are judged by: a law's article (``"PIPL_2021-08-20_zh#38"``), or the
    document itself when the passage belongs to no article."""
    return f"{doc_id}#{article}" if article is not None else doc_id


@dataclass(frozen=True)
class QAExample:
    """One benchmark question. ``gold_doc_ids`` is empty exactly when no document is known to answer it.

    ``articles`` lists the ``(doc_id, article)`` pairs of a law that state the answer; ``language`` is the
    question's ("en", "zh"; "" when unknown) and ``kind`` a free label ("casual", "near-miss", ...).
    """

    qid: str
    question: str
    gold_doc_ids: tuple[str, ...]
    answers: tuple[str, ...]
    answerable: bool
    note: str = ""
    articles: tuple[tuple[str, int], ...] = ()
    language: str = ""
    kind: str = ""

    @property
    def gold_units(self) -> tuple[str, ...]:
        """The gold documents, each law replaced by its gold articles (see `unit_id`)."""
        in_laws = {doc_id for doc_id, _ in self.articles}
        units = [unit_id(doc_id, n) for doc_id, n in self.articles]
        return tuple(dict.fromkeys([*units, *(d for d in self.gold_doc_ids if d not in in_laws)]))


@dataclass(frozen=True)
class Dataset:
    """A corpus (``None`` = the default seeds corpus), its questions, and graded judgements if any.

    ``judgements`` holds ``(qid, doc_id, relevance)`` triples (BEIR); when it is empty, ``qrels`` gives every
    gold document of every example relevance 1.
    """

    name: str
    documents: tuple[Document, ...] | None
    examples: tuple[QAExample, ...]
    judgements: tuple[tuple[str, str, int], ...] = ()

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for example in self.examples:
            if example.qid in seen:
                raise ValueError(f"dataset {self.name!r} has the question id {example.qid!r} twice")
            seen.add(example.qid)

    @property
    def qrels(self) -> dict[str, dict[str, int]]:
        """``{qid: {doc_id: relevance}}`` for the examples with gold documents (a new dict on every call)."""
        if self.judgements:
            qrels: dict[str, dict[str, int]] = {}
            for qid, doc_id, relevance in self.judgements:
                qrels.setdefault(qid, {})[doc_id] = relevance
            return qrels
        return {ex.qid: dict.fromkeys(ex.gold_units, 1) for ex in self.examples if ex.gold_doc_ids}


# --- dispatch -----------------------------------------------------------------------------------------------


def load_dataset(path: str | Path, format: str | None = None, **kwargs: object) -> Dataset:
    """Load ``path`` as ``format`` ('squad' | 'beir' | 'jsonl' | 'feedback'), guessed from the path if None.

    ``load_dataset(BENCHMARKS_DIR / "squad-dev-v1.1.json", limit=2000)``. Keyword arguments go to the
    loader (``limit``, ``seed``; ``split`` for BEIR).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"dataset {str(path)!r} does not exist")
    if format is None:
        format = guess_format(path)
    loaders = {"squad": load_squad, "beir": load_beir, "jsonl": load_jsonl, "feedback": load_feedback}
    if format not in loaders:
        raise ValueError(f"unknown dataset format {format!r}; expected one of {', '.join(FORMATS)}")
    return loaders[format](path, **kwargs)


def guess_format(path: str | Path) -> str:
    """The format of ``path``: 'beir' for a folder with corpus.jsonl, 'squad' for .json, and for .jsonl
    'feedback' if its first row has a "vote", else 'jsonl'. ``guess_format("eval/devset.jsonl") == "jsonl"``.
    """
    path = Path(path)
    if path.is_dir():
        if (path / "corpus.jsonl").is_file():
            return "beir"
        raise ValueError(f"cannot tell the format of folder {str(path)!r}: a BEIR folder has corpus.jsonl")
    if path.suffix == ".json":
        return "squad"
    if path.suffix == ".jsonl":
        first = next((row for _, row in _json_lines(path)), {})
        return "feedback" if "vote" in first else "jsonl"
    raise ValueError(f"cannot tell the format of {str(path)!r}; pass format= one of {', '.join(FORMATS)}")


def load_devset() -> Dataset:
    """Our own dev set (``eval/devset.jsonl``) over the default seeds corpus."""
    return load_jsonl(DEVSET_PATH)


# --- SQuAD --------------------------------------------------------------------------------------------------


def load_squad(path: str | Path, *, limit: int | None = None, seed: int = DEFAULT_SEED) -> Dataset:
    """SQuAD v1.1 / v2.0 JSON → one document per paragraph, one example per question (see the module doc).

    ``load_squad(BENCHMARKS_DIR / "squad-dev-v1.1.json", limit=2000)`` keeps all 2,067 paragraphs.
    """
    path = Path(path)
    articles = _read_json(path).get("data")
    if not isinstance(articles, list):
        raise ValueError(f"{path}: not SQuAD JSON (no 'data' list at the top level)")
    documents: list[Document] = []
    examples: list[QAExample] = []
    for a, article in enumerate(articles):
        title = str(article.get("title", "")).replace("_", " ")
        for p, paragraph in enumerate(article.get("paragraphs", [])):
            doc_id = f"{a}-{p}"
            documents.append(
                Document(doc_id=doc_id, title=title, text=paragraph["context"], source=path.name)
            )
            examples.extend(_squad_example(qa, doc_id) for qa in paragraph.get("qas", []))
    logger.info("%s: %d paragraphs, %d questions", path.name, len(documents), len(examples))
    return Dataset(path.stem, tuple(documents), _sample(examples, limit, seed))


def _squad_example(qa: Mapping, doc_id: str) -> QAExample:
    if qa.get("is_impossible", False):
        return QAExample(
            qa["id"], qa["question"], (), (), False, note=f"unanswerable; asked of paragraph {doc_id}"
        )
    answers = tuple(dict.fromkeys(answer["text"] for answer in qa.get("answers", [])))
    return QAExample(qa["id"], qa["question"], (doc_id,), answers, True)


# --- BEIR ---------------------------------------------------------------------------------------------------


def load_beir(
    folder: str | Path, *, split: str = "test", limit: int | None = None, seed: int = DEFAULT_SEED
) -> Dataset:
    """A BEIR folder → its whole corpus and the queries judged in ``qrels/<split>.tsv``.

    ``load_beir(BENCHMARKS_DIR / "scifact")`` → 5,183 documents, 300 test queries.
    """
    folder = Path(folder)
    qrels_path = folder / "qrels" / f"{split}.tsv"
    for needed in (folder / "corpus.jsonl", folder / "queries.jsonl", qrels_path):
        if not needed.is_file():
            raise ValueError(
                f"{str(folder)!r} is not a BEIR folder for split {split!r}: {needed.name} is missing"
            )
    corpus_path, queries_path = folder / "corpus.jsonl", folder / "queries.jsonl"
    documents = tuple(_beir_document(corpus_path, n, row) for n, row in _json_lines(corpus_path))
    queries = {
        _beir_id(queries_path, n, row): _beir_text(queries_path, n, row)
        for n, row in _json_lines(queries_path)
    }
    judged = _read_qrels_tsv(qrels_path)
    examples = []
    for qid, docs in judged.items():
        relevant = sorted((doc_id for doc_id, rel in docs.items() if rel > 0), key=lambda d: -docs[d])
        if qid not in queries:
            logger.warning(
                "%s: query %r has judgements but is not in queries.jsonl; skipped", qrels_path, qid
            )
        elif relevant:
            examples.append(QAExample(qid, queries[qid], tuple(relevant), (), True))
    kept = _sample(examples, limit, seed)
    triples = tuple((ex.qid, doc_id, rel) for ex in kept for doc_id, rel in judged[ex.qid].items())
    logger.info("%s: %d documents, %d %s queries", folder.name, len(documents), len(kept), split)
    return Dataset(folder.name, documents, kept, judgements=triples)


def _beir_document(path: Path, line: int, row: Mapping) -> Document:
    title = row.get("title") or ""
    return Document(doc_id=_beir_id(path, line, row), title=str(title), text=_beir_text(path, line, row))


def _beir_id(path: Path, line: int, row: Mapping) -> str:
    # Some BEIR exports write numeric ids as JSON numbers; qrels always hold them as text.
    value = row.get("_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{path}:{line}: field '_id' must be a non-empty string, got {value!r}")
    return value


def _beir_text(path: Path, line: int, row: Mapping) -> str:
    # Empty text is legal in BEIR corpora (a title-only document); a missing or non-string one is not.
    value = row.get("text")
    if not isinstance(value, str):
        raise ValueError(f"{path}:{line}: field 'text' must be a string, got {value!r}")
    return value


def _read_qrels_tsv(path: Path) -> dict[str, dict[str, int]]:
    judged: dict[str, dict[str, int]] = {}
    # Text mode turns CRLF into "\n"; strip() also removes a stray "\r" from files opened elsewhere.
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            fields = line.strip().split("\t")
            if fields == [""]:
                continue
            if len(fields) < 3:
                raise ValueError(
                    f"{path}:{line_no}: expected query-id, corpus-id, score; got {line.strip()!r}"
                )
            try:
                relevance = int(fields[2])
            except ValueError:
                if line_no == 1:  # the header: query-id corpus-id score
                    continue
                raise ValueError(f"{path}:{line_no}: score {fields[2]!r} is not an integer") from None
            judged.setdefault(fields[0], {})[fields[1]] = relevance
    return judged


# --- our JSONL ----------------------------------------------------------------------------------------------


def load_jsonl(path: str | Path, *, limit: int | None = None, seed: int = DEFAULT_SEED) -> Dataset:
    """Our QA format (see the module doc), over the seeds corpus: ``load_jsonl("eval/devset.jsonl")``."""
    path = Path(path)
    examples: list[QAExample] = []
    seen: dict[str, int] = {}
    for line_no, row in _json_lines(path):
        example = _jsonl_example(path, line_no, row)
        if example.qid in seen:
            raise ValueError(
                f"{path}:{line_no}: field 'id': {example.qid!r} already used on line {seen[example.qid]}"
            )
        seen[example.qid] = line_no
        examples.append(example)
    return Dataset(path.stem, None, _sample(examples, limit, seed))


def _jsonl_example(path: Path, line: int, row: Mapping) -> QAExample:
    unknown = sorted(set(row) - set(_JSONL_REQUIRED) - set(_JSONL_OPTIONAL))
    if unknown:
        raise ValueError(f"{path}:{line}: unknown field(s) {', '.join(map(repr, unknown))}")
    qid = _field(row, "id", str, path, line)
    question = _field(row, "question", str, path, line)
    doc_ids = _string_list(row, "doc_ids", path, line)
    answers = _string_list(row, "answers", path, line)
    answerable = _field(row, "answerable", bool, path, line)
    note = row.get("note", "")
    if not isinstance(note, str):
        raise ValueError(f"{path}:{line}: field 'note' must be a string, got {note!r}")
    if row.get("corpus") is not None:
        raise ValueError(
            f"{path}:{line}: field 'corpus' must be null (the default seeds corpus), got {row['corpus']!r}"
        )
    if answerable and not doc_ids:
        raise ValueError(f"{path}:{line}: field 'doc_ids' is empty but the question is answerable")
    if not answerable and (doc_ids or answers):
        raise ValueError(f"{path}:{line}: field 'doc_ids'/'answers' must be empty when answerable is false")
    articles = _articles(row, doc_ids, path, line)
    language = row.get("lang", "")
    kind = row.get("kind", "")
    if language not in ("", "en", "zh") or not isinstance(kind, str):
        raise ValueError(f"{path}:{line}: field 'lang' must be 'en' or 'zh' and 'kind' a string")
    return QAExample(qid, question, tuple(doc_ids), tuple(answers), answerable, note, articles, language, kind)


def _articles(row: Mapping, doc_ids: list[str], path: Path, line: int) -> tuple[tuple[str, int], ...]:
    """``{"PIPL_2021-08-20_zh": [38, 39]}`` → ``(("PIPL_2021-08-20_zh", 38), ...)``; every law is a gold doc."""
    articles = row.get("articles", {})
    if not isinstance(articles, dict) or not all(
        isinstance(ns, list) and ns and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in ns)
        for ns in articles.values()
    ):
        raise ValueError(f"{path}:{line}: field 'articles' must map doc ids to lists of article numbers")
    if unknown := sorted(set(articles) - set(doc_ids)):
        raise ValueError(f"{path}:{line}: field 'articles' names {unknown}, which 'doc_ids' does not list")
    return tuple((doc_id, n) for doc_id, ns in articles.items() for n in ns)


# --- feedback -----------------------------------------------------------------------------------------------


def load_feedback(path: str | Path, *, limit: int | None = None, seed: int = DEFAULT_SEED) -> Dataset:
    """``regbot feedback export``'s JSONL → examples over the seeds corpus: ``load_feedback("fb.jsonl")``."""
    path = Path(path)
    examples = []
    for line_no, row in _json_lines(path):
        question = row.get("question")
        if not isinstance(question, str) or not question.strip():
            logger.warning("%s:%d: feedback row without a question; skipped", path, line_no)
            continue
        vote = row.get("vote")
        if vote not in ("up", "down"):
            raise ValueError(f"{path}:{line_no}: field 'vote' must be 'up' or 'down', got {vote!r}")
        cited = _cited_doc_ids(path, line_no, row.get("citations") or [])
        qid = f"feedback-{line_no}"
        if vote == "down":
            examples.append(QAExample(qid, question, (), (), True, note="down-voted; gold source unknown"))
        elif cited:
            examples.append(QAExample(qid, question, cited, (), True, note="up-voted answer"))
        else:
            examples.append(QAExample(qid, question, (), (), False, note="up-voted abstention"))
    return Dataset(path.stem, None, _sample(examples, limit, seed))


def _cited_doc_ids(path: Path, line: int, citations: object) -> tuple[str, ...]:
    if not isinstance(citations, list):
        raise ValueError(f"{path}:{line}: field 'citations' must be a list, got {citations!r}")
    doc_ids = []
    for citation in citations:
        doc_id = citation.get("doc_id") if isinstance(citation, dict) else None
        if not isinstance(doc_id, str) or not doc_id:
            raise ValueError(f"{path}:{line}: field 'citations' has an entry without a doc_id: {citation!r}")
        doc_ids.append(doc_id)
    return tuple(dict.fromkeys(doc_ids))


# --- helpers ------------------------------------------------------------------------------------------------


def _sample(examples: Sequence[QAExample], limit: int | None, seed: int) -> tuple[QAExample, ...]:
    """``limit`` examples drawn with ``random.Random(seed)``, kept in their original order."""
    if limit is None:
        return tuple(examples)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise ValueError(f"limit must be a positive int, got {limit!r}")
    if limit >= len(examples):
        return tuple(examples)
    chosen = sorted(random.Random(seed).sample(range(len(examples)), limit))
    return tuple(examples[i] for i in chosen)


def _read_json(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object at the top level, got {type(data).__name__}")
    return data


def _json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line; ValueError naming the line if it is not an object."""
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{line_no}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{line_no}: expected a JSON object, got {type(row).__name__}")
            yield line_no, row


def _field(row: Mapping, name: str, kind: type, path: Path, line: int):
    value = row.get(name)
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        wanted = "a non-empty string" if kind is str else f"a {kind.__name__}"
        shown = "missing" if name not in row else repr(value)
        raise ValueError(f"{path}:{line}: field {name!r} must be {wanted}, got {shown}")
    return value


def _string_list(row: Mapping, name: str, path: Path, line: int) -> list[str]:
    value = row.get(name)
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        shown = "missing" if name not in row else repr(value)
        raise ValueError(f"{path}:{line}: field {name!r} must be a list of non-empty strings, got {shown}")
    return value
