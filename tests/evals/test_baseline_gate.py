"""`make test` gate: the shipped bilingual set, scored offline, must not fall below evals/baseline.json.

Runs on the session's corpus engine, so the corpus is embedded once for the whole test run. The full
report (HTML with every case) is left in tests/artifacts/eval/ for whoever has to read a failure.
When a change is meant to move the numbers: `rag eval --update-baseline` and commit the new file.
"""

from __future__ import annotations

from typing import Any

import pytest

from evals.baseline import load_json
from evals.dataset import SHIPPED
from evals.harness import CaseResult
from evals.metrics import DETERMINISTIC
from evals.report import write_reports
from evals.runner import DEFAULT_BASELINE, eval_engine, gate
from rag.engine import Engine
from tests.conftest import ROOT

REPORT_DIR = ROOT / "tests" / "artifacts" / "eval"


@pytest.fixture(scope="module")
def shipped(corpus_engine: Engine) -> tuple[list[CaseResult], dict[str, Any]]:
    return eval_engine(corpus_engine, [SHIPPED], DETERMINISTIC, corpus_engine.settings)


def test_quality_has_not_regressed_from_the_committed_baseline(
    shipped: tuple[list[CaseResult], dict[str, Any]],
) -> None:
    _, report = shipped
    baseline = load_json(DEFAULT_BASELINE, "baseline")
    assert baseline["datasets"] == ["shipped.jsonl"]
    comparison = gate(report, DEFAULT_BASELINE)
    write_reports(REPORT_DIR, report, comparison)
    assert not comparison.failed, (
        "\n".join(comparison.lines())
        + f"\nfull report: {REPORT_DIR / 'report.html'}"
        + "\nif the change is intended: .venv/bin/rag eval --update-baseline (after rag ingest corpus/)"
    )


def test_every_answer_marker_maps_to_a_citation(shipped: tuple[list[CaseResult], dict[str, Any]]) -> None:
    results, _ = shipped
    assert [r.case.id for r in results if r.scores.get("markers_valid") != 1.0] == []


def test_both_languages_and_every_case_type_are_measured(
    shipped: tuple[list[CaseResult], dict[str, Any]],
) -> None:
    _, report = shipped
    summary = report["summary"]
    for group in ("lang:en", "lang:ko"):
        metrics = summary[group]["metrics"]
        assert metrics["facts"]["n"] > 10 and metrics["refusal_accuracy"]["n"] >= 4
        assert metrics["hit@5"]["n"] > 10 and metrics["evidence_hit"]["n"] > 10
    assert {g for g in summary if g.startswith("type:")} >= {
        "type:ko->en",
        "type:en->ko",
        "type:unanswerable",
    }
    unjudgeable = [c["id"] for c in report["cases"] if c["details"].get("unjudgeable_retrieval")]
    assert unjudgeable == [], "evidence strings found in no indexed passage"
