"""Documents added and removed from the web page: an uploads folder inside the data directory.

Uploaded bytes are untrusted: the name may carry a path ("../../.bashrc", "C:\\x\\y.txt"), the
extension may lie, the content may be a copy of something already indexed or far too large. Every
check happens on a staged copy before anything reaches the uploads folder, and the index itself is
only ever changed by `index.ingest.ingest` over the manifest's roots plus the uploads folder, so the
web page and `rag ingest` share one code path (incremental, crash-safe, convergent).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from index.discover import UPLOADS_DIR, UPLOADS_KEY
from index.documents import file_sha256
from index.ingest import IngestReport, ingest, manifest_path
from index.loaders import SUPPORTED_SUFFIXES, LoadError, load_document
from rag.core.config import Settings
from rag.core.errors import UserError
from rag.store.manifest import Manifest

_STAGING = ".staging"  # a dot folder: ingest never discovers files under it
_MAX_NAME_CHARS = 120
_UNSAFE_CHARS = re.compile(r"[^\w .()\-]+")

# One ingest at a time per process: two browser sessions uploading at once must not interleave writes to
# the same Chroma collection and manifest.
_INGEST_LOCK = threading.Lock()


class LibraryError(UserError):
    """An upload or delete that cannot be done; one line naming the problem."""


@dataclass(frozen=True)
class IndexedDocument:
    key: str  # manifest key (path relative to the roots' common parent, or @uploads/<name>)
    doc: str  # file name
    title: str
    chunks: int
    uploaded: bool  # lives in the uploads folder, so the page may delete it


@dataclass
class UploadResult:
    added: list[str] = field(default_factory=list)  # stored file names
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name as given, reason)
    report: IngestReport | None = None
    chunks: int = 0  # chunks of the added files only (the run may also have caught up other files)

    def summary(self) -> str:
        parts = [f"{len(self.added)} added" + (f": {', '.join(self.added)}" if self.added else "")]
        if self.rejected:
            parts.append(
                f"{len(self.rejected)} rejected: " + "; ".join(f"{n} ({why})" for n, why in self.rejected)
            )
        if self.report is not None and self.added:
            parts.append(f"{self.chunks} chunks indexed in {self.report.seconds:.1f}s")
        return ", ".join(parts)


def uploads_dir(settings: Settings) -> Path:
    return settings.data_dir / UPLOADS_DIR


def safe_name(name: str) -> str:
    """A plain file name for an uploaded file, or LibraryError.

    Only the last path component of either separator style survives (so "../x" and "C:\\a\\x" both become
    "x"); control and shell-special characters become "_"; hidden names are refused because ingest skips them.
    """
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    base = unicodedata.normalize("NFC", base).strip()
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE_CHARS.sub("_", base).strip(" ")
    if not base or base.startswith(".") or base in ("_",):
        raise LibraryError(f"not a usable file name: {name[:80]!r}")
    stem, suffix = os.path.splitext(base)
    if not stem.strip(" _"):
        raise LibraryError(f"not a usable file name: {name[:80]!r}")
    return stem[: _MAX_NAME_CHARS - len(suffix)] + suffix.lower()


def list_documents(settings: Settings) -> list[IndexedDocument]:
    manifest = Manifest.load(manifest_path(settings))
    docs = []
    for key, entry in sorted(manifest.files.items()):
        uploaded = upload_path(settings, key) is not None
        docs.append(
            IndexedDocument(key, entry.doc or PurePosixPath(key).name, entry.title, entry.chunks, uploaded)
        )
    return docs


def add_files(
    files: Sequence[tuple[str, Path]],
    settings: Settings,
    max_bytes: int,
    on_progress: Callable[[int, int], None] | None = None,
) -> UploadResult:
    """Check, store and index uploaded files given as (name the user gave, path of the received bytes).

    A file that fails a check is listed in `rejected` and never touches the uploads folder; the others
    are indexed together in one ingest run.
    """
    result = UploadResult()
    with _INGEST_LOCK:
        known = {e.sha256: e.doc for e in Manifest.load(manifest_path(settings)).files.values()}
        folder = uploads_dir(settings)
        staging = folder / _STAGING
        staging.mkdir(parents=True, exist_ok=True)
        stored: list[Path] = []
        try:
            for given, src in files:
                try:
                    path = _accept(given, src, folder, staging, known, max_bytes)
                except LibraryError as exc:
                    result.rejected.append((_display(given), str(exc)))
                    continue
                stored.append(path)
                result.added.append(path.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if not stored:
            return result
        try:
            result.report = _reingest(settings, on_progress)
        except Exception:
            for path in stored:  # the index did not change: leave the folder as it was
                path.unlink(missing_ok=True)
            raise
        # Files that passed the checks but gave no indexable text (e.g. only navigation lines).
        skipped = dict(result.report.skipped)
        for path in stored:
            if path.name in skipped:
                path.unlink(missing_ok=True)
                result.added.remove(path.name)
                result.rejected.append((path.name, skipped[path.name]))
        entries = Manifest.load(manifest_path(settings)).files
        result.chunks = sum(e.chunks for n in result.added if (e := entries.get(upload_key(n))) is not None)
    return result


def delete_document(
    key: str, settings: Settings, on_progress: Callable[[int, int], None] | None = None
) -> IngestReport:
    """Remove an uploaded document from disk and the index. Documents from `rag ingest` folders are the
    user's own files: the page never deletes those (remove them there and re-run `rag ingest`)."""
    with _INGEST_LOCK:
        manifest = Manifest.load(manifest_path(settings))
        if key not in manifest.files:
            raise LibraryError(f"no indexed document {key!r}")
        path = upload_path(settings, key)
        if path is None:
            raise LibraryError(
                f"{PurePosixPath(key).name} comes from an ingest folder, not an upload: remove it there "
                "and run `rag ingest` again"
            )
        if len(manifest.files) == 1:
            raise LibraryError("this is the only indexed document; the index cannot be emptied from here")
        backup = path.with_name(f"{_STAGING}-{path.name}")
        path.rename(backup)  # hidden from ingest; restored if the re-index fails
        try:
            report = _reingest(settings, on_progress)
        except Exception:
            backup.rename(path)
            raise
        backup.unlink(missing_ok=True)
        return report


