"""Incremental, crash-safe ingestion: files → chunks → embeddings → Chroma (+ the BM25 index).

Convergence rule: whatever state a killed run left behind, the next run computes the desired set of
chunk ids from the files and makes the store equal to it (add what is missing, delete what is not
wanted), reusing stored vectors by text hash. So an interrupted run followed by a clean one yields the
same index as one clean run, and an unchanged corpus costs no embedding call.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.discover import UPLOADS_DIR, discover, hash_files
from index.documents import chunk_file
from index.loaders import LoadError
from index.pipeline import BackgroundWriter, ahead
from index.stored import StoredIds
from index.twins import link_twins
from rag.core.config import Settings
from rag.core.errors import UserError
from rag.core.records import Chunk
from rag.embeddings import build_embedder, embedder_id
from rag.embeddings.base import Embedder
from rag.lang import lexicon
from rag.retrieval import lexical_write, sentence_vectors
from rag.store.chroma import CHROMA_SYNC_THRESHOLD, ChunkStore, open_client
from rag.store.manifest import FileEntry, Manifest, manifest_file

# Bump when cleaning/chunking rules change, so indexes re-chunk: the code, or the word lists they read
# (rag/lang/data: page_*, masthead_small_words, html_*, and the sentence splitter's en_abbreviations,
# en_sentence_starters, en_company_abbreviations).
CHUNKING_VERSION = "c1"
# Chunks written to Chroma (and files recorded in the manifest) per batch: large enough that a write
# and a manifest rewrite per file no longer add up (issue 15), small enough that a killed run loses
# at most this much finished embedding.
WRITE_BATCH_CHUNKS = 256


class IngestError(UserError):
    """Bad input to ingest (missing path, nothing to index): one line for the user."""


@dataclass
class IngestReport:
    files: int = 0
    indexed: int = 0
    unchanged: int = 0
    removed_files: int = 0
    chunks_added: int = 0
    chunks_kept: int = 0
    chunks_removed: int = 0
    embedded: int = 0
    sentences_embedded: int = 0
    rebuilt: bool = False
    lexical: str = ""  # unchanged | updated | rebuilt
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [
            f"{self.files} files ({self.indexed} indexed, {self.unchanged} unchanged, {self.removed_files} removed)",
            f"chunks: {self.chunks_added} added, {self.chunks_kept} kept, {self.chunks_removed} removed",
            f"{self.embedded} embedded"
            + (f" (+{self.sentences_embedded} sentences)" if self.sentences_embedded else ""),
        ]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped: " + "; ".join(f"{n} ({r})" for n, r in self.skipped))
        return "ingest: " + ", ".join(parts) + f" in {self.seconds:.2f}s"


@dataclass
class _Batch:
    """Files embedded and waiting for one store write."""

    delete_ids: list[str] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    vectors: list[list[float]] = field(default_factory=list)
    entries: list[tuple[str, FileEntry]] = field(default_factory=list)


def _write_batch(
    store: ChunkStore, delete_ids: list[str], chunks: list[Chunk], vectors: list[list[float]]
) -> None:
    store.delete(delete_ids)
    store.add(chunks, vectors)


def manifest_path(settings: Settings) -> Path:
    return manifest_file(settings.data_dir)


def lexical_dir(settings: Settings) -> Path:
    return settings.data_dir / "lexical"


def ingest(
    paths: Sequence[Path],
    settings: Settings,
    embedder: Embedder | None = None,
    progress: bool | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    for p in paths:
        if not p.exists():
            raise IngestError(f"path not found: {p}")
    roots = [p.resolve() for p in paths]
    files = discover(roots, report.skipped, uploads=settings.data_dir / UPLOADS_DIR)
    report.files = len(files) + len(report.skipped)
    if not files:
        # Checked before the store is opened: a wrong folder must never empty an existing index.
        where = ", ".join(str(p) for p in paths)
        why = f"{len(report.skipped)} unsupported files" if report.skipped else "no files found"
        raise IngestError(f"nothing to index in {where}: {why} (supported: .txt .md .html .pdf)")

    ident = embedder_id(settings.embed_model, settings.embed_base_url)
    mpath = manifest_path(settings)
    manifest = Manifest.load(mpath)
    client = open_client(settings)
    if manifest.embedder and (manifest.embedder != ident or manifest.collection != settings.collection):
        # Never mix vector spaces: a new embedder means a full rebuild.
        print(f"embedder changed ({manifest.embedder} → {ident}): rebuilding the index", file=sys.stderr)
        with contextlib.suppress(Exception):
            client.delete_collection(manifest.collection or settings.collection)
        manifest = Manifest()
        report.rebuilt = True
    chunking = f"{CHUNKING_VERSION}:{settings.chunk_max_chars}"
    if manifest.chunking != chunking:
        # New chunk size or chunker: re-chunk every file (unchanged text keeps its vectors).
        for entry in manifest.files.values():
            entry.sha256 = ""
        manifest.chunking = chunking
    manifest.embedder, manifest.collection = ident, settings.collection
    manifest.roots = [str(r) for r in roots]
    store = ChunkStore(client, settings.collection)
    # Every file is hashed before the store is touched: how much is new decides how Chroma persists.
    hashed = hash_files(files)
    if not settings.chroma_url:
        new_bytes = sum(
            h[0].stat().st_size
            for key, h in hashed.items()
            if isinstance(h, tuple) and (key not in manifest.files or manifest.files[key].sha256 != h[1])
        )
        store.persist_writes(every_write=new_bytes <= CHROMA_SYNC_THRESHOLD * settings.chunk_max_chars)
    stored = StoredIds.check(store, manifest)

    def forget(key: str) -> None:
        """Drop a file's entry and chunks (vanished, unreadable now, or emptied by an edit)."""
        entry = manifest.files.pop(key, None)
        if entry:
            store.delete(stored.present(entry.chunk_ids))
            stored.replaced(set(entry.chunk_ids), set())
            report.removed_files += 1
            report.chunks_removed += len(entry.chunk_ids)
            manifest.save(mpath)

    # Decide which files need work: new, changed, or whose chunks went missing from the store.
    todo: list[tuple[str, Path, str]] = []
    for key, path in files.items():
        found = hashed[key]
        if isinstance(found, str):
            report.skipped.append((path.name, found))
            forget(key)
            continue
        sha = found[1]
        known = manifest.files.get(key)
        if known and known.sha256 == sha and stored.holds(known.chunk_ids):
            report.unchanged += 1
            report.chunks_kept += len(known.chunk_ids)
            continue
        todo.append((key, path, sha))

    # Files that vanished lose their chunks.
    for key in [k for k in manifest.files if k not in files]:
        forget(key)

    emb = embedder
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm import tqdm

    bar = tqdm(total=0, desc="embedding", unit="chunk", disable=not (show and todo), file=sys.stderr)
    writer = BackgroundWriter()
    batch = _Batch()
    recording: list[tuple[str, FileEntry]] = []  # written by the writer, not yet in the manifest
    this_run: dict[str, list[float]] = {}  # vectors embedded in this run, by text hash
    done = total = 0

    def record_written() -> None:
        """The writer has finished everything submitted: those files may now enter the manifest."""
        nonlocal recording
        writer.wait()
        for key, entry in recording:
            manifest.files[key] = entry
        if recording:
            manifest.pending.difference_update(i for _, entry in recording for i in entry.chunk_ids)
            manifest.save(mpath)
        recording = []

    def flush() -> None:
        nonlocal batch, recording
        record_written()
        if batch.chunks:
            # Write-ahead (index/stored.py): the ids about to be stored, and the files being rewritten
            # marked dirty, so a crash during the write is repaired without listing the store.
            manifest.pending.update(c.id for c in batch.chunks)
            for key, _ in batch.entries:
                if key in manifest.files:
                    manifest.files[key].sha256 = ""
            manifest.save(mpath)
            writer.submit(_write_batch, store, batch.delete_ids, batch.chunks, batch.vectors)
            recording, batch = batch.entries, _Batch()

    try:
        for (key, path, sha), chunked in ahead(
            todo, lambda item: chunk_file(item[1], item[0], settings.chunk_max_chars)
        ):
            if isinstance(chunked, LoadError) or (not isinstance(chunked, Exception) and not chunked):
                report.skipped.append((path.name, str(chunked) if chunked else "no text after cleaning"))
                record_written()
                forget(key)
                continue
            if isinstance(chunked, Exception):
                raise chunked
            chunks = chunked
            total += len(chunks)
            bar.total = total
            reuse = {c.text_sha: this_run[c.text_sha] for c in chunks if c.text_sha in this_run}
            reuse.update(store.embeddings_for_texts([c.text_sha for c in chunks if c.text_sha not in reuse]))
            missing = [c for c in chunks if c.text_sha not in reuse]
            if missing:
                if emb is None:
                    emb = build_embedder(
                        settings.embed_model,
                        settings.embed_base_url,
                        settings.embed_query_model,
                        settings.embed_workers,
                    )
                vectors = emb.get_text_embedding_batch([c.text for c in missing])
                fresh = {c.text_sha: list(v) for c, v in zip(missing, vectors, strict=True)}
                reuse.update(fresh)
                this_run.update(fresh)
                report.embedded += len(missing)
            vecs = [reuse[c.text_sha] for c in chunks]
            linked = link_twins(chunks, vecs)
            old = manifest.files.get(key)
            old_ids = set(old.chunk_ids) if old else set()
            new_ids = {c.id for c in linked}
            # Replace the file's chunks as a unit (metadata such as twin links may change even when ids don't).
            batch.delete_ids.extend(stored.present(old_ids | new_ids))
            batch.chunks.extend(linked)
            batch.vectors.extend(vecs)
            entry = FileEntry(
                sha256=sha,
                chunk_ids=[c.id for c in linked],
                title=linked[0].title,
                doc=linked[0].doc,
                chunks=len(linked),
            )
            batch.entries.append((key, entry))
            stored.replaced(old_ids, new_ids)
            report.chunks_added += len(new_ids - old_ids)
            report.chunks_kept += len(new_ids & old_ids)
            report.chunks_removed += len(old_ids - new_ids)
            report.indexed += 1
            done += len(chunks)
            bar.update(len(chunks))
            if on_progress is not None:
                on_progress(done, total)
            if len(batch.chunks) >= WRITE_BATCH_CHUNKS:
                flush()
        flush()
        record_written()
    finally:
        writer.close()
        bar.close()

    # Orphans from an interrupted run: in the store but owned by no manifest entry.
    wanted = manifest.all_chunk_ids()
    orphans = stored.orphans(wanted)
    if orphans:
        store.delete(orphans)
        report.chunks_removed += len(orphans)
    manifest.pending.clear()  # every journalled id is now owned or deleted

    report.sentences_embedded, report.lexical = _sync_lexical(
        store, lexical_dir(settings), manifest, settings, emb, progress
    )
    manifest.save(mpath)
    report.seconds = time.perf_counter() - started
    return report


