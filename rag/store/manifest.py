"""What has been ingested: per file its content hash and chunk ids, plus the embedder and the roots.

Kept in one SQLite file (`manifest.sqlite` in the data dir). Why SQLite and not the JSON file it
was: at 100k chunks the JSON manifest was 3.9 MB, and rewriting it after every batch cost ~0.9 s
per save (measured, issue 15) whatever the batch held. `save()` now writes only the rows that changed
since `load()`, in one transaction, so a one-file update costs in proportion to that file, and a
killed ingest leaves the manifest of the last finished batch (SQLite's journal makes each save
atomic). `pending` is the ingest's write-ahead note: the chunk ids a batch is writing to the store
before their files are recorded, so the next run can remove what a crash left behind without listing
every id in the store.

A data dir made before this format holds `manifest.json`; `load()` reads it, and the first `save()`
writes the SQLite file and removes the JSON one.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

MANIFEST_VERSION = 2
MANIFEST_FILE = "manifest.sqlite"
LEGACY_FILE = "manifest.json"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, chunk_ids TEXT NOT NULL,
    title TEXT NOT NULL, doc TEXT NOT NULL, chunks INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (chunk_id TEXT PRIMARY KEY);
"""


@dataclass
class FileEntry:
    sha256: str
    chunk_ids: list[str]
    title: str = ""
    doc: str = ""
    chunks: int = 0


@dataclass
class Manifest:
    embedder: str = ""
    collection: str = ""
    roots: list[str] = field(default_factory=list)
    files: dict[str, FileEntry] = field(default_factory=dict)
    chunking: str = ""
    version: int = MANIFEST_VERSION
    pending: set[str] = field(default_factory=set)
    # What the file held when loaded or last saved: `save()` writes the difference.
    _saved: dict[str, FileEntry] = field(default_factory=dict, repr=False, compare=False)
    _saved_pending: set[str] = field(default_factory=set, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The manifest at `path` (a data dir's `manifest.sqlite`); empty when there is none."""
        if path.exists():
            manifest = _read_sqlite(path)
        elif (path.parent / LEGACY_FILE).exists():
            manifest = _read_json(path.parent / LEGACY_FILE)
            return manifest  # nothing saved in the new format yet: the first save writes every row
        else:
            return cls()
        manifest._saved = {k: replace(e, chunk_ids=list(e.chunk_ids)) for k, e in manifest.files.items()}
        manifest._saved_pending = set(manifest.pending)
        return manifest

    def save(self, path: Path) -> None:
        """Write what changed since `load()` or the last `save()`, atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with _connect(path) as db:
            meta = {
                "embedder": self.embedder,
                "collection": self.collection,
                "roots": json.dumps(self.roots, ensure_ascii=False),
                "chunking": self.chunking,
                "version": str(MANIFEST_VERSION),
            }
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
            gone = [k for k in self._saved if k not in self.files]
            db.executemany("DELETE FROM files WHERE key = ?", ((k,) for k in gone))
            changed = [(k, e) for k, e in self.files.items() if self._saved.get(k) != e]
            db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (k, e.sha256, json.dumps(e.chunk_ids, ensure_ascii=False), e.title, e.doc, e.chunks)
                    for k, e in changed
                ),
            )
            db.executemany(
                "DELETE FROM pending WHERE chunk_id = ?", ((i,) for i in self._saved_pending - self.pending)
            )
            db.executemany(
                "INSERT OR IGNORE INTO pending VALUES (?)", ((i,) for i in self.pending - self._saved_pending)
            )
        legacy = path.parent / LEGACY_FILE
        if legacy.exists():
            legacy.unlink()
        for k in gone:
            self._saved.pop(k, None)
        for k, e in changed:
            self._saved[k] = replace(e, chunk_ids=list(e.chunk_ids))
        self._saved_pending = set(self.pending)

    def all_chunk_ids(self) -> set[str]:
        return {i for e in self.files.values() for i in e.chunk_ids}

    def chunk_count(self) -> int:
        return sum(len(e.chunk_ids) for e in self.files.values())


def manifest_file(data_dir: Path) -> Path:
    return data_dir / MANIFEST_FILE


def exists(data_dir: Path) -> bool:
    """Whether `data_dir` holds a manifest (in this format or the JSON one before it)."""
    return (data_dir / MANIFEST_FILE).exists() or (data_dir / LEGACY_FILE).exists()


def read_meta(data_dir: Path) -> tuple[str, list[str]]:
    """(embedder id, roots) without reading the file list: what the engine and the UI check at start."""
    path = data_dir / MANIFEST_FILE
    if path.exists():
        with contextlib.closing(sqlite3.connect(path)) as db:
            rows = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('embedder', 'roots')").fetchall())
        return rows.get("embedder", ""), list(json.loads(rows.get("roots", "[]")))
    if (data_dir / LEGACY_FILE).exists():
        m = _read_json(data_dir / LEGACY_FILE)
        return m.embedder, m.roots
    return "", []


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(path)
    try:
        with db:  # one transaction: committed on success, rolled back on any error
            db.executescript(_SCHEMA)
            yield db
    finally:
        db.close()


def _read_sqlite(path: Path) -> Manifest:
    with contextlib.closing(sqlite3.connect(path)) as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        files = {
            key: FileEntry(sha, list(json.loads(ids)), title, doc, chunks)
            for key, sha, ids, title, doc, chunks in db.execute(
                "SELECT key, sha256, chunk_ids, title, doc, chunks FROM files ORDER BY key"
            )
        }
        pending = {row[0] for row in db.execute("SELECT chunk_id FROM pending")}
    return Manifest(
        embedder=meta.get("embedder", ""),
        collection=meta.get("collection", ""),
        roots=list(json.loads(meta.get("roots", "[]"))),
        files=files,
        chunking=meta.get("chunking", ""),
        version=int(meta.get("version", MANIFEST_VERSION)),
        pending=pending,
    )


def _read_json(path: Path) -> Manifest:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Manifest(
        embedder=raw.get("embedder", ""),
        collection=raw.get("collection", ""),
        roots=list(raw.get("roots", [])),
        files={k: FileEntry(**v) for k, v in raw.get("files", {}).items()},
        chunking=raw.get("chunking", ""),
    )
