"""Language detection by the letters that dominate, and a script's share of mixed text (rag.lang.script)."""

from __future__ import annotations

import pytest

from rag.lang.script import detect_lang, script_share


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("내일 서울 날씨는 어때?", "ko"),
        ("Where will the NATO Summit be held?", "en"),
        ("NATO 정상회의가 75주년을 맞아 9일부터 11일 까지 워싱턴 디시에서 개최된다.", "ko"),
        ("The NATO Summit (나토) will be held in Washington.", "en"),
        ("12345", "en"),
        ("", "en"),
    ],
)
def test_detect_lang_judges_by_the_letters_that_dominate(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_script_share_sees_both_halves_of_a_mixed_paragraph() -> None:
    mixed = "Israel began a major operation. 이스라엘이 이란에 대한 작전을 시작했다."
    assert 0.3 < script_share(mixed, "ko") < 0.9
    assert script_share("Only English here.", "ko") == 0.0
