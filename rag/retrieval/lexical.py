"""The persisted lexical index, read on demand: BM25 over Korean-aware tokens, the chunks, their
document frequencies and their sentence vectors.

Opening it reads a handful of numbers (`rag.retrieval.lexical_db`), whatever the corpus size; a
question then reads the postings of its own terms and the chunks it touches, by key. That keeps a
fresh `rag ask` and the UI's memory flat as the library grows (issue 15: loading every chunk took
5.1 s and 481 MB at 100k chunks). Writes are in `rag.retrieval.lexical_write`.

Example: `index = load(Path(".rag/lexical")); index.search("harbor cables", 5)`.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import numpy as np

from rag.core.records import Chunk
from rag.lang.script import is_hangul
from rag.lang.tokens import tokens
from rag.lang.transliteration import could_spell_a_name
from rag.retrieval import bm25, lexical_db
from rag.retrieval.sentence_vectors import SENTENCES_VERSION, Location, SentenceVectors

_CHUNK_CACHE = 8192  # chunks kept as objects: a question touches ~100; the UI's memory stays bounded
_COLUMNS = "row, id, text, meta, sent_file, sent_first, sent_count"


class ChunkCatalog(Mapping[str, Chunk]):
    """Chunks by id, read from the index on first use and kept in a bounded cache."""

    def __init__(self, index: LexicalIndex) -> None:
        self._index = index

    def __getitem__(self, chunk_id: str) -> Chunk:
        found = self._index.chunks_by_id([chunk_id])
        if not found:
            raise KeyError(chunk_id)
        return found[0]

    def __contains__(self, chunk_id: object) -> bool:
        return isinstance(chunk_id, str) and bool(self._index.chunks_by_id([chunk_id]))

    def __iter__(self) -> Iterator[str]:
        return (c.id for c in self._index.all_chunks())

    def __len__(self) -> int:
        return self._index.size

    def prefetch(self, ids: Sequence[str]) -> None:
        """Read many at once (one query instead of one per id)."""
        self._index.chunks_by_id(ids)

    def remember(self, chunks: Sequence[Chunk]) -> None:
        """Chunks found elsewhere (Chroma rows written after this process opened the index)."""
        self._index.remember(chunks)


class Vocabulary(AbstractSet[str]):
    """The index's live terms. Membership is a keyed lookup; `near` finds the few terms the answer
    stage's inflection rule could match ("use" ~ "used"), without scanning every term."""

    def __init__(self, index: LexicalIndex) -> None:
        self._index = index

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._index.df(term) > 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.query_column("SELECT term FROM terms ORDER BY term"))

    def __len__(self) -> int:
        return int(self._index.query_column("SELECT count(*) FROM terms")[0])

    def near(self, term: str, slack: int = 3) -> set[str]:
        """Terms that start with `term` and are at most `slack` longer, and `term`'s own prefixes of
        at least 3 letters that are at most `slack` shorter."""
        found = set(
            self._index.query_column(
                "SELECT term FROM terms WHERE term >= ? AND term < ? AND length(term) <= ?",
                (term, term + "\U0010ffff", len(term) + slack),
            )
        )
        prefixes = [term[:n] for n in range(max(3, len(term) - slack), len(term))]
        return found | {p for p in prefixes if p in self}


