"""Korean particle stripping (rag.lang.korean): the particle goes, a stem of two syllables stays."""

from __future__ import annotations

from rag.lang.korean import strip_particle
from rag.lang.terms import classify_terms


def test_particle_stripping_needs_two_syllables_left() -> None:
    assert strip_particle("정상회의는") == "정상회의"
    assert strip_particle("한국과") == "한국"
    assert strip_particle("일본") == "일본"  # no particle: unchanged
    assert strip_particle("책이") == "책이"  # would leave one syllable: kept whole


def test_noun_ending_like_a_particle_keeps_its_stem() -> None:
    assert strip_particle("우크라이나") == "우크라이나"


def test_a_one_syllable_noun_before_euro_is_not_taken_for_a_longer_word() -> None:
    """ "몇 명으로": "으로" is the particle, so no "명으" is left to be required (it refused a question)."""
    assert strip_particle("명으로") == "명" and strip_particle("본격적으로") == "본격적"
    assert [k.term for k in classify_terms("박물관은 연간 방문객을 몇 명으로 예상하나?")] == [
        "박물관",
        "연간",
        "방문객",
        "예상",
    ]
