"""What kind of answer a question asks for (person, place, date, count, number) and what a sentence
holds that such an answer needs (a year, a date, a counted number, a unit, a name), in English and Korean.

The learned answer judge reads these as features (rag.answer.features): "When was it built?" wants a
sentence with a year or a date; "몇 명이…?" one with a counted number. The patterns are data
(rag/lang/data/question_types_*.txt, answer_marks.txt).

Usage:
    >>> question_type("When was the bridge built?"), question_type("신라의 수도는 어디였나?")
    ('date', 'place')
    >>> sorted(k for k, v in sentence_marks("It opened in 1932 with 4 lanes.").items() if v)
    ['digit', 'year']
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from rag.lang.script import HANGUL_RANGE, detect_lang
from rag.lang.wordlists import tagged_patterns

QUESTION_TYPES = ("person", "place", "date", "count", "number", "other")
MARKS = ("digit", "year", "date", "number_word", "counted", "unit")
MAX_MARKUP = 3  # markup fragments counted at most

CAPITALISED_WORD = re.compile(r"(?<![\w'’])[A-Z][a-zA-Z'’\-]+")
HANGUL_WORD_2 = re.compile(f"[{HANGUL_RANGE}]{{2,}}")
_DIGIT = re.compile(r"\d")


@cache
def _question_patterns(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    flags = re.IGNORECASE if lang == "en" else 0
    return tuple((kind, re.compile(p, flags)) for kind, p in tagged_patterns(f"question_types_{lang}"))


@cache
def _mark_patterns() -> dict[str, re.Pattern[str]]:
    return {mark: re.compile(p, re.IGNORECASE) for mark, p in tagged_patterns("answer_marks")}


@lru_cache(maxsize=4096)
def question_type(question: str) -> str:
    """The kind of answer asked for, by the question's own language; "other" when none is named."""
    lang = "ko" if detect_lang(question) == "ko" else "en"
    for kind, pattern in _question_patterns(lang):
        if pattern.search(question):
            return kind
    return "other"


@lru_cache(maxsize=65536)
def sentence_marks(sentence: str) -> dict[str, bool]:
    """Which answer-bearing marks the sentence holds: digits, a year, a date, a number word, a counted
    number (Korean counters), a unit."""
    m = _mark_patterns()
    number_word = bool(m["number_word"].search(sentence))
    year = bool(m["year"].search(sentence))
    return {
        "digit": bool(_DIGIT.search(sentence)) or number_word,
        "year": year,
        "date": year or bool(m["date"].search(sentence)),
        "number_word": number_word,
        "counted": bool(m["counted"].search(sentence)),
        "unit": bool(m["unit"].search(sentence)),
    }


def markup_count(sentence: str) -> int:
    """Fragments of leftover wiki markup ("Category:", "{{"): a scraped page's noise, rarely an answer."""
    return min(len(_mark_patterns()["markup"].findall(sentence)), MAX_MARKUP)
