"""Hangul spellings of English names (rag.transliteration): "블링컨" is "Blinken"."""

from __future__ import annotations

import pytest

from rag.transliteration import hangul_key, latin_key, names_in, spells_a_name_in


@pytest.mark.parametrize(
    ("hangul", "english"),
    [
        ("블링컨", "Secretary of State Antony Blinken said"),
        ("워싱턴", "a summit in Washington"),
        ("캐머런", "David Cameron, his British counterpart"),
        ("코리아헤럴드", "The Korea Herald reported"),  # two English words, one Korean one
        ("푸틴", "President Putin"),
        ("네타냐후", "Prime Minister Netanyahu warned"),
    ],
)
def test_a_transliterated_name_matches_its_english_spelling(hangul: str, english: str) -> None:
    assert spells_a_name_in(hangul, names_in(english))


@pytest.mark.parametrize(
    ("hangul", "english"),
    [
        ("블링컨", "Secretary of State Antony Blinken said"),  # right name, checked against others below
        ("캐머런", "David Miller met Rishi Sunak in London"),
        ("워싱턴", "a summit in Vilnius"),
        ("선물", "a gift for the minister"),  # a Korean word, not a name
    ],
)
def test_a_name_does_not_match_other_words(hangul: str, english: str) -> None:
    others = names_in(english) - ({hangul_key(hangul)} if "Blinken" in english else set())
    assert not spells_a_name_in(hangul, others)


def test_short_skeletons_never_match_so_common_words_do_not_collide() -> None:
    assert hangul_key("도쿄") == "tk"
    assert not spells_a_name_in("도쿄", names_in("Tokyo take tick"))


def test_only_capitalised_words_are_names() -> None:
    """ "비밀" (secret) has the skeleton of "female": a common word is not a name."""
    assert hangul_key("비밀") == latin_key("female")
    assert not spells_a_name_in("비밀", names_in("A professional female journalist"))
    assert spells_a_name_in("블링컨", names_in("said Blinken"))
