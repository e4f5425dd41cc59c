"""Compare regbot's sentence splitter with pysbd and blingfire on our documents: speed, offsets, boundaries.

    .venv/bin/pip install pysbd==0.3.4 blingfire==0.1.8     # only for this comparison; regbot does not need them
    .venv/bin/python scripts/compare_splitters.py [--sizes 100000,1000000,5000000] [--show 20]

Every splitter gets the same input, one line at a time (in regbot a line break always ends a sentence, and
cleaned documents keep one paragraph per line), and its spans are trimmed of whitespace as regbot's are.
Prints a Markdown report; it asserts nothing.

- **offsets**: a span is exact when ``text[start:end]`` is the sentence the library returned; regbot's spans
  are exact by construction.
- **Chinese**: the law texts in ``../shared/corpora/cn-laws-zh`` end their sentences at 。！？；. Counted: how
  many of those marks end a sentence (recall), and how many sentence ends fall elsewhere, mid-sentence.
- **English**: boundaries (sentence ends inside a line) that a library and regbot place differently, on the
  seeds and on SciFact abstracts; ``--show`` prints an even sample of the disagreements for reading.
- **speed**: seconds to split the first N characters of the SciFact abstracts joined one per paragraph,
  median of 3 runs (1 run when a single run takes over a minute).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.chunking import split_sentences  # noqa: E402
from index.config import REPO_ROOT  # noqa: E402
from index.documents import read_corpus  # noqa: E402

SHARED = REPO_ROOT.parent / "shared"
SCIFACT = SHARED / "benchmarks" / "scifact" / "corpus.jsonl"
LAWS = SHARED / "corpora" / "cn-laws-zh"
CJK_END = re.compile(r"[。！？；]+[”’」』）]*")
SLOW_RUN_SECONDS = 60.0

Spans = list[tuple[int, int]]
# A splitter of one line: (start, end, sentence as the library gave it), offsets into the line.
LineSplitter = Callable[[str], list[tuple[int, int, str]]]


def say(text: str = "") -> None:
    print(text, flush=True)


def regbot(text: str) -> tuple[Spans, int]:
    return [(s.start, s.end) for s in split_sentences(text)], 0


def per_line(split_line: LineSplitter) -> Callable[[str], tuple[Spans, int]]:
    """Apply a library to each line; spans trimmed as regbot's; count spans whose offsets miss the sentence."""

    def split(text: str) -> tuple[Spans, int]:
        spans: Spans = []
        inexact = 0
        for line in re.finditer(r"[^\n]+", text):
            for start, end, sentence in split_line(line.group()):
                inexact += line.group()[start:end] != sentence
                piece = line.group()[start:end]
                lead = len(piece) - len(piece.lstrip())
                size = len(piece.strip())
                if size:
                    spans.append((line.start() + start + lead, line.start() + start + lead + size))
        return spans, inexact

    return split


def pysbd_splitter(language: str) -> LineSplitter:
    import pysbd

    segmenter = pysbd.Segmenter(language=language, clean=False, char_span=True)
    return lambda line: [(s.start, s.end, s.sent) for s in segmenter.segment(line)]


def blingfire_line(line: str) -> list[tuple[int, int, str]]:
    import blingfire

    joined, offsets = blingfire.text_to_sentences_and_offsets(line)
    return [(a, b, s) for (a, b), s in zip(offsets, joined.split("\n"), strict=True)]


def splitters(language: str) -> dict[str, Callable[[str], tuple[Spans, int]]]:
    found: dict[str, Callable[[str], tuple[Spans, int]]] = {"regbot": regbot}
    try:
        found["pysbd"] = per_line(pysbd_splitter(language))
    except ImportError:
        say("pysbd is not installed: `.venv/bin/pip install pysbd==0.3.4`")
    try:
        import blingfire  # noqa: F401

        found["blingfire"] = per_line(blingfire_line)
    except ImportError:
        say("blingfire is not installed: `.venv/bin/pip install blingfire==0.1.8`")
    return found


LINE_END = re.compile(r"[^\S\n]*(?:\n|$)")


def inner_ends(text: str, spans: Spans) -> set[int]:
    """Sentence ends that are not also line ends (a line end is a boundary for every splitter here)."""
    return {end for _, end in spans if not LINE_END.match(text, end)}


