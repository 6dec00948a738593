"""Thumbs up/down on answers, appended to `<data_dir>/feedback.jsonl`.

The UI writes it; `rag eval --from-feedback` turns thumbs-down entries into draft regression cases. One
record type for both sides so neither guesses the other's format.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Rating = Literal["up", "down"]
FEEDBACK_FILE = "feedback.jsonl"


@dataclass(frozen=True)
class FeedbackEntry:
    rating: Rating
    question: str
    answer: str
    mode: str
    citations: list[dict[str, Any]] = field(default_factory=list)  # Citation.to_json() items
    comment: str = ""
    rewritten: str = ""
    lang: str = ""
    refused: bool = False
    ts: float = field(default_factory=time.time)


def feedback_path(data_dir: Path) -> Path:
    return data_dir / FEEDBACK_FILE


def append_feedback(data_dir: Path, entry: FeedbackEntry) -> None:
    """One line per entry, written with a single append so concurrent sessions never interleave lines."""
    data_dir.mkdir(parents=True, exist_ok=True)
    line = json.dumps(asdict(entry), ensure_ascii=False) + "\n"
    with feedback_path(data_dir).open("a", encoding="utf-8") as fh:
        fh.write(line)


def read_feedback(path: Path) -> list[FeedbackEntry]:
    """Every well-formed entry; a malformed line raises ValueError naming its line number."""
    entries: list[FeedbackEntry] = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            entries.append(FeedbackEntry(**raw))
        except (json.JSONDecodeError, TypeError) as exc:
            raise ValueError(f"{path}:{no}: not a feedback entry ({exc})") from None
    return entries
