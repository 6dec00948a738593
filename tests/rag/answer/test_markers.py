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


@pytest.mark.parametrize(
    ("reply", "shown"),
    [
        ("Cameron met Blinken [Passage 2].", "Cameron met Blinken [1]."),
        ("Cameron met Blinken [passages 2 and 3].", "Cameron met Blinken [1][2]."),
        ("Cameron met Blinken.[^2]", "Cameron met Blinken. [1]"),
        ("카메론을 만났다【2】.", "카메론을 만났다 [1]."),
        ("카메론을 만났다［2］.", "카메론을 만났다 [1]."),
        ("카메론을 만났다 [문단 2].", "카메론을 만났다 [1]."),
        ("카메론을 만났다 [출처 2, 3].", "카메론을 만났다 [1][2]."),
        ("Cameron met Blinken [2, 3].", "Cameron met Blinken [1][2]."),
        ("Cameron met Blinken [2][3].", "Cameron met Blinken [1][2]."),
        ("Cameron met Blinken [1-3].", "Cameron met Blinken [1][2][3]."),
        ("Cameron met Blinken (2).", "Cameron met Blinken [1]."),
        ("Cameron met Blinken (Passage 2), then left.", "Cameron met Blinken [1], then left."),
        ("Cameron met Blinken (2)", "Cameron met Blinken [1]"),
        ("Cameron met Blinken (2, 3).\nThey spoke (1).", "Cameron met Blinken [1][2].\nThey spoke [3]."),
    ],
)
def test_the_forms_small_models_write_become_the_canonical_marker(reply: str, shown: str) -> None:
    assert rewrite_markers(reply, 3)[0] == shown


@pytest.mark.parametrize(
    "reply",
    [
        "It opened in (2019).",  # a year, not passage 2019
        "The span is (3 km) long.",
        "(1) The first reason.\n(2) The second reason.",  # a list, not citations
        "Two reasons: (1) cost and (2) time.",  # a sentence goes on after each
        "Values [a-b] and (x) and 【note】 stay.",
    ],
)
def test_parentheses_and_brackets_that_are_not_markers_stay_text(reply: str) -> None:
    text, rw = rewrite_markers(reply, 3)
    assert text == reply and rw.numbers == {}


@pytest.mark.parametrize(
    "reply", ["It rained [Passage 7].", "It rained 【9】.", "It rained [^8].", "It rained [문단 4]."]
)
def test_a_marker_in_any_form_naming_no_passage_is_never_shown(reply: str) -> None:
    text, rw = rewrite_markers(reply, 3)
    assert text == "It rained." and rw.numbers == {} and rw.dropped


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_every_form_streams_to_the_same_text(size: int) -> None:
    reply = (
        "Cameron met Blinken [Passage 2]. 카메론【1】. Also (3).\n(1) a list item. "
        "It rained [^9]. Tolls (2019) stay (2)"
    )
    whole, _ = rewrite_markers(reply, 3)
    rw = MarkerRewriter(3)
    streamed = "".join(rw.feed(reply[i : i + size]) for i in range(0, len(reply), size)) + rw.flush()
    assert streamed == whole
    assert whole == (
        "Cameron met Blinken [1]. 카메론 [2]. Also [3].\n(1) a list item. It rained. Tolls (2019) stay [1]"
    )


@pytest.mark.parametrize("size", [1, 3, 100])
def test_a_marker_opening_a_line_moves_to_the_end_of_that_line(size: int) -> None:
    reply = "[2] The bridge reopened.\n[1] Tolls stay.\n[9] Invented.\n[3] Last line"
    rw = MarkerRewriter(3)
    shown = "".join(rw.feed(reply[i : i + size]) for i in range(0, len(reply), size)) + rw.flush()
    assert shown == "The bridge reopened. [1]\nTolls stay. [2]\nInvented.\nLast line [3]"
