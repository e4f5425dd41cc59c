"""The bounded engine pool: refuses work at once when the queue is full or the expected wait is too long."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.slack.pools import BoundedExecutor, EnginePool


def test_refuses_when_the_expected_wait_is_too_long() -> None:
    with ThreadPoolExecutor(1) as executor:
        pool = EnginePool(executor, 1, max_pending=100, max_wait=0.5)
        done = threading.Event()
        assert pool.submit(lambda: (time.sleep(0.3), done.set()))
        assert done.wait(5)
        time.sleep(0.05)  # let the job's bookkeeping finish
        gate = threading.Event()
        assert pool.submit(gate.wait, 5)  # nothing queued: no wait
        assert pool.submit(gate.wait, 5)  # one queued x 0.3 s = 0.3 s <= 0.5 s
        # Two queued x the first job's measured time: at least its 0.3 s sleep, more on a loaded machine.
        assert 0.59 <= pool.expected_wait() < 1.0
        assert not pool.submit(gate.wait, 5)  # 0.6 s > 0.5 s: refused
        gate.set()


def test_refuses_beyond_max_pending_and_recovers() -> None:
    with ThreadPoolExecutor(2) as executor:
        pool = EnginePool(executor, 2, max_pending=3)
        gate = threading.Event()
        assert all(pool.submit(gate.wait, 5) for _ in range(3))
        assert not pool.submit(gate.wait, 5)
        gate.set()
        deadline = time.monotonic() + 5
        while not pool.submit(lambda: None):
            assert time.monotonic() < deadline, "the pool never freed its slots"
            time.sleep(0.01)


def test_a_failing_job_is_logged_and_frees_its_slot(caplog: pytest.LogCaptureFixture) -> None:
    def boom() -> None:
        raise RuntimeError("engine exploded")

    with ThreadPoolExecutor(1) as executor, caplog.at_level(logging.ERROR, logger="bot.slack.app"):
        pool = EnginePool(executor, 1, max_pending=1)
        assert pool.submit(boom)
        executor.shutdown(wait=True)
    assert any(r.exc_info and "engine exploded" in str(r.exc_info[1]) for r in caplog.records)
    assert pool.expected_wait() == 0.0
    assert not pool.submit(lambda: None)  # the executor is shut down: refused, not raised


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="workers=0"):
        EnginePool(ThreadPoolExecutor(1), 0, max_pending=1)


def test_waiting_jobs_start_by_priority_then_in_arrival_order() -> None:
    started: list[str] = []
    gate = threading.Event()
    with ThreadPoolExecutor(1) as executor:
        pool = EnginePool(executor, 1, max_pending=10)
        assert pool.submit(lambda: (gate.wait(5), started.append("running")))
        for name, priority in (("long1", 1), ("normal1", 0), ("long2", 1), ("normal2", 0)):
            assert pool.submit(started.append, name, priority=priority)
        gate.set()
    assert started == ["running", "normal1", "normal2", "long1", "long2"]


def test_a_bounded_executor_makes_submit_wait_when_its_queue_is_full() -> None:
    gate, submitted = threading.Event(), threading.Event()
    with BoundedExecutor(1, max_queued=1) as executor:
        executor.submit(gate.wait, 5)  # running
        executor.submit(lambda: None)  # queued: the queue is now full

        def third() -> None:
            executor.submit(lambda: None)
            submitted.set()

        threading.Thread(target=third, daemon=True).start()
        assert not submitted.wait(0.3)  # held until a slot frees up
        gate.set()
        assert submitted.wait(5)
