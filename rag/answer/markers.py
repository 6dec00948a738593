"""Citation markers in generated text: recognise the forms models write, keep the ones that name a shown
passage, renumber them by first use and show them in the one canonical form, `[n]`.

Runs incrementally on the stream, so the text the user watches arrive is already the final text:
a marker naming no passage ("[9]" with five passages) never appears, and "[3]" cited first becomes
"[1]", exactly as the extractive answerer numbers its citations. A marker split across stream pieces
("[", "1", "]") is held back until it is complete (at most `marker_max_pending` characters).

Forms (seen from small models on real servers, issue 16): `[1]`, `[1, 2]`, `[1][2]`, `[Passage 1]`,
`[passages 1 and 2]`, `[^1]` (a markdown footnote), `【1】` and `［1］` (full-width), `[문단 1]`,
`[출처 1]`, `[1-3]` (1, 2 and 3), and `(1)` / `(Passage 1)`. A bare `(n)` is a marker only where it cannot be something else:
every number in it names a passage, it does not start a line, and it closes a sentence (sentence
punctuation, a line break or the end follows). "(2019)", "(3 km)" and "(1) first, (2) second" stay
text. A bracketed marker whose numbers name no passage is removed with the space before it. A marker
that opens a line ("[1] The bridge reopened.", a small model copying the passage labels) is moved to
the end of that line.
"""

from __future__ import annotations

import re

from rag.answer.policy import AnswerPolicy, resolve

_OPENERS = "[【［(（"
_CLOSERS = {"[": "]", "【": "】", "［": "］", "(": ")", "（": "）"}
_LABEL = r"(?:passages?|sources?|documents?|docs?|refs?|문단|단락|출처|자료|참고|#|\^)"
_SEP = r"(?:,|，|、|;|\band\b|&|및|와|과)"
_ITEM = r"\d+(?:\s*[-–~]\s*\d+)?"  # a number or a range, "2-3"
_NUMBERS = rf"{_LABEL}?\s*{_ITEM}(?:\s*{_SEP}\s*{_LABEL}?\s*{_ITEM})*"
_ITEMS = re.compile(r"(\d+)(?:\s*[-–~]\s*(\d+))?")
_RANGE_MAX = 10  # "[1-3]" is 1, 2, 3; a longer "range" is more likely a span of years or pages
_FULL = re.compile(rf"(\s*)([{re.escape(_OPENERS)}])\s*({_NUMBERS})\s*([\]】］)）])", re.IGNORECASE)
_LABELLED = re.compile(rf"^\s*{_LABEL}", re.IGNORECASE)
# What may sit between an opener and its closer while the marker is still arriving.
_PARTIAL = re.compile(rf"\s*[{re.escape(_OPENERS)}][^\]】］)）\n{re.escape(_OPENERS)}]*")
_SENTENCE_END = frozenset(".!?。！？\n")


