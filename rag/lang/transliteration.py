"""Does a Hangul word spell an English name? ("블링컨" ~ "Blinken", "코리아헤럴드" ~ "Korea Herald").

Why this is our own code: foreign names reach Korean text as transliterations, which no dictionary
lists (rag.lang.lexicon) and no installable package reverses. Both spellings are reduced to the same
consonant skeleton: vowels and glides dropped (Korean adds vowels English lacks: "beul-ling-keon"),
letters Korean merges folded together (b/p/f/v, d/t, g/k/c/q, l/r, and s/z/sh/j/ch: Korean writes "z"
with ㅈ, "Zelensky" = 젤렌스키, and a German "s" too, "Siemens" = 지멘스), an "r" before no vowel dropped
as Korean drops it ("Park" = 박, "Carter" = 카터, "Morgan" = 모건), and repeats collapsed.
Names only ever match when the skeletons are equal and at least three consonants long, so short
common words do not collide.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

from rag.lang.script import HANGUL_BASE, HANGUL_WORD

MIN_KEY = 3
# Enough to keep a refusal from saying a text never mentions a name ("Tokyo" = 도쿄), not to answer by.
MIN_KEY_TO_MENTION = 2

# Korean syllable = initial (19) x medial (21) x final (28, the first is "none").
_INITIALS = ["k", "k", "n", "t", "t", "l", "m", "p", "p", "s", "s", "", "s", "s", "s", "k", "t", "p", "h"]
_FINALS = [
    "", "k", "k", "ks", "n", "ns", "nh", "t", "l", "lk", "lm", "lp", "ls", "lt", "lp", "lh", "m", "p",
    "ps", "s", "s", "nk", "s", "s", "k", "t", "p", "h",
]  # fmt: skip
_EN_RULES = [
    (re.compile(r"ph"), "p"),
    (re.compile(r"ck|ch(?=r)|q"), "k"),
    (re.compile(r"tch|ch|dg|sh|z|j"), "s"),
    (re.compile(r"th"), "t"),
    (re.compile(r"ng"), "nk"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"(?<=[bcdfgjklmnpqstvxz])h|gh"), ""),
    (re.compile(r"x"), "ks"),
    (re.compile(r"[bfv]"), "p"),
    (re.compile(r"d"), "t"),
    (re.compile(r"[cg]"), "k"),
    (re.compile(r"r(?![aeiouy])"), ""),
    (re.compile(r"r"), "l"),
    (re.compile(r"[aeiouwy]"), ""),
]
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def _collapse(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


@lru_cache(maxsize=16384)
def hangul_key(word: str) -> str:
    out: list[str] = []
    for ch in word:
        code = ord(ch) - HANGUL_BASE
        if not 0 <= code < 11172:
            return ""
        out.append(_INITIALS[code // 588] + _FINALS[code % 28])
    return _collapse("".join(out))


@lru_cache(maxsize=65536)
def latin_key(word: str) -> str:
    key = word.lower().replace("-", "")  # "Min-jun" is one name
    for pattern, repl in _EN_RULES:
        key = pattern.sub(repl, key)
    return _collapse(key)


def _latin_names(text: str) -> tuple[list[str], set[str]]:
    """The text's capitalised words in order, a hyphenated one joined (romanised Korean given names:
    김민준 = "Kim Min-jun"), and each capitalised part of a hyphenated word on its own ("Blinken-led",
    "pro-Trump"). Only capitalised words are names: "비밀" (secret) has the skeleton of "female"."""
    units: list[str] = []
    parts: set[str] = set()
    for word in _LATIN_WORD.findall(text):
        pieces = word.split("-")
        if word[0].isupper():
            units.append(word)  # latin_key reads "Min-jun" as one name
        if len(pieces) > 1:
            parts |= {p for p in pieces if p[:1].isupper()}
    return units, parts


def _keys(singles: Iterable[str], pairs: Iterable[str], min_key: int) -> frozenset[str]:
    """Skeletons long enough to match. A pair must always reach MIN_KEY: read together, two short
    words reach it too easily ("박 기자" = pk + ks)."""
    return frozenset({k for k in singles if len(k) >= min_key} | {k for k in pairs if len(k) >= MIN_KEY})


@lru_cache(maxsize=4096)
def names_in(text: str, min_key: int = MIN_KEY) -> frozenset[str]:
    """Skeletons of the text's names and of each pair of neighbouring ones ("Korea Herald")."""
    units, parts = _latin_names(text)
    singles = [latin_key(w) for w in [*units, *parts]]
    return _keys(singles, [pair_key(a, b) for a, b in itertools.pairwise(units)], min_key)


