"""Thumbs-down feedback from the UI turned into draft eval cases for a person to finish.

A draft is deliberately not a valid case: `answerable` is null and `facts`/`evidence` are empty, so the
dataset loader rejects it (naming the line and field) until someone has read the documents and filled
them in. What the user saw (answer, cited passages, comment) rides along under `_feedback` to help.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from rag.core.errors import UserError
from rag.lang.script import detect_lang
from rag.store.feedback import FeedbackEntry, read_feedback


class FeedbackFileError(UserError):
    pass


def draft_case(entry: FeedbackEntry) -> dict[str, Any]:
    digest = hashlib.sha1(entry.question.strip().encode("utf-8")).hexdigest()[:8]
    lang = entry.lang if entry.lang in ("en", "ko") else detect_lang(entry.question)
    return {
        "id": f"fb-{lang}-{digest}",
        "question": entry.question.strip(),
        "lang": lang,
        "type": lang,
        "answerable": None,
        "facts": [],
        "evidence": [],
        "sources": sorted({str(c.get("doc", "")) for c in entry.citations if c.get("doc")}),
        "_todo": (
            "Read the source documents. Set answerable (true/false) and type; write facts (groups of "
            "regex alternatives) and evidence (verbatim substrings); check sources; then delete _todo "
            "and _feedback. See evals/datasets/SCHEMA.md."
        ),
        "_feedback": {
            "answer": entry.answer,
            "refused": entry.refused,
            "mode": entry.mode,
            "comment": entry.comment,
            "rewritten": entry.rewritten,
            "cited": [
                f"[{c.get('n')}] {c.get('doc')}: {str(c.get('text', ''))[:200]}" for c in entry.citations
            ],
        },
    }


def drafts_from_feedback(path: Path) -> list[dict[str, Any]]:
    """One draft per distinct thumbs-down question (the latest entry wins)."""
    if not path.exists():
        raise FeedbackFileError(f"feedback file not found: {path}")
    try:
        entries = read_feedback(path)
    except ValueError as exc:
        raise FeedbackFileError(str(exc)) from None
    drafts: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.rating == "down" and entry.question.strip():
            drafts[" ".join(entry.question.split())] = draft_case(entry)
    return list(drafts.values())


def write_drafts(path: Path, drafts: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in drafts), encoding="utf-8")
