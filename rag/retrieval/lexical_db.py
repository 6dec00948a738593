"""The lexical index's on-disk layout: one SQLite file (`lexical/index.sqlite`) plus sentence matrices.

Why SQLite: a process must start in the same time whatever the corpus size (issue 15: a fresh
`rag ask` read every chunk of `chunks.jsonl` into Python objects, 5.1 s at 100k chunks). SQLite
reads a chunk, a term's document frequency or a term's postings by key, on demand, and an update
of a few documents is one transaction: a crash leaves either the old index or the new one.

Tables:
- `meta`: format and tokenizer versions, document count and total token count (BM25's N and avgdl),
  the next free row number and the last segment number;
- `chunks`: one row per live chunk (`row` is its BM25 document number), with its text, metadata and
  where its sentence vectors are (`sent_file`, `sent_first`, `sent_count`, and their text hashes);
- `files`: the manifest key and content hash each document was indexed from (so an interrupted
  ingest converges: a file whose hash differs here is re-read from Chroma);
- `terms`: the live document frequency of every term;
- `postings`: per term and per segment, the rows holding it, their term frequencies and lengths;
  segment 0 is the base written by a full build, each later update appends one small segment;
- `deleted`: rows removed since the base was built (their postings stay until the next rebuild and
  are masked at query time);
- `spellings`: each term's consonant skeleton when it could spell a name written in the other
  script (rag.lang.transliteration.spelling_key), so a cross-lingual question finds "블링컨" for
  "Blinken" by key. Building that map from the whole vocabulary took ~0.3 s per process at 100k
  chunks (measured, issue 15). Rows of terms that left the index stay until a rebuild; readers join
  them with `terms`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

DB_FILE = "index.sqlite"
FORMAT_VERSION = "2"  # 1 was chunks.jsonl + df.json + a bm25s folder

# Added after format 2 shipped, so an index without it is still read (and gains it on its next update).
SPELLINGS_SCHEMA = """
CREATE TABLE IF NOT EXISTS spellings (
    script TEXT NOT NULL, key TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (script, key, term)
) WITHOUT ROWID;
"""

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE chunks (
    row INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    section TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    meta TEXT NOT NULL,
    sent_file TEXT NOT NULL,
    sent_first INTEGER NOT NULL,
    sent_count INTEGER NOT NULL,
    sent_shas TEXT NOT NULL
);
CREATE INDEX chunks_by_path ON chunks (path, section);
CREATE INDEX chunks_by_lang ON chunks (lang);
CREATE TABLE files (key TEXT PRIMARY KEY, sha256 TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE postings (
    term TEXT NOT NULL,
    segment INTEGER NOT NULL,
    rows BLOB NOT NULL,
    tfs BLOB NOT NULL,
    lengths BLOB NOT NULL,
    PRIMARY KEY (term, segment)
) WITHOUT ROWID;
CREATE TABLE deleted (row INTEGER PRIMARY KEY);
""" + SPELLINGS_SCHEMA



def db_path(directory: Path) -> Path:
    return directory / DB_FILE


def exists(directory: Path) -> bool:
    """A lexical index in the current format is there."""
    path = db_path(directory)
    if not path.exists():
        return False
    try:
        with connect(directory, readonly=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == FORMAT_VERSION


def connect(directory: Path, readonly: bool = False) -> sqlite3.Connection:
    """Readers open the file read-only and may share the connection across threads (the UI's
    request threads; `LexicalIndex` serialises access with a lock). WAL lets a reader keep reading
    while an ingest in another process commits."""
    path = db_path(directory)
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def create(directory: Path) -> sqlite3.Connection:
    directory.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db_path(directory))
    conn.execute("PRAGMA journal_mode=OFF")  # a fresh build is written to a temp folder and swapped in
    conn.execute("PRAGMA synchronous=OFF")
    conn.executescript(SCHEMA)
    return conn


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return {k: v for k, v in conn.execute("SELECT key, value FROM meta")}


def write_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items()))
