"""Reports: three files from one run; corpus and answer text is escaped in HTML; runs compare."""

from __future__ import annotations

import json
from pathlib import Path

from evals.baseline import compare, make_baseline
from evals.harness import score_case
from evals.report import build_report, compare_table, console_table, write_reports
from tests.evals.builders import answer, case, citation

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def run(facts_answer: str) -> dict[str, object]:
    results = [
        score_case(
            case(id="good"),
            answer(facts_answer, (citation(1, "replaced 4,200 steel cables " + EVIL),)),
            None,
            [],
        ),
        score_case(
            case(
                id="ko-un",
                lang="ko",
                type="unanswerable",
                answerable=False,
                facts=(),
                evidence=(),
                sources=(),
            ),
            answer(EVIL + " [1]", (citation(1, EVIL),)),
            None,
            [],
        ),
    ]
    return build_report(
        results,
        mode="extractive",
        settings={"top_k": 5},
        datasets=["d.jsonl"],
        metrics=("facts", "refusal_accuracy"),
    )


def test_three_reports_are_written_and_html_escapes_untrusted_text(tmp_path: Path) -> None:
    rep = run("Engineers replaced 4,200 steel cables. [1]")
    paths = write_reports(tmp_path, rep)
    assert [p.name for p in paths] == ["report.json", "report.md", "report.html"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<svg") >= 2  # metric bars and the latency histogram
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["summary"]["lang:ko"]["metrics"]["refusal_accuracy"] == {"mean": 0.0, "n": 1}
    assert data["latency_ms"]["total"]["p50"] == 12.0
    assert [c["id"] for c in data["cases"] if not c["passed"]] == ["ko-un"]
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| ko-un | ko | unanswerable | not refused |" in md


def test_console_table_and_side_by_side_comparison() -> None:
    before, after = run("Engineers replaced 4,200 steel cables. [1]"), run("Engineers replaced cables. [1]")
    assert "facts" in console_table(before)
    table = compare_table(before, after, "A", "B")
    assert "| all | facts | 1.000 | 0.000 | -1.000 ▼ |" in table
    assert "- good: fails (facts) in B" in table


def test_the_baseline_section_lists_what_changed(tmp_path: Path) -> None:
    before, after = run("Engineers replaced 4,200 steel cables. [1]"), run("Engineers replaced cables. [1]")
    comparison = compare(make_baseline(before), after)
    write_reports(tmp_path, after, comparison)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "REGRESSION all facts: 1.000 -> 0.000" in md
    assert "newly failing: good (facts)" in md
    assert json.loads((tmp_path / "report.json").read_text())["baseline"]["failed"] is True
