"""Hangul spellings of English names (rag.lang.transliteration): "블링컨" is "Blinken", both ways."""

from __future__ import annotations

import pytest

from rag.lang.transliteration import (
    hangul_key,
    hangul_names_in,
    hangul_vocabulary,
    latin_key,
    latin_spells_a_name_in,
    names_in,
    pair_key,
    spells_a_name_in,
)


@pytest.mark.parametrize(
    ("hangul", "english"),
    [
        ("블링컨", "Secretary of State Antony Blinken said"),
        ("워싱턴", "a summit in Washington"),
        ("캐머런", "David Cameron, his British counterpart"),
        ("코리아헤럴드", "The Korea Herald reported"),  # two English words, one Korean one
        ("푸틴", "President Putin"),
        ("네타냐후", "Prime Minister Netanyahu warned"),
        ("김민준", "Director Kim Min-jun said"),  # a romanised Korean name, hyphen and all
        ("이재명", "President-elect Lee Jae-myung"),
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


def test_an_english_name_is_found_in_korean_text_that_writes_it_in_hangul() -> None:
    names = hangul_names_in("블링컨은 캐머런 장관과 회견했다.")  # particles come off: "블링컨은"
    assert latin_spells_a_name_in("Blinken", names) and latin_spells_a_name_in("Cameron", names)
    assert not latin_spells_a_name_in("Sullivan", names)


def test_a_short_name_matches_only_together_with_its_neighbour() -> None:
    """ "Janne" and "Pak" are too short alone; "Janne Pak" and "제니 박" are not."""
    text = hangul_names_in("밀러 대변인과 제니 박 기자의 질의응답")
    assert not latin_spells_a_name_in("Janne", text) and not latin_spells_a_name_in("Pak", text)
    assert pair_key("Janne", "Pak") in text
    assert pair_key("Janne", "Kim") not in text


def test_the_corpus_spelling_of_a_name_is_looked_up_by_skeleton() -> None:
    vocabulary = hangul_vocabulary(["블링컨", "도서관", "서울", "박"])
    assert vocabulary[latin_key("Blinken")] == ["블링컨"]
    assert latin_key("Seoul") not in vocabulary  # two consonants: too short to be trusted


@pytest.mark.parametrize(
    ("english", "hangul"),
    [
        ("Zelensky", "젤렌스키"),  # "z" is written with ㅈ
        ("Siemens", "지멘스"),  # so is a German "s"
        ("Schmidt", "슈미트"),
        ("Carter", "카터"),  # an "r" before no vowel is not written
        ("Morgan", "모건"),
        ("Park", "박"),
        ("Cameron", "캐머런"),  # before a vowel it is
    ],
)
def test_skeletons_follow_how_korean_writes_english_sounds(english: str, hangul: str) -> None:
    assert latin_key(english) == hangul_key(hangul)


@pytest.mark.parametrize(
    ("english", "word", "korean"),
    [
        ("Carson", "것은", "중요한 것은 이번 방문이다"),
        ("Gordon", "같은", "같은 날 서명했다"),
        ("Zhang", "중국", "중국 외교부는"),
    ],
)
def test_common_korean_words_do_not_spell_names(english: str, word: str, korean: str) -> None:
    """Same skeleton, but a word the dictionary has is not a name."""
    assert latin_key(english) == hangul_key(word)
    assert not latin_spells_a_name_in(english, hangul_names_in(korean))


def test_each_capitalised_part_of_a_hyphenated_word_is_a_name_too() -> None:
    names = names_in("a Blinken-led delegation met pro-Trump lawmakers")
    assert latin_key("Blinken") in names and latin_key("Trump") in names


def test_a_name_is_matched_as_the_question_wrote_it() -> None:
    """ "Simon" is not "Siemens" (smn vs smns); the plural folding of key terms must not make it so."""
    text = hangul_names_in("지멘스는 마리나 실바와 공장을 지었다")
    assert latin_spells_a_name_in("Siemens", text) and not latin_spells_a_name_in("Simon", text)
    assert latin_spells_a_name_in("Marina", text)  # 마리나: not 마 + a question ending
    assert latin_key("Min-jun") == latin_key("Minjun")
