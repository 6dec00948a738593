"""What has been ingested: per file its content hash and chunk ids, plus the embedder and the roots.

The manifest is written atomically (temp file + rename) after every file, so a killed ingest leaves a
manifest that describes only work that finished; the next run redoes the rest.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_VERSION = 1


@dataclass
class FileEntry:
    sha256: str
    chunk_ids: list[str]
    title: str = ""
    doc: str = ""
    chunks: int = 0


@dataclass
class Manifest:
    embedder: str = ""
    collection: str = ""
    roots: list[str] = field(default_factory=list)
    files: dict[str, FileEntry] = field(default_factory=dict)
    chunking: str = ""
    version: int = MANIFEST_VERSION

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls()
        raw = json.loads(path.read_text(encoding="utf-8"))
        files = {k: FileEntry(**v) for k, v in raw.get("files", {}).items()}
        return cls(
            embedder=raw.get("embedder", ""),
            collection=raw.get("collection", ""),
            roots=list(raw.get("roots", [])),
            files=files,
            chunking=raw.get("chunking", ""),
            version=int(raw.get("version", MANIFEST_VERSION)),
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        data = asdict(self)
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    def all_chunk_ids(self) -> set[str]:
        return {i for e in self.files.values() for i in e.chunk_ids}
