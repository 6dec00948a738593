"""Chroma access: embedded `PersistentClient` by default, a `chroma run` server with `RAG_CHROMA_URL`.

Writes go through llama-index's `ChromaVectorStore` (its node/metadata layout); id listing, embedding
reuse, deletes and the latency-critical dense query use the raw collection, because the llama-index
store has no API for the former and costs start-up time for the latter.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlparse

from rag.core.config import Settings
from rag.core.errors import UserError
from rag.core.records import Chunk


class StoreError(UserError):
    """The vector store cannot be opened or reached; the message is one user-facing line."""


def _skip_override_signature_checks() -> None:
    """Make the `overrides` package's decorators only mark methods, before chromadb is imported.

    Why: chromadb decorates ~160 methods with `@override`, which checks each signature against the
    base class at import time by disassembling the whole defining module once per method. That is
    ~0.25 s of every fresh `rag ask` (measured: `import chromadb` 1.16 s -> 0.92 s) spent asserting
    chromadb's own code, with no effect on behaviour. The `__override__` mark is kept because
    `EnforceOverrides` metaclasses check for it.
    """
    import sys

    if "chromadb" in sys.modules:
        return
    try:
        import overrides
    except ImportError:
        return

    def mark(method: Any = None, **_options: Any) -> Any:
        def marked(func: Any) -> Any:
            with contextlib.suppress(AttributeError):  # e.g. a builtin: nothing to mark
                func.__override__ = True
            return func

        return marked(method) if method is not None else marked

    overrides.override = mark
    overrides.overrides = mark


def open_client(settings: Settings, create: bool = True) -> Any:
    _skip_override_signature_checks()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        host, port = url.hostname or "127.0.0.1", url.port or (443 if url.scheme == "https" else 8000)
        try:
            client = chromadb.HttpClient(
                host=host, port=port, ssl=url.scheme == "https", settings=chroma_settings
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises assorted connection errors
            raise StoreError(
                f"cannot reach the Chroma server at {settings.chroma_url} ({type(exc).__name__})"
            ) from exc
        return client
    path = settings.data_dir / "chroma"
    if not create and not path.exists():
        raise StoreError(f"no index in {settings.data_dir}: run `rag ingest` first")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


# Chroma's own default for how many applied writes an HNSW index keeps unpersisted.
CHROMA_SYNC_THRESHOLD = 1000


class ChunkStore:
    """One Chroma collection of chunks, with the operations ingest and retrieval need."""

    def __init__(self, client: Any, name: str, create: bool = True) -> None:
        self.name = name
        if create:
            self.collection = client.get_or_create_collection(
                name=name, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        else:
            try:
                self.collection = client.get_collection(name=name, embedding_function=None)
            except Exception as exc:
                raise StoreError(f"no index collection {name!r}: run `rag ingest` first") from exc

    def persist_writes(self, every_write: bool) -> None:
        """How often embedded Chroma writes its HNSW index to disk during this process's writes.

        Why: Chroma keeps up to `sync_threshold` (default 1000) applied writes only in its log, and
        every process that opens the collection replays them into the index on its first query:
        1.1–1.6 s at 100k chunks after a few one-file updates, against 0.3 s with nothing to replay
        (measured, issue 15). A small ingest asks for the index to be persisted after each write
        (~0.3 s at 100k chunks), so the next `rag ask` starts with nothing to replay; a large one
        keeps Chroma's default, since persisting after each of its batches would rewrite the whole
        index hundreds of times. Call it before the collection's first read or write in the process:
        an index already loaded keeps the setting it was loaded with (measured).
        """
        want = 2 if every_write else CHROMA_SYNC_THRESHOLD
        hnsw = (self.collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("sync_threshold") != want:
            self.collection.modify(configuration={"hnsw": {"sync_threshold": want}})

    def count(self) -> int:
        return int(self.collection.count())

    def _pages(self, include: list[str], page: int = 5000) -> Iterator[dict[str, Any]]:
        """The whole collection in pages (one unbounded get would load everything at once)."""
        offset = 0
        while True:
            got: dict[str, Any] = self.collection.get(include=include, limit=page, offset=offset)
            yield got
            if len(got["ids"]) < page:
                return
            offset += page

    def ids(self) -> set[str]:
        return {i for got in self._pages([]) for i in got["ids"]}

    def present(self, ids: Sequence[str]) -> set[str]:
        """Which of these ids the collection holds: a lookup by id, not a listing."""
        found: set[str] = set()
        for i in range(0, len(ids), 5000):
            found.update(self.collection.get(ids=list(ids[i : i + 5000]), include=[])["ids"])
        return found

    def embeddings_for_texts(self, shas: Sequence[str]) -> dict[str, list[float]]:
        """Vectors already stored for these text hashes: a moved paragraph is never embedded twice."""
        found: dict[str, list[float]] = {}
        for i in range(0, len(shas), 500):
            batch = list(shas[i : i + 500])
            got = self.collection.get(where={"text_sha": {"$in": batch}}, include=["embeddings", "metadatas"])
            for emb, meta in zip(got["embeddings"], got["metadatas"], strict=True):
                found[str(meta["text_sha"])] = [float(x) for x in emb]
        return found

    def add(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        from llama_index.core.schema import BaseNode, TextNode
        from llama_index.vector_stores.chroma import ChromaVectorStore

        vector_store = ChromaVectorStore(chroma_collection=self.collection)

        nodes: list[BaseNode] = [
            TextNode(
                id_=c.id,
                text=c.text,
                embedding=list(e),
                metadata=c.metadata(),
                excluded_embed_metadata_keys=list(c.metadata()),
                excluded_llm_metadata_keys=list(c.metadata()),
            )
            for c, e in zip(chunks, embeddings, strict=True)
        ]
        for i in range(0, len(nodes), 1000):
            vector_store.add(nodes[i : i + 1000])

    def delete(self, ids: Iterable[str]) -> None:
        batch = list(ids)
        for i in range(0, len(batch), 5000):
            self.collection.delete(ids=batch[i : i + 5000])

    def get(self, ids: Sequence[str]) -> list[Chunk]:
        if not ids:
            return []
        got = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        by_id = {
            i: Chunk.from_metadata(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }
        return [by_id[i] for i in ids if i in by_id]

    def all_chunks(self) -> list[Chunk]:
        return [
            Chunk.from_metadata(i, d, m)
            for got in self._pages(["documents", "metadatas"])
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def dense(
        self, query_embedding: Sequence[float], k: int, lang: str | None = None, untranslated: bool = False
    ) -> list[tuple[str, float]]:
        """Top-k chunk ids by cosine similarity, optionally within one language.

        Asks Chroma for ids and distances only: the chunks themselves are already in memory (the BM25
        index keeps them), and fetching documents+metadata tripled the query time (measured: ~6 ms vs
        ~2 ms on the shipped corpus). Queries the raw collection rather than llama-index's
        ChromaVectorStore.query: same Chroma call, without importing llama-index on the query path.
        """
        clauses: list[dict[str, Any]] = []
        if lang:
            clauses.append({"lang": lang})
        if untranslated:
            clauses.append({"twin": ""})
        where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        got = self.collection.query(
            query_embeddings=[list(query_embedding)], n_results=k, where=where, include=["distances"]
        )
        return [
            (cid, 1.0 - float(dist)) for cid, dist in zip(got["ids"][0], got["distances"][0], strict=True)
        ]


def describe(settings: Settings) -> str:
    return settings.chroma_url or str(settings.data_dir / "chroma")
