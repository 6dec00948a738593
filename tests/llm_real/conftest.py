"""A real llama.cpp server (tests/llm_real/server.py) for the `llm_real` tests, one per session, on a
free 127.0.0.1 port, in its own process; the tests point OPENAI_BASE_URL at it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.conftest import ROOT, Indexed
from tests.llm_real.server import free_port

if TYPE_CHECKING:
    from rag.engine import Engine

MODEL = "smollm2-135m-instruct"


@pytest.fixture(scope="session")
def real_llm_url() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.llm_real.server", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the llama.cpp server did not start (run `make test-llm`)")
            time.sleep(0.5)
        yield base + "/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def real_engine(
    real_llm_url: str, corpus_index: Indexed, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Engine]:
    """An engine over the shipped corpus answering through the real server; a small answer budget,
    since the CPU is shared."""
    from rag.engine import Engine

    monkeypatch.setenv("OPENAI_BASE_URL", real_llm_url)
    monkeypatch.setenv("OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "1"))

    def make(**overrides: Any) -> Engine:
        settings = corpus_index.settings.model_copy(
            update={
                "llm_model": MODEL,
                "answer_mode": "llm",
                "llm_max_answer_tokens": 64,
                "llm_context_window": 4096,
                "llm_timeout_s": 120.0,
                "llm_retries": 0,
                **overrides,
            }
        )
        return Engine(settings)

    return make
