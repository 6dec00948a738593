"""`rag eval --dataset`: public questions asked against one pooled, cached index, scored by language."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from evals.public.datasets import load_public
from evals.public.pool import cache_root, pooled_index
from evals.public.run import WITHOUT_ARTICLE, run_public, same_document, summarise
from rag.core.config import Settings


def test_pool_is_built_once_and_every_question_is_scored(public_dir: Path, tmp_path: Path) -> None:
    from rag.engine import Engine

    cases = load_public("tydiqa-ko", "dev", public_dir) + load_public("squad2", "dev", public_dir)
    settings = pooled_index(cases, Settings(data_dir=tmp_path / "unused"))
    assert cache_root() in settings.data_dir.parents
    again = pooled_index(cases, Settings(data_dir=tmp_path / "unused"))
    assert again.data_dir == settings.data_dir  # cached: same key, no second ingest
    engine = Engine(settings)
    results = run_public(engine, cases)
    summary = summarise(results)
    assert summary["lang:ko"]["answerable"] == 2 and summary["lang:ko"]["without_article"] == 2
    assert summary["dataset:squad2"]["unanswerable"] == 4
    assert summary["lang:ko"]["hit@5"] == 1.0  # two Korean articles: each question finds its own
    for r in results:
        if r.refused:
            assert r.facts in (False, None)
        if r.variant == WITHOUT_ARTICLE:
            assert not r.answerable and r.facts is None
        if r.answerable and not r.refused:
            assert r.facts is not None and r.baseline


def test_without_article_never_shows_the_question_its_own_article(public_dir: Path, tmp_path: Path) -> None:
    from evals.public.run import _WithoutDocument
    from rag.engine import Engine

    cases = load_public("tydiqa-ko", "dev", public_dir)
    engine = Engine(pooled_index(cases, Settings(data_dir=tmp_path / "unused")))
    for case in cases:
        retrieval = _WithoutDocument(engine.retriever, case.document).retrieve(case.question, 5)
        assert retrieval.passages
        assert not any(same_document(p.chunk.path, case.document) for p in retrieval.passages)


def test_cli_writes_a_report_by_language(
    public_dir: Path, tmp_path: Path, run_rag: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    out = tmp_path / "out"
    env = {"RAG_PUBLIC_CACHE_DIR": str(tmp_path / "cache")}
    done = run_rag(
        "eval", "--dataset", "tydiqa-ko", "--public-data", str(public_dir), "--out", str(out), "--quiet", env=env
    )
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "public-tydiqa-ko-dev" / "report.json").read_text(encoding="utf-8"))
    assert report["provenance"]["tydiqa-ko:dev"]["file"] == "tydiqa-goldp/ko-dev.json"
    assert set(report["summary"]) >= {"all", "lang:ko", "dataset:tydiqa-ko"}
    assert "facts (refusal = miss)" in (out / "public-tydiqa-ko-dev" / "report.md").read_text(encoding="utf-8")


def test_cli_rejects_a_mix_of_public_and_jsonl_sets(
    public_dir: Path, run_rag: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    done = run_rag("eval", "--dataset", "squad2", "--dataset", "evals/datasets/shipped.jsonl")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "cannot be mixed" in done.stderr
