"""Adding, changing or deleting a document updates the lexical index in proportion to that document
(a new segment, masked rows) and leaves it answering exactly as a clean rebuild of the same files
does, also after a crash in the middle. Real Chroma and the real e5 embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest import ingest
from rag.core.config import Settings
from rag.engine import Engine
from rag.retrieval import lexical_write
from tests.conftest import HARBOR_EN, TINY_DOCS, index_folder, write_docs

FERRY = (
    "Ferry timetable changes\n\n"
    "The Jeju ferry will leave Mokpo at 7:30 from next month. "
    "Tickets rise to 42,000 won for adults.\n"
)
QUESTIONS = [
    "When will the Jeju ferry leave Mokpo?",
    "How many steel cables were replaced?",
    "도서관에는 책이 몇 권 있나?",
    "How many lanterns were floated on the Nam River?",
    "What will tickets cost on the ferry?",
]


def answers(settings: Settings) -> list[tuple[str, tuple[str, ...]]]:
    engine = Engine(settings)
    out = []
    for q in QUESTIONS:
        a = engine.ask(q)
        out.append((a.answer, tuple(f"{c.doc}:{c.start}-{c.end}" for c in a.citations)))
    return out


def clean_answers(root: Path, docs: dict[str, str | bytes]) -> list[tuple[str, tuple[str, ...]]]:
    return answers(index_folder(root, docs).settings)


def test_a_new_file_is_one_small_update_and_answers_match_a_clean_rebuild(
    tiny_docs: Path, tiny_settings: Settings, tmp_path: Path
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    write_docs(tiny_docs, {"ferry.txt": FERRY})
    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.lexical == "updated" and report.indexed == 1
    ferry_chunks = report.chunks_added
    assert report.embedded == ferry_chunks  # only the new file's chunks went to the embedder
    got = answers(tiny_settings)
    assert "7:30" in got[0][0] and got[0][1][0].startswith("ferry.txt")
    assert got == clean_answers(tmp_path / "clean", {**TINY_DOCS, "ferry.txt": FERRY})


def test_a_changed_and_a_deleted_file_match_a_clean_rebuild(
    tiny_docs: Path, tiny_settings: Settings, tmp_path: Path
) -> None:
    write_docs(tiny_docs, {"ferry.txt": FERRY})
    ingest([tiny_docs], tiny_settings, progress=False)
    edited = HARBOR_EN.replace("4,200 steel cables", "5,100 steel cables")
    write_docs(tiny_docs, {"harbor.txt": edited})
    (tiny_docs / "festival.md").unlink()
    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.lexical == "updated" and report.removed_files == 1
    got = answers(tiny_settings)
    assert "5,100" in got[1][0] and "4,200" not in got[1][0]
    docs = {"harbor.txt": edited, "library_ko.txt": TINY_DOCS["library_ko.txt"], "ferry.txt": FERRY}
    assert got == clean_answers(tmp_path / "clean", docs)


def test_an_ingest_killed_during_the_lexical_update_converges_on_the_next_run(
    tiny_docs: Path, tiny_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    write_docs(tiny_docs, {"ferry.txt": FERRY})
    real_insert = lexical_write._insert

    def killed(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(lexical_write, "_insert", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest([tiny_docs], tiny_settings, progress=False)
    monkeypatch.setattr(lexical_write, "_insert", real_insert)
    # Chroma and the manifest already hold the ferry file; the lexical index was rolled back.
    _ids, files = lexical_write.held(tiny_settings.data_dir / "lexical")
    assert "docs/ferry.txt" not in files
    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.lexical == "updated" and report.embedded == 0  # its vectors are reused from Chroma
    assert answers(tiny_settings) == clean_answers(tmp_path / "clean", {**TINY_DOCS, "ferry.txt": FERRY})


def test_an_update_past_the_threshold_rebuilds_and_still_matches(
    tiny_docs: Path, tiny_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexical_write, "COMPACT_MIN_ROWS", 1)
    monkeypatch.setattr(lexical_write, "COMPACT_SHARE", 0.0)
    ingest([tiny_docs], tiny_settings, progress=False)
    write_docs(tiny_docs, {"ferry.txt": FERRY})
    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.lexical == "rebuilt" and report.sentences_embedded > 0
    assert sorted(p.name for p in (tiny_settings.data_dir / "lexical").glob("sentences-*.npy")) == [
        "sentences-0.npy"
    ]
    assert answers(tiny_settings) == clean_answers(tmp_path / "clean", {**TINY_DOCS, "ferry.txt": FERRY})


def test_an_unchanged_reingest_leaves_the_lexical_index_alone(tiny_docs: Path, tiny_settings: Settings) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    before = (tiny_settings.data_dir / "lexical" / "index.sqlite").stat().st_mtime_ns
    assert ingest([tiny_docs], tiny_settings, progress=False).lexical == "unchanged"
    assert (tiny_settings.data_dir / "lexical" / "index.sqlite").stat().st_mtime_ns == before
