"""The plain text an answer copies as: the answer with its `[n]` markers, then the numbered sources.

Gradio's copy button copies a message's value, which for us is HTML (1,257 characters of markup for a
one-line answer, and `China&#x27;s` for a question). The page's script copies this text instead, read
from a hidden element of the answer, and decodes entities in questions (see `ui.assets`).
"""

from __future__ import annotations

from rag.core.records import Answer, Citation

LABELS = {
    "en": {"sources": "Sources:", "related": "Related passages (not an answer):"},
    "ko": {"sources": "출처:", "related": "관련 대목 (답이 아님):"},
}


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["en"])


def source_line(c: Citation, numbered: bool = True) -> str:
    meta = ", ".join(x for x in (c.publisher, c.date) if x)
    head = f"[{c.n}] " if numbered else "- "
    return f"{head}{c.title or c.doc}" + (f" ({meta})" if meta else "") + f"  {c.doc}:{c.start}-{c.end}"


def plain_text(answer: Answer) -> str:
    if not answer.citations:
        return answer.answer
    lab = labels(answer.lang)
    heading = lab["related"] if answer.refused else lab["sources"]
    lines = [source_line(c, numbered=not answer.refused) for c in answer.citations]
    return "\n".join([answer.answer, "", heading, *lines])
