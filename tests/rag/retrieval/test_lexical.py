"""The lexical index: BM25 as bm25s scores it, read on demand, and updated in segments that rank
exactly as a clean rebuild would, crash-safe."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.core.records import Chunk
from rag.lang.tokens import tokens
from rag.lang.transliteration import hangul_vocabulary, name_vocabulary
from rag.retrieval import lexical, lexical_write
from rag.retrieval.sentence_vectors import SentenceMatrix
from rag.retrieval.sentence_vectors import build as build_sentences
from tests.rag.retrieval.chunks import chunk

TEXTS = [
    "The harbor bridge reopened after engineers replaced 4,200 steel cables.",
    "Steel prices rose while the harbor authority ordered new cables.",
    "The city council approved a budget for the new library.",
    "Library hours will be extended during the exam season.",
    "부산항 대교는 케이블 교체 공사를 마치고 다시 개통했다.",
    "시의회는 새 도서관 예산을 승인했다.",
    "The bridge, the harbor and the library share one bus route.",
    "Engineers said the cables would last fifty years.",
]
QUERIES = ["harbor cables", "new library budget", "케이블 교체", "bridge engineers cables years", "bus"]


def fake_vectors(texts: list[str]) -> list[list[float]]:
    """Deterministic stand-in vectors: these tests are about the index, not the embedder."""
    out = []
    for t in texts:
        rng = np.random.default_rng(abs(hash(t)) % 2**32)
        v = rng.normal(size=8)
        out.append(list(v / np.linalg.norm(v)))
    return out


def sentences_for(chunks: list[Chunk]) -> SentenceMatrix:
    return build_sentences(chunks, fake_vectors)[0]


def corpus(n: int = len(TEXTS)) -> list[Chunk]:
    return [chunk(f"c{i}", TEXTS[i]) for i in range(n)]


def build(directory: Path, chunks: list[Chunk]) -> lexical.LexicalIndex:
    lexical_write.rebuild(directory, chunks, sentences_for(chunks), {c.path: "sha" for c in chunks})
    return lexical.load(directory)


def ranking(index: lexical.LexicalIndex, query: str) -> list[tuple[str, float]]:
    return [(c.id, round(s, 4)) for c, s in index.search(query, 10)]


def test_scores_are_bm25s_lucene_scores(tmp_path: Path) -> None:
    import bm25s

    chunks = corpus()
    index = build(tmp_path / "lex", chunks)
    ordered = sorted(chunks, key=lambda c: (c.path, c.start, c.id))
    reference = bm25s.BM25()
    reference.index([tokens(c.text) for c in ordered], show_progress=False)
    for query in QUERIES:
        q = [t for t in tokens(query) if t in reference.vocab_dict]
        expected = reference.get_scores(q)
        got = {c.id: s for c, s in index.search(query, 10)}
        for c, score in zip(ordered, expected, strict=True):
            if score > 0:
                assert got[c.id] == pytest.approx(float(score), rel=1e-4)
            else:
                assert c.id not in got


def test_opening_reads_no_chunk_and_a_search_reads_only_what_it_returns(tmp_path: Path) -> None:
    index = build(tmp_path / "lex", corpus())
    assert index.size == len(TEXTS) and sorted(index.langs) == ["en", "ko"]
    assert len(index._chunks) == 0
    hits = index.search("harbor cables", 2)
    assert len(hits) == 2 and len(index._chunks) == 2


def test_chunks_by_id_document_text_headers_and_terms(tmp_path: Path) -> None:
    chunks = [
        chunk("h", "Harbor News", path="news.txt", section="header", start=0),
        chunk("b1", "The bridge reopened.", path="news.txt", start=12),
        chunk("b2", "Cables were replaced.", path="news.txt", start=33),
        *corpus(3),
    ]
    index = build(tmp_path / "lex", chunks)
    assert index.by_id()["b2"].text == "Cables were replaced."
    assert "missing" not in index.by_id()
    assert index.document_text("news.txt") == "Harbor News\nThe bridge reopened.\nCables were replaced."
    assert [c.id for c in index.headers("news.txt")] == ["h"]
    assert index.df("cable") == 3 and index.df("nowhere") == 0
    assert index.unseen("nowhere") and not index.unseen("bridge")
    assert "bridge" in index.vocabulary and "used" not in index.vocabulary
    assert "reopened" in index.vocabulary.near("reopen")  # the inflection rule's window
    assert index.sentences.for_chunk("b1") is not None


def test_an_update_ranks_exactly_as_a_clean_rebuild(tmp_path: Path) -> None:
    first = corpus(6)
    build(tmp_path / "inc", first)
    changed = chunk("c1", "Steel prices fell; the harbor authority cancelled the cables.")
    added = [chunk("c6", TEXTS[6]), chunk("c7", TEXTS[7])]
    add = [changed, *added]
    lexical_write.update(tmp_path / "inc", add, {"c1", "c3"}, sentences_for(add), {"x": "y"})
    incremental = lexical.load(tmp_path / "inc")
    final = [c for c in first if c.id not in ("c1", "c3")] + add
    clean = build(tmp_path / "clean", final)
    assert incremental.size == clean.size == 7
    assert incremental.avg_length == pytest.approx(clean.avg_length)
    for query in [*QUERIES, "cancelled", "exam season"]:
        assert ranking(incremental, query) == ranking(clean, query), query
    assert incremental.df("library") == clean.df("library")
    assert "season" not in incremental.vocabulary  # c3 held the only "season"
    assert lexical_write.held(tmp_path / "inc") == (
        {c.id for c in final},
        {"x": "y"},
    )
    vectors = incremental.sentences.for_chunk("c7")
    assert vectors is not None and np.allclose(vectors[0], fake_vectors([TEXTS[7]])[0], atol=1e-3)


def test_a_crash_inside_an_update_leaves_the_index_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path / "lex", corpus(6))
    before = {q: ranking(lexical.load(tmp_path / "lex"), q) for q in QUERIES}
    add = [chunk("c6", TEXTS[6])]

    def crash(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # killed after the deletes, before the new segment is written

    monkeypatch.setattr(lexical_write, "_insert", crash)
    with pytest.raises(KeyboardInterrupt):
        lexical_write.update(tmp_path / "lex", add, {"c0"}, sentences_for(add), {})
    monkeypatch.undo()
    after = lexical.load(tmp_path / "lex")
    assert after.size == 6 and {q: ranking(after, q) for q in QUERIES} == before
    lexical_write.update(tmp_path / "lex", add, {"c0"}, sentences_for(add), {})
    clean = build(tmp_path / "clean", [*corpus(6)[1:], *add])
    for query in QUERIES:
        assert ranking(lexical.load(tmp_path / "lex"), query) == ranking(clean, query)


def test_many_small_updates_compact_into_one_base_with_the_same_ranking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexical_write, "COMPACT_MIN_ROWS", 3)
    build(tmp_path / "lex", corpus(2))
    compacted = []
    for i in range(2, len(TEXTS)):
        add = [chunk(f"c{i}", TEXTS[i])]
        compacted.append(lexical_write.update(tmp_path / "lex", add, set(), sentences_for(add), {}))
    assert compacted.count(True) >= 1 and compacted[0] is False
    files = sorted(p.name for p in (tmp_path / "lex").glob("sentences-*.npy"))
    assert len(files) <= 1 + compacted[::-1].index(True)  # matrices of compacted segments are gone
    clean = build(tmp_path / "clean", corpus())
    incremental = lexical.load(tmp_path / "lex")
    for query in QUERIES:
        assert ranking(incremental, query) == ranking(clean, query)
    for c in corpus():
        got, want = incremental.sentences.for_chunk(c.id), clean.sentences.for_chunk(c.id)
        assert got is not None and want is not None and np.allclose(got, want)


def test_an_empty_index_opens_and_finds_nothing(tmp_path: Path) -> None:
    index = build(tmp_path / "lex", [])
    assert index.size == 0 and index.search("anything", 5) == [] and index.langs == []


NAMED = [
    "Blinken met Cameron in London on Monday.",
    "블링컨 장관은 캐머런 외무장관과 런던에서 만났다.",
    "Siemens opened a factory near Busan.",
]


def spellings_as_built_from_the_vocabulary(index: lexical.LexicalIndex) -> dict[str, dict[str, list[str]]]:
    return {
        "latin": name_vocabulary(index.vocabulary),
        "hangul": hangul_vocabulary(index.vocabulary),
    }


def stored_spellings(index: lexical.LexicalIndex) -> dict[str, dict[str, list[str]]]:
    assert index.has_spellings
    return {script: dict(lexical.StoredSpellings(index, script)) for script in ("latin", "hangul")}


def test_name_spellings_are_read_by_key_and_match_the_whole_vocabulary_scan(tmp_path: Path) -> None:
    chunks = [chunk(f"n{i}", t) for i, t in enumerate(NAMED)]
    index = build(tmp_path / "ix", chunks)
    stored = stored_spellings(index)
    assert stored == spellings_as_built_from_the_vocabulary(index)
    assert any("블링컨" in words for words in stored["hangul"].values())
    assert lexical.StoredSpellings(index, "latin").get("no-such-key", []) == []


def test_name_spellings_follow_updates(tmp_path: Path) -> None:
    chunks = [chunk(f"n{i}", t) for i, t in enumerate(NAMED)]
    build(tmp_path / "ix", chunks)
    added = [chunk("n9", "Kissinger wrote to Blinken.")]
    lexical_write.update(tmp_path / "ix", added, {"n0"}, sentences_for(added), {"x": "y"})
    index = lexical.load(tmp_path / "ix")
    stored = stored_spellings(index)
    assert stored == spellings_as_built_from_the_vocabulary(index)
    latin = {w for words in stored["latin"].values() for w in words}
    assert "kissinger" in {w.lower() for w in latin}
    assert "cameron" not in {w.lower() for w in latin}  # n0 held the only "Cameron"


def test_an_index_from_before_the_spellings_table_gains_it_on_its_next_update(tmp_path: Path) -> None:
    import sqlite3

    chunks = [chunk(f"n{i}", t) for i, t in enumerate(NAMED)]
    build(tmp_path / "ix", chunks)
    with sqlite3.connect(tmp_path / "ix" / "index.sqlite") as conn:
        conn.execute("DROP TABLE spellings")
    assert not lexical.load(tmp_path / "ix").has_spellings
    added = [chunk("n9", "Kissinger wrote to Blinken.")]
    lexical_write.update(tmp_path / "ix", added, set(), sentences_for(added), {"x": "y"})
    index = lexical.load(tmp_path / "ix")
    assert stored_spellings(index) == spellings_as_built_from_the_vocabulary(index)
