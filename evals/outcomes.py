"""How the answers came about, counted: the model's own answers vs each fallback (`Answer.outcome`).

Why in the report: in LLM mode the metrics alone cannot tell a model that answers well from one whose
every answer was replaced by the extractive fallback (issue 16: all 8 SmolLM2 cases fell back and the
report looked like an extractive run). Also the LLM's cost per case: prompt tokens and seconds.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from rag.core import outcomes

if TYPE_CHECKING:
    from evals.harness import CaseResult


def _mean(values: list[float]) -> float | None:
    return round(float(np.mean(values)), 1) if values else None


def outcome_summary(results: list[CaseResult]) -> dict[str, Any]:
    """{"counts": {outcome: n}, "by_lang": {lang: {outcome: n}}, "from_model": n, "prompt_tokens": mean,
    "server_prompt_tokens": mean, "seconds_per_case": mean} (means None when nothing was measured)."""
    counts: Counter[str] = Counter()
    by_lang: dict[str, Counter[str]] = {}
    prompt: list[float] = []
    server: list[float] = []
    seconds: list[float] = []
    for r in results:
        name = r.answer.outcome or "unknown"
        counts[name] += 1
        by_lang.setdefault(r.case.lang, Counter())[name] += 1
        if "prompt" in r.answer.tokens:
            prompt.append(r.answer.tokens["prompt"])
        if r.answer.tokens.get("server_prompt"):
            server.append(r.answer.tokens["server_prompt"])
        if "total" in r.answer.timings_ms:
            seconds.append(r.answer.timings_ms["total"] / 1000)
    order = [o for o in outcomes.ALL if o in counts] + sorted(set(counts) - set(outcomes.ALL))
    return {
        "counts": {o: counts[o] for o in order},
        "by_lang": {lang: {o: c[o] for o in order if c[o]} for lang, c in sorted(by_lang.items())},
        "from_model": sum(counts[o] for o in outcomes.FROM_MODEL),
        "prompt_tokens": _mean(prompt),
        "server_prompt_tokens": _mean(server),
        "seconds_per_case": _mean(seconds),
    }


def outcome_lines(report: dict[str, Any]) -> list[str]:
    """The markdown section: counts, then one row per case (for an LLM run; an offline run is all
    "extractive" and gets the counts only)."""
    summary = report.get("outcomes")
    if not summary:
        return []
    n = sum(summary["counts"].values())
    out = [
        "## Answer outcomes",
        "",
        f"{summary['from_model']} of {n} answers are the model's own "
        f"({', '.join(f'{o} {c}' for o, c in summary['counts'].items())}).",
    ]
    cost = []
    if summary.get("prompt_tokens") is not None:
        cost.append(f"prompt tokens per LLM call {summary['prompt_tokens']:.0f} (counted)")
    if summary.get("server_prompt_tokens") is not None:
        cost.append(f"{summary['server_prompt_tokens']:.0f} (server)")
    if summary.get("seconds_per_case") is not None:
        cost.append(f"seconds per case {summary['seconds_per_case']:.1f}")
    if cost:
        out.append("Mean " + ", ".join(cost) + ".")
    out.append("")
    if set(summary["counts"]) == {outcomes.EXTRACTIVE}:
        return out
    out += ["| case | lang | type | outcome | passed | s | prompt tokens | model reply not shown |"]
    out += ["|---|---|---|---|---|---|---|---|"]
    for c in report["cases"]:
        secs = c.get("timings_ms", {}).get("total", 0.0) / 1000
        tokens = c.get("tokens", {})
        shown = tokens.get("server_prompt") or tokens.get("prompt", "")
        draft = " ".join(str(c.get("draft", "")).split())[:120].replace("|", "\\|")
        out.append(
            f"| {c['id']} | {c['lang']} | {c['type']} | {c.get('outcome', '')} | "
            f"{'yes' if c['passed'] else 'no'} | {secs:.1f} | {shown} | {draft} |"
        )
    out.append("")
    return out
