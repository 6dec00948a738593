"""Is a gold answer in a text? SQuAD-style normalisation, with whole-token edges for Latin and digits.

One definition for every public-data figure (retrieval hit@k, facts, the baseline, training labels).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_PUNCT = re.compile(r"[^\w\s]")
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")


def normalize_answer(text: str) -> str:
    """Lowercase, NFKC, punctuation and English articles out, spaces squashed (the SQuAD convention)."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = _ARTICLES.sub(" ", _PUNCT.sub(" ", t))
    return " ".join(t.split())


def contains_answer(text: str, answers: Sequence[str]) -> bool:
    """A gold answer appears in the text. Latin letters and digits must not run on ("16" is not in
    "1600"); Hangul may, since Korean glues particles and counters to the answer ("1176년에")."""
    nt = normalize_answer(text)
    for a in answers:
        na = normalize_answer(a)
        if na and re.search(rf"(?<![a-z0-9]){re.escape(na)}(?![a-z0-9])", nt):
            return True
    return False
