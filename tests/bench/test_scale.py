"""A tiny end-to-end scale run: the product's ingest with hash vectors, then measured queries through
`rag.engine.Engine` (embedded and `chroma run`), `rag ask`, and the unchanged re-ingest. No timing asserts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import scale, scale_build
from bench.vectors import HashEmbedder, unit_vector


def test_hash_vectors_are_deterministic_unit_vectors() -> None:
    v = unit_vector("서울 도서관")
    assert v == unit_vector("서울 도서관") and v != unit_vector("Seoul library")
    assert len(v) == 384 and abs(sum(x * x for x in v) - 1.0) < 1e-4
    emb = HashEmbedder()
    emb.get_text_embedding_batch(["a", "b"])
    assert emb.texts == 2


def test_parse_sizes() -> None:
    assert scale.parse_sizes("1k, 10k,250") == [1000, 10000, 250]


def test_tiny_scale_run(tmp_path: Path) -> None:
    out = scale.run_size(120, tmp_path, n_questions=4, server=True)
    assert out["build"]["chunks"] >= 100
    assert out["index_size"]["total_mb"] > 0
    for mode in ("embedded", "server"):
        stages = out[mode]["stage_ms"]
        assert {"embed", "dense", "bm25", "fusion", "answer", "total"} <= set(stages), out[mode]
        assert stages["total"]["n"] == 4
    assert out["rag_ask"]["peak_rss_mb_max"] > 0, out["rag_ask"]
    again = scale.reingest_unchanged(120, tmp_path)
    assert again["texts_embedded"] == 0 and again["chunks_kept"] == out["build"]["chunks"]


def test_direct_build_is_what_ingest_considers_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batched build used for the largest size writes the same index `rag ingest` would: a following
    real ingest finds every file unchanged and embeds nothing."""
    monkeypatch.setattr(scale_build, "DIRECT_FROM", 0)
    (tmp_path / "80").mkdir()
    built = scale.build(80, tmp_path)
    assert built["method"].startswith("batched")
    again = scale.reingest_unchanged(80, tmp_path)
    assert again["texts_embedded"] == 0 and again["chunks_kept"] == built["chunks"]
