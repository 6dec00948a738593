"""report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched).

Every string that comes from the corpus, a dataset or an answer is escaped: documents are untrusted
input and a report is opened in a browser.
"""

from __future__ import annotations

from html import escape
from typing import Any

from evals.baseline import Comparison, group_means
from evals.metrics import BY_NAME
from evals.plots import grouped_bars, histogram
from evals.tables import HEADLINE_GROUPS, metrics_table, ordered_metrics

CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1400px}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;font-size:13px}
tr.fail td:first-child{border-left:4px solid #e45756}tr.pass td:first-child{border-left:4px solid #54a24b}
.q{max-width:260px}.a{max-width:480px;white-space:pre-wrap}.cit{color:#555;font-size:12px}.bad{color:#b00020;font-weight:bold}
.charts svg{margin:0 1em 1em 0;border:1px solid #eee}
"""


def _md_table_to_html(lines: list[str]) -> str:
    rows = [ln.strip("|").split(" | ") for ln in lines if not ln.startswith("|---")]
    head, body = rows[0], rows[1:]
    th = "".join(f"<th>{escape(c.strip())}</th>" for c in head)
    trs = "".join("<tr>" + "".join(f"<td>{escape(c.strip())}</td>" for c in r) + "</tr>" for r in body)
    return f"<table><tr>{th}</tr>{trs}</table>"


def _charts(report: dict[str, Any]) -> str:
    means = group_means(report)
    groups = [g for g in HEADLINE_GROUPS if g in means]
    metrics = ordered_metrics(means)
    families: dict[str, list[str]] = {}

    for m in metrics:
        families.setdefault(BY_NAME[m].family, []).append(m)
    svgs = [
        grouped_bars(f"{family} by language", ms, {g: [means[g].get(m) for m in ms] for g in groups})
        for family, ms in families.items()
    ]
    totals = [c["timings_ms"]["total"] for c in report["cases"] if "total" in c["timings_ms"]]
    svgs.append(histogram("answer latency per case (total)", totals))
    return '<div class="charts">' + "".join(svgs) + "</div>"


def _case_row(c: dict[str, Any]) -> str:
    cites = "".join(
        f'<div class="cit">[{x["n"]}] {escape(x["doc"])}:{x["start"]}-{x["end"]} '
        f"{escape(' '.join(x['text'].split())[:200])}</div>"
        for x in c["citations"]
    )
    failed = ", ".join(c["failures"]) or "—"
    why = []
    d = c.get("details", {})
    if d.get("missing_facts"):
        why.append("missing facts: " + "; ".join(" | ".join(g) for g in d["missing_facts"]))
    if d.get("forbidden_found"):
        why.append("forbidden: " + ", ".join(d["forbidden_found"]))
    if d.get("bad_markers"):
        why.append("markers without citation: " + ", ".join(map(str, d["bad_markers"])))
    if d.get("unjudgeable_retrieval"):
        why.append("no indexed passage holds the evidence")
    if d.get("judge"):
        why.append("judge: " + ", ".join(f"{k} {v:.2f}" for k, v in d["judge"].items() if v is not None))
    scores = ", ".join(f"{k} {v:.2f}" for k, v in c["scores"].items())
    return (
        f'<tr class="{"pass" if c["passed"] else "fail"}"><td>{escape(c["id"])}</td><td>{escape(c["lang"])}</td>'
        f'<td>{escape(c["type"])}</td><td class="q">{escape(c["question"])}</td>'
        f'<td class="a">{escape(c["answer"])}{cites}</td>'
        f'<td><span class="{"bad" if c["failures"] else ""}">{escape(failed)}</span>'
        f"<div>{'<br>'.join(escape(w) for w in why)}</div><div class='cit'>{escape(scores)}</div></td></tr>"
    )


def html_report(report: dict[str, Any], comparison: Comparison | None = None) -> str:
    lat = report["latency_ms"]
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>rag eval report</title>",
        f"<style>{CSS}</style></head><body><h1>rag eval report</h1>",
        f"<p>{escape(report['created'])} · mode {escape(report['mode'])} · "
        f"{escape(', '.join(report['datasets']))}</p>",
        "<h2>Metrics</h2><p>Each cell: mean (cases the metric applies to); ↓ lower is better.</p>",
        _md_table_to_html(metrics_table(report)),
        _charts(report),
        "<h2>Latency per stage (ms)</h2><table><tr><th>stage</th><th>p50</th><th>p95</th><th>n</th></tr>",
        *(
            f"<tr><td>{escape(s)}</td><td>{v['p50']:.1f}</td><td>{v['p95']:.1f}</td><td>{v['n']}</td></tr>"
            for s, v in lat.items()
        ),
        "</table>",
    ]
    if report.get("judge"):
        j = report["judge"]
        parts.append(
            f"<h2>LLM judge (not gating)</h2><p>model {escape(str(j['model']))}, temperature 0, "
            f"{j['repeats']} repeats averaged, {j.get('unmeasured', 0)} judgements unmeasured. Judge "
            "metrics appear in the table beside the deterministic ones.</p>"
        )
    if comparison is not None:
        items = "".join(f"<li>{escape(line)}</li>" for line in comparison.lines()) or "<li>no change</li>"
        parts.append(f"<h2>Against the baseline</h2><ul>{items}</ul>")
    parts.append(
        "<h2>Cases</h2><table><tr><th>case</th><th>lang</th><th>type</th><th>question</th>"
        "<th>answer and citations</th><th>what failed</th></tr>"
    )
    cases = sorted(report["cases"], key=lambda c: c["passed"])
    parts += [_case_row(c) for c in cases]
    parts.append("</table></body></html>\n")
    return "".join(parts)
