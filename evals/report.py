"""The run as data (report.json) and as text (console table, report.md).

report.json is the contract: `--compare`, `--baseline` and the HTML page read only it, so two runs
made on different days (or embedders) can be compared without re-running anything.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.baseline import Comparison, group_means, write_json
from evals.outcomes import outcome_lines

if TYPE_CHECKING:
    from evals.harness import CaseResult
from evals.metrics import BY_NAME
from evals.tables import HEADLINE_GROUPS, cell, metrics_table, ordered_metrics


def build_report(
    results: list[CaseResult],
    *,
    mode: str,
    settings: dict[str, Any],
    datasets: list[str],
    metrics: tuple[str, ...],
    judge: dict[str, Any] | None = None,
    sample: dict[str, int] | None = None,
) -> dict[str, Any]:
    from evals.harness import latency, summarise
    from evals.outcomes import outcome_summary

    return {
        "version": 1,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "settings": settings,
        "datasets": datasets,
        "metrics": list(metrics),
        "summary": summarise(results),
        "latency_ms": latency(results),
        "outcomes": outcome_summary(results),
        "sample": sample,
        "judge": judge,
        "cases": [r.to_json() for r in results],
    }


def console_table(report: dict[str, Any]) -> str:
    summary = report["summary"]
    groups = [g for g in HEADLINE_GROUPS if g in summary]
    rows = [f"{'metric':<20}" + "".join(f"{g:>16}" for g in groups)]
    for metric in ordered_metrics(group_means(report)):
        rows.append(f"{metric:<20}" + "".join(f"{cell(summary, g, metric):>16}" for g in groups))
    rows.append(
        f"{'cases passed':<20}"
        + "".join(f"{summary[g]['passed']:>9}/{summary[g]['cases']:<6}" for g in groups)
    )
    counts = report.get("outcomes", {}).get("counts", {})
    if counts:
        rows.append("outcomes: " + ", ".join(f"{o} {c}" for o, c in counts.items()))
    lat = report.get("latency_ms", {})
    if "total" in lat:
        rows.append(f"latency total: p50 {lat['total']['p50']:.0f} ms, p95 {lat['total']['p95']:.0f} ms")
    return "\n".join(rows)


def markdown(report: dict[str, Any], comparison: Comparison | None = None) -> str:
    out = [
        "# rag eval report",
        "",
        f"- created: {report['created']}",
        f"- mode: {report['mode']}",
        f"- datasets: {', '.join(report['datasets'])}",
        f"- settings: {', '.join(f'{k}={v}' for k, v in report['settings'].items())}",
        *(
            [f"- sample: {smp['n']} of {smp['of']} cases, seed {smp['seed']} (stratified by case type)"]
            if (smp := report.get("sample"))
            else []
        ),
        "",
        "Each cell is `mean (cases the metric applies to)`; ↓ marks metrics where lower is better.",
        "",
        "## Metrics",
        "",
        *metrics_table(report),
        "",
        "## Latency per stage (ms)",
        "",
        "| stage | p50 | p95 | n |",
        "|---|---|---|---|",
        *[f"| {s} | {v['p50']:.1f} | {v['p95']:.1f} | {v['n']} |" for s, v in report["latency_ms"].items()],
        "",
        *outcome_lines(report),
    ]
    if report.get("judge"):
        j = report["judge"]
        out += [
            "## LLM judge (not gating)",
            "",
            f"model {j['model']}, temperature 0, {j['repeats']} repeats averaged; "
            f"{j.get('unmeasured', 0)} judgements unmeasured.",
            "",
        ]
    if comparison is not None:
        out += [
            "## Against the baseline",
            "",
            *(f"- {line}" for line in comparison.lines() or ["no change"]),
            "",
        ]
    failing = [c for c in report["cases"] if not c["passed"]]
    out += [f"## Failing cases ({len(failing)} of {len(report['cases'])})", ""]
    out += ["| case | lang | type | failed | answer |", "|---|---|---|---|---|"]
    for c in failing:
        answer = " ".join(c["answer"].split())[:160].replace("|", "\\|")
        out.append(f"| {c['id']} | {c['lang']} | {c['type']} | {', '.join(c['failures'])} | {answer} |")
    return "\n".join(out) + "\n"


def write_reports(out_dir: Path, report: dict[str, Any], comparison: Comparison | None = None) -> list[Path]:
    from evals.report_html import html_report

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "report.json", out_dir / "report.md", out_dir / "report.html"]
    data = dict(report, baseline=comparison.to_json() if comparison else None)
    write_json(paths[0], data)
    paths[1].write_text(markdown(report, comparison), encoding="utf-8")
    paths[2].write_text(html_report(report, comparison), encoding="utf-8")
    return paths


def compare_table(a: dict[str, Any], b: dict[str, Any], a_name: str, b_name: str) -> str:
    """Two runs side by side: every metric of every group both have, with the change."""
    ga, gb = group_means(a), group_means(b)
    lines = [f"| group | metric | {a_name} | {b_name} | change |", "|---|---|---|---|---|"]
    for group in [g for g in ga if g in gb]:
        for metric in ordered_metrics({group: {**ga[group], **gb[group]}}):
            if metric in ga[group] and metric in gb[group]:
                x, y = ga[group][metric], gb[group][metric]
                better = (y - x) if BY_NAME[metric].higher_is_better else (x - y)
                mark = " ▲" if better > 1e-9 else " ▼" if better < -1e-9 else ""
                lines.append(f"| {group} | {metric} | {x:.3f} | {y:.3f} | {y - x:+.3f}{mark} |")
    fa = {c["id"]: c for c in a.get("cases", [])}
    changes = []
    for c in b.get("cases", []):
        old = fa.get(c["id"])
        if old and old["passed"] != c["passed"]:
            state = "passes" if c["passed"] else f"fails ({', '.join(c['failures'])})"
            changes.append(f"- {c['id']}: {state} in {b_name}")
    return "\n".join(lines + ([f"\nCases that changed ({len(changes)}):", *changes] if changes else []))
