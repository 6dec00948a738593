"""Small inline SVG charts for the HTML report.

Hand-written SVG instead of a plotting library: the report must render offline in any browser, with
no dependency beyond the standard library, and these are two chart shapes (grouped bars, a histogram).
Every label passes through `html.escape`.
"""

from __future__ import annotations

from html import escape

COLOURS = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756")


def grouped_bars(title: str, categories: list[str], series: dict[str, list[float | None]]) -> str:
    """One group of bars per category (a metric), one bar per series (all / en / ko), values in [0, 1]."""
    width, height, left, bottom, top = (
        max(360, 30 + len(categories) * 24 * max(len(series), 1)),
        240,
        36,
        70,
        40,
    )
    plot_h = height - bottom - top
    slot = (width - left - 10) / max(len(categories), 1)
    bar = max(4.0, (slot - 8) / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="4" y="{y + 4:.1f}" font-size="10">{tick:.1f}</text>')
    for ci, cat in enumerate(categories):
        x0 = left + ci * slot + 4
        for si, (name, values) in enumerate(series.items()):
            value = values[ci]
            if value is None:
                continue
            h = plot_h * max(0.0, min(1.0, value))
            x = x0 + si * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[si % len(COLOURS)]}"><title>{escape(name)} {escape(cat)}: {value:.3f}'
                "</title></rect>"
            )
        cx = x0 + slot / 2 - 4
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 10}" font-size="10" text-anchor="end" '
            f'transform="rotate(-40 {cx:.1f} {top + plot_h + 10})">{escape(cat)}</text>'
        )
    for si, name in enumerate(series):
        x = left + si * 70
        parts.append(f'<rect x="{x}" y="22" width="10" height="10" fill="{COLOURS[si % len(COLOURS)]}"/>')
        parts.append(f'<text x="{x + 13}" y="31" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(title: str, values: list[float], unit: str = "ms", bins: int = 20) -> str:
    width, height, left, bottom, top = 480, 200, 36, 34, 26
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    if values:
        lo, hi = min(values), max(values)
        span = (hi - lo) or 1.0
        counts = [0] * bins
        for v in values:
            counts[min(bins - 1, int((v - lo) / span * bins))] += 1
        peak = max(counts)
        plot_w, plot_h = width - left - 10, height - bottom - top
        w = plot_w / bins
        for i, c in enumerate(counts):
            h = plot_h * c / peak
            b_lo = lo + span * i / bins
            parts.append(
                f'<rect x="{left + i * w:.1f}" y="{top + plot_h - h:.1f}" width="{w - 1:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[0]}"><title>{b_lo:.0f}-{b_lo + span / bins:.0f} {unit}: {c}</title></rect>'
            )
        parts.append(f'<text x="{left}" y="{height - 12}" font-size="10">{lo:.0f} {unit}</text>')
        parts.append(
            f'<text x="{width - 10}" y="{height - 12}" font-size="10" text-anchor="end">{hi:.0f} {unit}</text>'
        )
        parts.append(f'<text x="4" y="{top + 8}" font-size="10">{peak}</text>')
    parts.append("</svg>")
    return "".join(parts)


def tradeoff_curve(
    title: str,
    curves: dict[str, list[tuple[float, float]]],
    x_label: str,
    y_label: str,
    marks: dict[str, tuple[float, float]] | None = None,
) -> str:
    """Lines of (x, y) points in [0, 1] x [0, 1], one per series, with an optional marked point each
    (the operating point); used for answerable-refused vs unanswerable-refused as the threshold moves."""
    width, height, left, bottom, top = 420, 340, 44, 44, 40
    plot_w, plot_h = width - left - 14, height - bottom - top

    def xy(x: float, y: float) -> tuple[float, float]:
        return left + plot_w * max(0.0, min(1.0, x)), top + plot_h * (1 - max(0.0, min(1.0, y)))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x, y = xy(tick, tick)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 30}" y="{y + 4:.1f}" font-size="10">{tick:.2f}</text>')
        parts.append(f'<text x="{x - 10:.1f}" y="{top + plot_h + 14}" font-size="10">{tick:.2f}</text>')
    parts.append(f'<text x="{left}" y="{height - 8}" font-size="11">{escape(x_label)}</text>')
    parts.append(
        f'<text x="12" y="{top + plot_h}" font-size="11" transform="rotate(-90 12 {top + plot_h})">'
        f"{escape(y_label)}</text>"
    )
    for si, (name, points) in enumerate(curves.items()):
        colour = COLOURS[si % len(COLOURS)]
        path = " ".join(f"{a:.1f},{b:.1f}" for a, b in (xy(x, y) for x, y in points))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        parts.append(f'<rect x="{left + si * 90}" y="22" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{left + si * 90 + 13}" y="31" font-size="11">{escape(name)}</text>')
        if marks and name in marks:
            mx, my = xy(*marks[name])
            parts.append(
                f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="5" fill="none" stroke="{colour}" stroke-width="2">'
                f"<title>{escape(name)} operating point: {marks[name][0]:.3f}, {marks[name][1]:.3f}</title>"
                "</circle>"
            )
    parts.append("</svg>")
    return "".join(parts)