@lru_cache(maxsize=4096)
def hangul_names_in(text: str, min_key: int = MIN_KEY) -> frozenset[str]:
    """Skeletons of the text's Hangul words that can be names (particles off: "블링컨은") and of each
    pair of neighbouring ones ("제니 박" ~ "Janne Pak", whose parts alone are too short to match)."""
    from rag.lang.korean import strip_particle

    words = [strip_particle(w) for w in HANGUL_WORD.findall(text)]
    names = [w if _could_be_a_name_word(w) else "" for w in words]
    singles = [hangul_key(w) for w in names if w]
    pairs = [_collapse(hangul_key(a) + hangul_key(b)) for a, b in itertools.pairwise(names) if a and b]
    return _keys(singles, pairs, min_key)


def _could_be_a_name_word(word: str) -> bool:
    """Not a word the dictionary has (rag.lang.lexicon): with every consonant class merged, common words
    share names' skeletons ("것은" ~ Carson, "같은" ~ Gordon, "중국" ~ Zhang; measured: each once
    answered a question about that person). One syllable stays: a surname ("박") is a word too, and
    alone it is too short to match anyway."""
    from rag.lang import lexicon

    lex = lexicon.load()
    return lex is None or len(word) < 2 or not lex.is_word(word)


def pair_key(first: str, second: str) -> str:
    """The skeleton of two neighbouring English names read as one ("Janne Pak")."""
    return _collapse(latin_key(first) + latin_key(second))


def latin_spells_a_name_in(word: str, hangul_names: frozenset[str], min_key: int = MIN_KEY) -> bool:
    """An English name ("Blinken") written in Hangul in the text whose `hangul_names_in` is given."""
    key = latin_key(word)
    return len(key) >= min_key and key in hangul_names


def could_be_a_name(word: str) -> bool:
    """Long enough a Hangul word for its skeleton to be matched at all."""
    return len(hangul_key(word)) >= MIN_KEY


def spells_a_name_in(word: str, names: frozenset[str], min_key: int = MIN_KEY) -> bool:
    key = hangul_key(word)
    return len(key) >= min_key and key in names


def spelling_key(word: str) -> tuple[str, str] | None:
    """("latin" | "hangul", skeleton) under which a corpus word can spell a name written in the other
    script: Latin-letter words of 4 letters or more, Hangul words of 2 syllables or more, with a
    skeleton long enough to match. The lexical index stores these keys for every term it holds
    (rag.retrieval.lexical_write), so a question looks up its names' spellings by key."""
    if len(word) >= 4 and word.isascii() and word.isalpha():
        key = latin_key(word)
        return ("latin", key) if len(key) >= MIN_KEY else None
    if len(word) >= 2 and HANGUL_WORD.fullmatch(word):
        key = hangul_key(word)
        return ("hangul", key) if len(key) >= MIN_KEY else None
    return None


def could_spell_a_name(script: str, word: str) -> bool:
    """The check a stored spelling passes at question time: a Hangul word must not be a dictionary
    word (`_could_be_a_name_word`; kept out of the index because the dictionary can change)."""
    return script != "hangul" or _could_be_a_name_word(word)


def hangul_vocabulary(words: Iterable[str]) -> dict[str, list[str]]:
    """Corpus Hangul words (2 syllables or more) by skeleton, for turning an English name into the
    spellings the corpus uses."""
    return _vocabulary(words, "hangul")


def name_vocabulary(words: Iterable[str]) -> dict[str, list[str]]:
    """Corpus words (Latin letters, 4 or more) by skeleton, for turning a Hangul name into the
    spellings the corpus uses."""
    return _vocabulary(words, "latin")


def _vocabulary(words: Iterable[str], script: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for w in words:
        found = spelling_key(w)
        if found and found[0] == script and could_spell_a_name(script, w):
            out.setdefault(found[1], []).append(w)
    return out
