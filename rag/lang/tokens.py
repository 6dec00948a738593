"""Index and query tokens: English stems, numbers, Korean stems and Hangul bigrams.

Why hand-written: llama-index's BM25 retriever tokenises on whitespace/`\\w+` and leaves Korean particles
attached ("서울은" never matches "서울"). Hangul character bigrams plus particle-stripped stems recover those
matches (stack-notes: bigrams clearly beat whitespace tokens), at no model cost.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rag.lang.korean import strip_particle
from rag.lang.script import HANGUL, HANGUL_RANGE

WORD = re.compile(rf"[{HANGUL_RANGE}]+|[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*")


# Bump when `tokens` changes what it makes of a text: `rag ingest` then rebuilds the BM25 index.
# 2: "으로" comes off a one-syllable noun ("명으로" -> "명").
TOKENS_VERSION = "2"


# Question-frame words: they shape the question, not the fact asked for, so no passage need contain them.
EN_STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being do does did
    done have has had having what which who whom whose when where why how that this these those it its
    he she they them his her their we our you your i me my about into over under than then there here
    any some all each other such only own same so too very can will would should could may might must
    not no nor up down out off again further once also just according say said says tell told
    according document documents article articles corpus text mention mentioned mentions many much
    describe described call called write wrote written publish published report reported quote quoted
    sidebar teaser headline author reporter credited view kind name named whether both two across
    now currently today yesterday tomorrow recently""".split()
)


KO_STOPWORDS = frozenset(
    """무엇 무엇을 무엇이 무엇인가 뭐 뭐라고 뭘 어떤 어떻게 어디 어디서 어디에서 언제 누구 누가 누구를 왜 몇
    얼마나 얼마 어느 그 이 저 것 수 등 및 또 또는 그리고 관련 대해 대한 대해서 대하여 관하여 관해 관한
    기사 문서 개 개의 명 며칠 이유 내용 각각 말했나 말했나요 말했습니까 했나 했나요 있나 있나요 있습니까 무슨
    했는가 밝혔나 밝혔나요 누구인가 무엇인가
    게재 발행 발간 작성 보도 인용
    올해 이번 이번에 지금 현재 오늘 어제 내일 최근 요즘 당시""".split()
)


_DOTTED_ACRONYM = re.compile(r"(?<![A-Za-z])((?:[A-Za-z]\.){2,})")


def join_acronyms(text: str) -> str:
    """ "U.S." -> "US." so it matches "US" (single letters are not tokens)."""
    return _DOTTED_ACRONYM.sub(lambda m: m.group(1).replace(".", "") + ".", text)


def normalize(text: str) -> str:
    return join_acronyms(unicodedata.normalize("NFKC", text)).lower()


def number_forms(tok: str) -> list[str]:
    digits = tok.replace(",", "").rstrip(".")
    return [digits] if digits else []


_NO_STEM = frozenset("news series species always perhaps whereas its this thus".split())


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
