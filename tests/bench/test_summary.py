"""The summary's verdicts and charts, from hand-made results (no benchmark runs here)."""

from __future__ import annotations

import xml.dom.minidom

from bench import plot, run, summary_targets


def test_target_rows_say_met_or_missed_by_how_much() -> None:
    assert "| met |" in summary_targets._target_row("p95", 120.0, 150, " ms", "fix")
    missed = summary_targets._target_row("p95", 300.0, 150, " ms", "use a GPU")
    assert "missed by 100%" in missed and "use a GPU" in missed
    assert "not measured" in summary_targets._target_row("p95", None, 150, " ms", "fix")


def test_targets_compare_with_the_peer_per_language() -> None:
    quality = {"en": {"hit@5": 0.9, "mrr@5": 0.8}, "ko": {"hit@5": 0.7, "mrr@5": 0.6}}
    peer = {
        "ours": {"quality": quality},
        "peer": {"quality": {"en": {"hit@5": 0.8, "mrr@5": 0.9}, "ko": {"hit@5": 0.6, "mrr@5": 0.5}}},
        "verdict": {"warm_latency_ratio_p50": 1.2, "warm_latency_ratio_p95": 2.0},
    }
    rows = "\n".join(summary_targets.targets({}, {}, peer))
    assert "en hit@5 higher | ours 0.900, peer 0.800 | > peer | met" in rows
    assert "en mrr@5 higher | ours 0.800, peer 0.900 | > peer | **missed** by 0.100" in rows
    assert "(p95, ours/peer) | 2.00x | 1.50x | **missed by 33%**" in rows


def test_charts_are_well_formed_svg() -> None:
    svg = plot.lines("t", "x", "ms", [1000.0, 10000.0], {"a": [1.0, 2000.0], "b": [None, 3.0]}, log_y=True)
    xml.dom.minidom.parseString(svg)
    xml.dom.minidom.parseString(plot.bars("t", "y", {"raw": 3.4, "ingest": 3.0}))


def test_run_rejects_unknown_benchmark_names() -> None:
    assert run.main(["--only", "nonesuch"]) == 2


def test_a_missed_latency_target_names_its_slowest_stage() -> None:
    stages = {"embed": {"p95": 80.0}, "dense": {"p95": 1200.0}, "bm25": {"p95": 2.0}, "answer": {"p95": 9.0}}
    assert summary_targets.dominant_stage_fix(stages).startswith("dense dominates (p95 1200 ms)")
