"""A minimal SVG chart writer (lines on a log-x axis, or bars).

Written here rather than adding matplotlib (~40 MB plus a font cache built on first use) for two
small charts; SVG is text, renders on GitHub and in any browser, and needs nothing at run time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

W, H = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 170, 36, 48
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f")


def _nice_max(v: float) -> float:
    if v <= 0 or not math.isfinite(v):
        return 1.0
    exp = 10.0 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def _frame(title: str, y_label: str, y_max: float, y_min_log: float | None = None) -> list[str]:
    """Axes and grid; with `y_min_log` the y axis is log10 from y_min_log to y_max (powers of ten)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{W / 2}" y="20" text-anchor="middle" font-size="14">{escape(title)}</text>',
        f'<text x="14" y="{H / 2}" transform="rotate(-90 14 {H / 2})" text-anchor="middle">{escape(y_label)}</text>',
    ]
    plot_h = H - TOP - BOTTOM
    if y_min_log is not None:
        lo, hi = math.log10(y_min_log), math.log10(y_max)
        for e in range(round(lo), round(hi) + 1):
            y = H - BOTTOM - plot_h * (e - lo) / (hi - lo)
            out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
            out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{10.0**e:g}</text>')
        return out
    for i in range(6):
        v = y_max * i / 5
        y = H - BOTTOM - plot_h * i / 5
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    return out


def lines(
    title: str,
    x_label: str,
    y_label: str,
    xs: Sequence[float],
    series: Mapping[str, Sequence[float | None]],
    x_ticks: Sequence[str] | None = None,
    hline: tuple[float, str] | None = None,
    log_y: bool = False,
) -> str:
    """Series over xs on a log10 x axis (corpus sizes grow by 10x); None values are gaps. `log_y` for
    values spanning decades (a 0.5 ms stage beside a 3 s one)."""
    values = [v for s in series.values() for v in s if v is not None]
    if hline:
        values.append(hline[0])
    if log_y:
        y_lo = 10.0 ** math.floor(math.log10(max(min((v for v in values if v > 0), default=1.0), 1e-3)))
        y_max = 10.0 ** math.ceil(math.log10(max(values, default=10.0)))
    else:
        y_lo, y_max = 0.0, _nice_max(max(values, default=1.0))
    out = _frame(title, y_label, y_max, y_lo if log_y else None)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    lx = [math.log10(x) for x in xs]
    lo, hi = min(lx), max(lx)
    span = (hi - lo) or 1.0

    def px(x: float) -> float:
        return LEFT + plot_w * ((math.log10(x) - lo) / span if len(xs) > 1 else 0.5)

    def py(y: float) -> float:
        if log_y:
            lo, hi = math.log10(y_lo), math.log10(y_max)
            return H - BOTTOM - plot_h * (math.log10(max(y, y_lo)) - lo) / (hi - lo)
        return H - BOTTOM - plot_h * y / y_max

    for x, tick in zip(xs, x_ticks or [f"{x:g}" for x in xs], strict=True):
        out.append(f'<text x="{px(x):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{escape(tick)}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{H - 10}" text-anchor="middle">{escape(x_label)}</text>')
    if hline:
        y = py(hline[0])
        out.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#000" stroke-dasharray="5,4"/>'
        )
        out.append(f'<text x="{W - RIGHT - 4}" y="{y - 4:.1f}" text-anchor="end">{escape(hline[1])}</text>')
    for n, (name, ys) in enumerate(series.items()):
        color = COLORS[n % len(COLORS)]
        pts = [(px(x), py(y)) for x, y in zip(xs, ys, strict=True) if y is not None]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y in pts:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
        ly = TOP + 10 + 18 * n
        out.append(f'<rect x="{W - RIGHT + 12}" y="{ly - 8}" width="12" height="4" fill="{color}"/>')
        out.append(f'<text x="{W - RIGHT + 30}" y="{ly - 2}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def bars(title: str, y_label: str, items: dict[str, float]) -> str:
    y_max = _nice_max(max(items.values(), default=1.0))
    out = _frame(title, y_label, y_max)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    n = max(len(items), 1)
    width = plot_w / n * 0.6
    for i, (name, v) in enumerate(items.items()):
        x = LEFT + plot_w * (i + 0.2) / n
        h = plot_h * v / y_max
        out.append(
            f'<rect x="{x:.1f}" y="{H - BOTTOM - h:.1f}" width="{width:.1f}" height="{h:.1f}" '
            f'fill="{COLORS[i % len(COLORS)]}"/>'
        )
        out.append(
            f'<text x="{x + width / 2:.1f}" y="{H - BOTTOM - h - 4:.1f}" text-anchor="middle">{v:g}</text>'
        )
        out.append(
            f'<text x="{x + width / 2:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{escape(name)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
