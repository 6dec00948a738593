"""Which script a text is written in: the one definition of the Hangul and Latin character classes."""

from __future__ import annotations

import re

# Hangul syllables (U+AC00..U+D7A3), the range every Korean-aware rule in the project uses.
HANGUL_RANGE = "\uac00-\ud7a3"
# The first syllable, 가: a syllable's code minus this is (initial * 21 + medial) * 28 + final.
HANGUL_BASE = 0xAC00


HANGUL = re.compile(f"[{HANGUL_RANGE}]")
HANGUL_WORD = re.compile(f"[{HANGUL_RANGE}]+")


LATIN = re.compile(r"[A-Za-z]")


def is_hangul(text: str) -> bool:
    """Does the text start with a Hangul syllable (the test for 'this is a Korean word')."""
    return bool(text) and bool(HANGUL.match(text))


def detect_lang(text: str) -> str:
    """'ko' when Hangul dominates the letters, else 'en'. Mixed text counts by letters, not words."""
    hangul = len(HANGUL.findall(text))
    latin = len(LATIN.findall(text))
    if hangul == 0 and latin == 0:
        return "en"
    # A Hangul syllable carries about as much as 2-3 Latin letters; weight so mixed lines judge fairly.
    return "ko" if hangul * 2.5 >= latin else "en"


def script_share(text: str, lang: str) -> float:
    """Share of the text's letters written in the script of `lang` (Hangul for ko, Latin for en),
    weighted like `detect_lang`; a scraped paragraph can hold both languages side by side."""
    hangul = len(HANGUL.findall(text)) * 2.5
    latin = len(LATIN.findall(text))
    total = hangul + latin
    if not total:
        return 0.0
    return (hangul if lang == "ko" else latin) / total