class StoredSpellings(Mapping[str, list[str]]):
    """Corpus words by consonant skeleton in one script ("latin" | "hangul"), read by key from the
    index's `spellings` table: what `rag.lang.transliteration.name_vocabulary` /
    `hangul_vocabulary` build from the whole vocabulary, without reading it."""

    def __init__(self, index: LexicalIndex, script: str) -> None:
        self._index = index
        self._script = script

    def __getitem__(self, key: str) -> list[str]:
        words = self._index.query_column(
            "SELECT s.term FROM spellings s JOIN terms t ON t.term = s.term"
            " WHERE s.script = ? AND s.key = ? ORDER BY s.term",
            (self._script, key),
        )
        found = [w for w in words if could_spell_a_name(self._script, w)]
        if not found:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        sql = "SELECT DISTINCT s.key FROM spellings s JOIN terms t ON t.term = s.term WHERE s.script = ?"
        return (k for k in self._index.query_column(sql, (self._script,)) if k in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LexicalIndex:
    """The read side. `size` live chunks; `search` ranks them by BM25; `idf`/`unseen` weigh question
    terms; `by_id()`, `document_text`, `headers` read chunks; `sentences` their e5 vectors."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._conn = lexical_db.connect(directory, readonly=True)
        self._lock = threading.Lock()
        meta = lexical_db.read_meta(self._conn)
        self.size = int(meta["docs"])
        self.avg_length = int(meta["tokens"]) / max(self.size, 1)
        self.langs = [x for x in meta.get("langs", "").split(",") if x]
        self._end_row = int(meta["next_row"])
        self._deleted = np.asarray(self.query_column("SELECT row FROM deleted"), dtype=np.int64)
        self._df: dict[str, int] = {}
        self._chunks: OrderedDict[str, Chunk] = OrderedDict()
        self._by_row: dict[int, str] = {}
        self._where: dict[str, Location] = {}
        paired = meta.get("sentences_version") == SENTENCES_VERSION
        self.sentences = SentenceVectors(directory, self._locate, paired)
        self.vocabulary = Vocabulary(self)
        with self._lock:
            self.has_spellings = lexical_db.has_table(self._conn, "spellings")
        self._catalog = ChunkCatalog(self)
        self._documents: dict[str, str] = {}

    # -- storage access -------------------------------------------------------------------------

    def query_column(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return [r[0] for r in self._conn.execute(sql, tuple(args))]

    def _rows(self, sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._conn.execute(sql, tuple(args)))

    def _keep(self, row: tuple[Any, ...]) -> Chunk:
        r, cid, text, meta, sent_file, first, count = row
        chunk = Chunk.from_metadata(cid, text, json.loads(meta))
        self._by_row[int(r)] = cid
        self._where[cid] = (sent_file, int(first), int(count))
        self.remember([chunk])
        return chunk

    def remember(self, chunks: Sequence[Chunk]) -> None:
        for c in chunks:
            self._chunks[c.id] = c
            self._chunks.move_to_end(c.id)
        while len(self._chunks) > _CHUNK_CACHE:
            old, _ = self._chunks.popitem(last=False)
            self._where.pop(old, None)
        if len(self._by_row) > 4 * _CHUNK_CACHE:
            self._by_row.clear()

    def chunks_by_id(self, ids: Sequence[str]) -> list[Chunk]:
        """The chunks among `ids` that the index holds, in the order given."""
        missing = [i for i in dict.fromkeys(ids) if i not in self._chunks]
        for i in range(0, len(missing), 500):
            part = missing[i : i + 500]
            marks = ",".join("?" * len(part))
            for row in self._rows(f"SELECT {_COLUMNS} FROM chunks WHERE id IN ({marks})", part):
                self._keep(row)
        return [self._chunks[i] for i in ids if i in self._chunks]

    def _chunks_by_row(self, rows: Sequence[int]) -> dict[int, Chunk]:
        missing = [r for r in rows if self._by_row.get(r) not in self._chunks]
        if missing:
            marks = ",".join("?" * len(missing))
            for row in self._rows(f"SELECT {_COLUMNS} FROM chunks WHERE row IN ({marks})", missing):
                self._keep(row)
        out = {}
        for r in rows:
            cid = self._by_row.get(r)
            if cid is not None and cid in self._chunks:
                out[r] = self._chunks[cid]
        return out

    def _locate(self, chunk_id: str) -> Location | None:
        if chunk_id not in self._where:
            self.chunks_by_id([chunk_id])
        return self._where.get(chunk_id)

    # -- chunks ---------------------------------------------------------------------------------

    def by_id(self) -> ChunkCatalog:
        return self._catalog

    def all_chunks(self) -> Iterator[Chunk]:
        """Every live chunk in index order (evaluation and benchmarks; the query path never needs it)."""
        sql = "SELECT id, text, meta FROM chunks ORDER BY row"
        for cid, text, meta in self._rows(sql, ()):
            yield Chunk.from_metadata(cid, text, json.loads(meta))

    @property
    def chunks(self) -> list[Chunk]:
        return list(self.all_chunks())

    def document_text(self, path: str) -> str:
        """All of one file's indexed text, in order (for checks that read the whole article)."""
        if path not in self._documents:
            texts = self.query_column("SELECT text FROM chunks WHERE path = ? ORDER BY row", (path,))
            if len(self._documents) > 256:
                self._documents.clear()
            self._documents[path] = "\n".join(texts)
        return self._documents[path]

    def headers(self, path: str) -> list[Chunk]:
        """A document's header chunks (title, byline, dateline), in order."""
        sql = f"SELECT {_COLUMNS} FROM chunks WHERE path = ? AND section = 'header' ORDER BY row"
        return [self._keep(row) for row in self._rows(sql, (path,))]

    # -- terms ----------------------------------------------------------------------------------

    def df(self, term: str) -> int:
        if term not in self._df:
            found = self.query_column("SELECT df FROM terms WHERE term = ?", (term,))
            self._df[term] = int(found[0]) if found else 0
        return self._df[term]

    def idf(self, term: str) -> float:
        """BM25-style idf; a term the corpus never uses gets the maximum (it is maximally specific)."""
        return self.idf_for_df(self.df(term))

    def idf_for_df(self, df: int) -> float:
        n = max(self.size, 1)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def capped_idf(self, term: str) -> float:
        """idf, but an unseen term weighs no more than a once-seen one: a paraphrased word the corpus
        never uses must not outweigh every word it does use."""
        return min(self.idf(term), self.idf_for_df(1))

    def unseen(self, term: str) -> bool:
        """True when the corpus never uses the term (for Hangul: not even as its character bigrams)."""
        if self.df(term) > 0:
            return False
        if is_hangul(term) and len(term) >= 2:
            grams = [term[i : i + 2] for i in range(len(term) - 1)]
            return not all(self.df(g) > 0 for g in grams)
        return True

    # -- ranking --------------------------------------------------------------------------------

    def search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """The top `k` chunks by BM25 with the corpus's current statistics (every segment, minus
        deleted rows); repeated query words count again, as they did with bm25s."""
        terms = [(t, self.df(t)) for t in tokens(query)]
        terms = [(t, df) for t, df in terms if df > 0]
        if not terms or self.size == 0:
            return []
        scores = np.zeros(self._end_row, dtype=np.float32)
        for term, df in terms:
            weight = bm25.idf(df, self.size)
            for rows_b, tfs_b, lengths_b in self._rows(
                "SELECT rows, tfs, lengths FROM postings WHERE term = ?", (term,)
            ):
                rows = np.frombuffer(rows_b, dtype=np.int32)
                tfs = np.frombuffer(tfs_b, dtype=np.uint16)
                lengths = np.frombuffer(lengths_b, dtype=np.int32)
                keep = rows < self._end_row  # rows written after this process opened the index
                scores[rows[keep]] += bm25.term_scores(tfs[keep], lengths[keep], weight, self.avg_length)
        if self._deleted.size:
            scores[self._deleted[self._deleted < self._end_row]] = 0.0
        k = min(k, int(np.count_nonzero(scores)))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        chunks = self._chunks_by_row([int(r) for r in top])
        return [(chunks[int(r)], float(scores[r])) for r in top if int(r) in chunks]


def exists(directory: Path) -> bool:
    return lexical_db.exists(directory)


def load(directory: Path) -> LexicalIndex:
    return LexicalIndex(directory)
