"""How often the model's own answer is shown, on a real llama.cpp server (issue 16).

`python -m bench.llm_markers` (after `make test-llm` installed the server and model) asks 6 questions
(3 English, 3 Korean) through the engine in LLM mode and records, per question: whether the model's
raw reply held any citation marker the parser accepts (`rag.answer.markers`), the answer's outcome
(`rag.core.outcomes`: the model's answer, or which fallback and why), the prompt tokens and the
seconds. Results: bench/results/llm_markers.json. The corpus is indexed into bench/.work/llm-markers. BENCH_LLM_PORT=N uses a server already running there; BENCH_LLM_MODEL_FILE
another GGUF (through RAG_LLM_REAL_MODEL). The CPU is shared: seconds vary with the load.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from typing import Any

from bench.common import ROOT, write_result
from bench.llm_real import _server

QUESTIONS = [
    "Who did Blinken hold the joint press conference with in Washington?",
    "How many containers did North Korea ship to Russia?",
    "When is the NATO summit held?",
    "NATO 정상회의는 어디에서 열리나?",
    "블링컨은 워싱턴에서 누구와 공동 기자회견을 했나?",
    "북한은 러시아에 컨테이너를 몇 개 보냈나?",
]


def main() -> None:
    os.environ.update({"ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"})
    if os.environ.get("BENCH_LLM_MODEL_FILE"):
        os.environ["RAG_LLM_REAL_MODEL"] = os.environ["BENCH_LLM_MODEL_FILE"]
    from index.ingest import ingest
    from rag.answer.markers import rewrite_markers
    from rag.core.config import Settings
    from rag.engine import Engine
    from tests.llm_real.server import free_port, model_path

    port = int(os.environ.get("BENCH_LLM_PORT") or free_port())
    proc = None if os.environ.get("BENCH_LLM_PORT") else _server(port)
    os.environ["OPENAI_BASE_URL"] = f"http://127.0.0.1:{port}/v1"
    data = ROOT / "bench" / ".work" / "llm-markers"
    base = Settings(data_dir=data)
    ingest([ROOT / "corpus"], base, progress=False)
    settings = base.model_copy(
        update={
            "llm_model": "local",
            "answer_mode": "llm",
            "llm_max_answer_tokens": 96,
            "llm_context_window": 4096,
            "llm_timeout_s": 300.0,
            "llm_retries": 0,
            "llm_translate": False,
        }
    )
    rows: list[dict[str, Any]] = []
    try:
        engine = Engine(settings)
        for q in QUESTIONS:
            t0 = time.perf_counter()
            answer = engine.ask(q)
            secs = time.perf_counter() - t0
            shown_model = answer.mode.startswith("llm:")
            raw = answer.answer if shown_model else answer.draft
            _, rw = rewrite_markers(raw, 5)
            rows.append(
                {
                    "question": q,
                    "outcome": answer.outcome,
                    # The draft kept its valid markers; one whose markers all named no passage lost them.
                    "reply_has_marker": bool(rw.numbers) or answer.outcome == "fallback_bad_markers",
                    "citations": len(answer.citations) if shown_model else 0,
                    "unsupported": len(answer.unsupported) if shown_model else None,
                    "prompt_tokens": answer.tokens.get("server_prompt") or answer.tokens.get("prompt"),
                    "seconds": round(secs, 1),
                    "reply": raw[:300],
                }
            )
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    summary = {
        "model_file": model_path().name,
        "replies_with_a_marker": sum(r["reply_has_marker"] for r in rows),
        "outcomes": dict(Counter(r["outcome"] for r in rows)),
        "questions": len(rows),
    }
    print(json.dumps(summary, ensure_ascii=False))
    write_result("llm_markers", {**summary, "rows": rows})


if __name__ == "__main__":
    main()
