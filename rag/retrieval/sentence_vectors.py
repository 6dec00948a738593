"""One e5 vector per sentence of every chunk, computed at ingest and stored beside the BM25 index.

Why: the answerer picks sentences, and the refusal check asks whether any sentence really says what
the question asks (across languages too, where no word can match). Embedding candidate sentences at
query time cost up to ~200 ms per question (measured: it was the whole p95 of a warm query); read
from a memory-mapped float16 matrix it costs a dot product. float16 halves the disk and page-cache
footprint; e5's cosine similarities change by < 1e-3 (ranking-neutral at the margins we use).

Two vectors per sentence, side by side in one row: the sentence alone, and the sentence after its
document's title ("Peru. Its official language is Spanish."). The titled one finds the answer sentences
that name their topic by a pronoun or, in Korean, not at all (measured on the public dev splits: e5's
closest sentence held the answer 0.755 -> 0.790 English, 0.60 -> 0.74 Korean); alone it hurt the
shipped news, where a headline is not the topic of a sidebar's sentences, so the learned ranker gets
both (docs/design.md). `for_chunk` gives the plain half, which every other reader uses.

Rows follow `Chunk.sentence_spans()` order; a chunk's rows are contiguous. Vectors are reused by the
text's hash when the index is rebuilt, so an edit re-embeds only sentences that changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.core.records import Chunk

EmbedTexts = Callable[[list[str]], Sequence[Sequence[float]]]
# Stored in the lexical index's meta; an index of another version is rebuilt (reusing what it holds).
SENTENCES_VERSION = "2"  # 2: each row is [plain | titled]


def sentence_texts(chunk: Chunk) -> list[str]:
    return [chunk.span_text(s, e).strip() for s, e in chunk.sentence_spans()]


def after_title(title: str, sentence: str) -> str:
    """The sentence as the titled vector reads it: after its document's title, unless it is the title
    or already starts with it."""
    title = title.strip()
    if not title or sentence.startswith(title):
        return sentence
    return f"{title.rstrip('.')}. {sentence}"


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def _halves(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A stored [plain | titled] row (or rows) split into its two vectors."""
    dim = rows.shape[-1] // 2
    return rows[..., :dim], rows[..., dim:]


def known_of_row(entry: str, row: np.ndarray) -> dict[str, np.ndarray]:
    """The vectors of one stored row by text hash, for reuse: `entry` is the row's "plain/titled"
    hash pair, or a single hash in an index from before SENTENCES_VERSION 2 (the plain vector only)."""
    if "/" not in entry:
        return {entry: row}
    plain, with_title = entry.split("/")
    vectors = _halves(row)
    return {plain: vectors[0], with_title: vectors[1]}


@dataclass
class SentenceMatrix:
    """Freshly built vectors for a list of chunks, before they are written (rows in chunk order)."""

    rows: dict[str, tuple[int, int]]  # chunk id -> (first row, count)
    shas: list[str]  # per row "plain/titled" text hashes, so a rebuild can reuse unchanged vectors
    matrix: np.ndarray  # (rows, 2 * dim), float16: [plain | titled]

    def shas_of(self, chunk_id: str) -> list[str]:
        first, count = self.rows[chunk_id]
        return self.shas[first : first + count]


Location = tuple[str, int, int]  # (matrix file name, first row, count)


class SentenceVectors:
    """The stored vectors, read by chunk id. `locate` says where a chunk's rows are (the lexical
    index keeps that with the chunk); each matrix file is memory-mapped on first use, so a process
    holds only the pages its questions touch."""

    def __init__(self, directory: Path, locate: Callable[[str], Location | None], paired: bool = True) -> None:
        self.directory = directory
        self._locate = locate
        self.paired = paired  # rows are [plain | titled]; an older index (until re-ingested) holds plain only
        self._files: dict[str, np.ndarray] = {}

    def matrix(self, name: str) -> np.ndarray:
        if name not in self._files:
            self._files[name] = np.load(self.directory / name, mmap_mode="r")
        return self._files[name]

    def for_chunk(self, chunk_id: str) -> np.ndarray | None:
        """The chunk's sentence vectors (n, dim), each sentence alone."""
        return self.both_for_chunk(chunk_id)[0]

    def both_for_chunk(self, chunk_id: str) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(each sentence alone, each after its title), both (n, dim); the titled ones are None in an
        index written before them."""
        where = self._locate(chunk_id)
        if where is None:
            return None, None
        name, first, count = where
        rows = self.matrix(name)[first : first + count]
        if not self.paired:
            return np.asarray(rows, dtype=np.float32), None
        plain, with_title = _halves(rows)
        return np.asarray(plain, dtype=np.float32), np.asarray(with_title, dtype=np.float32)


def build(
    chunks: Sequence[Chunk],
    embed: EmbedTexts,
    known: dict[str, np.ndarray] | None = None,
    on_embedded: Callable[[int], None] | None = None,
) -> tuple[SentenceMatrix, int]:
    """Both vectors of every sentence; `known` maps text hashes to vectors already computed (the
    previous index, and whole-chunk vectors of one-sentence chunks). Returns (vectors, embedded)."""
    known = dict(known or {})
    rows: dict[str, tuple[int, int]] = {}
    pairs: list[tuple[str, str]] = []  # per row (plain hash, titled hash)
    todo: dict[str, str] = {}
    for c in chunks:
        sents = sentence_texts(c)
        rows[c.id] = (len(pairs), len(sents))
        for t in sents:
            pair = []
            for text in (t, after_title(c.title, t)):
                sha = _sha(text)
                pair.append(sha)
                if sha not in known and sha not in todo:
                    todo[sha] = text
            pairs.append((pair[0], pair[1]))
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
    matrix = np.zeros((len(pairs), 2 * dim), dtype=np.float16)
    for i, (plain, with_title) in enumerate(pairs):
        matrix[i, :dim] = known[plain]
        matrix[i, dim:] = known[with_title]
    return SentenceMatrix(rows, [f"{a}/{b}" for a, b in pairs], matrix), len(items)


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
