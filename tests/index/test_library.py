"""Uploads and deletes from the web page: every check before the uploads folder, one ingest path after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index.ingest import ingest
from index.library import (
    LibraryError,
    add_files,
    delete_document,
    list_documents,
    safe_name,
    uploads_dir,
)
from rag.core.config import Settings
from rag.store.manifest import Manifest
from tests.conftest import HARBOR_EN

MB = 1024 * 1024
GLACIER = (
    "Glacier station report\n\n"
    "The Svalbard glacier station recorded 812 millimetres of melt in August. "
    "Researchers installed 14 new stakes on the ice.\n"
)


@pytest.fixture
def library(tiny_docs: Path, tiny_settings: Settings) -> Settings:
    ingest([tiny_docs], tiny_settings, progress=False)
    return tiny_settings


def incoming(tmp_path: Path, name: str, content: str | bytes) -> tuple[str, Path]:
    """What the page hands over: the name the user gave and where the bytes were received."""
    folder = tmp_path / "received"
    folder.mkdir(exist_ok=True)
    path = folder / f"blob{len(list(folder.iterdir()))}"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return name, path


def manifest(settings: Settings) -> Manifest:
    return Manifest.load(settings.data_dir / "manifest.sqlite")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\report.MD", "report.md"),
        ("a<b>|c.txt", "a_b_c.txt"),
        ("서울 보고서.txt", "서울 보고서.txt"),
        ("/abs/path/notes.html", "notes.html"),
    ],
)
def test_file_names_lose_their_paths_and_special_characters(given: str, stored: str) -> None:
    assert safe_name(given) == stored


@pytest.mark.parametrize("given", [".bashrc", "..", "/", "../.hidden.txt", "", "___.txt"])
def test_hidden_or_empty_names_are_refused(given: str) -> None:
    with pytest.raises(LibraryError, match="not a usable file name"):
        safe_name(given)


def test_upload_is_indexed_and_listed_as_deletable(library: Settings, tmp_path: Path) -> None:
    from rag.engine import Engine

    progress: list[tuple[int, int]] = []
    result = add_files(
        [incoming(tmp_path, "../glacier.txt", GLACIER)],
        library,
        5 * MB,
        on_progress=lambda d, t: progress.append((d, t)),
    )
    assert result.added == ["glacier.txt"] and not result.rejected
    assert (uploads_dir(library) / "glacier.txt").read_text(encoding="utf-8") == GLACIER
    assert not (library.data_dir / "glacier.txt").exists()  # the "../" went nowhere
    docs = {d.doc: d for d in list_documents(library)}
    assert docs["glacier.txt"].uploaded and docs["glacier.txt"].chunks >= 1
    assert not docs["harbor.txt"].uploaded  # from the ingest folder
    assert progress and progress[-1][0] == progress[-1][1]
    answer = Engine(library).ask("How many millimetres of melt did the glacier station record?")
    assert not answer.refused
    assert any(c.doc == "glacier.txt" for c in answer.citations)


def test_an_upload_leaves_the_other_documents_keys_and_counts_only_its_own_chunks(
    tiny_docs: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The first upload adds the uploads folder as a root; the ingest folders' keys must not move with it
    (they did when the data directory is not beside the documents: every document was re-keyed and
    re-written, and the status counted all of their chunks)."""
    library = Settings(data_dir=tmp_path_factory.mktemp("elsewhere") / "data")
    ingest([tiny_docs], library, progress=False)
    before = manifest(library).files
    result = add_files([incoming(tmp_path, "glacier.txt", GLACIER)], library, 5 * MB)
    after = manifest(library).files
    assert result.report is not None
    assert {k: e.chunk_ids for k, e in after.items() if k in before} == {
        k: e.chunk_ids for k, e in before.items()
    }
    assert set(after) - set(before) == {"@uploads/glacier.txt"}
    assert result.report.chunks_kept == sum(e.chunks for e in before.values())
    assert result.chunks == after["@uploads/glacier.txt"].chunks == result.report.chunks_added
    assert f"{result.chunks} chunks indexed" in result.summary()
    second = add_files([incoming(tmp_path, "more.txt", GLACIER.replace("812", "640"))], library, 5 * MB)
    assert second.chunks == manifest(library).files["@uploads/more.txt"].chunks
    assert f"{second.chunks} chunks indexed" in second.summary()


