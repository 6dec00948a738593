"""The second shipped eval set: Korean-only news asked about in English (and an English doc asked about
in Korean), written blind by an independent review of the cross-lingual path (evals/datasets/SCHEMA.md).
Its numbers are floors at what the offline answerer reaches today, so a regression in either direction
fails `make test`; what declines must still decline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.dataset import KOREAN_NEWS, KOREAN_NEWS_DOCS
from evals.harness import CaseResult
from evals.metrics import DETERMINISTIC
from evals.runner import eval_engine
from rag.engine import Engine
from tests.conftest import index_folder


@pytest.fixture(scope="module")
def korean_news(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[CaseResult], dict[str, Any]]:
    docs = {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(KOREAN_NEWS_DOCS).glob("*.txt"))}
    engine = Engine(index_folder(tmp_path_factory.mktemp("korean-news-eval"), dict(docs)).settings)
    return eval_engine(engine, [KOREAN_NEWS], DETERMINISTIC, engine.settings)


def _metric(report: dict[str, Any], group: str, name: str) -> float:
    return float(report["summary"][group]["metrics"][name]["mean"])


def test_questions_the_documents_do_not_answer_are_declined(
    korean_news: tuple[list[CaseResult], dict[str, Any]],
) -> None:
    _, report = korean_news
    assert _metric(report, "all", "refusal_accuracy") >= 0.9


def test_questions_answered_only_in_the_other_language_stay_at_least_as_answered(
    korean_news: tuple[list[CaseResult], dict[str, Any]],
) -> None:
    _, report = korean_news
    assert _metric(report, "type:en->ko", "facts") >= 7 / 22
    assert _metric(report, "type:ko->en", "facts") >= 4 / 8


def test_every_marker_and_citation_holds(korean_news: tuple[list[CaseResult], dict[str, Any]]) -> None:
    results, report = korean_news
    assert [r.case.id for r in results if r.scores.get("markers_valid") != 1.0] == []
    assert _metric(report, "all", "citation_precision") == 1.0
