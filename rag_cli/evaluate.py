"""`rag eval`: score the system on eval datasets, write reports, gate against a committed baseline.

Exit codes: 0 fine, 1 a gated metric fell beyond its tolerance, 2 bad input (one `error:` line).
Everything heavy is imported inside `run`, so `rag --help` stays fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path("evals/results")


def add_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("eval", help="measure retrieval, answers, citations and refusals on eval datasets")
    common(p)
    p.add_argument(
        "--dataset",
        action="append",
        help="JSONL cases, or a public set: squad2, tydiqa-en, tydiqa-ko (repeatable; default: shipped set)",
    )
    p.add_argument("--split", choices=("train", "dev"), default="dev", help="public sets: which split")
    p.add_argument("--limit", type=int, default=None, help="public sets: a seeded sample of N questions each")
    p.add_argument(
        "--public-data",
        type=Path,
        default=None,
        help="folder with squad2/ and tydiqa-goldp/ (RAG_PUBLIC_DATA_DIR)",
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default evals/results)")
    p.add_argument(
        "--baseline",
        type=Path,
        nargs="?",
        const=Path("__default__"),
        default=None,
        help="compare with a baseline (default file evals/baseline.json); exit 1 on a regression",
    )
    p.add_argument("--update-baseline", action="store_true", help="rewrite the baseline with this run")
    p.add_argument("--compare", type=Path, nargs=2, metavar=("A", "B"), help="two report.json side by side")
    p.add_argument(
        "--from-feedback",
        type=Path,
        nargs="?",
        const=Path("__default__"),
        default=None,
        metavar="FILE",
        help="draft cases from thumbs-down feedback (default <data_dir>/feedback.jsonl)",
    )
    p.add_argument("--metrics", nargs="+", help="metric or family names (retrieval answers citations judge)")
    p.add_argument(
        "--judge", action="store_true", help="add LLM-judge scores (needs OPENAI_API_KEY/BASE_URL)"
    )
    p.add_argument("--judge-model", default=None, help="judge model (default RAG_LLM_MODEL or gpt-4o-mini)")
    p.add_argument("--judge-repeats", type=int, default=3, help="judge calls averaged per item (default 3)")
    p.add_argument(
        "--sample",
        type=int,
        default=None,
        metavar="N",
        help="JSONL sets: a seeded random sample of N cases, stratified by case type (e.g. for a slow LLM)",
    )
    p.add_argument("--seed", type=int, default=0, help="the --sample seed (default 0)")
    p.add_argument(
        "--answer-mode",
        choices=["auto", "extractive", "llm"],
        default=None,
        help="who writes the answers (env RAG_ANSWER_MODE); llm: the report counts the model's own answers",
    )
    p.add_argument("--llm-model", default=None, help="model name on the LLM server (env RAG_LLM_MODEL)")
    p.add_argument("--quiet", action="store_true", help="no per-case progress")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evals import runner
    from evals.public.evaluate import evaluate_public, is_public
    from rag.core.errors import UserError

    if args.compare:
        return runner.compare_runs(*args.compare)
    if args.from_feedback is not None:
        from rag_cli.main import settings_from_args

        return runner.feedback_drafts(settings_from_args(args), args.from_feedback, args.out)
    from rag_cli.main import settings_from_args

    names = args.dataset or []
    public = [n for n in names if is_public(n)]
    if public:
        if len(public) != len(names):
            raise UserError("public sets (squad2, tydiqa-en, tydiqa-ko) cannot be mixed with JSONL datasets")
        if args.sample is not None:
            raise UserError("public sets take --limit N (a seeded sample), not --sample")
        if args.limit is not None and args.limit < 1:
            raise UserError("--limit must be at least 1")
        return evaluate_public(
            settings_from_args(args), public, args.split, args.out, args.limit, args.public_data, args.quiet
        )
    return runner.evaluate(
        settings_from_args(args),
        datasets=[Path(n) for n in names] or None,
        out=args.out,
        baseline=args.baseline,
        update_baseline=args.update_baseline,
        metrics=args.metrics,
        judge=args.judge,
        judge_model=args.judge_model,
        judge_repeats=args.judge_repeats,
        quiet=args.quiet,
        sample=args.sample,
        seed=args.seed,
    )
