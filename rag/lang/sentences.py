"""The one sentence splitter: character-offset-exact spans, for English and Korean documents, and the
same rules over plain text and over answers that cite with [n] markers.

Hand-written because the usual splitters (nltk punkt, spaCy) do not know Korean endings, need data
downloads, or are not character-offset exact; every chunk's sentence spans, and so every citation's
span, come from here.
"""

from __future__ import annotations

import re

from rag.lang import wordlists
from rag.lang.script import HANGUL

_TERMINATORS = ".?!…。？！"
_CLOSERS = "\"'”’)]}»」』》〉"
_OPENERS = "\"'“‘([{«「『《〈"
# Words after which a period almost never ends a sentence (titles, "e.g.", month abbreviations...).
_NEVER_END = wordlists.word_set("en_abbreviations")
# After an acronym ("U.S.", "D.C.", "Inc.") a capitalised word is usually a name ("U.S. President"), so a
# boundary is assumed only before words that typically open a sentence.
_SENTENCE_STARTERS = wordlists.word_set("en_sentence_starters")
_ACRONYM = re.compile(
    rf"^(?:[A-Za-z]\.)+[A-Za-z]$|^(?:{wordlists.alternation('en_company_abbreviations')})$", re.IGNORECASE
)
# A run of citation markers: "[1]", "[2][3]", "[2] [3]".
_MARKERS = re.compile(r"\[\d+\](?:\s*\[\d+\])*")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute, whitespace-stripped, never empty) covering every non-space char of the range.

    A blank line is always a boundary; single newlines are not (they are usually soft wraps).
    """
    spans: list[tuple[int, int]] = []
    seg_start = start
    for match in re.finditer(r"\n[^\S\n]*\n\s*", text[start:end]):
        spans.extend(_split_segment(text, seg_start, start + match.start()))
        seg_start = start + match.end()
    spans.extend(_split_segment(text, seg_start, end))
    return spans


def _split_segment(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    sent_start = start
    i = start
    while i < end:
        if text[i] not in _TERMINATORS:
            i += 1
            continue
        j = i
        while j < end and text[j] in _TERMINATORS:
            j += 1
        closed = j
        while closed < end and text[closed] in _CLOSERS:
            closed += 1
        if _is_boundary(text, i, j, closed, end):
            spans.append((sent_start, closed))
            sent_start = closed
        i = closed if closed > i else i + 1
    spans.append((sent_start, end))
    return [s for s in (strip_span(text, a, b) for a, b in spans) if s is not None]


def _is_boundary(text: str, first: int, after_terms: int, after_closers: int, end: int) -> bool:
    """Decide whether the terminator run text[first:after_terms] (plus closers) ends a sentence."""
    if after_closers >= end:
        return True
    nxt = text[after_closers]
    prev = text[first - 1] if first > 0 else ""
    if not nxt.isspace():
        # Korean quoted speech: 말했다.”고 / 이냐?”는 — a particle glued to the closing quote continues the sentence.
        # Unquoted Korean prose sometimes omits the space after a period ("했다.그리고"): that is a boundary.
        glued_hangul = bool(HANGUL.match(nxt)) or nxt in _OPENERS
        return after_closers == after_terms and bool(HANGUL.match(prev)) and glued_hangul
    rest = text[after_closers:end].lstrip()
    if not rest:
        return True
    terms = text[first:after_terms]
    if terms not in (".", "…", "...") or HANGUL.match(prev):
        return (
            True  # "?" and "!" end sentences; Korean has no abbreviations ("했다. 3일에는" is two sentences)
        )
    word = re.match(r"[^\s]+", rest)
    next_word = word.group(0).lstrip(_OPENERS) if word else ""
    if next_word[:1].islower() or (next_word[:1].isdigit() and after_closers == after_terms):
        return False  # "approx. five", "No. 5", "p. 12"
    if after_closers > after_terms or terms != ".":
        return True
    token = _token_before(text, first)
    if token.lower() in _NEVER_END or re.fullmatch(r"[A-Z]", token):
        return False  # "Mr. Kim", "N. Korea", "J. R. Smith"
    if re.fullmatch(r"\d{1,2}", token) and _line_start(text, first - len(token)):
        return False  # enumerated list marker "1. Item"
    if _ACRONYM.match(token):
        return next_word.lower().strip(",;:") in _SENTENCE_STARTERS or bool(HANGUL.match(next_word))
    return True


def _token_before(text: str, pos: int) -> str:
    start = pos
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _OPENERS:
        start -= 1
    return re.sub(r"^\W+", "", text[start:pos])  # "@U.S." -> "U.S"


def _line_start(text: str, pos: int) -> bool:
    line_begin = text.rfind("\n", 0, pos) + 1
    return not text[line_begin:pos].strip()


def strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def sentence_texts(text: str) -> list[str]:
    """The sentences of a whole text as strings, by the rules of `split_sentences`."""
    return [text[a:b] for a, b in split_sentences(text, 0, len(text))]


def answer_sentences(text: str) -> list[str]:
    """The sentences of an answer that cites with [n] markers, by the rules of `split_sentences`, each
    keeping the markers that close it: "A [1]. B. [2] C [3]" -> "A [1].", "B. [2]", "C [3]". A marker
    run followed by more text also ends a claim ("X [1] and Y [2]." is two), and every new line ends
    one (answers are not soft-wrapped)."""
    out: list[str] = []
    for line in text.split("\n"):
        pos = 0
        for m in _MARKERS.finditer(line):
            end = m.end()
            while end < len(line) and line[end] in _TERMINATORS + _CLOSERS:
                end += 1  # "[1]." ends where its period does
            if end < len(line) and line[end].isspace() and line[end:].strip():
                out.extend(_closed_by_markers(line, pos, end))
                pos = end
        out.extend(_closed_by_markers(line, pos, len(line)))
    return out


def _closed_by_markers(line: str, start: int, end: int) -> list[str]:
    """Sentences of line[start:end], a sentence that is only its markers joined to the one before
    ("열렸다. [1]": a period before a Korean marker is a boundary to `split_sentences`)."""
    spans: list[tuple[int, int]] = []
    for a, b in split_sentences(line, start, end):
        if spans and _MARKERS.match(line, a):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return [line[a:b] for a, b in spans]
