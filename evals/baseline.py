"""The committed baseline and the gate: which metric dropped beyond its tolerance, which cases broke.

The baseline file carries its own tolerances and gated groups, so loosening or tightening the gate is
a reviewed edit of one JSON file, and `--update-baseline` rewrites the numbers but keeps those choices.
Offline runs are deterministic, so the default tolerance only absorbs float noise between machines;
judge metrics (LLM, noisy) and latency are never gated.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evals.metrics import BY_NAME
from rag.core.errors import UserError

# Offline runs repeat exactly, except the fused order below the top slots: the retriever breaks ties
# between equal fused scores in set order, which depends on the Python hash seed (measured over six
# seeds on the shipped set: mrr@10 moved up to 0.037 and ndcg@10 up to 0.022 in the Korean group, every
# other metric not at all). Those two get room for that; every other metric 0.01.
DEFAULT_TOLERANCES: dict[str, float] = {"default": 0.01, "mrr@10": 0.05, "ndcg@10": 0.03}
DEFAULT_GATE_GROUPS = ["all", "lang:en", "lang:ko"]


class BaselineError(UserError):
    pass


def load_json(path: Path, what: str) -> dict[str, Any]:
    if not path.exists():
        raise BaselineError(f"{what} not found: {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{what} {path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise BaselineError(f"{what} {path} must hold a JSON object")
    return data


def group_means(report: dict[str, Any]) -> dict[str, dict[str, float]]:
    """group -> metric -> mean, from a report or from a baseline (both shapes are accepted)."""
    if "groups" in report:
        return {g: dict(m) for g, m in report["groups"].items()}
    return {
        g: {name: float(v["mean"]) for name, v in body["metrics"].items()}
        for g, body in report.get("summary", {}).items()
    }


def case_failures(report: dict[str, Any]) -> dict[str, list[str]]:
    if "cases" in report and isinstance(report["cases"], dict):
        return {cid: list(f) for cid, f in report["cases"].items()}
    return {c["id"]: list(c["failures"]) for c in report.get("cases", [])}


def make_baseline(report: dict[str, Any], previous: dict[str, Any] | None = None) -> dict[str, Any]:
    previous = previous or {}
    deterministic = {
        g: {m: v for m, v in metrics.items() if BY_NAME.get(m) and BY_NAME[m].family != "judge"}
        for g, metrics in group_means(report).items()
    }
    return {
        "about": (
            "Committed scores of `rag eval` (offline). `tolerances` (absolute, per metric, 'default' for "
            "the rest; a drop beyond it in a gated group fails the run) and `gate_groups` are kept by "
            "`rag eval --update-baseline`, which rewrites everything else. mrr@10 and ndcg@10 have wider "
            "tolerances because the retriever's tie-breaking between equal fused scores depends on the "
            "Python hash seed."
        ),
        "tolerances": previous.get("tolerances", DEFAULT_TOLERANCES),
        "gate_groups": previous.get("gate_groups", DEFAULT_GATE_GROUPS),
        "mode": report.get("mode", ""),
        "settings": report.get("settings", {}),
        "datasets": report.get("datasets", []),
        "groups": deterministic,
        "cases": case_failures(report),
    }


@dataclass
class Comparison:
    regressions: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    newly_failing: dict[str, list[str]] = field(default_factory=dict)
    newly_passing: list[str] = field(default_factory=list)
    not_in_baseline: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.regressions)

    def lines(self) -> list[str]:
        out = [f"REGRESSION {r}" for r in self.regressions]
        out += [f"improved   {r}" for r in self.improvements]
        out += [f"newly failing: {cid} ({', '.join(f)})" for cid, f in self.newly_failing.items()]
        out += [f"newly passing: {cid}" for cid in self.newly_passing]
        if self.not_in_baseline:
            out.append(f"not in baseline: {', '.join(self.not_in_baseline)}")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"failed": self.failed, **asdict(self)}


def tolerance(baseline: dict[str, Any], metric: str) -> float:
    tol = baseline.get("tolerances", DEFAULT_TOLERANCES)
    return float(tol.get(metric, tol.get("default", DEFAULT_TOLERANCES["default"])))


def compare(baseline: dict[str, Any], report: dict[str, Any]) -> Comparison:
    """A metric regresses when it moves the wrong way by more than its tolerance in a gated group."""
    out = Comparison()
    base, now = group_means(baseline), group_means(report)
    for group in baseline.get("gate_groups", DEFAULT_GATE_GROUPS):
        for metric, old in base.get(group, {}).items():
            info = BY_NAME.get(metric)
            if info is None or info.family == "judge" or metric not in now.get(group, {}):
                continue  # a metric not measured this run (--metrics) is not a regression
            new = now[group][metric]
            delta = (new - old) if info.higher_is_better else (old - new)
            line = f"{group} {metric}: {old:.3f} -> {new:.3f} (tolerance {tolerance(baseline, metric):.3f})"
            if delta < -tolerance(baseline, metric) - 1e-9:
                out.regressions.append(line)
            elif delta > tolerance(baseline, metric) + 1e-9:
                out.improvements.append(line)
    old_cases, new_cases = case_failures(baseline), case_failures(report)
    for cid, failures in new_cases.items():
        if cid not in old_cases:
            out.not_in_baseline.append(cid)
        elif failures and not old_cases[cid]:
            out.newly_failing[cid] = failures
        elif not failures and old_cases[cid]:
            out.newly_passing.append(cid)
    return out


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
