"""Answers and source cards as HTML in which every byte of document or user text is escaped.

Document text is untrusted (a corpus file may contain `<script>`, `<img onerror=…>`, `javascript:`
links). The browser-side sanitizer in Gradio is a second line of defence, not the first: everything
that did not come from this module's own templates goes through `html.escape`, so markup in a
document always shows as text. Only the tags written here (`a.rag-cite`, `details`, `mark`, ...) are
real markup, and the only links are same-page anchors (`#src-…`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from rag.core.records import Answer, Citation

_MARKER = re.compile(r"\[(\d{1,3})\]")
LLM_HINT = (
    "Offline mode: answers are sentences copied from your documents. For written answers from an LLM, "
    "set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (any OpenAI-compatible server, e.g. Ollama at "
    "http://localhost:11434/v1) and restart `rag chat`."
)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _text_with_markers(text: str, turn: str, known: set[int]) -> str:
    """Escaped text, `[n]` turned into a same-page link to source card n when that citation exists."""
    out: list[str] = []
    pos = 0
    for m in _MARKER.finditer(text):
        out.append(esc(text[pos : m.start()]))
        n = int(m.group(1))
        if n in known:
            out.append(f'<a class="rag-cite" href="#src-{turn}-{n}">[{n}]</a>')
        else:
            out.append(esc(m.group(0)))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def streaming_html(text: str) -> str:
    """The answer so far, while it streams (markers become links once the citations arrive)."""
    body = esc(text).replace("\n", "<br>") if text else '<span class="rag-wait">…</span>'
    return f'<div class="rag-answer rag-streaming"><div class="rag-text">{body}</div></div>'


def highlighted_passage(c: Citation) -> str:
    """The cited passage with its cited sentences in <mark>; spans are absolute, so shift by c.start."""
    spans = sorted((max(s - c.start, 0), min(e - c.start, len(c.text))) for s, e in c.highlights if e > s)
    out: list[str] = []
    pos = 0
    for s, e in spans:
        if s < pos or s >= e:
            continue  # overlapping or out-of-range span: the earlier highlight already covers it
        out.append(esc(c.text[pos:s]))
        out.append(f"<mark>{esc(c.text[s:e])}</mark>")
        pos = e
    out.append(esc(c.text[pos:]))
    return "".join(out).replace("\n", "<br>")


def source_card(c: Citation, turn: str) -> str:
    meta = " · ".join(esc(x) for x in (c.publisher, c.date) if x)
    return (
        f'<details class="rag-source" id="src-{turn}-{c.n}">'
        f'<summary><span class="rag-n">[{c.n}]</span> <span class="rag-title">{esc(c.title or c.doc)}</span>'
        + (f' <span class="rag-meta">{meta}</span>' if meta else "")
        + "</summary>"
        f'<div class="rag-passage">{highlighted_passage(c)}</div>'
        f'<div class="rag-where">{esc(c.doc)}, characters {c.start}–{c.end}</div>'
        "</details>"
    )


def timings_html(timings: Mapping[str, float]) -> str:
    parts = " · ".join(f"{esc(k)} {v:.0f} ms" for k, v in timings.items())
    return f'<details class="rag-timings"><summary>timing</summary>{parts}</details>'


def answer_html(answer: Answer, turn: str) -> str:
    """The finished answer: rewritten question, text with linked markers, note, source cards, timing."""
    known = {c.n for c in answer.citations}
    classes = "rag-answer rag-refused" if answer.refused else "rag-answer"
    parts = [f'<div class="{classes}">']
    if answer.rewritten:
        parts.append(f'<div class="rag-rewritten">Searched for: <q>{esc(answer.rewritten)}</q></div>')
    if answer.refused:
        parts.append('<div class="rag-refusal">Not answered by the documents</div>')
    parts.append(f'<div class="rag-text">{_text_with_markers(answer.answer, turn, known)}</div>')
    if answer.note:
        parts.append(f'<div class="rag-note">{esc(answer.note)}</div>')
    if answer.citations:
        label = "Closest passage" if answer.refused else "Sources"
        cards = "".join(source_card(c, turn) for c in answer.citations)
        parts.append(f'<div class="rag-sources"><div class="rag-sources-label">{label}</div>{cards}</div>')
    parts.append(
        f'<div class="rag-footer"><span class="rag-mode">{esc(answer.mode)}</span>'
        f"{timings_html(answer.timings_ms)}</div>"
    )
    parts.append("</div>")
    return "".join(parts)


def error_html(message: str) -> str:
    return f'<div class="rag-answer rag-error"><div class="rag-text">{esc(message)}</div></div>'


def mode_banner(mode: str) -> str:
    if mode == "extractive":
        return f'<div class="rag-banner">Mode: <b>offline extractive</b>. {esc(LLM_HINT)}</div>'
    return f'<div class="rag-banner">Mode: <b>{esc(mode)}</b></div>'


def documents_table(rows: Iterable[tuple[str, str, int, bool]]) -> str:
    """(file, title, chunks, uploaded) rows; titles come from documents, so they are escaped too."""
    body = "".join(
        f"<tr><td>{esc(doc)}</td><td>{esc(title)}</td><td>{chunks}</td>"
        f"<td>{'upload' if uploaded else 'ingest folder'}</td></tr>"
        for doc, title, chunks, uploaded in rows
    )
    return (
        '<table class="rag-docs"><thead><tr><th>file</th><th>title</th><th>chunks</th><th>from</th></tr>'
        f"</thead><tbody>{body}</tbody></table>"
    )


def notice_html(text: str, kind: str = "info") -> str:
    cls = "rag-notice-error" if kind == "error" else "rag-notice"
    return f'<div class="{cls}">{esc(text)}</div>'
