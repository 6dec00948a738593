"""The refusal trade-off: as the judge's threshold moves, answerable questions refused against
unanswerable ones refused, per language, from the confidences one `rag eval --dataset` run recorded.

Usage:
    >>> points = tradeoff(results)  # doctest: +SKIP
    >>> points["ko"][0]  # (threshold, answerable refused, unanswerable refused)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence

from evals.plots import tradeoff_curve
from evals.public.run import PublicResult

Point = tuple[float, float, float]


def tradeoff(results: Sequence[PublicResult]) -> dict[str, list[Point]]:
    """Per language: (threshold, share of answerable refused, share of unanswerable refused) at every
    distinct confidence, for results whose answer stage reported one. Unanswerable means SQuAD's
    unanswerable questions and questions asked against the pool without their own article."""
    out: dict[str, list[Point]] = {}
    for lang in sorted({r.lang for r in results}):
        scored = [r for r in results if r.lang == lang and r.confidence is not None]
        pos = sorted(float(r.confidence) for r in scored if r.answerable)  # type: ignore[arg-type]
        neg = sorted(float(r.confidence) for r in scored if not r.answerable)  # type: ignore[arg-type]
        if not pos or not neg:
            continue
        thresholds = sorted({0.0, *pos, *neg, 1.0 + 1e-9})
        out[lang] = [
            (t, sum(c < t for c in pos) / len(pos), sum(c < t for c in neg) / len(neg)) for t in thresholds
        ]
    return out


def curve_svg(points: dict[str, list[Point]], operating: dict[str, tuple[float, float]] | None = None) -> str:
    lines = {lang: [(a, u) for _, a, u in pts] for lang, pts in points.items()}
    return tradeoff_curve(
        "Refusals as the judge's threshold moves",
        lines,
        "answerable questions refused",
        "unanswerable questions refused",
        operating,
    )
