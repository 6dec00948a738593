"""LLM mode: a question answered only in another language's text is translated and searched again.

The fake server translates from a table (a model's translation cannot be scripted otherwise); what is
under test is when the pipeline asks for a translation, that it searches with it, and that the model
and the user both see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.fakes.openai_server import FakeOpenAI

if TYPE_CHECKING:
    from rag.engine import Engine

# The answer exists only in English (harbor.txt): 4,200 steel cables.
KO_QUESTION = "부산 항만 다리 공사에서 기술자들은 강철 케이블을 몇 개 교체했나?"
EN_TRANSLATION = "How many steel cables did engineers replace on the Busan harbor bridge?"


def _translation_requests(server: FakeOpenAI) -> list[str]:
    return [
        str(r.messages[-1]["content"])
        for r in server.requests
        if str(r.messages[0]["content"]).startswith("You translate")
    ]


def test_a_question_only_other_language_text_answers_is_translated_and_searched_again(
    make_engine: Callable[..., Engine], fake_llm: FakeOpenAI
) -> None:
    fake_llm.translations[KO_QUESTION] = EN_TRANSLATION
    answer = make_engine("fake-good").ask(KO_QUESTION, k=2)

    assert _translation_requests(fake_llm) == [KO_QUESTION]
    prompt = str(fake_llm.requests[-1].messages[-1]["content"])
    assert f"(The same question in English: {EN_TRANSLATION})" in prompt  # the model sees it too
    assert "Answer in Korean" in prompt
    assert not answer.refused and answer.lang == "ko"
    assert any(c.doc == "harbor.txt" and "4,200" in c.text for c in answer.citations)
    assert EN_TRANSLATION in answer.note  # shown to the user, not applied silently
    assert answer.timings_ms["llm_translate"] >= 0 and "crosslingual" in answer.timings_ms


def test_a_question_its_own_language_answers_costs_no_translation(
    make_engine: Callable[..., Engine], fake_llm: FakeOpenAI
) -> None:
    answer = make_engine("fake-good").ask("서울 도서관에는 책이 몇 권 있나?")
    assert _translation_requests(fake_llm) == []
    assert len(fake_llm.requests) == 1 and not answer.refused
    assert "The same question in" not in str(fake_llm.requests[-1].messages[-1]["content"])


def test_translation_can_be_turned_off(make_engine: Callable[..., Engine], fake_llm: FakeOpenAI) -> None:
    fake_llm.translations[KO_QUESTION] = EN_TRANSLATION
    make_engine("fake-good", llm_translate=False).ask(KO_QUESTION)
    assert _translation_requests(fake_llm) == []


def test_a_useless_translation_falls_back_to_the_offline_dictionary_search(
    make_engine: Callable[..., Engine], fake_llm: FakeOpenAI
) -> None:
    """The model returns the question unchanged (no table entry): no translation is claimed, and the
    English text is still searched through the dictionary, so the model gets the English passage."""
    answer = make_engine("fake-good").ask(KO_QUESTION, k=1)
    assert _translation_requests(fake_llm) == [KO_QUESTION]
    assert "English" not in answer.note and "영어" not in answer.note
    prompt = str(fake_llm.requests[-1].messages[-1]["content"])
    assert "The same question in" not in prompt
    assert "dictionary" in answer.timings_ms  # the offline search ran
    assert "4,200 steel cables" in prompt


def test_the_translated_search_brings_in_passages_the_first_search_missed(
    make_engine: Callable[..., Engine], fake_llm: FakeOpenAI
) -> None:
    from dataclasses import replace

    from rag.retrieval import crosslingual

    fake_llm.translations[KO_QUESTION] = EN_TRANSLATION
    engine = make_engine("fake-good")
    assert engine.generative is not None
    first = engine.retriever.retrieve(KO_QUESTION, 2)
    korean_only = replace(first, passages=[p for p in first.passages if p.chunk.lang == "ko"])
    assert korean_only.passages and all("4,200" not in p.chunk.text for p in korean_only.passages)

    widened = crosslingual.widen(
        korean_only, engine.retriever, engine.generative.client, engine.extractive.answers_in_own_language, k=2, limit=2000
    )
    assert widened.translations == [("en", EN_TRANSLATION)]
    assert widened.passages[0] == korean_only.passages[0]  # the first search's best stays first
    assert any("4,200" in p.chunk.text for p in widened.passages)
    assert len(widened.passages) <= 2
