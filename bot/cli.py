"""The `regbot` command.

    regbot index build [--corpus DIR]        build or update the index (only changed documents are embedded)
    regbot index info                        what the index holds and whether it is up to date
    regbot search "question" [-k N] [--json] the best passages
    regbot ask "question" [--json]           a short answer with cited quotes
    regbot chat                              ask questions in a loop
    regbot serve [--http --port N]           the Slack bot
    regbot feedback export [-o FILE]         Slack feedback as JSONL
    regbot feedback purge [--older-than D]   remove stored questions and answers older than D days
    regbot eval [--dataset PATH ...]         the QA benchmark

Settings come from `Settings` defaults, then REGBOT_* environment variables, then these flags.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from index.config import Settings

logger = logging.getLogger("regbot")
# What ends `regbot chat` besides an empty line and Ctrl-D: no question is one word of these.
QUIT_WORDS = ("q", "quit", "exit", ":q", "bye", "退出", "再见")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(_dashed_questions_last(sys.argv[1:] if argv is None else list(argv)))
    logging.basicConfig(
        level=logging.DEBUG if args.verbose > 1 else logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:  # an index build says how it is going (see `regbot index build --no-progress`)
        logging.getLogger("index.builder").setLevel(logging.INFO)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        settings = Settings.from_env(data_dir=args.data_dir, corpus_dir=args.corpus)
        code = int(args.handler(args, settings) or 0)
        sys.stdout.flush()  # here, not at exit: a reader gone before a buffered write is seen below, not as 120
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`regbot search ... | head -1`): nothing is wrong, and nothing more can be said.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (ValueError, TypeError, FileNotFoundError, RuntimeError) as exc:
        # Our own errors name the fix; a traceback would only hide it (-vv shows it anyway).
        logger.debug("failed", exc_info=True)
        print(f"regbot: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a read-only or full disk, a file where a folder belongs, no permission
        logger.debug("failed", exc_info=True)
        print(f"regbot: error: {exc.strerror or exc}: {exc.filename or ''} (check the paths given and the data "
              "directory, --data-dir or REGBOT_DATA_DIR)", file=sys.stderr)
        return 2


def _dashed_questions_last(argv: list[str]) -> list[str]:
    """A question that begins with a dash ("-how long …") moved behind "--": argparse would read it as the -h
    option. An argument holding a space is never an option, so only those move."""
    dashed = [a for a in argv if a[:1] == "-" and a[:2] != "--" and any(c.isspace() for c in a)]
    if not dashed or "--" in argv:
        return argv
    return [a for a in argv if a not in dashed] + ["--", *dashed]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regbot", description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    parser.add_argument("--data-dir", type=Path, help="where indexes, caches and feedback live (REGBOT_DATA_DIR)")
    parser.add_argument("--corpus", type=Path, help="the corpus folder (REGBOT_CORPUS_DIR; default: seeds/)")
    sub = parser.add_subparsers(metavar="COMMAND")

    index = sub.add_parser("index", help="build or inspect the index").add_subparsers(metavar="ACTION")
    build = index.add_parser("build", help="build or update the index of a corpus folder")
    build.add_argument("--index", type=Path, help="index folder (default: under the data directory)")
    _corpus_option(build)
    build.add_argument("--no-progress", action="store_true", help="no progress lines")
    build.set_defaults(handler=_index_build)
    info = index.add_parser("info", help="what the index holds and whether it is up to date")
    info.add_argument("--index", type=Path, help="index folder (default: under the data directory)")
    _corpus_option(info)
    info.add_argument("--json", action="store_true", help="print the manifest summary as JSON")
    info.set_defaults(handler=_index_info)

    search = sub.add_parser("search", help="print the passages that best match a question")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    search.add_argument("--method", default="default", help="bm25 | dense | rrf | weighted | default")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.set_defaults(handler=_search)

    ask = sub.add_parser("ask", help="a short answer with cited quotes, or a plain 'not covered'")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="machine-readable output (shape in the README)")
    ask.set_defaults(handler=_ask)
    chat = sub.add_parser("chat", help="ask questions in a loop; follow-ups use the previous question")
    chat.set_defaults(handler=_chat)

    evaluate = sub.add_parser("eval", help="score retrieval and answers on a benchmark, variants side by side")
    evaluate.add_argument("--dataset", type=Path, help="dataset file or BEIR folder (default: eval/devset.jsonl)")
    evaluate.add_argument("--format", choices=("squad", "beir", "jsonl", "feedback"), help="default: from the path")
    evaluate.add_argument("--limit", type=int, help="score N questions sampled with a fixed seed")
    evaluate.add_argument("--variants", default="bm25,dense,hybrid,weighted,default", help="comma-separated")
    evaluate.add_argument("--json", type=Path, dest="json_out", help="JSON report (default: under the data dir)")
    evaluate.add_argument("--chart", type=Path, help="PNG chart (default: beside the JSON report)")
    evaluate.add_argument("--no-answers", action="store_true", help="score retrieval only")
    evaluate.add_argument("--no-progress", action="store_true", help="no progress bars")
    evaluate.set_defaults(handler=_eval)
    serve = sub.add_parser("serve", help="run the Slack bot (Socket Mode; --http for the Events API)")
    serve.add_argument("--http", action="store_true", help="Events API over HTTP at /slack/events")
    serve.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="HTTP interface (default 0.0.0.0)")
    serve.set_defaults(handler=_serve)
    feedback = sub.add_parser("feedback", help="Slack feedback").add_subparsers(metavar="ACTION")
    export = feedback.add_parser("export", help="write the 👍/👎 votes as JSONL (regbot eval reads it)")
    export.add_argument("--db", type=Path, help="feedback database (default: REGBOT_FEEDBACK_DB, else data dir)")
    export.add_argument("-o", "--output", default="-", help="JSONL file (default: stdout)")
    export.set_defaults(handler=_feedback_export)
    purge = feedback.add_parser("purge", help="remove the text of stored questions and answers; votes stay")
    purge.add_argument("--db", type=Path, help="feedback database (default: REGBOT_FEEDBACK_DB, else data dir)")
    purge.add_argument("--older-than", type=float, metavar="DAYS",
                       help="only answers older than DAYS (default: REGBOT_RETENTION_DAYS, 90); 0 removes all")
    purge.set_defaults(handler=_feedback_purge)
    return parser


def _corpus_option(parser: argparse.ArgumentParser) -> None:
    """``--corpus`` after the action too (``regbot index build --corpus DIR``); SUPPRESS keeps one given before
    the command (``regbot --corpus DIR index build``) when it is absent here."""
    parser.add_argument("--corpus", type=Path, default=argparse.SUPPRESS, help="the corpus folder (as regbot --corpus)")


def _index_build(args: argparse.Namespace, settings: Settings) -> int:
    from index.builder import build_index
    from index.default import build_options

    index_dir = args.index or settings.index_dir
    progress = not args.no_progress  # lines on stderr, a terminal or not
    report = build_index(settings.corpus_dir, index_dir, progress=progress, **build_options(settings))
    for skipped in report.skipped:
        print(f"skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    state = "up to date" if report.up_to_date else (
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed"
        + (", repaired" if report.repaired else "")
    )
    print(
        f"{index_dir}: {report.documents} documents, {report.chunks} chunks, {report.sentences} sentences "
        f"({state}; {report.embedded_chunks} chunks embedded in {report.seconds:.1f}s, store: {report.store_kind})"
    )
    return 0


def _index_info(args: argparse.Namespace, settings: Settings) -> int:
    from index.documents import document_fingerprint, read_corpus
    from index.retriever import Retriever

    index_dir = args.index or settings.index_dir
    retriever = Retriever.load(index_dir)
    manifest = retriever.manifest
    documents, _ = read_corpus(settings.corpus_dir) if settings.corpus_dir.is_dir() else ([], [])
    current = {d.doc_id: document_fingerprint(d) for d in documents}
    indexed = manifest["documents"]
    stale = {
        "added": sorted(set(current) - set(indexed)),
        "changed": sorted(d for d in current if d in indexed and indexed[d] != current[d]),
        "removed": sorted(set(indexed) - set(current)),
    }
    summary = {
        "index": str(index_dir),
        "corpus": str(settings.corpus_dir),
        **{k: manifest[k] for k in ("model", "dim", "metric", "store", "n_documents", "n_chunks", "n_sentences",
                                    "built_at", "chunker")},
        "stale": stale if any(stale.values()) else None,
    }
    summary["sources"] = [_source_info(doc) for doc in retriever.documents.values()]
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0
    for key, value in summary.items():
        if key not in ("stale", "sources"):
            print(f"{key:12} {value}")
    print(f"sources      {len(summary['sources'])} (type, language, status)")
    for source in summary["sources"]:
        status = f"{source['status']} (from {source['in_force']})" if source["in_force"] else source["status"]
        print(f"  {source['doc_id']:28} {source['kind']:8} {source['language']:3} {status or '-':36} {source['name']}")
        if source["status_note"]:
            print(f"  {'':28} note: {source['status_note']}")
    if summary["stale"]:
        print("stale        " + "; ".join(f"{k}: {', '.join(v)}" for k, v in stale.items() if v))
        print("             run `regbot index build` to update it (only these documents are embedded)")
    else:
        print("stale        no: the index matches the corpus folder")
    return 0


def _source_info(doc: object) -> dict[str, object]:
    """One line of `regbot index info`: what a source is, its language and, for a law, its status today."""
    return {
        "doc_id": doc.doc_id, "kind": doc.kind, "language": doc.language,
        "name": " / ".join(n for n in (doc.short_name, doc.title) if n),
        "status": doc.status, "in_force": doc.in_force, "status_note": doc.status_note,
    }


def _search(args: argparse.Namespace, settings: Settings) -> int:
    from index.retriever import METHODS, validate_request

    validate_request(args.query, args.k)  # a bad request fails before the index and model load
    if args.method not in METHODS:
        raise ValueError(f"--method {args.method!r} is not one of {', '.join(METHODS)}")
    from index.default import default_retriever

    hits = default_retriever(settings).search(args.query, args.k, method=args.method)
    if args.json:
        rows = [{"rank": i, "score": round(h.score, 4), **dataclasses.asdict(h.chunk)} for i, h in enumerate(hits, 1)]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for i, hit in enumerate(hits, 1):
        print(f"{i}. [{hit.score:.3f}] {hit.title} ({hit.chunk_id}, chars {hit.chunk.start}-{hit.chunk.end})")
        print("   " + hit.text.replace("\n", " ")[:300] + ("…" if len(hit.text) > 300 else ""))
    if not hits:
        print("no passages: the index is empty")
    return 0


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.engine import AnswerEngine, clean_question
    from bot.engine.records import answer_as_dict

    clean_question(args.question)  # a bad question fails before the index and model load
    result = AnswerEngine.from_settings(settings).answer(args.question)
    if args.json:
        print(json.dumps(answer_as_dict(result), ensure_ascii=False, indent=2))
    else:
        _print_answer(result)
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.engine import AnswerEngine

    print("regbot: loading the index and model…", file=sys.stderr)
    engine = AnswerEngine.from_settings(settings)
    print("Ask about Chinese data regulation (PIPL, DSL, CSL, CAC rules). Empty line, q or Ctrl-D to quit.")
    history: list[str] = []
    while True:
        try:
            question = input("\nregbot> ")
        except EOFError:
            print()
            return 0
        if not question.strip() or question.strip().lower() in QUIT_WORDS:
            return 0
        try:
            result = engine.answer(question, context=history)
        except (ValueError, TypeError) as exc:
            print(exc)
            continue
        history.append(result.question)
        _print_answer(result)


def _print_answer(result: object) -> None:
    from bot.engine.records import Answer

    assert isinstance(result, Answer)
    print(result.text)
    if result.abstained:
        if result.reason:
            print(f"(Why: {result.reason}.)")
        print("\nClosest sources (they do not answer the question):")
        for i, hit in enumerate(result.closest, 1):
            excerpt = " ".join(hit.text.split())[:220]
            print(f"  {i}. {_source(hit.label, hit.title, hit.publisher)}\n     {excerpt}…")
        return
    for notice in result.notices:
        print(f"\nNote: {notice}")
    print("\nSources:")
    for c in result.citations:
        print(f"  [{c.n}] {_source(c.label, c.title, c.publisher)} ({c.chunk_id})")
        if not result.shows(c):  # an extractive answer's text is its quotes
            print(f"      “{' '.join(c.quote.split())}”")


def _source(label: str, title: str, publisher: str) -> str:
    """"PIPL Art. 66 — 中华人民共和国个人信息保护法 — publisher" (a law's article label leads)."""
    return " — ".join(part for part in (label, title, publisher or "unknown publisher") if part)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from eval.datasets import DEVSET_PATH, load_dataset
    from eval.report import check_outputs, markdown, write_chart, write_json
    from eval.runner import command_line, evaluate, open_dataset_index, parse_variants

    variants = parse_variants(args.variants)
    kwargs = {"limit": args.limit} if args.limit is not None else {}
    dataset = load_dataset(args.dataset or DEVSET_PATH, args.format, **kwargs)
    json_path = Path(args.json_out or settings.data_dir / "eval" / f"{dataset.name}.json")
    chart_path = Path(args.chart or json_path.with_suffix(".png"))
    check_outputs(json_path, chart_path)
    progress = not args.no_progress
    retriever = open_dataset_index(dataset, settings, progress=progress)
    command = command_line(args.dataset, format=args.format, limit=args.limit, variants=variants,
                           answers=not args.no_answers)
    result = evaluate(dataset, retriever, variants=variants, answers=not args.no_answers, progress=progress,
                      command=command, answerer=_extractive_answerer(retriever, settings))
    print(markdown(result))
    write_json(result, json_path)
    write_chart(result, chart_path)
    print(f"wrote {json_path} and {chart_path}", file=sys.stderr)
    return 0


def _extractive_answerer(retriever: object, settings: Settings):
    """For each retrieval method, the extractive engine with the answer knobs `answer()` uses."""
    from bot.engine import AnswerEngine

    def answerer(method: str):
        return AnswerEngine(
            retriever, method=method, k=settings.k, max_quotes=settings.max_quotes,
            abstain_threshold=settings.abstain_threshold,
        ).answer

    return answerer


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.serve import serve

    if not args.verbose:
        logging.getLogger().setLevel(logging.INFO)  # a server says what it is doing
    serve(settings, http=args.http, port=args.port, host=args.host)
    return 0


def _feedback_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.feedback import export

    rows = export(args.db or settings.feedback_path, args.output, retention_days=settings.retention_days)
    print(f"wrote {rows} feedback rows to {'stdout' if args.output == '-' else args.output}", file=sys.stderr)
    return 0


def _feedback_purge(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.feedback import FeedbackStore

    db = (args.db or settings.feedback_path).expanduser()
    days = settings.retention_days if args.older_than is None else args.older_than
    if not days >= 0:
        raise ValueError(f"--older-than must be 0 or more days, got {args.older_than!r}")
    if not db.is_file():
        raise FileNotFoundError(f"no feedback database at {db} (set REGBOT_FEEDBACK_DB or pass --db)")
    with FeedbackStore(db, retention_days=settings.retention_days, expire_every=None) as store:
        removed = store.expire(older_than_days=days)
    print(f"removed the text of {removed} answers older than {days:g} days from {db}; votes are kept",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
