"""What `rag eval --dataset squad2|tydiqa-en|tydiqa-ko` does: pool, index once, ask, score, report.

Usage:
    >>> evaluate_public(settings, ["squad2", "tydiqa-ko"], "dev", Path("evals/results"))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from evals.public.curve import curve_svg, tradeoff
from evals.public.datasets import PUBLIC, find_data_dir, load_public, provenance
from evals.public.pool import pooled_index
from evals.public.run import PublicResult, markdown_table, progress_line, run_public, summarise
from rag.core.config import Settings


def is_public(name: str) -> bool:
    return name in PUBLIC


def evaluate_public(
    settings: Settings,
    names: list[str],
    split: str,
    out: Path,
    limit: int | None = None,
    data_dir: Path | None = None,
    quiet: bool = False,
) -> int:
    root = find_data_dir(data_dir)
    cases = [c for name in dict.fromkeys(names) for c in load_public(name, split, root, limit)]
    # The pool holds every article of the datasets named, whatever `limit` sampled: the sample's
    # questions face the same distractors as the full set's.
    pool_cases = [c for name in dict.fromkeys(names) for c in load_public(name, split, root)]
    pooled = pooled_index(pool_cases, settings.model_copy(update={"answer_mode": "extractive"}), not quiet)
    from rag.engine import Engine

    engine = Engine(pooled)
    t0 = time.perf_counter()
    results = run_public(engine, cases, on_case=None if quiet else progress_line)
    seconds = time.perf_counter() - t0
    summary = summarise(results)
    report: dict[str, Any] = {
        "datasets": list(dict.fromkeys(names)),
        "split": split,
        "mode": str(engine.mode),
        "provenance": provenance(list(dict.fromkeys(names)), split, root),
        "index": str(pooled.data_dir),
        "questions": len(cases),
        "seconds": round(seconds, 1),
        "summary": summary,
        "cases": [r.to_json() for r in results],
    }
    target = out / f"public-{'+'.join(dict.fromkeys(names))}-{split}"
    target.mkdir(parents=True, exist_ok=True)
    (target / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    table = markdown_table(summary)
    head = f"# rag eval on public data: {', '.join(report['datasets'])} ({split} split)\n\n"
    body = head + table + "\n"
    points = tradeoff(results)
    if points:
        operating = {
            lang: (
                float(summary[f"lang:{lang}"]["answerable_refused"] or 0.0),
                _unanswerable_refused(results, lang),
            )
            for lang in points
        }
        (target / "curve.svg").write_text(curve_svg(points, operating), encoding="utf-8")
        report["curve"] = {lang: pts[:: max(1, len(pts) // 200)] for lang, pts in points.items()}
        (target / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        body += (
            "\n## Refusal trade-off\n\nAs the judge's threshold moves (circles: the shipped threshold)."
            " Unanswerable: SQuAD's, and questions asked against the pool without their own article.\n\n"
            "![trade-off](curve.svg)\n"
        )
    (target / "report.md").write_text(body, encoding="utf-8")
    print(table)
    print(f"reports: {target / 'report.json'}, {target / 'report.md'}")
    return 0


def _unanswerable_refused(results: list[PublicResult], lang: str) -> float:
    unanswerable = [r for r in results if r.lang == lang and not r.answerable]
    return sum(r.refused for r in unanswerable) / len(unanswerable) if unanswerable else 0.0
