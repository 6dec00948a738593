"""Small hand-made chunks for tests of the lexical index (no files, no embedder)."""

from __future__ import annotations

import hashlib

from rag.core.records import Chunk
from rag.lang.script import is_hangul


def chunk(chunk_id: str, text: str, path: str = "", section: str = "body", start: int = 0) -> Chunk:
    """A one-sentence chunk of `path` (default: a document of its own named after the id)."""
    return Chunk(
        id=chunk_id,
        doc=(path or chunk_id) + ".txt",
        path=path or f"{chunk_id}.txt",
        text=text,
        start=start,
        end=start + len(text),
        lang="ko" if any(is_hangul(ch) for ch in text) else "en",
        section=section,
        title=chunk_id,
        publisher="",
        author="",
        date="",
        sentences=((start, start + len(text)),),
        text_sha=hashlib.sha1(text.encode()).hexdigest(),
    )
