"""The page's document panel: add uploaded files to the index, list what is indexed, delete uploads.

All checks and index changes live in `index.library`; this module turns its results into escaped HTML
and refreshes the engines so the next question sees the new index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rag.core.config import Settings
from rag.core.errors import UserError, redact
from ui.engines import Engines
from ui.render import documents_table, notice_html

Progress = Callable[[float, str], None]


class DocumentPanel:
    def __init__(self, settings: Settings, engines: Engines) -> None:
        self.settings = settings
        self.engines = engines

    @property
    def max_bytes(self) -> int:
        return self.settings.upload_max_mb * 1024 * 1024

    def listing(self) -> tuple[str, list[tuple[str, str]]]:
        """(documents table HTML, (label, key) choices of deletable uploads)."""
        from index.library import list_documents

        docs = list_documents(self.settings)
        table = documents_table((d.doc, d.title, d.chunks, d.uploaded) for d in docs)
        choices = [(d.doc, d.key) for d in docs if d.uploaded]
        return table, choices

    def add(self, paths: Sequence[str] | None, progress: Progress | None = None) -> str:
        from index.library import add_files

        if not paths:
            return notice_html("choose one or more .txt, .md, .html or .pdf files first", "error")
        files = [(Path(p).name, Path(p)) for p in paths]
        try:
            result = add_files(files, self.settings, self.max_bytes, on_progress=_chunks(progress))
            if result.added:
                self.engines.reload()
        except UserError as exc:
            return notice_html(redact(str(exc)), "error")
        kind = "error" if result.rejected and not result.added else "info"
        return notice_html(result.summary(), kind)

    def delete(self, key: str | None, progress: Progress | None = None) -> str:
        from index.library import delete_document

        if not key:
            return notice_html("choose an uploaded document to delete", "error")
        try:
            report = delete_document(key, self.settings, on_progress=_chunks(progress))
            self.engines.reload()
        except UserError as exc:
            return notice_html(redact(str(exc)), "error")
        return notice_html(f"deleted {Path(key).name}: {report.chunks_removed} chunks removed")


def _chunks(progress: Progress | None) -> Callable[[int, int], None] | None:
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        progress(done / max(total, 1), f"embedding {done}/{total} chunks")

    return report


def choices_update(choices: list[tuple[str, str]]) -> dict[str, Any]:
    import gradio as gr

    return gr.update(choices=choices, value=None)
