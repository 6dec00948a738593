"""The query side wired together once per process: store, BM25 index, embedder, retriever, answerer.

Loading is the expensive part (models, indexes); `Engine` does it once so `rag ask --jsonl`, the UI and
the eval harness pay it once and then answer warm.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from rag import lexical
from rag.answer.extractive import ExtractiveAnswerer
from rag.config import Settings
from rag.embeddings import build_embedder, embedder_id
from rag.errors import UserError
from rag.manifest import Manifest
from rag.records import Answer, AnswerDelta, Turn
from rag.retrieve import HybridRetriever
from rag.store import ChunkStore, StoreError, open_client


class QuestionError(UserError):
    """An unusable question (empty, too long): one line for the user."""


def check_question(question: str, settings: Settings) -> str:
    q = " ".join(question.split())
    if not q:
        raise QuestionError("the question is empty")
    if len(q) > settings.max_question_chars:
        raise QuestionError(
            f"the question is too long ({len(q)} characters; the limit is {settings.max_question_chars})"
        )
    return q


def read_manifest_embedder(data_dir: Path) -> str:
    return Manifest.load(data_dir / "manifest.json").embedder


class Engine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.reload()

    def reload(self) -> None:
        """(Re)open the index; call after an ingest in the same process (the UI's upload/delete)."""
        settings = self.settings
        lex_dir = settings.data_dir / "lexical"
        if not (lex_dir / "chunks.jsonl").exists():
            raise StoreError(f"no index in {settings.data_dir}: run `rag ingest` first")
        indexed_with = read_manifest_embedder(settings.data_dir)
        current = embedder_id(settings.embed_model)
        if indexed_with and indexed_with != current:
            raise StoreError(
                f"the index was built with {indexed_with} but RAG_EMBED_MODEL is {current}: run `rag ingest`"
            )
        client = open_client(settings, create=False)
        self.store = ChunkStore(client, settings.collection, create=False)
        self.lexical = lexical.load(lex_dir)
        self.embedder = build_embedder(settings.embed_model)
        self.retriever = HybridRetriever(self.store, self.lexical, self.embedder, settings.candidates)
        self.extractive = ExtractiveAnswerer(self.lexical, self.embedder)

    @property
    def mode(self) -> str:
        """What answers: "extractive" or "llm:<model>" (shown in the UI and every JSON answer)."""
        return "extractive"

    def stream(
        self, question: str, k: int | None = None, history: Sequence[Turn] = ()
    ) -> Iterator[AnswerDelta | Answer]:
        """Answer text as it is produced, then the complete `Answer` (citations resolved) as the last item.

        The extractive answer is ready at once; it is still streamed sentence by sentence so the UI and
        CLI have one code path for both modes.
        """
        answer = self.ask(question, k, history)
        parts = answer.answer.split("\n") if answer.answer else []
        for i, part in enumerate(parts):
            yield AnswerDelta(part + ("\n" if i < len(parts) - 1 else ""))
        yield answer

    def ask(self, question: str, k: int | None = None, history: Sequence[Turn] = ()) -> Answer:
        t0 = time.perf_counter()
        q = check_question(question, self.settings)
        retrieval = self.retriever.retrieve(q, k or self.settings.top_k)
        t1 = time.perf_counter()
        answer = self.extractive.answer(retrieval)
        t2 = time.perf_counter()
        timings = {
            **answer.timings_ms,
            "retrieve": (t1 - t0) * 1000,
            "answer": (t2 - t1) * 1000,
            "total": (t2 - t0) * 1000,
        }
        return replace(answer, timings_ms=timings)
