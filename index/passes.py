"""The model's passes over one query (its vector, its latent terms, its words' translation), each made once and
side by side.

A default search makes three passes of the multilingual model over the question, 40-60 ms each on two cores,
and none needs another's result. The model's C engine releases the GIL and gives the same numbers whichever
thread calls it, so started together on a small thread pool they take little more than the longest of them
(three passes: 134 ms one after another, 94 ms side by side). Results are kept for the latest queries: a
question's later stages ask for the same translation again.

    passes = QueryPasses()
    passes.start(("latent", query), lambda: encode_latent(embedder, [query]))   # returns at once
    vector = passes.get(("vector", query), lambda: embedder.encode_queries([query])[0])
    terms = passes.get(("latent", query), lambda: encode_latent(embedder, [query]))  # waits, does not redo
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# The machine's cores: a pass already uses more than one, so more threads would only queue.
WORKERS = 2
# Results kept (three kinds per query): a follow-up and its context stay warm, memory stays small.
KEPT = 768

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="regbot-pass")
        return _pool


class QueryPasses:
    """Each ``key``'s result computed once (the latest `KEPT` keys are kept), in the background on `start` or
    in the calling thread on `get`; a pass that failed is forgotten, so that the next `get` tries again."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._futures: OrderedDict[Hashable, Future] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, key: Hashable, compute: Callable[[], object]) -> None:
        """Begin computing ``key`` on the pool unless it is known or under way."""
        self._future(key, compute, background=True)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``key``'s result: the kept one, the one under way when it is ready, or ``compute()`` now."""
        future = self._future(key, compute, background=False)
        try:
            return future.result()
        except BaseException:
            with self._lock:
                if self._futures.get(key) is future:
                    del self._futures[key]
            raise

    def _future(self, key: Hashable, compute: Callable[[], object], *, background: bool) -> Future:
        with self._lock:
            future = self._futures.get(key)
            if future is not None:
                self._futures.move_to_end(key)
                return future
            future = _executor().submit(compute) if background else Future()
            self._futures[key] = future
            while len(self._futures) > self._kept:
                self._futures.popitem(last=False)
        if not background:
            try:
                future.set_result(compute())
            except BaseException as exc:
                future.set_exception(exc)
        return future
