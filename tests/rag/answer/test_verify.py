"""Sentence-level support checks against the cited passage, Korean-aware."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from rag.answer.verify import Verifier, split_sentences

if TYPE_CHECKING:
    from rag.core.records import Chunk
    from rag.engine import Engine


@pytest.fixture(scope="module")
def offline_engine(llm_index: object) -> Engine:
    from rag.engine import Engine

    return Engine(llm_index.settings.model_copy(update={"answer_mode": "extractive"}))  # type: ignore[attr-defined]


def _chunk(engine: Engine, doc: str, contains: str) -> Chunk:
    return next(c for c in engine.lexical.chunks if c.doc == doc and contains in c.text)


def test_split_keeps_markers_with_their_sentence() -> None:
    assert split_sentences("A is b [1]. C is d. [2] E [3]\nF.") == [
        "A is b [1].",
        "C is d. [2]",
        "E [3]",
        "F.",
    ]
    quoted = 'He said [on the record] that "ties are strong" [12] and left [2].'
    assert split_sentences(quoted) == ['He said [on the record] that "ties are strong" [12]', "and left [2]."]


def test_paraphrase_is_supported_and_invention_is_not(offline_engine: Engine) -> None:
    v = Verifier(offline_engine.lexical, offline_engine.embedder)
    harbor = _chunk(offline_engine, "harbor.txt", "cables")
    check = v.verify(
        "Engineers replaced 4,200 steel cables on the Busan harbor bridge [1]. "
        "Engineers replaced 9,999 steel cables [1]. It reopened on Monday [1]. Tolls were abolished.",
        {1: harbor},
    )
    verdict = {s.text: s.supported for s in check.sentences}
    assert verdict["Engineers replaced 4,200 steel cables on the Busan harbor bridge [1]."]
    assert not verdict["Engineers replaced 9,999 steel cables [1]."]  # a number the passage lacks
    assert verdict["It reopened on Monday [1]."]
    assert not verdict["Tolls were abolished."]  # no citation in an answer that cites
    spans = check.highlights[1]
    assert any("4,200" in harbor.span_text(s, e) for s, e in spans)


def test_korean_particles_and_spacing_do_not_break_support(offline_engine: Engine) -> None:
    v = Verifier(offline_engine.lexical, offline_engine.embedder)
    library = _chunk(offline_engine, "library_ko.txt", "30만")
    ok = v.support("서울시가 월요일에 새 도서관을 열었고 도서관에 책 30만 권이 있습니다", [library])
    bad = v.support("부산시가 수영장을 폐쇄했습니다", [library])
    assert ok >= 0.5 > bad


def test_a_korean_sentence_citing_english_text_is_checked_by_meaning(offline_engine: Engine) -> None:
    v = Verifier(offline_engine.lexical, offline_engine.embedder)
    harbor = _chunk(offline_engine, "harbor.txt", "cables")
    festival = _chunk(offline_engine, "festival.md", "lanterns")
    translated = "엔지니어들이 강철 케이블 4,200개를 교체했다"
    assert v.support(translated, [harbor]) >= 0.5
    assert v.support("진주 유등축제에 30만 명이 방문했다", [harbor]) < 0.5
    assert v.support("진주 유등축제에 30만 명이 방문했다", [festival]) >= 0.5