def scifact_texts() -> list[str]:
    with SCIFACT.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def english(texts: dict[str, str], show: int) -> None:
    say("## English: boundaries placed differently from regbot's")
    say()
    say("| documents | characters | splitter | sentences | not exact | boundaries only it places "
        "| only regbot places |")
    say("|---|---:|---|---:|---:|---:|---:|")
    examples: list[str] = []
    for label, group in (("seeds", {k: v for k, v in texts.items() if not k.startswith("sf")}),
                         ("SciFact abstracts", {k: v for k, v in texts.items() if k.startswith("sf")})):
        chars = sum(len(t) for t in group.values())
        reference = {k: inner_ends(t, regbot(t)[0]) for k, t in group.items()}
        for name, split in splitters("en").items():
            n = inexact = extra = missing = 0
            for key, text in group.items():
                spans, bad = split(text)
                n, inexact = n + len(spans), inexact + bad
                ends = inner_ends(text, spans)
                extra += len(ends - reference[key])
                missing += len(reference[key] - ends)
                if name != "regbot":
                    examples += [f"{name} only: …{text[max(0, e - 60):e]}‖{text[e:e + 40]}…"
                                 for e in sorted(ends - reference[key])]
                    examples += [f"regbot only ({name} joins): …{text[max(0, e - 60):e]}‖{text[e:e + 40]}…"
                                 for e in sorted(reference[key] - ends)]
            say(f"| {label} | {chars:,} | {name} | {n:,} | {inexact:,} | {extra:,} | {missing:,} |")
    say()
    if show:
        step = max(1, len(examples) // show)
        say(f"Disagreements, every {step}th of {len(examples):,} (‖ marks the boundary in question):")
        say()
        for line in examples[::step][:show]:
            say("- " + line.replace("\n", "⏎"))
        say()


def chinese() -> None:
    documents, _ = read_corpus(LAWS)
    say(f"## Chinese: the {len(documents)} law texts of cn-laws-zh (sentences end at 。！？；)")
    say()
    say("| splitter | sentences | not exact | marks that end a sentence | ends elsewhere (mid-sentence) |")
    say("|---|---:|---:|---:|---:|")
    for name, split in splitters("zh").items():
        n = inexact = hit = marks = elsewhere = 0
        for doc in documents:
            text = doc.text
            spans, bad = split(text)
            n, inexact = n + len(spans), inexact + bad
            wanted = {m.end() for m in CJK_END.finditer(text)}
            ends = {end for _, end in spans}
            line_ends = {m.end() for m in re.finditer(r"[^\n]+", text)}
            marks += len(wanted)
            hit += len(wanted & ends)
            elsewhere += len(ends - wanted - line_ends)
        say(f"| {name} | {n:,} | {inexact:,} | {hit:,} of {marks:,} | {elsewhere:,} |")
    say()


def speed(sizes: Sequence[int], abstracts: list[str]) -> None:
    joined = "\n\n".join(abstracts)
    while len(joined) < max(sizes):
        joined += "\n\n" + joined
    say("## Speed: seconds to split the first N characters of the SciFact abstracts (median)")
    say()
    say("| splitter | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    say("|---|" + "---:|" * len(sizes))
    for name, split in splitters("en").items():
        cells = []
        for n in sizes:
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                split(joined[:n])
                runs.append(time.perf_counter() - started)
                if runs[-1] > SLOW_RUN_SECONDS:
                    break
            cells.append(f"{statistics.median(runs):.2f}")
        say(f"| {name} | " + " | ".join(cells) + " |")
    say()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,5000000", help="characters, comma-separated")
    parser.add_argument("--show", type=int, default=40, help="disagreements to print, evenly sampled")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    say("# Sentence splitters on regbot's documents")
    say()
    seeds, _ = read_corpus(REPO_ROOT / "seeds")
    abstracts = scifact_texts()
    texts = {d.doc_id: d.text for d in seeds} | {f"sf{i}": t for i, t in enumerate(abstracts)}
    english(texts, args.show)
    chinese()
    speed(sizes, abstracts)


if __name__ == "__main__":
    main()
