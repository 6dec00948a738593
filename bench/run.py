"""`make bench`: run every benchmark module in order, then write bench/results/summary.md.

Each entry of MODULES is a module `bench.<name>` with a `main()` that writes bench/results/<name>.json.
To add a benchmark, add its name here; a module not present on this branch is skipped with a note
(other branches add `llm_overhead` and `ui_latency`). Pick modules with `--only core,peer` or
BENCH_ONLY, drop some with `--skip scale` or BENCH_SKIP; scale sizes with BENCH_SIZES (see bench/scale.py).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import time
import traceback

MODULES: tuple[str, ...] = ("core", "ingest", "peer", "remote", "llm_overhead", "ui_latency", "scale")
SUMMARY = "summary"  # always last: it reads what the others wrote


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run")
    ap.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""), help="comma-separated module names")
    ap.add_argument("--skip", default=os.environ.get("BENCH_SKIP", ""), help="comma-separated module names")
    args = ap.parse_args(argv)
    only, skip = set(_names(args.only)), set(_names(args.skip))
    unknown = (only | skip) - set(MODULES) - {SUMMARY}
    if unknown:
        print(f"error: unknown benchmark(s): {', '.join(sorted(unknown))} (known: {', '.join(MODULES)})")
        return 2
    failed: list[str] = []
    for name in MODULES:
        if (only and name not in only) or name in skip:
            continue
        if importlib.util.find_spec(f"bench.{name}") is None:
            print(f"bench: {name}: not on this branch, skipped", file=sys.stderr)
            continue
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            sys.argv = [f"bench.{name}"]  # modules with their own flags must not parse run.py's
            importlib.import_module(f"bench.{name}").main()
        except (Exception, SystemExit):
            traceback.print_exc()
            failed.append(name)
        print(f"bench: {name} done in {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
    if SUMMARY not in skip:
        importlib.import_module(f"bench.{SUMMARY}").main()
    if failed:
        print(f"bench: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
