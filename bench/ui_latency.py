"""Web page numbers on the shipped corpus, measured in a real browser (Debian's chromium via Playwright).

Targets (issue 5), offline extractive mode: Enter -> first answer text in the browser <= 500 ms;
page ready <= 5 s after `rag chat` starts with the index built.

"Page ready" is the time from starting the `rag chat` process until the question box is enabled (the
session restored) in a browser that was already open, the server having answered HTTP. "Enter -> first text" is timed inside the
page (performance.now() at the Enter keydown, then a MutationObserver seeing the new answer's first
non-placeholder text), so Playwright's own polling does not add to it.

Issue 17 adds two numbers: page ready against a bare `gr.ChatInterface` loaded in the same run
(`bench.page_load`, target <= 1.2x) and a small upload through the page (`bench.ui_upload`).

Run: python -m bench.ui_latency [--questions N] [--starts N] [--loads N]
(writes bench/results/ui.json and bench/results/ui.md)
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import CHROMIUM, CHROMIUM_ARGS, stop_process, write_result
from rag.store import manifest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "results" / "tmp" / "ui-data"

# Installed before each question: times Enter -> first answer text and Enter -> finished answer.
INSTRUMENT = """() => {
  window.__lat = {};
  const box = document.querySelector('#rag-question textarea');
  const texts = () => Array.from(document.querySelectorAll('#rag-chat .rag-answer .rag-text'))
    .filter(e => e.textContent.trim() && !e.querySelector('.rag-wait')).length;
  const finals = () => document.querySelectorAll('#rag-chat .rag-answer:not(.rag-streaming)').length;
  const before = {texts: texts(), finals: finals()};
  box.addEventListener('keydown', e => { if (e.key === 'Enter') window.__lat.t0 = performance.now(); },
                       {capture: true, once: true});
  const obs = new MutationObserver(() => {
    if (window.__lat.t0 === undefined) return;
    const now = performance.now();
    if (window.__lat.first === undefined && texts() > before.texts) window.__lat.first = now - window.__lat.t0;
    if (finals() > before.finals) { window.__lat.final = now - window.__lat.t0; obs.disconnect(); }
  });
  obs.observe(document.querySelector('#rag-chat'), {subtree: true, childList: true, characterData: true});
}"""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ensure_index() -> None:
    if manifest.exists(DATA):
        return
    from index.ingest import ingest
    from rag.core.config import load_settings

    print("building the benchmark index (once) ...", file=sys.stderr)
    ingest([ROOT / "corpus"], load_settings(data_dir=DATA), progress=False)


def _start(
    port: int, floor: bool = False, data_dir: Path = DATA, required: bool = False
) -> subprocess.Popen[bytes]:
    """`rag chat`, or with `floor` the bare gr.ChatInterface of bench/gradio_floor.py (with `required`,
    plus the heading and buttons issue 17 asks for)."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env = {k: v for k, v in env.items() if not k.startswith("RAG_")}
    rag = [str(Path(sys.executable).parent / "rag"), "chat", "--port", str(port), "--data-dir", str(data_dir)]
    return subprocess.Popen(
        [sys.executable, "-m", "bench.gradio_floor", str(port), *(["--required"] if required else [])]
        if floor
        else rag,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _cpu_seconds(pid: int) -> float:
    """CPU time the process has used: on 2 shared cores the wall time mostly measures the neighbours, so
    this is reported beside it as the part the start-up itself costs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_http(url: str, proc: subprocess.Popen[bytes]) -> None:
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the page server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.05)


def _wait_ready(page: Any, url: str, proc: subprocess.Popen[bytes], t0: float) -> tuple[float, float, float]:
    """(seconds until the server answered HTTP, seconds until the question box was visible, CPU seconds
    the server used until it answered)."""
    _wait_http(url, proc)
    http_s = time.perf_counter() - t0
    cpu = _cpu_seconds(proc.pid)
    page.goto(url)
    page.wait_for_selector("#rag-question textarea:enabled", state="visible", timeout=120_000)
    return http_s, time.perf_counter() - t0, cpu


def run(questions: int = 20, starts: int = 3) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from evals.dataset import SHIPPED, load_cases

    _ensure_index()
    load = os.getloadavg()[0]
    cases = load_cases(SHIPPED)
    en = [c.question for c in cases if c.lang == "en"]
    ko = [c.question for c in cases if c.lang == "ko"]
    mixed = [q for pair in zip(en, ko, strict=False) for q in pair][:questions]

    ready: list[float] = []
    http: list[float] = []
    cpu: list[float] = []
    first: list[float] = []
    final: list[float] = []
    floor: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        for _ in range(starts):
            port = _free_port()
            page = browser.new_context().new_page()
            t0 = time.perf_counter()
            proc = _start(port, floor=True)
            try:
                floor.append(_wait_ready(page, f"http://127.0.0.1:{port}/", proc, t0)[1])
            finally:
                page.context.close()
                stop_process(proc, timeout=15)
        for i in range(starts):
            port = _free_port()
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            t0 = time.perf_counter()
            proc = _start(port)
            try:
                h, r, c = _wait_ready(page, f"http://127.0.0.1:{port}/", proc, t0)
                http.append(h)
                cpu.append(c)
                ready.append(r)
                if i == starts - 1:
                    box = page.locator("#rag-question textarea")
                    for n, q in enumerate([mixed[0], *mixed]):  # the first one is a warm-up
                        page.evaluate(INSTRUMENT)
                        box.fill(q)
                        box.press("Enter")
                        page.wait_for_function("window.__lat.final !== undefined", timeout=120_000)
                        lat = page.evaluate("window.__lat")
                        if n:
                            first.append(float(lat["first"]))
                            final.append(float(lat["final"]))
            finally:
                page.context.close()
                stop_process(proc, timeout=15)
        browser.close()
    return {
        "mode": "extractive (offline)",
        "questions": len(first),
        "enter_to_first_text_ms": {"p50": _pct(first, 0.5), "p95": _pct(first, 0.95), "max": max(first)},
        "enter_to_final_answer_ms": {"p50": _pct(final, 0.5), "p95": _pct(final, 0.95)},
        "page_ready_s": {"median": statistics.median(ready), "max": max(ready), "runs": ready},
        "http_ready_s": {"median": statistics.median(http), "runs": http},
        "server_cpu_s_until_http_ready": {"median": statistics.median(cpu), "runs": cpu},
        "bare_gradio_page_ready_s": {
            "median": statistics.median(floor),
            "runs": floor,
            "what": "bench/gradio_floor.py: Gradio alone, a chat and a text box, same launch options",
        },
        "targets": {"enter_to_first_text_ms": 500, "page_ready_s": 5},
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1m": load,
            "load_average_1m_at_end": os.getloadavg()[0],
        },
    }


def markdown(result: dict[str, Any]) -> str:
    """bench/results/ui.md: the numbers of ui.json a person looks for, issue 17's target first."""
    page = result["page_load_vs_chat_interface"]
    up = result["upload"]
    m = result["machine"]
    rows = [
        "# Web page (`python -m bench.ui_latency`)",
        "",
        "Generated with ui.json; do not edit by hand. Debian's chromium through Playwright, offline "
        f"extractive mode, {m['cpus']} cores shared (load average {m['load_average_1m']:.1f} at the start, "
        f"{m['load_average_1m_at_end']:.1f} at the end).",
        "",
        "| what | measured | target |",
        "|---|---|---|",
        f"| page ready / bare `gr.ChatInterface` (median of {page['loads']} fresh-context loads each, "
        f"alternating, same run) | **{page['ratio']:.2f}x** ({page['rag_chat_s']['median']:.2f} s vs "
        f"{page['bare_chat_interface_s']['median']:.2f} s) | ≤ {page['target_ratio']}x |",
        f"| page ready / `gr.ChatInterface` plus a heading and two buttons (the types issue 17 requires, "
        f"same run) | {page['ratio_to_required']:.2f}x ({page['required_chat_interface_s']['median']:.2f} s) | — |",
        f"| upload of a ~0.9 KB file, click → summary ({len(up['seconds'])} files, first upload first) | "
        f"first {up['first_upload_s']:.2f} s, median {up['median_s']:.2f} s | — |",
        "| upload summary chunks = table chunks | "
        + ", ".join(f"{u['status_chunks']} = {u['table_chunks']}" for u in up["uploads"])
        + " | equal |",
        f"| Enter → first answer text ({result['questions']} questions) | p50 "
        f"{result['enter_to_first_text_ms']['p50']:.0f} ms, p95 {result['enter_to_first_text_ms']['p95']:.0f} ms"
        " | 500 ms |",
        f"| `rag chat` start → page ready | median {result['page_ready_s']['median']:.2f} s | 5 s |",
        f"| the same for the bare `gr.ChatInterface` | median {result['bare_gradio_page_ready_s']['median']:.2f} s"
        " | — |",
        "",
        f"Page loads, seconds: `rag chat` {', '.join(f'{x:.2f}' for x in page['rag_chat_s']['runs'])}; "
        f"bare {', '.join(f'{x:.2f}' for x in page['bare_chat_interface_s']['runs'])}; "
        f"with heading and buttons {', '.join(f'{x:.2f}' for x in page['required_chat_interface_s']['runs'])}.",
        "",
    ]
    return "\n".join(rows)


def main() -> None:
    from bench.page_load import compare
    from bench.ui_upload import measure

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--loads", type=int, default=15, help="page loads of each page for the ratio")
    args = parser.parse_args()
    result = run(args.questions, args.starts)
    result["page_load_vs_chat_interface"] = compare(args.loads)
    result["upload"] = measure()
    result["machine"]["load_average_1m_at_end"] = os.getloadavg()[0]
    write_result("ui", result)
    (Path(__file__).parent / "results" / "ui.md").write_text(markdown(result), encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
