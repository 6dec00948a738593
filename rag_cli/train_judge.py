"""`rag train-judge`: retrain the learned answer judge from the public QA data (evals.training.train).

Writes rag/answer/data/judge.json (weights, provenance, dev metrics, the trade-off curve) and the judge_*
numbers of rag/answer/data/policy.json. Needs scikit-learn (`pip install -e '.[train]'`, or `make train-judge`).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("train-judge", help="retrain the answer judge on the public QA data (SQuAD 2.0, TyDi QA)")
    p.add_argument("--public-data", type=Path, default=None, help="folder with squad2/ and tydiqa-goldp/")
    p.add_argument("--sample", type=int, default=1000, help="TyDi train questions per language (seeded)")
    p.add_argument(
        "--ranker", choices=("listwise", "logistic"), default="listwise", help="sentence ranker (default listwise)"
    )
    p.add_argument("--dry-run", action="store_true", help="measure only; do not write the shipped files")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evals.training.train import train

    spec = train(args.public_data, not args.dry_run, args.sample, True, args.ranker)
    print(json.dumps(spec["dev_metrics"], indent=1))
    print(f"trained in {spec['provenance']['seconds']} s" + ("" if args.dry_run else ": wrote rag/answer/data/judge.json"))
    return 0