def _accept(
    given: str, src: Path, folder: Path, staging: Path, known: dict[str, str], max_bytes: int
) -> Path:
    name = safe_name(given)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LibraryError(f"unsupported type {suffix or '(no extension)'} (supported: .txt .md .html .pdf)")
    try:
        size = src.stat().st_size
    except OSError as exc:
        raise LibraryError(f"upload not received ({exc.strerror or type(exc).__name__})") from None
    if size == 0:
        raise LibraryError("empty file")
    if size > max_bytes:
        raise LibraryError(f"file too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
    staged = staging / name
    shutil.copyfile(src, staged)
    sha = file_sha256(staged)
    if sha in known:
        raise LibraryError(f"same content as {known[sha]}, already indexed")
    try:
        load_document(staged)  # the content must really be text of the claimed type
    except LoadError as exc:
        raise LibraryError(str(exc)) from None
    target = _free_name(folder, name)
    os.replace(staged, target)
    known[sha] = target.name
    return target


def _free_name(folder: Path, name: str) -> Path:
    """Same name, different content (the duplicate check ran first): keep both, numbered."""
    target = folder / name
    stem, suffix = os.path.splitext(name)
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


def _reingest(settings: Settings, on_progress: Callable[[int, int], None] | None) -> IngestReport:
    """Ingest exactly what is indexed now plus the uploads folder: ingest drops files outside its roots,
    so leaving out a root would silently empty part of the index."""
    roots = [Path(r) for r in Manifest.load(manifest_path(settings)).roots]
    missing = [r for r in roots if not r.exists()]
    if missing:
        raise LibraryError(
            f"indexed folder {missing[0]} no longer exists: run `rag ingest` with the current folders first"
        )
    up = uploads_dir(settings).resolve()
    up.mkdir(parents=True, exist_ok=True)
    if up not in [r.resolve() for r in roots]:
        roots.append(up)
    return ingest(roots, settings, progress=False, on_progress=on_progress)


def upload_key(name: str) -> str:
    """The manifest key of an uploaded file (see `index.discover`)."""
    return f"{UPLOADS_KEY}/{name}"


def upload_path(settings: Settings, key: str) -> Path | None:
    """The uploaded file a key names, or None for a document from an ingest folder."""
    prefix = UPLOADS_KEY + "/"
    name = key[len(prefix) :] if key.startswith(prefix) else ""
    if not name or "/" in name or name.startswith("."):
        return None
    return uploads_dir(settings) / name


def _display(name: str) -> str:
    return "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")[:80] or "(no name)"
