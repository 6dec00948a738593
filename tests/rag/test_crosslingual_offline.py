"""Offline, a Korean question whose answer exists only in English text is answered from it, and an
English question whose answer exists only in Korean text likewise, by the dictionary and the
transliterated names (rag.crosslingual.widen_offline, rag.answer.evidence), while a question the other
language's text does not answer is still refused."""

from __future__ import annotations

import pytest

from rag.engine import Engine
from tests.conftest import TINY_DOCS, index_folder

# harbor.txt (English only): "The harbor bridge in Busan reopened on Monday after two years of repairs.
# Engineers replaced 4,200 steel cables."
ANSWERED_IN_ENGLISH = "기술자들은 강철 케이블을 몇 개 교체했나?"
NOT_ANSWERED = "부산 항만 다리를 설계한 건축가의 이름은 무엇인가?"
# library_ko.txt (Korean only): "서울시는 새 도서관을 월요일에 열었다. 도서관에는 책 30만 권이 있다.
# 시장은 도서관이 밤 10시까지 운영된다고 말했다."
ANSWERED_IN_KOREAN = "What did the mayor say about the library?"
NOT_ANSWERED_IN_KOREAN = "Who designed the Seoul library?"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    indexed = index_folder(tmp_path_factory.mktemp("xling"), dict(TINY_DOCS))
    return Engine(indexed.settings)


def test_a_korean_question_answered_only_in_english_text_is_answered_with_its_citation(
    engine: Engine,
) -> None:
    answer = engine.ask(ANSWERED_IN_ENGLISH)
    assert not answer.refused
    assert "4,200" in answer.answer
    assert [c.doc for c in answer.citations] == ["harbor.txt"]
    assert answer.note  # says the quote is in another language


def test_a_korean_question_the_english_text_does_not_answer_is_refused_in_korean(engine: Engine) -> None:
    answer = engine.ask(NOT_ANSWERED)
    assert answer.refused and answer.lang == "ko"
    # It names what no document mentions, not the bridge the English text does mention.
    missing = answer.answer.split("(", 1)[1].split(")", 1)[0]
    assert "건축가" in missing and "다리" not in missing and "부산" not in missing
    assert not any(c.doc == "harbor.txt" and "4,200" in answer.answer for c in answer.citations)


def test_an_english_question_answered_only_in_korean_text_is_answered_with_its_citation(
    engine: Engine,
) -> None:
    answer = engine.ask(ANSWERED_IN_KOREAN)
    assert not answer.refused
    assert "10시" in answer.answer
    assert [c.doc for c in answer.citations] == ["library_ko.txt"]
    assert answer.note


def test_a_number_asked_in_english_is_quoted_from_the_korean_sentence_that_states_it(engine: Engine) -> None:
    answer = engine.ask("How many books does the library have?")
    assert not answer.refused and "30만" in answer.answer


def test_an_english_question_the_korean_text_does_not_answer_is_refused(engine: Engine) -> None:
    answer = engine.ask(NOT_ANSWERED_IN_KOREAN)
    assert answer.refused and answer.lang == "en"
    # It names what no document says: not Seoul or the library, which the Korean text mentions.
    missing = answer.answer.split("anything about", 1)[1].split(".", 1)[0]
    assert "designed" in missing and "Seoul" not in missing and "library" not in missing


def test_a_question_about_several_documents_draws_on_more_than_one(engine: Engine) -> None:
    retrieval = engine.retriever.retrieve("What do the two articles say about the bridge?", 1)
    assert len({p.chunk.doc for p in retrieval.passages}) >= 2
    assert len({p.chunk.doc for p in engine.retriever.retrieve("What about the bridge?", 1).passages}) == 1


@pytest.mark.parametrize("question", [ANSWERED_IN_ENGLISH, ANSWERED_IN_KOREAN])
def test_without_the_dictionary_the_same_question_is_refused(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    """What answers it is the dictionary, not a looser refusal rule."""
    from rag import lexicon

    monkeypatch.setattr(lexicon, "load", lambda: None)
    assert engine.ask(question).refused
