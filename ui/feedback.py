"""Thumbs up/down on an answer, with the optional comment, appended to `<data_dir>/feedback.jsonl`.

The entry is built from the server-side turn (question, answer, citations, mode), never from what the
browser sends back, so the eval harness can trust it when it turns feedback into regression cases.
"""

from __future__ import annotations

from pathlib import Path

from rag.core.records import Turn
from rag.store.feedback import FeedbackEntry, Rating, append_feedback

MAX_COMMENT_CHARS = 2000


def rating_from_like(liked: object) -> Rating | None:
    """Gradio's like payload: True/"Like" = up, False/"Dislike" = down; anything else (un-liking) = None."""
    if liked is True or liked == "Like":
        return "up"
    if liked is False or liked == "Dislike":
        return "down"
    return None


def turn_for_message(turns: list[Turn], message_index: object) -> Turn | None:
    """The turn behind a transcript position: messages alternate user, assistant per turn."""
    index = message_index[0] if isinstance(message_index, (list, tuple)) else message_index
    if not isinstance(index, int) or index < 0:
        return None
    turn = index // 2
    return turns[turn] if turn < len(turns) else None


def record(data_dir: Path, turn: Turn, rating: Rating, comment: str) -> FeedbackEntry:
    a = turn.answer
    entry = FeedbackEntry(
        rating=rating,
        question=turn.question,
        answer=a.answer,
        mode=a.mode,
        citations=[c.to_json() for c in a.citations],
        comment=" ".join(comment.split())[:MAX_COMMENT_CHARS],
        rewritten=a.rewritten,
        lang=a.lang,
        refused=a.refused,
    )
    append_feedback(data_dir, entry)
    return entry
