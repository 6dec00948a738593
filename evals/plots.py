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
