"""Learn the query expansion links (index/expansion.json): which words of the Chinese articles answer English
questions that use a term.

    .venv/bin/python scripts/train_expansion.py        # under a minute, then about a minute to measure

Data: the English law questions of our development sets (``TRAINED_ON``; never a blind set still blind), each
paired with the Chinese words (jieba) of its gold articles. A question term links to a word when

- the term is not an English function word ("what", "it"), at least ``MIN_QUESTIONS`` training questions use
  it, and at most ``MAX_SHARE`` of them (a term in every question says nothing about which article answers it);
- at least ``MIN_SHARE`` of those questions are answered by articles holding the word, ``MIN_LIFT`` times as
  often as training questions are in general, and the word holds no number (a fact, not a wording);

and keeps its ``LINKS_PER_TERM`` strongest words (share times log lift). The knobs were chosen by leaving each
training set out in turn. It prints article Recall@1 and @5 of English law questions, without and with the links,
on the sets it never saw (``HELD_OUT``), and the same left-one-set-out, in one run.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import math
import re
import sys
from collections.abc import Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from eval.datasets import DEVSET_PATH, QAExample, load_jsonl
from index.config import Settings
from index.default import default_retriever
from index.expansion import LINKS_PATH, load_links
from index.keyword import stem, tokenize
from index.retriever import Retriever
from index.segment import chinese_words

TRAINED_ON = ("devset", "laws_dev", "dev2", "dev3", "dev4", "blind4", "blind5", "blind6", "blind7", "blind8",
              "blind9", "blind10", "blind11", "blind12", "blind13")
HELD_OUT = ("blind14", "blind15", "blind16", "laws_test")
MIN_QUESTIONS = 3
MAX_SHARE = 0.10
MIN_SHARE = 0.5
MIN_LIFT = 2.0
LINKS_PER_TERM = 3

Pair = tuple[set[str], set[str]]
FUNCTION_WORDS = frozenset(stem(word) for word in ENGLISH_STOP_WORDS)
# A word with a number in it ("一千万元", "第四十六条", "六个月") is a fact one article states, not a way the laws
# word something: linked, it would pull every question with the term towards the articles of the training
# questions that asked for it.
STATES_A_FACT = re.compile(r"[0-9零一二三四五六七八九十百千万亿两]")


def law_questions(name: str) -> list[QAExample]:
    """The answerable English questions of a set that cite law articles."""
    examples = load_jsonl(DEVSET_PATH.with_name(f"{name}.jsonl")).examples
    return [ex for ex in examples if ex.language == "en" and ex.answerable and ex.articles]


def article_words(retriever: Retriever) -> dict[tuple[str, int], set[str]]:
    text: dict[tuple[str, int], str] = collections.defaultdict(str)
    for chunk in retriever.chunks:
        if chunk.article is not None:
            text[chunk.doc_id, chunk.article] += chunk.text
    return {key: set(chinese_words(value)) for key, value in text.items()}


def learn(pairs: Sequence[Pair]) -> dict[str, list[str]]:
    """{question term: linked words, strongest first}."""
    questions = collections.Counter(term for terms, _ in pairs for term in terms)
    answered = collections.Counter(word for _, words in pairs for word in words)
    together = collections.Counter((term, word) for terms, words in pairs for term in terms for word in words)
    links: dict[str, list[tuple[float, str]]] = collections.defaultdict(list)
    for (term, word), n in together.items():
        if term in FUNCTION_WORDS or not MIN_QUESTIONS <= questions[term] <= MAX_SHARE * len(pairs):
            continue
        share = n / questions[term]
        lift = share / (answered[word] / len(pairs))
        if share >= MIN_SHARE and lift >= MIN_LIFT and not STATES_A_FACT.search(word):
            links[term].append((share * math.log(lift), word))
    return {term: [w for _, w in sorted(found, key=lambda t: (-t[0], t[1]))[:LINKS_PER_TERM]]
            for term, found in sorted(links.items())}


def recall(retriever: Retriever, examples: Sequence[QAExample]) -> tuple[int, int]:
    """(questions whose first hit is a gold article, questions with one in the first five)."""
    first = five = 0
    for ex in examples:
        found = [(hit.doc_id, hit.chunk.article) for hit in retriever.search(ex.question, k=5)]
        first += bool(found) and found[0] in set(ex.articles)
        five += any(f in set(ex.articles) for f in found)
    return first, five


def write(links: dict[str, list[str]], report: dict) -> None:
    document = {
        "about": "Learned query expansion (index/expansion.py): English question term -> words of the Chinese "
                 "articles that answer questions using it. Written by scripts/train_expansion.py; do not edit.",
        "trained_on": list(TRAINED_ON),
        "report": report,
        "links": {"en": links},
    }
    LINKS_PATH.write_text(json.dumps(document, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    load_links.cache_clear()


def main() -> int:
    settings = Settings.from_env()
    with_links = default_retriever(settings)
    without = default_retriever(dataclasses.replace(settings, expansion=False))
    words = article_words(with_links)
    sets = {name: law_questions(name) for name in (*TRAINED_ON, *HELD_OUT)}
    pairs = {name: [(set(tokenize(ex.question)), set().union(*(words.get(a, set()) for a in ex.articles)))
                    for ex in examples] for name, examples in sets.items()}

    def figures(retriever: Retriever, names: Sequence[str]) -> dict[str, float]:
        counts = [recall(retriever, sets[name]) for name in names]
        n = sum(len(sets[name]) for name in names)
        return {"questions": n, "recall@1": round(sum(c[0] for c in counts) / n, 3),
                "recall@5": round(sum(c[1] for c in counts) / n, 3)}

    report = {"held_out_without": figures(without, HELD_OUT)}
    left_out = [0, 0]
    for name in TRAINED_ON:  # each training set measured with links learned from the others
        write(learn([p for other in TRAINED_ON if other != name for p in pairs[other]]), {})
        first, five = recall(with_links, sets[name])
        left_out = [left_out[0] + first, left_out[1] + five]
    n = sum(len(sets[name]) for name in TRAINED_ON)
    report["left_one_set_out_without"] = figures(without, TRAINED_ON)
    report["left_one_set_out_with"] = {"questions": n, "recall@1": round(left_out[0] / n, 3),
                                       "recall@5": round(left_out[1] / n, 3)}
    links = learn([p for name in TRAINED_ON for p in pairs[name]])
    write(links, {})
    report["held_out_with"] = figures(with_links, HELD_OUT)
    report["terms"] = len(links)
    write(links, report)
    print(json.dumps(report, indent=1))
    print(f"wrote {LINKS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
