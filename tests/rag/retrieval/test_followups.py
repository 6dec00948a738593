"""Follow-up questions become standalone before retrieval, and the rewrite is shown, not hidden."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from rag.retrieval.followups import carry_terms, looks_like_follow_up
from tests.fakes.openai_server import FakeOpenAI

if TYPE_CHECKING:
    from rag.engine import Engine


@pytest.mark.parametrize(
    "question",
    [
        "What about Japan?",
        "What else did he say?",
        "그가 또 뭐라고 했나요?",
        "일본은 어때?",
        "And the tolls?",
    ],
)
def test_follow_ups_are_recognised(question: str) -> None:
    assert looks_like_follow_up(question)


@pytest.mark.parametrize(
    "question",
    ["How many steel cables did engineers replace on the Busan bridge?", "서울 도서관에는 책이 몇 권 있나?"],
)
def test_standalone_questions_are_left_alone(question: str) -> None:
    assert not looks_like_follow_up(question)


def test_carrying_adds_the_previous_key_terms_as_written() -> None:
    out = carry_terms("What about Japan?", "How many containers did North Korea ship to Russia?")
    assert out.startswith("What about Japan?")
    assert "North" in out and "Korea" in out and "Russia" in out and "containers" in out
    ko = carry_terms("그가 또 뭐라고 했나요?", "서울 시장은 도서관에 대해 무엇을 말했나?")
    assert "서울" in ko and "도서관" in ko and "도서관에" not in ko


def test_offline_a_follow_up_carries_the_previous_turn(
    llm_index: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rag.core.records import Turn
    from rag.engine import Engine

    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    engine = Engine(llm_index.settings)  # type: ignore[attr-defined]
    assert engine.mode == "extractive"
    first_q = "When did the harbor bridge in Busan reopen?"
    first = engine.ask(first_q)
    follow = engine.ask("And what about the tolls?", history=[Turn(first_q, first)])
    assert "Busan" in follow.rewritten and follow.question == "And what about the tolls?"
    assert any(c.doc == "harbor.txt" for c in follow.citations)
    standalone = engine.ask("How many lanterns floated on the Nam River?", history=[Turn(first_q, first)])
    assert standalone.rewritten == ""


def test_with_an_llm_the_model_rewrites_and_sees_the_history(
    make_engine: Callable[..., Engine], fake_llm: FakeOpenAI
) -> None:
    from rag.core.records import Turn

    engine = make_engine("fake-good")
    first_q = "When did the harbor bridge in Busan reopen?"
    first = engine.ask(first_q)
    follow = engine.ask("What about the tolls?", history=[Turn(first_q, first)])
    assert follow.rewritten == f"What about the tolls? (regarding: {first_q})"
    rewrite_request, answer_request = fake_llm.requests[-2], fake_llm.requests[-1]
    assert rewrite_request.messages[0]["content"].startswith("You rewrite")
    assert first_q in rewrite_request.messages[-1]["content"]
    roles = [m["role"] for m in answer_request.messages]
    assert roles == ["system", "user", "assistant", "user"]  # the earlier turn is in the chat history
    assert follow.rewritten in answer_request.messages[-1]["content"]
