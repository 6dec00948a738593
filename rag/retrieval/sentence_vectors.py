"""One e5 vector per sentence of every chunk, computed at ingest and stored beside the BM25 index.

Why: the answerer picks sentences, and the refusal check asks whether any sentence really says what
the question asks (across languages too, where no word can match). Embedding candidate sentences at
query time cost up to ~200 ms per question (measured: it was the whole p95 of a warm query); read
from a memory-mapped float16 matrix it costs a dot product. float16 halves the disk and page-cache
footprint; e5's cosine similarities change by < 1e-3 (ranking-neutral at the margins we use).

Rows follow `Chunk.sentence_spans()` order; a chunk's rows are contiguous. Vectors are reused by the
sentence text's hash when the index is rebuilt, so an edit re-embeds only sentences that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.core.records import Chunk

MATRIX_FILE = "sentences.npy"
ROWS_FILE = "sentence_rows.json"

EmbedTexts = Callable[[list[str]], Sequence[Sequence[float]]]


def sentence_texts(chunk: Chunk) -> list[str]:
    return [chunk.span_text(s, e).strip() for s, e in chunk.sentence_spans()]


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


@dataclass
class SentenceVectors:
    rows: dict[str, tuple[int, int]]  # chunk id -> (first row, count)
    shas: list[str]  # per row, for reuse on rebuild
    matrix: np.ndarray  # (rows, dim), float16

    def for_chunk(self, chunk_id: str) -> np.ndarray | None:
        where = self.rows.get(chunk_id)
        if where is None:
            return None
        first, count = where
        return np.asarray(self.matrix[first : first + count], dtype=np.float32)

    def by_sha(self) -> dict[str, np.ndarray]:
        return {sha: self.matrix[i] for i, sha in enumerate(self.shas)}


def build(
    chunks: Sequence[Chunk],
    embed: EmbedTexts,
    known: dict[str, np.ndarray] | None = None,
    on_embedded: Callable[[int], None] | None = None,
) -> tuple[SentenceVectors, int]:
    """Vectors for every sentence; `known` maps sentence-text hashes to vectors already computed
    (the previous index, and whole-chunk vectors of one-sentence chunks). Returns (vectors, embedded)."""
    known = dict(known or {})
    rows: dict[str, tuple[int, int]] = {}
    shas: list[str] = []
    texts: list[str] = []
    for c in chunks:
        sents = sentence_texts(c)
        rows[c.id] = (len(shas), len(sents))
        for t in sents:
            shas.append(_sha(t))
            texts.append(t)
    todo: dict[str, str] = {}
    for sha, text in zip(shas, texts, strict=True):
        if sha not in known and sha not in todo:
            todo[sha] = text
    items = list(todo.items())
    batch = 16
    for i in range(0, len(items), batch):
        part = items[i : i + batch]
        vecs = embed([t for _, t in part])
        for (sha, _), v in zip(part, vecs, strict=True):
            known[sha] = np.asarray(v, dtype=np.float16)
        if on_embedded is not None:
            on_embedded(len(part))
    dim = len(next(iter(known.values()))) if known else 0
    matrix = np.zeros((len(shas), dim), dtype=np.float16)
    for i, sha in enumerate(shas):
        matrix[i] = known[sha]
    return SentenceVectors(rows, shas, matrix), len(items)


def chunk_level_known(
    chunks: Sequence[Chunk],
    known: Mapping[str, np.ndarray],
    fetch_chunk_vectors: Callable[[list[str]], Mapping[str, Sequence[float]]],
) -> dict[str, np.ndarray]:
    """A one-sentence chunk's sentence vector is its chunk vector (same text, same e5 prefix).
    Only chunks whose sentence is not already `known` are fetched: an edit to one file of a large
    corpus must not pull every stored vector back out of Chroma."""
    wanted = {}
    for c in chunks:
        sents = sentence_texts(c)
        if len(sents) == 1 and sents[0] == c.text.strip() and _sha(sents[0]) not in known:
            wanted[c.text_sha] = _sha(sents[0])
    if not wanted:
        return {}
    vectors = fetch_chunk_vectors(list(wanted))
    return {wanted[sha]: np.asarray(vec, dtype=np.float16) for sha, vec in vectors.items() if sha in wanted}


def save(vectors: SentenceVectors, directory: Path) -> None:
    np.save(directory / MATRIX_FILE, vectors.matrix)
    rows = {"rows": vectors.rows, "shas": vectors.shas}
    (directory / ROWS_FILE).write_text(json.dumps(rows), encoding="utf-8")


def load(directory: Path) -> SentenceVectors | None:
    """None for an index built before sentence vectors existed (the answerer then embeds on demand)."""
    if not (directory / MATRIX_FILE).exists() or not (directory / ROWS_FILE).exists():
        return None
    raw = json.loads((directory / ROWS_FILE).read_text(encoding="utf-8"))
    matrix = np.load(directory / MATRIX_FILE, mmap_mode="r")
    rows = {k: (int(v[0]), int(v[1])) for k, v in raw["rows"].items()}
    return SentenceVectors(rows, list(raw["shas"]), matrix)
