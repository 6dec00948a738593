"""One file → its chunk records: load, clean, extract metadata, chunk, tag language, derive stable ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

from index.chunking import chunk_blocks
from index.cleaning import analyse
from index.loaders import load_document
from rag.core.records import Chunk
from rag.lang.script import detect_lang


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def chunk_id(key: str, start: int, end: int, sha: str) -> str:
    """Stable across runs: derived from the document key, the span and the content only."""
    return hashlib.sha1(f"{key}\x00{start}\x00{end}\x00{sha}".encode()).hexdigest()[:24]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def chunk_file(path: Path, key: str, max_chars: int) -> list[Chunk]:
    """Raises index.loaders.LoadError for files that cannot be read as text."""
    doc = load_document(path)
    meta, blocks = analyse(doc.text, doc.hints, fallback_title=path.stem)
    out: list[Chunk] = []
    for span in chunk_blocks(doc.text, blocks, max_chars=max_chars):
        text = doc.text[span.start : span.end]
        if not text.strip():
            continue
        sha = text_hash(text)
        out.append(
            Chunk(
                id=chunk_id(key, span.start, span.end, sha),
                doc=path.name,
                path=key,
                text=text,
                start=span.start,
                end=span.end,
                lang=detect_lang(text),
                section=span.section,
                title=meta.title,
                publisher=meta.publisher or "",
                author=meta.author or "",
                # A sidebar teaser is another article: the host document's date is not its date.
                date=(meta.date or "") if span.section != "aside" else "",
                sentences=tuple(span.sentences),
                text_sha=sha,
            )
        )
    return out
