"""Link a paragraph to its translation when a document interleaves two languages.

Why: a Korean question whose answer sits in an English paragraph ranks that paragraph 9th-16th by
dense + BM25 alone (stack-notes). When the corpus itself carries the translation, linking the two lets
retrieval bring in both and lets the answerer quote the question's language.
A pair is accepted only when the two chunks are neighbours in the document, differ in language,
embed close together (cross-lingual e5 similarity), have plausible relative lengths, and do not
contradict each other's numbers ("3년차" may translate "third year", so only disjoint numbers veto).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from rag.core.records import Chunk

TWIN_MIN_SIMILARITY = 0.80
TWIN_WINDOW = 3  # translations follow their source closely; "en en ko ko" layouts need a window > 1
_NUM = re.compile(r"\d+")


def _numbers(text: str) -> set[str]:
    return set(_NUM.findall(text.replace(",", "")))


def _plausible_lengths(a: Chunk, b: Chunk) -> bool:
    en, ko = (a, b) if a.lang == "en" else (b, a)
    ratio = len(ko.text) / max(len(en.text), 1)
    return 0.15 <= ratio <= 1.6


def link_twins(chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> list[Chunk]:
    """Return the chunks with `twin` set on both members of each accepted pair.

    Greedy one-to-one matching, most similar pair first, among nearby chunks of different languages.
    Measured on the shipped bilingual article: translation pairs score 0.817-0.885 with e5, nearby
    non-pairs 0.76-0.826; one-to-one matching resolves the overlap because every non-pair's chunks
    are already taken by a better pair.
    """
    order = sorted(range(len(chunks)), key=lambda i: chunks[i].start)
    vecs = np.asarray(embeddings, dtype=np.float32)
    candidates: list[tuple[float, int, int]] = []
    for pos, i in enumerate(order):
        for j in order[pos + 1 : pos + 1 + TWIN_WINDOW]:
            a, b = chunks[i], chunks[j]
            if a.lang == b.lang or a.section != b.section or a.section == "header":
                continue
            na, nb = _numbers(a.text), _numbers(b.text)
            if not _plausible_lengths(a, b) or (na and nb and not na & nb):
                continue
            sim = float(vecs[i] @ vecs[j])
            if sim >= TWIN_MIN_SIMILARITY:
                candidates.append((sim, i, j))
    twins: dict[int, int] = {}
    for _sim, i, j in sorted(candidates, reverse=True):
        if i not in twins and j not in twins:
            twins[i], twins[j] = j, i
    return [replace(c, twin=chunks[twins[k]].id) if k in twins else c for k, c in enumerate(chunks)]
