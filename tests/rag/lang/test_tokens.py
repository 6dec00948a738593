"""Korean-aware tokens (rag.lang.tokens): particles stripped, Hangul bigrams, plain numbers, stems."""

from __future__ import annotations

import pytest

from rag.lang.tokens import bigrams, tokens


@pytest.mark.parametrize("inflected", ["서울은", "서울에서", "서울의", "서울과"])
def test_korean_particle_is_stripped_so_inflected_word_matches_its_stem(inflected: str) -> None:
    assert "서울" in tokens(inflected)
    assert set(tokens(inflected)) & set(tokens("서울"))


def test_hangul_words_also_yield_character_bigrams() -> None:
    toks = tokens("정상회의는")
    assert {"정상", "상회", "회의", "의는"} <= set(toks)


def test_bigrams_ignore_korean_spacing_differences() -> None:
    assert {"정상", "상회", "회의", "의에", "에서"} <= bigrams("정상회의 에서")
    assert bigrams("정상회의에서") <= bigrams("정상회의 에서")
    assert not bigrams("NATO summit 2024")  # Latin text has no Hangul bigrams


@pytest.mark.parametrize(("written", "token"), [("10,000", "10000"), ("1,500", "1500"), ("2024", "2024")])
def test_numbers_lose_their_thousands_separators(written: str, token: str) -> None:
    assert tokens(f"over {written} containers") == [token, "container"]


def test_english_tokens_are_lowercased_stems_without_stopwords() -> None:
    assert tokens("The missiles of Russia's army") == ["missile", "russia", "army"]
