"""What `rag eval` does, as functions: evaluate (+ gate / update the baseline), compare, feedback drafts.

Kept out of `rag/cli_eval.py` so tests and scripts can run an eval without a subprocess.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals import metrics as metric_catalogue
from evals.baseline import (
    BaselineError,
    Comparison,
    compare,
    load_json,
    make_baseline,
    write_json,
)
from evals.dataset import SHIPPED, load_datasets
from rag.core.config import Settings

if TYPE_CHECKING:
    from evals.harness import CaseResult

DEFAULT_BASELINE = Path(__file__).parent / "baseline.json"
EXIT_REGRESSION = 1


def _baseline_path(path: Path | None) -> Path:
    return DEFAULT_BASELINE if path is None or str(path) == "__default__" else path


def settings_summary(settings: Settings) -> dict[str, Any]:
    return {
        "embed_model": settings.embed_model,
        "top_k": settings.top_k,
        "candidates": settings.candidates,
        "chunk_max_chars": settings.chunk_max_chars,
    }


def eval_engine(
    engine: Any,
    cases_paths: list[Path],
    metrics: tuple[str, ...],
    settings: Settings,
    progress: bool = False,
    sample: int | None = None,
    seed: int = 0,
) -> tuple[list[CaseResult], dict[str, Any]]:
    """Run and score with an already-open engine (the test suite passes its session engine);
    `sample`: a seeded, type-stratified sample of that many cases (`evals.sampling`)."""
    from evals.harness import run_cases
    from evals.report import build_report
    from evals.sampling import sample_cases

    cases = load_datasets(cases_paths)
    drawn = None
    if sample is not None:
        drawn = {"n": min(sample, len(cases)), "of": len(cases), "seed": seed}
        cases = sample_cases(cases, sample, seed)

    def show(r: CaseResult) -> None:
        mark = "ok  " if r.passed else "FAIL"
        how = f" [{r.answer.outcome}]" if r.answer.outcome not in ("", "extractive") else ""
        print(f"{mark} {r.case.id}{how} {', '.join(r.failures)}", file=sys.stderr)

    results = run_cases(engine, cases, metrics, on_case=show if progress else None)
    report = build_report(
        results,
        mode=str(engine.mode),
        settings=settings_summary(settings),
        datasets=[p.name for p in cases_paths],
        metrics=metrics,
        sample=drawn,
    )
    return results, report


def gate(report: dict[str, Any], baseline_path: Path) -> Comparison:
    return compare(load_json(baseline_path, "baseline"), report)


def evaluate(
    settings: Settings,
    *,
    datasets: list[Path] | None,
    out: Path,
    baseline: Path | None,
    update_baseline: bool,
    metrics: list[str] | None,
    judge: bool = False,
    judge_model: str | None = None,
    judge_repeats: int = 3,
    quiet: bool = False,
    sample: int | None = None,
    seed: int = 0,
) -> int:
    chosen = metric_catalogue.select(metrics)
    if sample is not None and (baseline is not None or update_baseline):
        # The baseline holds means over every case: a sample's means differ by chance alone.
        raise BaselineError("--sample cannot be combined with --baseline or --update-baseline")
    if sample is not None and sample < 1:
        raise BaselineError("--sample must be at least 1")
    judge_wanted = judge or any(m.startswith("judge_") for m in chosen)
    chosen = tuple(m for m in chosen if not m.startswith("judge_"))
    paths = datasets or [SHIPPED]
    load_datasets(paths)  # bad input fails before the models load
    base_path = _baseline_path(baseline)
    if baseline is not None and not update_baseline and not base_path.exists():
        raise BaselineError(f"baseline not found: {base_path} (create it with --update-baseline)")
    from evals.report import console_table, write_reports

    judge_client = None
    if judge_wanted:
        from evals.judge import Judge

        judge_client = Judge.from_env(judge_model or settings.llm_model, judge_repeats)

    from rag.engine import Engine

    engine = Engine(settings)
    results, report = eval_engine(
        engine, paths, chosen, settings, progress=not quiet, sample=sample, seed=seed
    )
    if judge_client is not None:
        report["judge"] = judge_client.score(results)
        from evals.harness import summarise

        report["summary"] = summarise(results)
        report["cases"] = [r.to_json() for r in results]
    comparison = None
    if baseline is not None and not update_baseline:
        comparison = gate(report, base_path)
    written = write_reports(out, report, comparison)
    print(console_table(report))
    if comparison is not None:
        for line in comparison.lines():
            print(line)
        print(f"baseline {base_path}: {'REGRESSED' if comparison.failed else 'ok'}")
    if update_baseline:
        previous = load_json(base_path, "baseline") if base_path.exists() else None
        write_json(base_path, make_baseline(report, previous))
        print(f"baseline updated: {base_path}")
    print("reports: " + ", ".join(str(p) for p in written))
    return EXIT_REGRESSION if comparison is not None and comparison.failed else 0


def compare_runs(a: Path, b: Path) -> int:
    from evals.report import compare_table

    ra, rb = load_json(a, "report"), load_json(b, "report")
    for path, r in ((a, ra), (b, rb)):
        if "summary" not in r and "groups" not in r:
            raise BaselineError(f"{path} is not a rag eval report.json or baseline")
    names = (a.parent.name, b.parent.name) if a.parent.name != b.parent.name else (str(a), str(b))
    print(compare_table(ra, rb, *names))
    return 0


def feedback_drafts(settings: Settings, source: Path, out: Path) -> int:
    from evals.feedback_drafts import drafts_from_feedback, write_drafts
    from rag.store.feedback import feedback_path

    path = feedback_path(settings.data_dir) if str(source) == "__default__" else source
    drafts = drafts_from_feedback(path)
    target = out / "feedback_drafts.jsonl"
    write_drafts(target, drafts)
    print(f"{len(drafts)} draft case(s) from thumbs-down feedback in {path} -> {target}")
    if drafts:
        print("complete them (answerable, facts, evidence) and append them to a dataset; see SCHEMA.md")
    return 0
