"""The gate: a metric falling beyond its tolerance fails; cases that broke or recovered are listed."""

from __future__ import annotations

from typing import Any

from evals.baseline import DEFAULT_TOLERANCES, compare, make_baseline


def report(groups: dict[str, dict[str, float]], cases: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "mode": "extractive",
        "summary": {
            g: {"cases": 1, "passed": 1, "metrics": {m: {"mean": v, "n": 10} for m, v in ms.items()}}
            for g, ms in groups.items()
        },
        "cases": [{"id": cid, "failures": f, "passed": not f} for cid, f in cases.items()],
    }


BASE = make_baseline(
    report(
        {"all": {"facts": 0.80, "false_refusal": 0.10, "judge_correctness": 0.9}, "type:en": {"facts": 0.9}},
        {"a": [], "b": ["facts"], "c": []},
    )
)


def test_a_drop_beyond_tolerance_regresses_and_names_the_metric() -> None:
    now = report({"all": {"facts": 0.75, "false_refusal": 0.10}}, {"a": [], "b": ["facts"], "c": []})
    result = compare(BASE, now)
    assert result.failed
    assert result.regressions == ["all facts: 0.800 -> 0.750 (tolerance 0.010)"]


def test_lower_is_better_metrics_regress_when_they_rise() -> None:
    now = report({"all": {"facts": 0.80, "false_refusal": 0.20}}, {})
    assert [r.split(":")[0] for r in compare(BASE, now).regressions] == ["all false_refusal"]


def test_within_tolerance_ungated_groups_and_judge_scores_never_fail() -> None:
    now = report(
        {"all": {"facts": 0.795, "false_refusal": 0.10, "judge_correctness": 0.1}, "type:en": {"facts": 0.1}},
        {},
    )
    assert not compare(BASE, now).failed


def test_newly_failing_and_newly_passing_cases_are_listed() -> None:
    now = report({"all": {"facts": 0.80}}, {"a": ["facts", "evidence"], "b": [], "c": [], "d": []})
    result = compare(BASE, now)
    assert result.newly_failing == {"a": ["facts", "evidence"]}
    assert result.newly_passing == ["b"]
    assert result.not_in_baseline == ["d"]
    assert "newly failing: a (facts, evidence)" in result.lines()


def test_update_keeps_the_tolerances_and_gated_groups_chosen_by_hand() -> None:
    assert BASE["tolerances"] == DEFAULT_TOLERANCES
    assert "judge_correctness" not in BASE["groups"]["all"]
    edited = {**BASE, "tolerances": {"default": 0.05, "facts": 0.0}, "gate_groups": ["all"]}
    updated = make_baseline(report({"all": {"facts": 0.5}}, {}), edited)
    assert updated["tolerances"] == {"default": 0.05, "facts": 0.0}
    assert updated["gate_groups"] == ["all"]
    assert updated["groups"] == {"all": {"facts": 0.5}}
