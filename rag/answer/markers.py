"""Citation markers in generated text: keep the ones that name a shown passage, renumber by first use.

Runs incrementally on the stream, so the text the user watches arrive is already the final text:
a marker naming no passage ("[9]" with five passages) never appears, and "[3]" cited first becomes
"[1]", exactly as the extractive answerer numbers its citations. A marker split across stream pieces
("[", "1", "]") is held back until it is complete.
"""

from __future__ import annotations

import re

from rag.answer.policy import AnswerPolicy, resolve

_PARTIAL = re.compile(r"\s*\[[\d,\s]*")
_FULL = re.compile(r"(\s*)\[([\d,\s]+)\]")


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

    def feed(self, piece: str) -> str:
        out: list[str] = []
        for ch in piece:
            out.append(self._step(ch))
        return "".join(out)

    def flush(self) -> str:
        pending, self._pending = self._pending, ""
        return pending

    def _step(self, ch: str) -> str:
        if not self._pending:
            if ch.isspace() or ch == "[":
                self._pending = ch
                return ""
            return ch
        candidate = self._pending + ch
        full = _FULL.fullmatch(candidate)
        if full:
            self._pending = ""
            return self._resolve(full.group(1), full.group(2))
        if len(candidate) <= self.max_pending and (candidate.isspace() or _PARTIAL.fullmatch(candidate)):
            self._pending = candidate
            return ""
        # Not a marker after all: release what was held, then look at this character afresh.
        held, self._pending = self._pending, ""
        if held.isspace() and ch.isspace():
            self._pending = held + ch if len(held) < self.max_pending else ch
            return "" if len(held) < self.max_pending else held
        return held + self._step(ch)

    def _resolve(self, space: str, body: str) -> str:
        kept: list[int] = []
        for part in body.split(","):
            part = part.strip()
            if not part:
                continue
            n = int(part)
            if 1 <= n <= self.valid:
                kept.append(self.numbers.setdefault(n, len(self.numbers) + 1))
            else:
                self.dropped.append(n)
        if not kept:
            return ""  # the marker and the space before it go: "sunny [9]." -> "sunny."
        return space + "".join(f"[{k}]" for k in dict.fromkeys(kept))


def rewrite_markers(text: str, valid: int, policy: AnswerPolicy | None = None) -> tuple[str, MarkerRewriter]:
    rw = MarkerRewriter(valid, policy)
    out = rw.feed(text) + rw.flush()
    return out, rw
