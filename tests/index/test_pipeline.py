"""Ingest's read-ahead and background writer keep order and never lose a failure."""

from __future__ import annotations

import threading

import pytest

from index.pipeline import BackgroundWriter, ahead


def test_ahead_yields_every_item_in_order_with_its_result_or_its_error() -> None:
    def work(n: int) -> int:
        if n == 3:
            raise ValueError("unreadable")
        return n * n

    got = list(ahead(range(6), work, depth=2))
    assert [item for item, _ in got] == list(range(6))
    assert [r for _, r in got if not isinstance(r, Exception)] == [0, 1, 4, 16, 25]
    assert isinstance(got[3][1], ValueError)


def test_ahead_runs_the_work_off_the_consumers_thread() -> None:
    threads = {name for _, name in ahead(range(3), lambda _: threading.current_thread().name)}
    assert threads and threading.current_thread().name not in threads


def test_the_writer_runs_writes_in_order_and_wait_reraises_a_failed_write() -> None:
    log: list[int] = []
    writer = BackgroundWriter()
    for n in range(5):
        writer.submit(log.append, n)
    writer.wait()
    assert log == [0, 1, 2, 3, 4]

    def fail() -> None:
        raise OSError("disk full")

    writer.submit(fail)
    with pytest.raises(OSError, match="disk full"):
        writer.wait()
    writer.close()
