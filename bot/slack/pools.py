"""The two thread pools of the Slack app, both bounded, so that a flood of requests costs a notice or a wait,
never unbounded memory:

* ``EnginePool`` runs answer jobs and refuses one at once (the bot then says "busy, ask again") when too
  many are waiting; long questions wait behind normal ones, so a few huge questions cannot starve the rest.
* ``BoundedExecutor`` runs Bolt's listeners; when its queue is full, ``submit`` waits, which holds the HTTP
  request that brought the event (its body unread by the next ones) instead of queueing parsed payloads.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 30.0


class EnginePool:
    """Runs answer jobs on ``executor`` (``workers`` threads) and refuses new ones, at once, when the queue
    is full or its expected wait (queued jobs per worker × the recent job time) exceeds ``max_wait`` seconds:
    a "busy, ask again" now is better than an answer minutes later. Waiting jobs start lowest ``priority``
    first, in arrival order within a priority. Exceptions in jobs are logged, since a ThreadPoolExecutor
    would otherwise keep them silently in a future nobody reads.

    ``pool.submit(fn, arg, priority=1)`` -> False when refused.
    """

    def __init__(
        self, executor: Executor, workers: int, *, max_pending: int, max_wait: float = MAX_WAIT_SECONDS
    ):
        if workers < 1 or max_pending < 1 or max_wait <= 0:
            raise ValueError(
                f"workers={workers}, max_pending={max_pending}, max_wait={max_wait} must be positive"
            )
        self._executor, self._workers = executor, workers
        self._max_pending, self._max_wait = max_pending, max_wait
        self._pending = 0  # waiting or running
        self._waiting: list[tuple[int, int, Callable[..., None], tuple[Any, ...]]] = []  # a heap
        self._arrivals = itertools.count()
        self._seconds: float | None = None  # moving average of a job's duration
        self._lock = threading.Lock()

    def expected_wait(self) -> float:
        """Seconds a job submitted now would wait, by the recent average; 0 before any job finished."""
        with self._lock:
            return self._pending / self._workers * (self._seconds or 0.0)

    def submit(self, fn: Callable[..., None], *args: Any, priority: int = 0) -> bool:
        with self._lock:
            wait = self._pending / self._workers * (self._seconds or 0.0)
            if self._pending >= self._max_pending or wait > self._max_wait:
                return False
            self._pending += 1
            job = (priority, next(self._arrivals), fn, args)
            heapq.heappush(self._waiting, job)
        try:
            # Each executor task runs whichever waiting job comes first when a thread frees up.
            self._executor.submit(self._run_next)
        except RuntimeError:  # the executor is shutting down
            with self._lock:
                self._pending -= 1
                self._waiting.remove(job)
                heapq.heapify(self._waiting)
            return False
        return True

    def _run_next(self) -> None:
        with self._lock:
            _, _, fn, args = heapq.heappop(self._waiting)
        started = time.perf_counter()
        try:
            fn(*args)
        except Exception:
            logger.exception("unexpected error in a Slack answer job")
        finally:
            took = time.perf_counter() - started
            with self._lock:
                self._pending -= 1
                self._seconds = took if self._seconds is None else 0.8 * self._seconds + 0.2 * took


class BoundedExecutor(ThreadPoolExecutor):
    """A ThreadPoolExecutor with at most ``max_queued`` tasks waiting for a thread: ``submit`` blocks until
    one frees up, so memory held by waiting tasks stays bounded."""

    def __init__(self, max_workers: int, *, max_queued: int, thread_name_prefix: str = "") -> None:
        if max_workers < 1 or max_queued < 0:
            raise ValueError(f"max_workers={max_workers} must be positive and max_queued={max_queued} >= 0")
        super().__init__(max_workers, thread_name_prefix=thread_name_prefix)
        self._slots = threading.BoundedSemaphore(max_workers + max_queued)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        self._slots.acquire()
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future
