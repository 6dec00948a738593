"""How an answer is checked against a case: fact patterns, forbidden content, evidence in citations.

Normalisation follows the dataset schema: whitespace collapsed, digit-grouping commas removed, and
Hangul patterns also tried against the answer with all spaces removed (Korean spacing varies freely).
"""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3})")


def normalise(text: str) -> str:
    return _DIGIT_COMMA.sub("", " ".join(text.split()))


def pattern_matches(pattern: str, text: str) -> bool:
    norm = normalise(text)
    if re.search(pattern, norm, re.IGNORECASE):
        return True
    return bool(_HANGUL.search(pattern)) and bool(re.search(pattern, norm.replace(" ", ""), re.IGNORECASE))


def facts_present(groups: tuple[tuple[str, ...], ...], answer: str) -> bool:
    return all(any(pattern_matches(p, answer) for p in group) for group in groups)


def forbidden_present(patterns: tuple[str, ...], answer: str) -> list[str]:
    return [p for p in patterns if pattern_matches(p, answer)]


def passage_has_evidence(evidence: tuple[str, ...], passage: str) -> bool:
    flat = " ".join(passage.split())
    return any(" ".join(e.split()) in flat for e in evidence)
