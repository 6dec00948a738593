"""`rag ask` in LLM mode as a real subprocess against the local protocol server."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import KEY
from tests.fakes.openai_server import FakeOpenAI

Run = Callable[..., subprocess.CompletedProcess[str]]
QUESTION = "How many steel cables did engineers replace on the harbor bridge?"


def _env(fake: FakeOpenAI, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": fake.url,
        "OPENAI_API_KEY": KEY,
        "RAG_DATA_DIR": str(data_dir),
        "RAG_LLM_BACKOFF_S": "0",
        **extra,
    }


def test_json_reports_the_llm_mode_and_cited_answer(
    run_rag: Run, fake_llm: FakeOpenAI, data_dir: Path
) -> None:
    proc = run_rag("ask", "--json", "--llm-model", "fake-good", QUESTION, env=_env(fake_llm, data_dir))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["mode"] == "llm:fake-good" and not out["refused"] and out["citations"]
    assert fake_llm.requests and not fake_llm.requests[-1].stream


def test_stream_prints_the_answer_then_its_sources(
    run_rag: Run, fake_llm: FakeOpenAI, data_dir: Path
) -> None:
    proc = run_rag("ask", "--stream", QUESTION, env=_env(fake_llm, data_dir, RAG_LLM_MODEL="fake-good"))
    assert proc.returncode == 0, proc.stderr
    assert fake_llm.requests[-1].stream
    answer, sources = proc.stdout.split("Sources:")
    assert "4,200" in answer and "[1]" in answer and "harbor.txt" in sources


def test_a_bad_key_is_one_line_with_the_extractive_fallback_and_no_key(
    run_rag: Run, fake_llm: FakeOpenAI, data_dir: Path
) -> None:
    wrong = "sk-live-WRONGKEY0987654321abcdef"
    env = _env(fake_llm, data_dir, RAG_LLM_MODEL="fake-good", OPENAI_API_KEY=wrong)
    proc = run_rag("ask", "--json", QUESTION, env=env)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["mode"] == "extractive" and "401" in out["note"] and out["citations"]
    assert "WRONGKEY" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


def test_modes_can_be_forced(run_rag: Run, fake_llm: FakeOpenAI, data_dir: Path) -> None:
    env = _env(fake_llm, data_dir, RAG_LLM_MODEL="fake-good")
    proc = run_rag("ask", "--json", "--answer-mode", "extractive", QUESTION, env=env)
    assert json.loads(proc.stdout)["mode"] == "extractive" and not fake_llm.requests
    no_llm = {"RAG_DATA_DIR": str(data_dir), "RAG_ANSWER_MODE": "llm"}
    proc = run_rag("ask", QUESTION, env=no_llm)
    assert proc.returncode == 2 and proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    assert "OPENAI_BASE_URL" in proc.stderr
