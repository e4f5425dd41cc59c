"""The model's passes over a query: made once, side by side, with the numbers a pass in the calling thread gives."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from index.passes import QueryPasses


def test_a_result_is_computed_once_and_kept():
    calls = []
    passes = QueryPasses()
    first = passes.get("q", lambda: calls.append(1) or len(calls))
    again = passes.get("q", lambda: calls.append(1) or len(calls))
    assert (first, again, len(calls)) == (1, 1, 1)


def test_a_started_pass_is_waited_for_not_redone():
    release, calls = threading.Event(), []

    def slow() -> str:
        calls.append(threading.current_thread().name)
        release.wait(5)
        return "done"

    passes = QueryPasses()
    passes.start("q", slow)
    threading.Timer(0.05, release.set).start()
    assert passes.get("q", lambda: "redone") == "done"
    assert len(calls) == 1 and calls[0] != threading.current_thread().name


def test_a_failed_pass_raises_and_is_tried_again():
    passes = QueryPasses()
    passes.start("q", lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        passes.get("q", lambda: "unused")
    assert passes.get("q", lambda: "second try") == "second try"


def test_only_the_latest_keys_are_kept():
    passes, calls = QueryPasses(kept=2), []
    for key in ("a", "b", "c", "a"):
        passes.get(key, lambda key=key: calls.append(key) or key)
    assert calls == ["a", "b", "c", "a"]


def test_the_default_search_gives_what_passes_one_after_another_give(kb):
    """The three passes of a default search run side by side: its vector, its latent terms and its translation
    must be those of a pass made alone, and its hits those of a search whose passes were all made already."""
    from index.latent import encode_latent

    query = kb.check_query("How long must a CII operator keep its network logs?")
    kb._passes = QueryPasses()  # nothing kept from other tests: this search starts all three passes
    hits = kb.search(query, k=5)
    assert np.array_equal(kb.encode(query), kb.embedder.encode_queries([query])[0])
    alone = encode_latent(kb.embedder, [query])
    assert (kb._passes.get(("latent", query), lambda: None) != alone).nnz == 0
    assert kb.translation(query) == kb._translate(query)
    assert [(h.chunk_id, h.score) for h in kb.search(query, k=5)] == [(h.chunk_id, h.score) for h in hits]