class MarkerRewriter:
    """`rw = MarkerRewriter(5)`; `rw.feed(piece)` for each streamed piece, then `rw.flush()`.
    At most `AnswerPolicy.marker_max_pending` characters are held back as a possible marker."""

    def __init__(self, valid: int, policy: AnswerPolicy | None = None) -> None:
        if isinstance(valid, bool) or not isinstance(valid, int) or valid < 0:
            raise ValueError(f"MarkerRewriter: valid must be a passage count >= 0 (got {valid!r})")
        self.max_pending = resolve(policy, "MarkerRewriter").marker_max_pending
        self.valid = valid  # markers 1..valid name a passage
        self.numbers: dict[int, int] = {}  # prompt passage number -> answer citation number
        self.dropped: list[int] = []
        self._pending = ""
        self._paren: re.Match[str] | None = None  # a complete "(n)": a marker if a sentence end follows
        self._last = "\n"  # the last character let out ("\n" at the start: a line starts there)
        self._carry = ""  # a marker that opened its line, shown where the line ends
        self._skip_space = False  # the space after a marker that opened its line goes with it

    def feed(self, piece: str) -> str:
        out: list[str] = []
        for ch in piece:
            out.append(self._step(ch))
        text = "".join(out)
        if text:
            self._last = text[-1]
        return text

    def flush(self) -> str:
        # The end of the answer closes the sentence: a held "(n)" cites.
        out = self._resolve(self._paren) if self._paren is not None else self._pending
        self._pending, self._paren = "", None
        if self._carry:
            out, self._carry = out.rstrip() + " " + self._carry, ""
        return out

    def _step(self, ch: str) -> str:
        if self._skip_space:
            self._skip_space = False
            if ch in " \t":
                return ""
        if self._paren is not None:
            held, match = self._pending, self._paren
            self._pending, self._paren = "", None
            out = self._resolve(match) if ch in _SENTENCE_END else held
            return out + self._step(ch)
        if not self._pending:
            if ch.isspace() or ch in _OPENERS:
                self._pending = ch
                return ""
            return self._emit(ch)
        candidate = self._pending + ch
        full = _FULL.fullmatch(candidate)
        if full:
            if full.group(2) in "(（" and not _LABELLED.match(full.group(3)):
                if self._bare_paren_may_cite(full):
                    self._pending, self._paren = candidate, full
                    return ""
            else:
                self._pending = ""
                return self._resolve(full)
        elif len(candidate) <= self.max_pending and (
            candidate.isspace() or (_PARTIAL.fullmatch(candidate) and ch not in _CLOSERS.values())
        ):
            self._pending = candidate
            return ""
        # Not a marker after all: release what was held, then look at this character afresh.
        held, self._pending = self._pending, ""
        if held.isspace() and ch.isspace():
            self._pending = held + ch if len(held) < self.max_pending else ch
            return "" if len(held) < self.max_pending else self._emit(held)
        if full:  # a complete "(n)" that cannot be a citation: text
            return self._emit(candidate)
        return self._emit(held) + self._step(ch)

    def _emit(self, text: str) -> str:
        if self._carry and "\n" in text:
            i = text.index("\n")
            text, self._carry = f"{text[:i].rstrip()} {self._carry}{text[i:]}", ""
        if text:
            self._last = text[-1]
        return text

    def _bare_paren_may_cite(self, full: re.Match[str]) -> bool:
        """A bare "(n)" can cite only if every number names a passage and it does not open a line
        (a list item); whether a sentence end follows is decided on the next character."""
        numbers = _numbers(full.group(3))
        at_line_start = (not full.group(1) and self._last == "\n") or "\n" in full.group(1)
        return all(1 <= n <= self.valid for n in numbers) and not at_line_start

    def _resolve(self, full: re.Match[str]) -> str:
        space, lead = full.group(1), ""
        if "\n" in space:  # the line break before the marker stays; the marker then opens a line
            cut = space.rindex("\n") + 1
            lead, space = self._emit(space[:cut]), space[cut:]
        kept: list[int] = []
        for n in _numbers(full.group(3)):
            if 1 <= n <= self.valid:
                kept.append(self.numbers.setdefault(n, len(self.numbers) + 1))
            else:
                self.dropped.append(n)
        opens_line = self._last == "\n"
        self._skip_space = opens_line
        if not kept:
            return lead  # the marker and the space before it go: "sunny [9]." -> "sunny."
        markers = "".join(f"[{k}]" for k in dict.fromkeys(kept))
        if opens_line:
            # "[1] The bridge reopened." (a model copying the passage list's labels): the marker goes
            # to the end of its line, where every other answer puts it and verification looks for it.
            self._carry += markers
            return lead
        if not space and not (self._last.isspace() or self._last == "]"):
            space = " "  # "Cameron【1】" -> "Cameron [1]", as every other answer writes it
        out = space + markers
        self._last = out[-1]
        return lead + out


def _numbers(body: str) -> list[int]:
    out: list[int] = []
    for first, last in _ITEMS.findall(body):
        a, b = int(first), int(last or first)
        out.extend(range(a, b + 1) if 0 <= b - a < _RANGE_MAX else (a, b) if last else (a,))
    return out


def rewrite_markers(text: str, valid: int, policy: AnswerPolicy | None = None) -> tuple[str, MarkerRewriter]:
    rw = MarkerRewriter(valid, policy)
    out = rw.feed(text) + rw.flush()
    return out, rw
