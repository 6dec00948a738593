"""The metrics table shared by the markdown, console and HTML reports: one row per metric, one column per group."""

from __future__ import annotations

from typing import Any

from evals.baseline import group_means
from evals.metrics import BY_NAME, METRICS

HEADLINE_GROUPS = ("all", "lang:en", "lang:ko")


def ordered_metrics(groups: dict[str, dict[str, float]]) -> list[str]:
    present = {m for g in groups.values() for m in g}
    return [m.name for m in METRICS if m.name in present]


def cell(summary: dict[str, Any], group: str, metric: str) -> str:
    m = summary.get(group, {}).get("metrics", {}).get(metric)
    return f"{m['mean']:.3f} ({m['n']})" if m else "—"


def metrics_table(report: dict[str, Any], groups: list[str] | None = None) -> list[str]:
    """Markdown table: one row per metric, one column per group, each cell `mean (cases)`."""
    summary = report["summary"]
    groups = groups or [g for g in summary if g in HEADLINE_GROUPS or g.startswith("type:")]
    head = [f"{g} [{summary[g]['passed']}/{summary[g]['cases']} pass]" for g in groups]
    lines = ["| metric | " + " | ".join(head) + " |", "|---" * (len(groups) + 1) + "|"]
    for metric in ordered_metrics(group_means(report)):
        arrow = "" if BY_NAME[metric].higher_is_better else " ↓"
        lines.append(f"| {metric}{arrow} | " + " | ".join(cell(summary, g, metric) for g in groups) + " |")
    return lines
