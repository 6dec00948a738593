"""Uploading a small file through the web page: seconds from "Add to index" to the summary line.

Issue 17 saw 17.9 s for a 0.9 KB file and a summary of "60 chunks" beside a table saying 4: the
first upload added the uploads folder as a root, which moved the roots' common parent and re-keyed
(re-chunked, re-wrote) every indexed document. This starts `rag chat` on a copy of the benchmark
index (the copy takes the uploads), opens the page in chromium and uploads `files` different 0.9 KB
files one after another; the first one is the first upload of that index.

Run: python -m bench.ui_upload [--files N]  (prints JSON; `bench.ui_latency` records it in ui.json)
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import CHROMIUM, CHROMIUM_ARGS, stop_process

PARAGRAPH = (
    "The {n} harbour report counts {n}7 ferries and {n}3 cargo ships this week. The port authority says "
    "the new crane on pier {n} lifts forty containers an hour, twice the old one. Night shifts start on "
    "Monday, and the fish market moves to the east quay until the roof is repaired in spring. "
)


def _document(n: int) -> str:
    """About 0.9 KB of English in three short paragraphs, different for every n."""
    return f"Harbour report {n}\n\n" + "\n\n".join(PARAGRAPH.format(n=n) for _ in range(3))[:880] + "\n"


def measure(files: int = 3) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from bench.ui_latency import DATA, _ensure_index, _free_port, _start, _wait_http

    _ensure_index()
    work = Path(tempfile.mkdtemp(prefix="rag-upload-bench-"))
    data = work / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("uploads", "conversations"))
    port = _free_port()
    proc = _start(port, data_dir=data)
    seconds: list[float] = []
    counts: list[dict[str, Any]] = []
    try:
        _wait_http(f"http://127.0.0.1:{port}/", proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("#rag-upload input[type=file]", state="attached", timeout=120_000)
            for n in range(files):
                doc = work / f"harbour_{n}.txt"
                doc.write_text(_document(n), encoding="utf-8")
                page.locator("#rag-upload input[type=file]").set_input_files([str(doc)])
                page.locator("#rag-upload").get_by_text(doc.stem).first.wait_for(timeout=60_000)
                t0 = time.perf_counter()
                page.locator("#rag-add").click()
                page.wait_for_function(
                    "name => { const e = document.querySelector('#rag-upload-status .rag-notice');"
                    " return e && e.innerText.includes(name); }",
                    arg=doc.name,
                    timeout=300_000,
                )
                seconds.append(time.perf_counter() - t0)
                status = page.locator("#rag-upload-status").inner_text()
                row = next(r for r in page.locator("#rag-docs tbody tr").all() if doc.name in r.inner_text())
                said = re.search(r"(\d+) chunks", status)
                counts.append(
                    {
                        "bytes": doc.stat().st_size,
                        "status": status.strip(),
                        "status_chunks": int(said.group(1)) if said else None,
                        "table_chunks": int(row.locator("td").nth(2).inner_text()),
                    }
                )
            browser.close()
    finally:
        stop_process(proc, timeout=15)
        shutil.rmtree(work, ignore_errors=True)
    return {
        "what": "click 'Add to index' -> summary line, one ~0.9 KB file at a time, first upload first",
        "seconds": seconds,
        "median_s": statistics.median(seconds),
        "first_upload_s": seconds[0],
        "uploads": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.files), indent=1))


if __name__ == "__main__":
    main()
