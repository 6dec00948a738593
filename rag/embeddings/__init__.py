"""Embedders: the bundled e5 (default), any llama-index `BaseEmbedding` (OpenAI-compatible, local
sentence-transformers directory). One file per implementation."""

from rag.embeddings.factory import EmbedderError, build_embedder, embedder_id

__all__ = ["EmbedderError", "build_embedder", "embedder_id"]
