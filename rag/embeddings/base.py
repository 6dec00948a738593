"""The embedding interface the pipeline needs: llama-index's own method names, as a Protocol.

Any llama-index `BaseEmbedding` (OpenAI, OpenAI-compatible, HuggingFace...) satisfies it as is, so
embedders stay pluggable through llama-index. The default e5 embedder implements it without
importing llama-index, because `import llama_index.core` alone costs ~0.9 s and a fresh
`rag ask` process must answer in under 1.5 s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Embedder(Protocol):
    def get_query_embedding(self, query: str) -> list[float]: ...

    def get_text_embedding(self, text: str) -> list[float]: ...

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> Sequence[Sequence[float]]: ...


def memoised_text_embedding(
    embedder: Embedder | None, size: int = 8192
) -> Callable[[str], tuple[float, ...]]:
    """`embedder.get_text_embedding`, remembered per text: the answer stage embeds the same sentences
    again for every question that shows them (an index without stored sentence vectors, LLM claims)."""

    @lru_cache(maxsize=size)
    def embed(text: str) -> tuple[float, ...]:
        if embedder is None:
            raise ValueError("no embedder to embed the text with")
        return tuple(embedder.get_text_embedding(text))

    return embed
