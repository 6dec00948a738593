"""The persisted BM25 index over Korean-aware tokens (bm25s), kept beside Chroma.

Built once per ingest and loaded per process, never rebuilt per query. bm25s is used directly rather
than through llama-index's BM25Retriever because that wrapper ignores custom tokenizers (0.8.0) and
cannot be built from a Chroma-backed index; the tokens come from `rag.lang.tokens.tokens`.
It also stores the chunks themselves so a lexical hit needs no round-trip to Chroma, and document
frequencies, which the refusal check uses to weigh how specific a question's terms are.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.core.records import Chunk
from rag.lang.script import is_hangul
from rag.lang.tokens import tokens
from rag.retrieval import sentence_vectors
from rag.retrieval.sentence_vectors import SentenceVectors


@dataclass
class LexicalIndex:
    bm25: Any  # bm25s.BM25, or None for an empty corpus
    chunks: list[Chunk]
    df: dict[str, int]
    sentences: SentenceVectors | None = None  # per-sentence e5 vectors, saved and swapped with the rest
    _by_id: dict[str, Chunk] | None = None
    _documents: dict[str, str] | None = None

    @property
    def size(self) -> int:
        return len(self.chunks)

    def idf(self, term: str) -> float:
        """BM25-style idf; a term the corpus never uses gets the maximum (it is maximally specific)."""
        return self.idf_for_df(self.df.get(term, 0))

    def idf_for_df(self, df: int) -> float:
        n = max(self.size, 1)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def capped_idf(self, term: str) -> float:
        """idf, but an unseen term weighs no more than a once-seen one: a paraphrased word the corpus
        never uses must not outweigh every word it does use."""
        return min(self.idf(term), self.idf_for_df(1))

    def unseen(self, term: str) -> bool:
        """True when the corpus never uses the term (for Hangul: not even as its character bigrams)."""
        if term in self.df:
            return False
        if is_hangul(term) and len(term) >= 2:
            grams = [term[i : i + 2] for i in range(len(term) - 1)]
            return not all(g in self.df for g in grams)
        return True

    def search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        if self.bm25 is None or not self.chunks:
            return []
        vocab = self.bm25.vocab_dict
        q = [t for t in tokens(query) if t in vocab]
        if not q:
            return []
        scores = self.bm25.get_scores(q)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]

    def document_text(self, path: str) -> str:
        """All of one file's indexed text, in order (for checks that read the whole article)."""
        if self._documents is None:
            docs: dict[str, list[str]] = {}
            for c in self.chunks:
                docs.setdefault(c.path, []).append(c.text)
            self._documents = {k: "\n".join(v) for k, v in docs.items()}
        return self._documents.get(path, "")

    def by_id(self) -> dict[str, Chunk]:
        if self._by_id is None:
            self._by_id = {c.id: c for c in self.chunks}
        return self._by_id


def build(chunks: Sequence[Chunk]) -> LexicalIndex:
    import bm25s

    ordered = sorted(chunks, key=lambda c: (c.path, c.start, c.id))
    toks = [tokens(c.text) for c in ordered]
    df: Counter[str] = Counter()
    for t in toks:
        df.update(set(t))
    if not ordered:
        return LexicalIndex(None, [], {})
    bm25 = bm25s.BM25()
    bm25.index(toks, show_progress=False)
    return LexicalIndex(bm25, list(ordered), dict(df))


def save(index: LexicalIndex, directory: Path) -> None:
    """Write to a sibling temp dir, then swap: a crash never leaves a half-written index behind."""
    tmp = directory.with_name(directory.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    if index.bm25 is not None:
        index.bm25.save(str(tmp / "bm25"), show_progress=False)
    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as fh:
        for c in index.chunks:
            fh.write(
                json.dumps({"id": c.id, "text": c.text, "meta": c.metadata()}, ensure_ascii=False) + "\n"
            )
    (tmp / "df.json").write_text(json.dumps(index.df, ensure_ascii=False), encoding="utf-8")
    if index.sentences is not None:
        sentence_vectors.save(index.sentences, tmp)
    old = directory.with_name(directory.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if directory.exists():
        os.replace(directory, old)
    os.replace(tmp, directory)
    if old.exists():
        shutil.rmtree(old)


def load(directory: Path) -> LexicalIndex:
    import bm25s

    chunks: list[Chunk] = []
    with open(directory / "chunks.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            chunks.append(Chunk.from_metadata(row["id"], row["text"], row["meta"]))
    df = json.loads((directory / "df.json").read_text(encoding="utf-8"))
    bm25 = None
    if (directory / "bm25").exists():
        bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, verbosity=0)
    return LexicalIndex(bm25, chunks, df, sentence_vectors.load(directory))
