"""Korean particles and predicate endings, stripped so "서울은" keys on "서울" and "발표했나" on "발표"."""

from __future__ import annotations

from functools import lru_cache

from rag.lang import wordlists
from rag.lang.script import HANGUL_BASE, is_hangul

# Longest first, so "에서는" is tried before "에서" before "에" (a stable sort: equally long ones keep the
# file's order). "이나"/"나" are left out (the file says why).
_PARTICLES = sorted(wordlists.words("ko_particles"), key=len, reverse=True)


CASE_PARTICLES = wordlists.word_set("ko_case_particles")


# Question/predicate endings: "발표했나" keys on "발표", marked as a predicate (paraphrased freely).
_ENDINGS = sorted(wordlists.words("ko_endings"), key=len, reverse=True)


@lru_cache(maxsize=65536)
def strip_particle(word: str) -> str:
    """Drop one trailing particle when at least two syllables remain ("서울은" -> "서울", "우크라이나" kept),
    or any that "으로" opens, which no noun's own syllables do ("명으로" -> "명", not "명으")."""
    for p in _PARTICLES:
        if word.endswith(p) and (len(word) - len(p) >= 2 or (p.startswith("으로") and len(word) > len(p))):
            return word[: -len(p)]
    return word


@lru_cache(maxsize=65536)
def strip_ending(word: str) -> str:
    for e in _ENDINGS:
        if word.endswith(e) and len(word) - len(e) >= 1:
            return word[: -len(e)]
    return word


def has_final_consonant(syllable: str) -> bool:
    """Does a Hangul syllable end in a consonant (받침)? It picks the particle: "서울이", "도쿄가"."""
    return bool(syllable) and is_hangul(syllable) and (ord(syllable[-1]) - HANGUL_BASE) % 28 != 0
