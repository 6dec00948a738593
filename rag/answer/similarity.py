"""e5 similarity of a passage's sentences to the question, from the stored sentence vectors.

The vectors are computed at ingest (rag.retrieval.sentence_vectors) and read here; an index built by an
older version without them has its sentences embedded on first use and cached.

Usage:
    >>> sims = SentenceSimilarity(lexical, embedder, policy).sims(chunk, q_vec)  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np

from rag.answer.evidence import SentenceScorer
from rag.answer.policy import AnswerPolicy
from rag.core.records import Chunk
from rag.embeddings.base import Embedder, memoised_text_embedding
from rag.retrieval.lexical import LexicalIndex


class SentenceSimilarity:
    def __init__(self, lexical: LexicalIndex, embedder: Embedder | None, policy: AnswerPolicy) -> None:
        self.lexical = lexical
        self.embedder = embedder
        self.policy = policy

        self._embed = memoised_text_embedding(embedder)

    def vectors(self, chunk: Chunk) -> np.ndarray:
        """Precomputed vectors when the index has them, else embedded now and cached."""
        stored = self.lexical.sentences.for_chunk(chunk.id) if self.lexical.sentences else None
        if stored is not None and len(stored) == len(chunk.sentence_spans()):
            return stored
        texts = [chunk.span_text(s, e).strip() or "." for s, e in chunk.sentence_spans()]
        return np.asarray([self._embed(t) for t in texts], dtype=np.float32)

    def sims(self, chunk: Chunk, q_vec: np.ndarray) -> list[tuple[tuple[int, int], float]]:
        """e5 similarity of each sentence (of `min_sentence_chars` or more) to the question."""
        spans = chunk.sentence_spans()
        sims = self.vectors(chunk) @ q_vec
        return [
            (span, float(sim))
            for span, sim in zip(spans, sims, strict=True)
            if len(chunk.span_text(*span).strip()) >= self.policy.min_sentence_chars
        ]

    def scorer(self, q_vec: np.ndarray) -> SentenceScorer:
        """Best e5 similarity of a passage's sentences to the question (evidence's paraphrase check)."""

        def best_sentence_sim(chunk: Chunk) -> float:
            return max((s for _, s in self.sims(chunk, q_vec)), default=0.0)

        return best_sentence_sim