def test_bad_uploads_are_rejected_with_a_reason_and_the_index_is_untouched(
    library: Settings, tmp_path: Path
) -> None:
    before = manifest(library)
    files = [
        incoming(tmp_path, "copy.txt", HARBOR_EN),  # same bytes as an indexed document
        incoming(tmp_path, "fake.pdf", "just text pretending to be a PDF"),
        incoming(tmp_path, "noise.txt", bytes(range(256)) * 40),
        incoming(tmp_path, "tool.exe", "MZ..."),
        incoming(tmp_path, "empty.md", b""),
        incoming(tmp_path, "big.txt", "word " * (MB // 5 + 10)),
        incoming(tmp_path, ".env", "KEY=1"),
    ]
    result = add_files(files, library, max_bytes=1 * MB)
    reasons = dict(result.rejected)
    assert result.added == [] and result.report is None
    assert "same content as harbor.txt" in reasons["copy.txt"]
    assert "PDF" in reasons["fake.pdf"]
    assert "binary" in reasons["noise.txt"]
    assert "unsupported type .exe" in reasons["tool.exe"]
    assert reasons["empty.md"] == "empty file"
    assert "too large" in reasons["big.txt"]
    assert "file name" in reasons[".env"]
    assert manifest(library).files.keys() == before.files.keys()
    assert not any(p.is_file() for p in uploads_dir(library).rglob("*"))


def test_duplicates_within_one_batch_and_same_name_with_new_content(
    library: Settings, tmp_path: Path
) -> None:
    other = GLACIER.replace("812", "905")
    result = add_files(
        [
            incoming(tmp_path, "glacier.txt", GLACIER),
            incoming(tmp_path, "again.txt", GLACIER),
            incoming(tmp_path, "glacier.txt", other),
        ],
        library,
        5 * MB,
    )
    assert result.added == ["glacier.txt", "glacier-2.txt"]
    assert "same content as glacier.txt" in dict(result.rejected)["again.txt"]
    later = add_files([incoming(tmp_path, "x.txt", other)], library, 5 * MB)
    assert "same content as glacier-2.txt" in dict(later.rejected)["x.txt"]


def test_delete_removes_an_upload_but_never_an_ingest_folder_file(
    library: Settings, tiny_docs: Path, tmp_path: Path
) -> None:
    add_files([incoming(tmp_path, "glacier.txt", GLACIER)], library, 5 * MB)
    key = next(d.key for d in list_documents(library) if d.doc == "glacier.txt")
    report = delete_document(key, library)
    assert report.removed_files == 1
    assert key not in manifest(library).files
    assert not (uploads_dir(library) / "glacier.txt").exists()
    harbor = next(d.key for d in list_documents(library) if d.doc == "harbor.txt")
    with pytest.raises(LibraryError, match="ingest folder"):
        delete_document(harbor, library)
    assert (tiny_docs / "harbor.txt").exists() and harbor in manifest(library).files
    with pytest.raises(LibraryError, match="no indexed document"):
        delete_document("../../etc/passwd", library)


def test_a_later_rag_ingest_of_the_corpus_folder_keeps_uploaded_documents(
    library: Settings, tiny_docs: Path, tmp_path: Path, run_rag: Any
) -> None:
    add_files([incoming(tmp_path, "glacier.txt", GLACIER)], library, 5 * MB)
    proc = run_rag("ingest", tiny_docs, "--data-dir", library.data_dir, "--quiet")
    assert proc.returncode == 0, proc.stderr
    docs = {d.doc for d in list_documents(library)}
    assert "glacier.txt" in docs and "harbor.txt" in docs
