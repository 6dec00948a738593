"""The one sentence splitter, as plain text and as cited answers (document spans: tests/index/test_chunking.py)."""

from __future__ import annotations

from rag.lang.sentences import answer_sentences, sentence_texts


def test_plain_text_keeps_abbreviations_whole() -> None:
    assert sentence_texts("The U.S. State Department spoke. Mr. Kim left.") == [
        "The U.S. State Department spoke.",
        "Mr. Kim left.",
    ]


def test_korean_without_a_space_after_the_period_is_two_sentences() -> None:
    assert sentence_texts("그는 말했다.그리고 떠났다.") == ["그는 말했다.", "그리고 떠났다."]


def test_markers_stay_with_the_sentence_they_close() -> None:
    assert answer_sentences("A is b [1]. C is d. [2] E [3]\nF.") == ["A is b [1].", "C is d. [2]", "E [3]", "F."]
    assert answer_sentences("회의가 열렸다. [1]") == ["회의가 열렸다. [1]"]
