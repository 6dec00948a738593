"""Prompt tokens and seconds per answer against a real llama.cpp server, before and after the
CPU-friendly prompt (issue 16).

`python -m bench.llm_real` (after `make test-llm` installed the server and model) -> bench/results/
llm_real.json and llm_real.md. It indexes corpus/ into bench/.work/llm-real, starts
`python -m tests.llm_real.server` (SmolLM2-135M-Instruct Q4_1, 2 threads) on a free port, and asks
each question twice:

- before: whole passages, the prompt budget by our estimate (the code before issue 16);
- after: each passage cut to the `llm_passage_sentences` (3) sentences closest to the question, the
  budget in the server's own tokens (`/tokenize`).

Prompt tokens are the server's `usage.prompt_tokens`; seconds are the LLM call's wall time (prompt
processing, with llama.cpp's prompt cache off, + at most `BENCH_LLM_MAX_TOKENS`, default 64, generated tokens). Translation and follow-up
rewriting are off so each row is one call. The CPU is shared: compare the two columns of one run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import RESULTS, ROOT, write_result

ALL_QUESTIONS = [
    "Who did Blinken hold the joint press conference with in Washington?",
    "NATO 정상회의는 어디에서 열리나?",
    "블링컨은 워싱턴에서 누구와 공동 기자회견을 했나?",
    "How many containers did North Korea ship to Russia?",
    "When is the NATO summit held?",
]
KEEP = "<!-- kept by bench.llm_real -->"
# BENCH_LLM_QUESTIONS=N: the first N (English, Korean, Korean about English text first).
QUESTIONS = ALL_QUESTIONS[: int(os.environ.get("BENCH_LLM_QUESTIONS", len(ALL_QUESTIONS)))]


def _server(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.llm_real.server", str(port)],
        cwd=ROOT,
        env={**os.environ, "RAG_LLM_REAL_CACHE": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the llama.cpp server did not start: run `make test-llm` first")


def main() -> None:
    os.environ.update({"ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"})
    from index.ingest import ingest
    from rag.core.config import Settings
    from rag.engine import Engine
    from tests.llm_real.server import free_port

    port = int(os.environ.get("BENCH_LLM_PORT") or free_port())
    external = bool(os.environ.get("BENCH_LLM_PORT"))
    proc = None if external else _server(port)
    os.environ["OPENAI_BASE_URL"] = f"http://127.0.0.1:{port}/v1"
    max_tokens = int(os.environ.get("BENCH_LLM_MAX_TOKENS", "64"))
    data = ROOT / "bench" / ".work" / "llm-real"
    base = Settings(data_dir=data)
    ingest([ROOT / "corpus"], base, progress=False)
    rows: list[dict[str, Any]] = []
    try:
        for label, sentences, server_count in (("before", 0, False), ("after", 3, True)):
            settings = base.model_copy(
                update={
                    "llm_model": "smollm2",
                    "answer_mode": "llm",
                    "llm_max_answer_tokens": max_tokens,
                    "llm_context_window": 4096,
                    "llm_timeout_s": 300.0,
                    "llm_retries": 0,
                    "llm_translate": False,
                    "llm_passage_sentences": sentences,
                }
            )
            engine = Engine(settings)
            gen = engine.generative
            assert gen is not None
            if not server_count:
                gen.client.tokenizer.shape = "none"  # the estimate alone, as before
            for q in QUESTIONS:
                prompt = gen.prompt(engine.retriever.retrieve(q, settings.top_k))
                t0 = time.perf_counter()
                gen.client.complete(prompt.messages)
                secs = time.perf_counter() - t0
                rows.append(
                    {
                        "run": label,
                        "question": q,
                        "passages": len(prompt.passages),
                        "counted_tokens": prompt.tokens,
                        "prompt_tokens": gen.client.usage.get("prompt_tokens"),
                        "completion_tokens": gen.client.usage.get("completion_tokens"),
                        "finish_reason": gen.client.finish_reason,
                        "seconds": round(secs, 2),
                    }
                )
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    write_result(
        "llm_real",
        {
            "server": "llama.cpp (xllamacpp 2026.10.11549)",
            "model": "SmolLM2-135M-Instruct Q4_1",
            "max_tokens": max_tokens,
            "rows": rows,
        },
    )
    _table(rows, max_tokens)


def _table(rows: list[dict[str, Any]], max_tokens: int) -> None:
    lines = [
        "# Prompt tokens and seconds per answer, real llama.cpp server (`python -m bench.llm_real`)",
        "",
        f"SmolLM2-135M-Instruct Q4_1 on llama.cpp's server (xllamacpp wheel), 2 threads on a shared 2-core "
        f"machine, max_tokens {max_tokens}, top-k 5. before = whole passages, estimated budget; after = "
        "3 sentences per passage, budget in the server's tokens. Prompt tokens are the server's count.",
        "",
        "| question | prompt tokens before | after | seconds before | after |",
        "|---|---|---|---|---|",
    ]
    by = {(r["run"], r["question"]): r for r in rows}
    for q in QUESTIONS:
        b, a = by[("before", q)], by[("after", q)]
        lines.append(
            f"| {q} | {b['prompt_tokens']} | {a['prompt_tokens']} | {b['seconds']} | {a['seconds']} |"
        )
    for run in ("before", "after"):
        sel = [r for r in rows if r["run"] == run]
        tok = sum(r["prompt_tokens"] or 0 for r in sel) / len(sel)
        sec = sum(r["seconds"] for r in sel) / len(sel)
        lines.append(f"| **mean, {run}** | {tok:.0f} | | {sec:.2f} s | |")
    # The LLM-mode eval tables below KEEP (written from `rag eval` runs) survive a re-run of this bench.
    path = Path(RESULTS / "llm_real.md")
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = old[old.index(KEEP) :] if KEEP in old else ""
    path.write_text("\n".join(lines) + "\n" + ("\n" + kept if kept else ""), encoding="utf-8")


if __name__ == "__main__":
    main()
