"""Fact patterns match the same fact however the answer writes numbers or spaces Korean words."""

from __future__ import annotations

import pytest

from evals.matching import (
    facts_present,
    forbidden_present,
    korean_number_value,
    missing_facts,
    pattern_matches,
)


@pytest.mark.parametrize(
    ("pattern", "answer"),
    [
        (r"10,?000", "over 10,000 containers"),
        (r"10,?000", "over 10000 containers"),
        (r"10,?000", "컨테이너 1만 개 이상"),
        (r"10,?000", "컨테이너 1만개 이상"),
        (r"1만\s*개", "over 10,000 개"),
        (r"350,?000,?000", "3억 5천만 원"),
        (r"미리\s*예고", "미리예고 없이"),
        (r"도마\s*위에", "도마 위에 올랐다"),
    ],
)
def test_the_same_fact_in_another_form_matches(pattern: str, answer: str) -> None:
    assert pattern_matches(pattern, answer)


@pytest.mark.parametrize(
    ("pattern", "answer"),
    [
        (r"10,?000", "1,000 containers"),
        (r"10,?000", "컨테이너 1천 개"),
        (r"1만\s*개", "shipped 10,000 containers"),  # the pattern asks for the Korean counter word too
        (r"75th", "the 57th anniversary"),
    ],
)
def test_a_different_fact_does_not_match(pattern: str, answer: str) -> None:
    assert not pattern_matches(pattern, answer)


@pytest.mark.parametrize(
    ("text", "value"), [("1만", 10000), ("2.5만", 25000), ("1만 2천", 12000), ("1천만", 10**7)]
)
def test_korean_unit_numbers_are_read(text: str, value: int) -> None:
    assert korean_number_value(text) == value


def test_every_fact_group_must_be_present_and_missing_ones_are_named() -> None:
    groups = (("North Korea",), ("Iran",), ("China", "중국"))
    assert facts_present(groups, "from North Korea, Iran and 중국")
    assert missing_facts(groups, "from North Korea and China") == [("Iran",)]


def test_forbidden_patterns_are_reported() -> None:
    assert forbidden_present(("Tokyo", "도쿄"), "The meeting was in Tokyo.") == ["Tokyo"]
    assert forbidden_present(("Tokyo",), "The meeting was in Washington.") == []
