"""Which files an ingest reads: discovery under the roots, and each file's content hash.

Usage:
    files = discover([Path("corpus")], skipped)   # key -> file; unsupported files land in `skipped`
    hashed = hash_files(files)                    # key -> (file, sha256), or why it cannot be read
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from index.documents import file_sha256
from index.loaders import SUPPORTED_SUFFIXES

MAX_FILE_BYTES = 50 * 1024 * 1024
# The web page's uploads folder (inside the data directory) and the key prefix of its files.
UPLOADS_DIR = "uploads"
UPLOADS_KEY = "@" + UPLOADS_DIR


def discover(
    roots: Sequence[Path], skipped: list[tuple[str, str]], uploads: Path | None = None
) -> dict[str, Path]:
    """Map document key → file. Keys are paths relative to the roots' common parent: stable when the
    project folder moves, and distinct for same-named folders ("2023/reports" vs "2024/reports").
    A file reached through two overlapping roots is indexed once.

    Files of the `uploads` root are keyed `@uploads/<name>` and that root is left out of the common
    parent: the first upload adds a root far from the ingest folders, and letting it move the common
    parent would re-key (re-chunk, re-write) every document of the index for one small file."""
    up = uploads.resolve() if uploads is not None else None
    others = [r for r in roots if r.resolve() != up]
    base = Path(os.path.commonpath([r.parent for r in others])) if others else None
    found: dict[str, Path] = {}
    seen: set[Path] = set()
    for root in roots:
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        in_uploads = root.resolve() == up
        for path in candidates:
            if in_uploads:
                rel = Path(UPLOADS_KEY) / path.relative_to(root)
            else:
                assert base is not None
                rel = path.relative_to(base)
            if path in seen or any(part.startswith(".") for part in path.relative_to(root.parent).parts):
                continue
            seen.add(path)
            if path.name.upper() in ("SOURCES.MD", "README.MD") and root.is_dir():
                # Provenance notes about the corpus, not part of it.
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped.append((path.name, f"unsupported type {path.suffix or '(none)'}"))
                continue
            found[rel.as_posix()] = path
    return found


def hash_files(files: Mapping[str, Path]) -> dict[str, tuple[Path, str] | str]:
    """Each file's content hash, or the reason it is skipped (too large, unreadable)."""
    hashed: dict[str, tuple[Path, str] | str] = {}
    for key, path in files.items():
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                hashed[key] = "file larger than 50 MB"
                continue
            hashed[key] = (path, file_sha256(path))
        except OSError as exc:
            hashed[key] = f"unreadable ({exc.strerror or type(exc).__name__})"
    return hashed
