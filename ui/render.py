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
from ui.plain import plain_text

REFUSAL_LABEL = {"en": "Not answered by the documents", "ko": "문서에 답이 없습니다"}
RELATED_LABEL = {"en": "Related passages — not an answer", "ko": "관련 대목 — 답이 아님"}
SAME_AS_BEFORE = {
    "en": "Same passages as an earlier answer in this chat: the documents say nothing more on this.",
    "ko": "이 대화의 앞선 답과 같은 대목입니다. 문서에 더 나온 내용이 없습니다.",
}

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


def source_card(c: Citation, turn: str, related: bool = False) -> str:
    """A source card; `related` cards (a refusal's closest passages) carry no [n]: nothing cites them."""
    meta = " · ".join(esc(x) for x in (c.publisher, c.date) if x)
    number = "" if related else f'<span class="rag-n">[{c.n}]</span> '
    kind = "rag-source rag-related-card" if related else "rag-source"
    return (
        f'<details class="{kind}" id="src-{turn}-{c.n}">'
        f'<summary>{number}<span class="rag-title">{esc(c.title or c.doc)}</span>'
        + (f' <span class="rag-meta">{meta}</span>' if meta else "")
        + "</summary>"
        f'<div class="rag-passage">{highlighted_passage(c)}</div>'
        f'<div class="rag-where">{esc(c.doc)}, characters {c.start}–{c.end}</div>'
        "</details>"
    )


def timings_html(timings: Mapping[str, float]) -> str:
    parts = " · ".join(f"{esc(k)} {v:.0f} ms" for k, v in timings.items())
    return f'<details class="rag-timings"><summary>timing</summary>{parts}</details>'


def _strip_markers(text: str) -> str:
    """A refusal's text without [n]: its related passages are not citations of an answer."""
    return re.sub(r"\s*\[\d{1,3}\]", "", text)


def answer_html(answer: Answer, turn: str, repeated: bool = False) -> str:
    """The finished answer: rewritten question, text with linked markers, note, source cards, timing,
    and a hidden plain-text copy (what the copy button puts on the clipboard). A refusal has a label
    in the question's language and its related passages folded away, marked as not an answer.
    `repeated`: the same text as an earlier answer of the conversation (said so, not hidden)."""
    lang = answer.lang if answer.lang in REFUSAL_LABEL else "en"
    known = {c.n for c in answer.citations}
    classes = "rag-answer rag-refused" if answer.refused else "rag-answer"
    parts = [f'<div class="{classes}" lang="{lang}">']
    if answer.rewritten:
        searched = "검색한 질문" if lang == "ko" else "Searched for"
        parts.append(f'<div class="rag-rewritten">{searched}: <q>{esc(answer.rewritten)}</q></div>')
    if answer.refused:
        parts.append(f'<div class="rag-refusal">{REFUSAL_LABEL[lang]}</div>')
        parts.append(
            f'<div class="rag-text">{esc(_strip_markers(answer.answer)).replace(chr(10), "<br>")}</div>'
        )
    else:
        parts.append(f'<div class="rag-text">{_text_with_markers(answer.answer, turn, known)}</div>')
    if answer.note:
        parts.append(f'<div class="rag-note">{esc(answer.note)}</div>')
    if repeated and not answer.refused:
        parts.append(f'<div class="rag-note rag-repeated">{SAME_AS_BEFORE[lang]}</div>')
    if answer.citations and answer.refused:
        cards = "".join(source_card(c, turn, related=True) for c in answer.citations)
        parts.append(
            f'<details class="rag-related"><summary>{RELATED_LABEL[lang]} ({len(answer.citations)})</summary>'
            f"{cards}</details>"
        )
    elif answer.citations:
        label = "출처" if lang == "ko" else "Sources"
        cards = "".join(source_card(c, turn) for c in answer.citations)
        parts.append(f'<div class="rag-sources"><div class="rag-sources-label">{label}</div>{cards}</div>')
    parts.append(
        f'<div class="rag-footer"><span class="rag-mode">{esc(answer.mode)}</span>'
        f"{timings_html(answer.timings_ms)}</div>"
    )
    parts.append(f'<div class="rag-plain" hidden>{esc(plain_text(answer))}</div>')
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
    """A status line; errors are announced to screen readers at once (role=alert)."""
    if kind == "error":
        return f'<div class="rag-notice-error" role="alert">{esc(text)}</div>'
    return f'<div class="rag-notice" role="status">{esc(text)}</div>'
