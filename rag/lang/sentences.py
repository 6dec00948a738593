"""The one sentence splitter: character-offset-exact spans, for English and Korean.

Hand-written because the usual splitters (nltk punkt, spaCy) do not know Korean endings, need data
downloads, or are not character-offset exact; every chunk's sentence spans, and so every citation's
span, come from here.
"""

from __future__ import annotations

import re

from rag.lang.script import HANGUL

_TERMINATORS = ".?!…。？！"
_CLOSERS = "\"'”’)]}»」』》〉"
_OPENERS = "\"'“‘([{«「『《〈"
# Words after which a period almost never ends a sentence (titles, "e.g.", month abbreviations...).
# fmt: off
_NEVER_END = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm",
    "gov", "sen", "rep", "rev", "hon", "pres", "supt", "messrs", "mt", "ft", "e.g", "i.e", "cf", "vs",
    "no", "nos", "vol", "pp", "fig", "art", "sec", "ch", "approx", "est", "dept", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})
# fmt: on
# After an acronym ("U.S.", "D.C.", "Inc.") a capitalised word is usually a name ("U.S. President"), so a
# boundary is assumed only before words that typically open a sentence.
# fmt: off
_SENTENCE_STARTERS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i",
    "you", "his", "her", "our", "their", "there", "here", "in", "on", "at", "but", "and", "or", "so",
    "yet", "however", "meanwhile", "also", "if", "when", "while", "after", "before", "as", "since",
    "although", "because", "then", "still", "instead", "according",
})
# fmt: on
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$|^(?:inc|ltd|co|corp|etc|llc|plc)$", re.IGNORECASE)



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
