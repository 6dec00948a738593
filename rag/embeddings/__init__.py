"""Embedders behind llama-index's `BaseEmbedding` interface, one file per implementation."""

from rag.embeddings.factory import EmbedderError, build_embedder, embedder_id

__all__ = ["EmbedderError", "build_embedder", "embedder_id"]
