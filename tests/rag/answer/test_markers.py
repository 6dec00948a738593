"""Citation markers in generated text: invalid ones vanish, valid ones are renumbered by first use,
and streaming in any piece sizes gives exactly the text the whole reply gives."""

from __future__ import annotations

import pytest

from rag.answer.markers import MarkerRewriter, rewrite_markers


def test_renumbers_by_first_use_and_drops_markers_naming_no_passage() -> None:
    text, rw = rewrite_markers("Cables were replaced [3]. Tolls stay [9]. The bridge reopened [1][3].", 5)
    assert text == "Cables were replaced [1]. Tolls stay. The bridge reopened [2][1]."
    assert rw.numbers == {3: 1, 1: 2} and rw.dropped == [9]


def test_list_markers_are_split_and_zero_is_invalid() -> None:
    text, _ = rewrite_markers("A [2, 4]. B [0]. C [1,2].", 4)
    assert text == "A [1][2]. B. C [3][1]."


def test_brackets_that_are_not_markers_pass_through() -> None:
    text, _ = rewrite_markers("Array [a] and [12 items and [x.", 3)
    assert text == "Array [a] and [12 items and [x."


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_streaming_in_any_piece_size_gives_the_same_text(size: int) -> None:
    reply = "서울시는 도서관을 열었다 [2]. Engineers replaced cables [7] [1].\n\nTolls stay [3, 2]."
    whole, _ = rewrite_markers(reply, 3)
    rw = MarkerRewriter(3)
    pieces = [rw.feed(reply[i : i + size]) for i in range(0, len(reply), size)]
    assert "".join(pieces) + rw.flush() == whole
    assert "[7]" not in whole and whole.count("[") == 4
