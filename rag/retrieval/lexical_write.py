"""Writing the lexical index: a full build, and updates that cost what the changed documents cost.

`rebuild` writes a whole index into a sibling temp folder and swaps it in (a crash never leaves a
half-written index). `update` adds and removes chunks in one SQLite transaction: the new chunks'
postings become a new segment, removed chunks' rows are masked, document frequencies and the BM25
statistics are adjusted, and their sentence vectors go to a new small matrix file. Once the
segments and masked rows outgrow `COMPACT_SHARE` of the index (or `COMPACT_MIN_ROWS`), `update`
rebuilds it from its own contents, with no embedding: the cost is paid once per that many changes.

Example: `update(Path(".rag/lexical"), add=new_chunks, remove={"old-id"}, sentences=built, files={...})`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from rag.core.records import Chunk
from rag.lang.tokens import TOKENS_VERSION, tokens
from rag.lang.transliteration import spelling_key
from rag.retrieval import lexical_db
from rag.retrieval.sentence_vectors import SENTENCES_VERSION, SentenceMatrix, known_of_row
from rag.retrieval.sentence_vectors import build as build_sentences

# Rebuild when the rows added or masked since the last full build exceed this share of the live
# rows, or this many rows, whichever is larger. Each update's segment adds one postings row per term
# it uses, so a query reads one more blob per segment; a tenth keeps that and the masked rows small
# while a 100k-chunk library rebuilds (~1 min) once per ~10k changed chunks.
COMPACT_SHARE = 0.1
COMPACT_MIN_ROWS = 2000


def sentence_file(segment: int) -> str:
    return f"sentences-{segment}.npy"


def _sorted(chunks: Sequence[Chunk]) -> list[Chunk]:
    return sorted(chunks, key=lambda c: (c.path, c.start, c.id))


def _insert(
    conn: sqlite3.Connection, chunks: Sequence[Chunk], first_row: int, segment: int, sentences: SentenceMatrix
) -> tuple[int, Counter[str]]:
    """Insert `chunks` (sorted) at rows first_row.. with their postings as `segment`; returns the
    token count and the document frequencies they add."""
    name = sentence_file(segment)
    postings: dict[str, tuple[list[int], list[int], list[int]]] = {}
    df: Counter[str] = Counter()
    total = 0
    rows = []
    for offset, c in enumerate(chunks):
        row = first_row + offset
        toks = tokens(c.text)
        counts = Counter(toks)
        total += len(toks)
        df.update(counts.keys())
        for term, tf in counts.items():
            entry = postings.setdefault(term, ([], [], []))
            entry[0].append(row)
            entry[1].append(min(tf, 65535))
            entry[2].append(len(toks))
        first, count = sentences.rows[c.id]
        rows.append(
            (
                row,
                c.id,
                c.path,
                c.section,
                c.lang,
                c.text,
                json.dumps(c.metadata(), ensure_ascii=False),
                name,
                first,
                count,
                ",".join(sentences.shas_of(c.id)),
            )
        )
    conn.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany(
        "INSERT INTO postings VALUES (?,?,?,?,?)",
        [
            (
                term,
                segment,
                np.asarray(r, dtype=np.int32).tobytes(),
                np.asarray(t, dtype=np.uint16).tobytes(),
                np.asarray(n, dtype=np.int32).tobytes(),
            )
            for term, (r, t, n) in postings.items()
        ],
    )
    return total, df


def _add_df(conn: sqlite3.Connection, df: Mapping[str, int]) -> None:
    conn.executemany(
        "INSERT INTO terms (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
        list(df.items()),
    )


def _add_spellings(conn: sqlite3.Connection, terms: Iterable[str]) -> None:
    rows = [(found[0], found[1], t) for t in terms if (found := spelling_key(t))]
    conn.executemany("INSERT OR IGNORE INTO spellings VALUES (?, ?, ?)", rows)


def _write_langs(conn: sqlite3.Connection) -> None:
    langs = sorted(r[0] for r in conn.execute("SELECT DISTINCT lang FROM chunks"))
    lexical_db.write_meta(conn, {"langs": ",".join(langs)})


def rebuild(directory: Path, chunks: Sequence[Chunk], sentences: SentenceMatrix, files: Mapping[str, str]) -> None:
    """A whole index from `chunks` (any order) and their built sentence vectors; `files` maps each
    document key to the content hash it was indexed from."""
    tmp = directory.with_name(directory.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    ordered = _sorted(chunks)
    conn = lexical_db.create(tmp)
    try:
        with conn:
            total, df = _insert(conn, ordered, 0, 0, sentences)
            _add_df(conn, df)
            _add_spellings(conn, df)
            conn.executemany("INSERT INTO files VALUES (?, ?)", list(files.items()))
            lexical_db.write_meta(
                conn,
                {
                    "format": lexical_db.FORMAT_VERSION,
                    "tokens_version": TOKENS_VERSION,
                    "sentences_version": SENTENCES_VERSION,
                    "docs": str(len(ordered)),
                    "tokens": str(total),
                    "next_row": str(len(ordered)),
                    "segment": "0",
                    "base_rows": str(len(ordered)),
                    "changed_rows": "0",
                },
            )
            _write_langs(conn)
    finally:
        conn.close()
    np.save(tmp / sentence_file(0), sentences.matrix)
    old = directory.with_name(directory.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if directory.exists():
        os.replace(directory, old)
    os.replace(tmp, directory)
    if old.exists():
        shutil.rmtree(old)


def held(directory: Path) -> tuple[set[str], dict[str, str]]:
    """The chunk ids the index holds, and the content hash each document was indexed from."""
    conn = lexical_db.connect(directory, readonly=True)
    try:
        ids = {r[0] for r in conn.execute("SELECT id FROM chunks")}
        files = {k: v for k, v in conn.execute("SELECT key, sha256 FROM files")}
    finally:
        conn.close()
    return ids, files


def current(directory: Path) -> bool:
    """The index is there, in this format, tokenised by this tokenizer, its sentence vectors of this
    version, with its matrices present."""
    if not lexical_db.exists(directory):
        return False
    conn = lexical_db.connect(directory, readonly=True)
    try:
        meta = lexical_db.read_meta(conn)
        names = [r[0] for r in conn.execute("SELECT DISTINCT sent_file FROM chunks")]
    finally:
        conn.close()
    versions = meta.get("tokens_version") == TOKENS_VERSION and meta.get("sentences_version") == SENTENCES_VERSION
    return versions and all((directory / n).exists() for n in names)


def reusable_vectors(directory: Path) -> dict[str, np.ndarray]:
    """Every sentence vector an index that is not current still holds (of an older tokenizer or
    sentence-vector version), so rebuilding it embeds only what is new; {} when it cannot be read."""
    if not lexical_db.exists(directory):
        return {}
    try:
        return stored_vectors(directory, held(directory)[0])
    except (OSError, ValueError, sqlite3.Error):
        return {}


def stored_vectors(directory: Path, ids: Collection[str]) -> dict[str, np.ndarray]:
    """Sentence vectors of these chunks by sentence-text hash (so an edited file re-embeds only the
    sentences that changed)."""
    if not ids:
        return {}
    conn = lexical_db.connect(directory, readonly=True)
    out: dict[str, np.ndarray] = {}
    matrices: dict[str, np.ndarray] = {}
    try:
        wanted = list(ids)
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            sql = f"SELECT sent_file, sent_first, sent_shas FROM chunks WHERE id IN ({','.join('?' * len(part))})"
            for name, first, shas in conn.execute(sql, part):
                if name not in matrices:
                    matrices[name] = np.load(directory / name, mmap_mode="r")
                for j, entry in enumerate(s for s in shas.split(",") if s):
                    out.update(known_of_row(entry, np.asarray(matrices[name][first + j])))
    finally:
        conn.close()
    return out


def update(
    directory: Path,
    add: Sequence[Chunk],
    remove: Collection[str],
    sentences: SentenceMatrix,
    files: Mapping[str, str],
) -> bool:
    """Remove the chunks with ids in `remove` and add `add` (their sentence vectors in `sentences`),
    in one transaction; returns True when the index was then rebuilt because it outgrew its base."""
    conn = lexical_db.connect(directory)
    try:
        meta = lexical_db.read_meta(conn)
        segment = int(meta["segment"]) + 1
        name = sentence_file(segment)
        np.save(directory / name, sentences.matrix)  # referenced only once the transaction commits
        with conn:
            docs, total = int(meta["docs"]), int(meta["tokens"])
            gone: Counter[str] = Counter()
            wanted = list(remove)
            removed_rows: list[int] = []
            for i in range(0, len(wanted), 500):
                part = wanted[i : i + 500]
                sql = f"SELECT row, text FROM chunks WHERE id IN ({','.join('?' * len(part))})"
                for row, text in conn.execute(sql, part).fetchall():
                    toks = tokens(text)
                    gone.update(set(toks))
                    total -= len(toks)
                    removed_rows.append(int(row))
            conn.executemany("INSERT OR IGNORE INTO deleted VALUES (?)", [(r,) for r in removed_rows])
            conn.executemany("DELETE FROM chunks WHERE row = ?", [(r,) for r in removed_rows])
            _add_df(conn, {t: -n for t, n in gone.items()})
            conn.execute("DELETE FROM terms WHERE df <= 0")
            added, df = _insert(conn, _sorted(add), int(meta["next_row"]), segment, sentences)
            _add_df(conn, df)
            if not lexical_db.has_table(conn, "spellings"):  # an index from before the table existed
                conn.execute(lexical_db.SPELLINGS_SCHEMA)  # one statement: stays in this transaction
                _add_spellings(conn, [r[0] for r in conn.execute("SELECT term FROM terms")])
            _add_spellings(conn, df)
            conn.execute("DELETE FROM files")
            conn.executemany("INSERT INTO files VALUES (?, ?)", list(files.items()))
            changed = int(meta["changed_rows"]) + len(add) + len(removed_rows)
            lexical_db.write_meta(
                conn,
                {
                    "docs": str(docs - len(removed_rows) + len(add)),
                    "tokens": str(total + added),
                    "next_row": str(int(meta["next_row"]) + len(add)),
                    "segment": str(segment),
                    "changed_rows": str(changed),
                },
            )
            _write_langs(conn)
            live = docs - len(removed_rows) + len(add)
        _drop_unused_matrices(conn, directory)
    finally:
        conn.close()
    if changed > max(COMPACT_MIN_ROWS, COMPACT_SHARE * live):
        compact(directory)
        return True
    return False


def _drop_unused_matrices(conn: sqlite3.Connection, directory: Path) -> None:
    used = {r[0] for r in conn.execute("SELECT DISTINCT sent_file FROM chunks")}
    for path in directory.glob("sentences-*.npy"):
        if path.name not in used:
            path.unlink(missing_ok=True)


def compact(directory: Path) -> None:
    """Rebuild the index from its own chunks and stored vectors: one base segment, no masked rows."""
    conn = lexical_db.connect(directory, readonly=True)
    try:
        rows = conn.execute("SELECT id, text, meta FROM chunks").fetchall()
        files = {k: v for k, v in conn.execute("SELECT key, sha256 FROM files")}
    finally:
        conn.close()
    chunks = [Chunk.from_metadata(cid, text, json.loads(meta)) for cid, text, meta in rows]
    known = stored_vectors(directory, [c.id for c in chunks])

    def refuse(texts: list[str]) -> list[list[float]]:
        raise RuntimeError(f"compaction found {len(texts)} sentences without a stored vector")

    sentences, _ = build_sentences(chunks, refuse, known)
    rebuild(directory, chunks, sentences, files)