def _sync_lexical(
    store: ChunkStore,
    ldir: Path,
    manifest: Manifest,
    settings: Settings,
    emb: Embedder | None,
    progress: bool | None,
) -> tuple[int, str]:
    """Make the lexical index hold exactly the store's chunks of the manifest's files, by an update
    in proportion to what changed (documents whose content hash differs from the one the index
    recorded, and chunk ids it lacks or should not have), or a full build when there is no current
    index. Returns (sentences embedded, what was done: "unchanged" | "updated" | "rebuilt")."""
    model = emb

    def embed(texts: list[str]) -> Sequence[Sequence[float]]:
        nonlocal model
        if model is None:
            model = build_embedder(
                settings.embed_model,
                settings.embed_base_url,
                settings.embed_query_model,
                settings.embed_workers,
            )
        return model.get_text_embedding_batch(texts)

    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    files = {key: entry.sha256 for key, entry in manifest.files.items()}
    if not lexical_write.current(ldir):
        chunks = store.all_chunks()
        known = lexical_write.reusable_vectors(ldir)
        known.update(sentence_vectors.chunk_level_known(chunks, known, store.embeddings_for_texts))
        with tqdm(desc="sentences", unit="sent", disable=not show, file=sys.stderr) as bar:
            built, embedded = sentence_vectors.build(chunks, embed, known, on_embedded=bar.update)
        lexical_write.rebuild(ldir, chunks, built, files)
        if {"ko", "en"} <= {c.lang for c in chunks}:
            lexicon.prepare(settings.data_dir)  # cross-lingual questions read it (rag.retrieval.crosslingual)
        return embedded, "rebuilt"
    held_ids, held_files = lexical_write.held(ldir)
    wanted: set[str] = set()
    changed: set[str] = set()
    for key, entry in manifest.files.items():
        wanted.update(entry.chunk_ids)
        if held_files.get(key) != entry.sha256:
            changed.update(entry.chunk_ids)
    stale = {cid for cid in held_ids if cid not in wanted}
    # A changed document's chunks are replaced as a unit: metadata such as twin links may change
    # even when the ids do not.
    renewed = changed & held_ids
    remove = stale | renewed
    add_ids = (wanted - held_ids) | changed
    if not remove and not add_ids and held_files == files:
        return 0, "unchanged"
    add = store.get(sorted(add_ids))
    known = lexical_write.stored_vectors(ldir, remove)
    known.update(sentence_vectors.chunk_level_known(add, known, store.embeddings_for_texts))
    with tqdm(desc="sentences", unit="sent", disable=not show, file=sys.stderr) as bar:
        built, embedded = sentence_vectors.build(add, embed, known, on_embedded=bar.update)
    compacted = lexical_write.update(ldir, add, remove, built, files)
    return embedded, "rebuilt" if compacted else "updated"


def reset(settings: Settings) -> None:
    """Remove the local index files (not a remote Chroma server's data)."""
    for p in (settings.data_dir / "chroma", lexical_dir(settings), manifest_path(settings)):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
