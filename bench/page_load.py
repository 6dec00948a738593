"""Page load of `rag chat` against a bare `gr.ChatInterface`, both served at once, in the same run.

Issue 17's target: our page ready <= 1.2x the bare ChatInterface's. Both servers are started first and
left running, then each round opens each page in a fresh browser context (empty cache and storage: a
first visit) and times `goto` until the question box is enabled. The two pages alternate within every
round, so a neighbour's burst on the 2 shared cores falls on both; the ratio is of the medians.
A third page, the ChatInterface plus the heading and buttons the issue requires (`gradio_floor
--required`), measures what those component types alone cost.

Run: python -m bench.page_load [--loads N]  (prints JSON; `bench.ui_latency` records it in ui.json)
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from bench.common import CHROMIUM, CHROMIUM_ARGS, stop_process

READY = "#rag-question textarea:enabled"
TARGET_RATIO = 1.2


def _load(browser: Any, url: str, viewport: dict[str, int]) -> float:
    ctx = browser.new_context(viewport=viewport)
    try:
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(READY, state="visible", timeout=120_000)
        return time.perf_counter() - t0
    finally:
        ctx.close()


def compare(loads: int = 7, viewport: dict[str, int] | None = None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from bench.ui_latency import _ensure_index, _free_port, _start, _wait_http

    _ensure_index()
    view = viewport or {"width": 1366, "height": 900}
    ports = {"rag": _free_port(), "floor": _free_port(), "required": _free_port()}
    procs = {
        "rag": _start(ports["rag"]),
        "floor": _start(ports["floor"], floor=True),
        "required": _start(ports["required"], floor=True, required=True),
    }
    times: dict[str, list[float]] = {name: [] for name in procs}
    try:
        for name, proc in procs.items():
            _wait_http(f"http://127.0.0.1:{ports[name]}/", proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            for name in procs:  # one warm-up load each: the servers' first request compiles templates
                _load(browser, f"http://127.0.0.1:{ports[name]}/", view)
            for _ in range(loads):
                for name in procs:
                    times[name].append(_load(browser, f"http://127.0.0.1:{ports[name]}/", view))
            browser.close()
    finally:
        for proc in procs.values():
            stop_process(proc, timeout=15)
    rag, floor, required = (statistics.median(times[name]) for name in ("rag", "floor", "required"))
    return {
        "what": "fresh browser context, goto -> question box enabled; servers already running",
        "loads": loads,
        "viewport": view,
        "rag_chat_s": {"median": rag, "runs": times["rag"]},
        "bare_chat_interface_s": {"median": floor, "runs": times["floor"]},
        "required_chat_interface_s": {"median": required, "runs": times["required"]},
        "ratio": rag / floor,
        "ratio_to_required": rag / required,
        "target_ratio": TARGET_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--loads", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(compare(args.loads), indent=1))


if __name__ == "__main__":
    main()
