"""Hybrid retrieval (dense per language + Korean-aware BM25, fused by RRF) over the shipped corpus."""

from __future__ import annotations

import pytest

from rag.core.config import Settings
from rag.engine import Engine
from rag.retrieval import lexical, lexical_write
from rag.retrieval.hybrid import rrf
from rag.store.chroma import StoreError
from tests.conftest import Indexed


def test_english_question_finds_the_10000_containers_passage(corpus_engine: Engine) -> None:
    result = corpus_engine.retriever.retrieve(
        "How many containers of munitions has North Korea shipped to Russia?", 5
    )
    assert result.lang == "en"
    top = result.passages[0].chunk
    assert "10,000 containers" in top.text and top.doc.startswith("000_")


def test_korean_question_with_particles_finds_the_korean_passage(corpus_engine: Engine) -> None:
    result = corpus_engine.retriever.retrieve("NATO 정상회의는 어디에서 열리나?", 5)
    assert result.lang == "ko"
    top = result.passages[0].chunk
    assert top.lang == "ko" and "NATO 정상회의가 75주년을" in top.text and "워싱턴" in top.text


def test_bm25_matches_particle_inflected_korean(corpus_engine: Engine) -> None:
    # "정상회의는" (with a topic particle) must match "정상회의가" (subject particle) in the passage.
    hits = corpus_engine.lexical.search("정상회의는 어디에서 열리나?", 5)
    assert hits and "NATO 정상회의가 75주년을" in hits[0][0].text


def test_both_language_pools_are_represented(corpus_engine: Engine) -> None:
    # The English original of the Korean answer competes in its own pool and makes the cut.
    passages = corpus_engine.retriever.retrieve("NATO 정상회의는 어디에서 열리나?", 5).passages
    assert {"en", "ko"} <= {p.chunk.lang for p in passages}
    assert any("NATO Summit will be held in Washington" in p.chunk.text for p in passages)


def test_retrieval_returns_k_distinct_passages_ranked_by_fused_score(corpus_engine: Engine) -> None:
    passages = corpus_engine.retriever.retrieve("What did Blinken say about China?", 4).passages
    assert len(passages) == 4 == len({p.chunk.id for p in passages})
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)


def test_rrf_rewards_passages_found_by_several_retrievers() -> None:
    fused = rrf([["a", "b", "c"], ["b", "d"]])
    assert max(fused, key=fused.__getitem__) == "b"
    assert fused["a"] > fused["c"] and fused["a"] > fused["d"]


def test_bm25_index_is_persisted_by_ingest(corpus_index: Indexed) -> None:
    lex_dir = corpus_index.data_dir / "lexical"
    assert (lex_dir / "index.sqlite").is_file() and (lex_dir / "sentences-0.npy").is_file()
    loaded = lexical.load(lex_dir)
    assert loaded.size == corpus_index.report.chunks_added and loaded.search("NATO", 3)


def test_queries_use_the_bm25_index_from_disk_and_never_rebuild_it(
    corpus_index: Indexed, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_rebuild(*args: object, **kwargs: object) -> None:
        raise AssertionError("the BM25 index was rebuilt on the query path")

    monkeypatch.setattr(lexical_write, "rebuild", no_rebuild)
    monkeypatch.setattr(lexical_write, "update", no_rebuild)
    engine = Engine(corpus_index.settings)
    for question in ("Where will the NATO Summit be held?", "NATO 정상회의는 어디에서 열리나?"):
        answer = engine.ask(question)
        assert not answer.refused and answer.citations
    assert engine.lexical.size == corpus_index.report.chunks_added


def test_engine_without_an_index_on_disk_refuses_to_start(corpus_index: Indexed) -> None:
    with pytest.raises(StoreError, match="rag ingest"):
        Engine(Settings(data_dir=corpus_index.data_dir / "no-such-index"))
