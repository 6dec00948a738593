"""Index and query tokens: English stems, numbers, Korean stems and Hangul bigrams.

Why hand-written: llama-index's BM25 retriever tokenises on whitespace/`\\w+` and leaves Korean particles
attached ("서울은" never matches "서울"). Hangul character bigrams plus particle-stripped stems recover those
matches (stack-notes: bigrams clearly beat whitespace tokens), at no model cost.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rag.lang import wordlists
from rag.lang.korean import strip_particle
from rag.lang.script import HANGUL, HANGUL_RANGE

WORD = re.compile(rf"[{HANGUL_RANGE}]+|[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*")


# Bump when `tokens` changes what it makes of a text (its code, or the word lists en_stopwords,
# en_not_plurals and ko_particles in rag/lang/data/): `rag ingest` then rebuilds the BM25 index.
# 2: "으로" comes off a one-syllable noun ("명으로" -> "명").
TOKENS_VERSION = "2"


# Question-frame words: they shape the question, not the fact asked for, so no passage need contain them.
EN_STOPWORDS = wordlists.word_set("en_stopwords")


KO_STOPWORDS = wordlists.word_set("ko_stopwords")


_DOTTED_ACRONYM = re.compile(r"(?<![A-Za-z])((?:[A-Za-z]\.){2,})")


def join_acronyms(text: str) -> str:
    """ "U.S." -> "US." so it matches "US" (single letters are not tokens)."""
    return _DOTTED_ACRONYM.sub(lambda m: m.group(1).replace(".", "") + ".", text)


def normalize(text: str) -> str:
    return join_acronyms(unicodedata.normalize("NFKC", text)).lower()


def number_forms(tok: str) -> list[str]:
    digits = tok.replace(",", "").rstrip(".")
    return [digits] if digits else []


_NO_STEM = wordlists.word_set("en_not_plurals")


def en_stem(word: str) -> str:
    """Light plural/possessive folding: enough for 'missiles'~'missile', 'Russia's'~'Russia'."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'-")
    if word in _NO_STEM:
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Index/query tokens: English stems (stopwords dropped), numbers, Korean stems and Hangul bigrams."""
    out: list[str] = []
    for m in WORD.finditer(normalize(text)):
        w = m.group(0)
        if HANGUL.match(w):
            stem = strip_particle(w)
            out.append(stem)
            if len(w) == 1:
                continue
            out.extend(w[i : i + 2] for i in range(len(w) - 1))
        elif w[0].isdigit():
            out.extend(number_forms(w))
        else:
            stem = en_stem(w)
            if stem and stem not in EN_STOPWORDS and w not in EN_STOPWORDS and len(stem) > 1:
                out.append(stem)
    return out


@lru_cache(maxsize=65536)
def token_set(text: str) -> frozenset[str]:
    """`tokens` as a set, memoised: the answerer and the citation checks re-read the same passages and
    sentences for every question, and tokenising them was ~60% of the answer stage (profiled)."""
    return frozenset(tokens(text))


@lru_cache(maxsize=65536)
def bigrams(text: str) -> frozenset[str]:
    """Hangul bigrams of a text with spaces removed: spacing differs freely in Korean ("정상회의 에서")."""
    squashed = re.sub(r"\s+", "", normalize(text))
    return frozenset(squashed[i : i + 2] for i in range(len(squashed) - 1) if HANGUL.match(squashed[i]))
