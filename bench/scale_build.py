"""Building the synthetic indexes that `bench.scale` measures: through the product's own ingest for the
small sizes, through the same product writes batched across files for the large ones (`build_direct`).

Split from bench/scale.py (which measures) so each file has one job; a built index is reused while its
corpus fingerprint matches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import synth
from bench.common import read_result
from bench.vectors import HashEmbedder, unit_vector

SEED = 7
# Sizes from this many chunks up are built by build_direct (see its docstring), smaller ones by ingest.
DIRECT_FROM = int(os.environ.get("BENCH_DIRECT_BUILD_FROM", "50000"))


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def build_direct(docs_dir: Path, data: Path) -> dict[str, Any]:
    """The writes `ingest` makes, batched across files: the product's chunker (`chunk_file`), twin
    linking, `ChunkStore.add`, `lexical_write.rebuild` and the manifest, in the layout `rag ingest`
    itself accepts as up to date (tests/bench checks that). Used for the largest size because `ingest`
    writes to Chroma and rewrites the manifest once per file: measured under load, 45 chunks/s through
    `ingest` at 10k against 84 chunks/s batched at 100k, where Chroma's own write rate is the floor.
    """
    from index.documents import chunk_file, file_sha256
    from index.ingest import CHUNKING_VERSION
    from index.twins import link_twins
    from rag.core.config import load_settings
    from rag.embeddings import embedder_id
    from rag.retrieval import lexical_write, sentence_vectors
    from rag.store.chroma import ChunkStore, open_client
    from rag.store.manifest import FileEntry, Manifest, manifest_file

    settings = load_settings(data_dir=data)
    root = docs_dir.resolve()
    manifest = Manifest(
        embedder=embedder_id(settings.embed_model),
        collection=settings.collection,
        roots=[str(root)],
        chunking=f"{CHUNKING_VERSION}:{settings.chunk_max_chars}",
    )
    client = open_client(settings)
    store = ChunkStore(client, settings.collection)
    # Chroma persists its HNSW index every `sync_threshold` (1000) applied writes, and each persist
    # rewrites the whole index: O(n²) bytes over a bulk build (~75 GB at 300k). The build keeps
    # everything in the log instead, and `_persist_once` writes the index once at the end.
    store.collection.modify(configuration={"hnsw": {"sync_threshold": 10**8}})
    all_chunks = []
    pending: tuple[list[Any], list[list[float]]] = ([], [])
    timings = {"chunk_s": 0.0, "chroma_add_s": 0.0, "lexical_s": 0.0}
    for path in sorted(root.iterdir()):
        key = path.relative_to(root.parent).as_posix()  # as index.discover.discover keys documents
        t0 = time.perf_counter()
        chunks = chunk_file(path, key, settings.chunk_max_chars)
        vecs = [unit_vector(c.text) for c in chunks]
        linked = link_twins(chunks, vecs)
        timings["chunk_s"] += time.perf_counter() - t0
        manifest.files[key] = FileEntry(
            sha256=file_sha256(path),
            chunk_ids=[c.id for c in linked],
            title=linked[0].title,
            doc=linked[0].doc,
            chunks=len(linked),
        )
        all_chunks.extend(linked)
        pending[0].extend(linked)
        pending[1].extend(vecs)
        if len(pending[0]) >= 5000:
            t0 = time.perf_counter()
            store.add(*pending)
            timings["chroma_add_s"] += time.perf_counter() - t0
            pending = ([], [])
    t0 = time.perf_counter()
    if pending[0]:
        store.add(*pending)
    timings["chroma_add_s"] += time.perf_counter() - t0
    t0 = time.perf_counter()
    # Sentence vectors as ingest writes them (hash-seeded like the chunk vectors: see bench/vectors.py).
    sentences, _ = sentence_vectors.build(all_chunks, lambda texts: [unit_vector(t) for t in texts])
    files = {key: entry.sha256 for key, entry in manifest.files.items()}
    lexical_write.rebuild(data / "lexical", all_chunks, sentences, files)
    timings["lexical_s"] = time.perf_counter() - t0
    manifest.save(manifest_file(data))
    _close(client)
    t0 = time.perf_counter()
    _persist_once(data)
    timings["hnsw_persist_s"] = time.perf_counter() - t0
    return {k: round(v, 1) for k, v in timings.items()}


def _close(client: Any) -> None:
    """Stop this process's Chroma before another process opens the same files: with both open, the
    other one's first write failed with "database is locked" once under a loaded test run."""
    from chromadb.api.shared_system_client import SharedSystemClient

    client._system.stop()
    SharedSystemClient.clear_system_cache()


def _persist_once(data: Path) -> None:
    """In a fresh process (an index already loaded keeps its setting): persist after every write,
    load the index once (Chroma replays the log into it), then restore Chroma's default."""
    code = (
        "import sys; from pathlib import Path; from rag.core.config import load_settings; "
        "from rag.store.chroma import ChunkStore, open_client; "
        "s = load_settings(data_dir=Path(sys.argv[1])); st = ChunkStore(open_client(s), s.collection); "
        "st.persist_writes(every_write=True); "
        "got = st.collection.get(limit=1, include=['embeddings']); "
        "st.collection.query(query_embeddings=[list(got['embeddings'][0])], n_results=1); "
        "st.persist_writes(every_write=False)"
    )
    subprocess.run([sys.executable, "-c", code, str(data)], check=True)


def build(size: int, workdir: Path) -> dict[str, Any]:
    """Generate + ingest (or reuse) the corpus of `size` chunks; returns what it cost."""
    from index.ingest import ingest
    from rag.core.config import load_settings
    from rag.store.manifest import Manifest, manifest_file
    from rag.store.manifest import exists as manifest_exists

    docs = synth.generate(size, seed=SEED)
    fp = synth.fingerprint(docs)
    base = workdir / label(size)
    docs_dir, data = base / "docs", base / "data"
    stamp = base / "corpus.sha256"
    settings = load_settings(data_dir=data)
    if stamp.exists() and stamp.read_text() == fp and manifest_exists(data):
        prev = read_result("scale").get("sizes", {}).get(label(size), {}).get("build", {})
        return {**prev, "reused": True}
    synth.write(docs, docs_dir)
    if data.exists():  # a half-built index from an interrupted run: start over
        shutil.rmtree(data)
    t0 = time.perf_counter()
    if size >= DIRECT_FROM:
        method: dict[str, Any] = {
            "method": "batched product writes (build_direct)",
            **build_direct(docs_dir, data),
        }
    else:
        ingest([docs_dir], settings, embedder=HashEmbedder(), progress=False)
        method = {"method": "index.ingest.ingest"}
    seconds = time.perf_counter() - t0
    stamp.write_text(fp)
    chunks = sum(e.chunks for e in Manifest.load(manifest_file(data)).files.values())
    return {
        "reused": False,
        "docs": len(docs),
        "chunks": chunks,
        "seconds": round(seconds, 2),
        "chunks_per_s_without_embedding": round(chunks / seconds, 1),
        "vectors": "hash-seeded unit vectors (bench/vectors.py), not e5",
        **method,
    }
