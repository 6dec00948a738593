"""How an answer is checked against a case: fact patterns, forbidden content, evidence in passages.

Normalisation follows the dataset schema: whitespace collapsed, digit-grouping commas removed, and
Hangul patterns also tried against the answer with all spaces removed (Korean spacing varies freely).
Numbers are also tried in their other common form, so a pattern written `10,?000` accepts an answer
saying `1만` and a pattern written `1만` accepts `10,000`: the fact is the same, only the script
differs (an LLM answering in Korean often switches to 만/억 units).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.lang.script import HANGUL

_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3})")
# "1만", "2.5만", "3억 5천만", "1만 2천": a digit run followed by Korean myriad-style units.
_KO_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*[억만천](?:\s*\d+(?:\.\d+)?\s*[억만천]|[억만천])*")
_KO_UNITS = {"천": 1_000, "만": 10_000, "억": 100_000_000}
_PLAIN_NUMBER = re.compile(r"(?<![\d.])\d{5,}(?![\d.])")


def normalise(text: str) -> str:
    return _DIGIT_COMMA.sub("", " ".join(text.split()))


def korean_number_value(text: str) -> int | None:
    """The integer a Korean-unit number spells ("1만" -> 10000, "3억 5천만" -> 350000000), else None."""
    total = 0.0
    section = 0.0  # the part below the next 만/억 ("5천" inside "5천만")
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)?([억만천])?", text.replace(" ", "")):
        if not number and not unit:
            continue
        value = float(number) if number else None
        if unit == "천":
            section += (value if value is not None else 1.0) * 1_000
        elif unit in ("만", "억"):
            section += value or 0.0
            total += (section or 1.0) * _KO_UNITS[unit]
            section = 0.0
        else:
            section += value or 0.0
    total += section
    return round(total) or None


def _korean_form(value: int) -> str:
    """10000 -> "1만", 350000000 -> "3억5000만"; the form a pattern written in Korean units uses."""
    eok, rest = divmod(value, 100_000_000)
    man, ones = divmod(rest, 10_000)
    parts = [f"{eok}억" if eok else "", f"{man}만" if man else "", str(ones) if ones else ""]
    return "".join(parts)


@lru_cache(maxsize=4096)
def variants(text: str) -> tuple[str, ...]:
    """The answer as written, with Korean-unit numbers as digits, and with digits in Korean units."""
    base = normalise(text)
    out = [base]
    as_digits = _KO_NUMBER.sub(lambda m: str(korean_number_value(m.group(0)) or m.group(0)), base)
    if as_digits != base:
        out.append(as_digits)
    as_units = _PLAIN_NUMBER.sub(lambda m: _korean_form(int(m.group(0))), base)
    if as_units != base:
        out.append(as_units)
    return tuple(out)


def pattern_matches(pattern: str, text: str) -> bool:
    hangul = bool(HANGUL.search(pattern))
    for form in variants(text):
        if re.search(pattern, form, re.IGNORECASE):
            return True
        if hangul and re.search(pattern, form.replace(" ", ""), re.IGNORECASE):
            return True
    return False


def facts_present(groups: tuple[tuple[str, ...], ...], answer: str) -> bool:
    return all(any(pattern_matches(p, answer) for p in group) for group in groups)


def missing_facts(groups: tuple[tuple[str, ...], ...], answer: str) -> list[tuple[str, ...]]:
    """The fact groups no alternative of which appears: what the report says failed."""
    return [group for group in groups if not any(pattern_matches(p, answer) for p in group)]


def forbidden_present(patterns: tuple[str, ...], answer: str) -> list[str]:
    return [p for p in patterns if pattern_matches(p, answer)]


def passage_has_evidence(evidence: tuple[str, ...], passage: str) -> bool:
    flat = " ".join(passage.split())
    return any(" ".join(e.split()) in flat for e in evidence)
