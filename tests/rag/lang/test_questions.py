"""What questions ask for (rag.lang.questions): a quantity, a language, a byline, a date; what points back."""

from __future__ import annotations

import pytest

from rag.lang.questions import asks_metadata, asks_quantity, refers_back, requested_lang, states_quantity


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many containers were shipped?", True),
        ("How long has she covered Korea?", True),
        ("몇 명이 참석했나?", True),
        ("비용은 얼마인가?", True),
        ("Where is the summit held?", False),
        ("누가 말했나?", False),
    ],
)
def test_quantity_questions_are_recognised(question: str, expected: bool) -> None:
    assert asks_quantity(question) is expected


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("How is the reporter's name written in Korean?", "ko"),
        ("What is the Korean headline of the teaser?", "ko"),
        ("이 기사의 영문 제목은?", "en"),
        ("What did Korea say?", None),
        ("한국어 기사는 뭐라고 했나?", None),
        ("What do the articles say in Korean War history?", None),  # a name, not a language
    ],
)
def test_a_question_can_ask_for_the_answer_in_a_given_language(question: str, lang: str | None) -> None:
    assert requested_lang(question) == lang


def test_sentences_that_point_back_are_recognised() -> None:
    assert refers_back('And this is an ongoing challenge," Blinken said.')
    assert refers_back("그러면서 그는 우려를 표명했다.")
    assert not refers_back("Andrew Kim said the talks went well.")
    assert not refers_back("The summit opens on Tuesday.")


def test_a_korean_count_question_needs_the_counter_it_asks_for() -> None:
    question = "몇 명이 사망했나?"
    assert states_quantity(question, "이 사고로 12명이 사망했다.")
    assert states_quantity(question, "사망자는 1만 명을 넘었다.")
    assert not states_quantity(question, "작전은 13일 시작됐다.")  # a date, not a count of people
    assert states_quantity(question, "At least 12 people died.")  # English text: any number


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("Who wrote the article on the briefing?", "author"),
        ("Which agency is credited as the author of the report?", "author"),
        ("이 기사를 쓴 기자는 누구인가?", "author"),
        ("When was the Korea Herald article published?", "date"),
        ("Which was published first: A or B?", "date"),
        ("In the author's view, what should Seoul do?", None),
        ("What did Blinken say?", None),
    ],
)
def test_questions_about_a_documents_byline_or_date_are_recognised(question: str, field: str | None) -> None:
    assert asks_metadata(question) == field
