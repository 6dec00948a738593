"""Cut cleaned blocks into citation-sized chunks whose offsets point exactly into the document text.

A chunk is what retrieval returns and what an answer cites, so ``text[start:end]`` must be precisely the chunk's
content (never dropped noise), chunks must not mix header/body/aside, and sentence spans are kept so citations can
point at a single sentence.  Sentence splitting is hand-written because the usual splitters (nltk punkt, spaCy) do
not know Korean endings, need data downloads, or are not character-offset exact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.lang.sentences import split_sentences, strip_span

if TYPE_CHECKING:
    from index.cleaning import Block

_CLAUSE_BREAK = re.compile(r"[,;:，、](?=\s)|\s[-–—](?=\s)")


@dataclass(frozen=True)
class ChunkSpan:
    """One chunk: ``text[start:end]`` is its exact content; ``sentences`` are absolute, stripped spans in it."""

    start: int
    end: int
    section: str
    sentences: tuple[tuple[int, int], ...]


def chunk_blocks(
    text: str, blocks: Sequence[Block], max_chars: int = 700, min_chars: int = 0
) -> list[ChunkSpan]:
    """One chunk per block; oversized blocks split at sentences; adjacent header blocks merged when they fit.

    ``min_chars`` only affects oversized blocks: a trailing piece shorter than it takes sentences from the piece
    before it (staying within ``max_chars``), so splitting does not leave a tiny fragment as its own chunk.
    """
    if max_chars <= 0 or not 0 <= min_chars <= max_chars:
        raise ValueError("need max_chars > 0 and 0 <= min_chars <= max_chars")
    chunks: list[ChunkSpan] = []
    for block in blocks:
        sentences = split_sentences(text, block.start, block.end)
        if not sentences:
            continue
        prev = chunks[-1] if chunks else None
        if (
            prev is not None
            and block.kind == "header"
            and prev.section == "header"
            and block.end - prev.start <= max_chars
            and not text[prev.end : block.start].strip()
        ):
            chunks[-1] = ChunkSpan(prev.start, block.end, "header", prev.sentences + tuple(sentences))
            continue
        for piece in _pack(text, _cap_sentences(text, sentences, max_chars), max_chars, min_chars):
            chunks.append(ChunkSpan(piece[0][0], piece[-1][1], block.kind, tuple(piece)))
    return chunks


def _cap_sentences(text: str, sentences: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Cut any sentence longer than max_chars at a clause break, else at whitespace, else (unavoidably) mid-word."""
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        while end - start > max_chars:
            window = text[start : start + max_chars + 1]
            clauses = [m.end() for m in _CLAUSE_BREAK.finditer(window) if m.end() <= max_chars]
            spaces = [m.start() for m in re.finditer(r"\s", window)]
            if clauses and clauses[-1] >= max_chars // 2:
                cut = clauses[-1]
            elif spaces and spaces[-1] > 0:
                cut = spaces[-1]
            else:
                cut = max_chars
            piece = strip_span(text, start, start + cut)
            if piece is None:  # cannot happen for a stripped sentence, but keeps the loop provably finite
                break
            out.append(piece)
            nxt = strip_span(text, piece[1], end)
            if nxt is None:
                start = end
                break
            start = nxt[0]
        if end > start:
            out.append((start, end))
    return out


def _pack(
    text: str, sentences: list[tuple[int, int]], max_chars: int, min_chars: int
) -> list[list[tuple[int, int]]]:
    pieces: list[list[tuple[int, int]]] = []
    for sent in sentences:
        if pieces and sent[1] - pieces[-1][0][0] <= max_chars:
            pieces[-1].append(sent)
        else:
            pieces.append([sent])
    # Rebalance a short tail: move whole sentences from the previous piece while both constraints hold.
    while len(pieces) >= 2 and pieces[-1][-1][1] - pieces[-1][0][0] < min_chars and len(pieces[-2]) > 1:
        moved = pieces[-2][-1]
        if pieces[-1][-1][1] - moved[0] > max_chars:
            break
        pieces[-2].pop()
        pieces[-1].insert(0, moved)
    return pieces
