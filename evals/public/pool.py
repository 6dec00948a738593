"""One pooled corpus per set of public cases: every article written as a file and indexed once, cached.

Every question is asked against the whole pool, as a user would ask against their library. The index is
built by the product's own ingest (same chunking, embedder, BM25 and sentence vectors) into a cache
folder outside the repo, named by a hash of the pool's text and the settings that shape the index, so a
second run reuses it and a changed pool or chunk size never reads a stale one.

Usage:
    >>> settings = pooled_index(cases, base_settings)  # doctest: +SKIP
    >>> Engine(settings).ask(cases[0].question)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from evals.public.datasets import PublicCase
from index.ingest import ingest, lexical_dir
from rag.core.config import Settings
from rag.retrieval import lexical_write
from rag.store import manifest


def cache_root() -> Path:
    """`RAG_PUBLIC_CACHE_DIR`, else `$XDG_CACHE_HOME/rag-cite/public` (never inside the repo)."""
    if os.environ.get("RAG_PUBLIC_CACHE_DIR"):
        return Path(os.environ["RAG_PUBLIC_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "rag-cite" / "public"


def _clean(paragraph: str) -> str:
    # One character for one: offsets into the paragraph still point at the same text.
    return paragraph.replace("\r", " ").replace("\n", " ")


def articles(cases: Sequence[PublicCase]) -> dict[str, tuple[str, list[str]]]:
    """File name -> (title, its distinct paragraphs in first-seen order)."""
    docs: dict[str, tuple[str, list[str]]] = {}
    for c in cases:
        _, paras = docs.setdefault(c.document, (c.title.replace("_", " "), []))
        p = _clean(c.context)
        if p not in paras:
            paras.append(p)
    return docs


def article_text(title: str, paragraphs: list[str]) -> str:
    # Front matter makes the title the document's title rather than a one-line chunk that competes
    # in retrieval (measured in the judge lab: a bare title line became 187 of 424 chunks in ko-dev).
    return f"---\ntitle: {title}\n---\n" + "".join(p + "\n\n" for p in paragraphs)


def pool_key(cases: Sequence[PublicCase], settings: Settings) -> str:
    h = hashlib.sha256()
    h.update(f"{settings.embed_model}|{settings.chunk_max_chars}".encode())
    for name, (title, paras) in sorted(articles(cases).items()):
        h.update(name.encode())
        h.update(article_text(title, paras).encode())
    return h.hexdigest()[:16]


def pooled_index(cases: Sequence[PublicCase], base: Settings, progress: bool = False) -> Settings:
    """Settings pointing at the pool's index, ingesting it first if the cache does not have it."""
    folder = cache_root() / pool_key(cases, base)
    settings = base.model_copy(update={"data_dir": folder / "index", "chroma_url": None})
    built = manifest.exists(folder / "index") and (folder / "READY").exists()
    if built and lexical_write.current(lexical_dir(settings)):
        return settings
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name, (title, paras) in articles(cases).items():
        (docs / name).write_text(article_text(title, paras), encoding="utf-8")
    # A pool of an older lexical format is brought up to date by the same ingest, which reuses the
    # vectors it holds.
    ingest([docs], settings, progress=progress)
    (folder / "READY").write_text("built by rag eval --dataset\n", encoding="utf-8")
    return settings
