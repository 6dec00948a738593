"""The same pipeline against a real `chroma run` server (RAG_CHROMA_URL) instead of embedded Chroma."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.common import stop_process
from index.ingest import ingest
from rag.core.config import Settings
from tests.conftest import TINY_DOCS, write_docs

pytestmark = pytest.mark.server

Run = Callable[..., subprocess.CompletedProcess[str]]
CHROMA = Path(sys.executable).parent / "chroma"


def heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]) -> Iterator[str]:
    """A `chroma run` server on a free local port, stopped (by its pid) after the module."""
    base = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(base / "server.log", "wb") as log:
        proc = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(base / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while not heartbeat(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"chroma run did not come up:\n{(base / 'server.log').read_text(errors='replace')[-2000:]}"
                    )
                time.sleep(0.1)
            yield url
        finally:
            stop_process(proc)


@pytest.fixture(scope="module")
def server_index(
    tmp_path_factory: pytest.TempPathFactory, chroma_server: str, run_rag: Run
) -> dict[str, str]:
    base = tmp_path_factory.mktemp("server-index")
    docs = write_docs(base / "docs", dict(TINY_DOCS))
    env = {"RAG_DATA_DIR": str(base / "data"), "RAG_CHROMA_URL": chroma_server}
    proc = run_rag("ingest", docs, "--quiet", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "3 indexed" in proc.stdout
    return {**env, "docs": str(docs)}


def test_ingest_through_the_server_keeps_no_local_vectors(server_index: dict[str, str]) -> None:
    data = Path(server_index["RAG_DATA_DIR"])
    assert (data / "manifest.sqlite").is_file() and (data / "lexical" / "index.sqlite").is_file()
    assert not (data / "chroma").exists()


def test_ask_through_the_server_gives_a_cited_answer(server_index: dict[str, str], run_rag: Run) -> None:
    env = {k: v for k, v in server_index.items() if k.startswith("RAG_")}
    proc = run_rag(
        "ask", "--json", "How many steel cables did engineers replace on the harbor bridge?", env=env
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert not data["refused"] and "4,200 steel cables" in data["answer"]
    assert [c["doc"] for c in data["citations"]] == ["harbor.txt"]
    assert "[1]" in data["answer"]


def test_status_shows_the_server_url(server_index: dict[str, str], run_rag: Run, chroma_server: str) -> None:
    env = {k: v for k, v in server_index.items() if k.startswith("RAG_")}
    proc = run_rag("status", env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"store: {chroma_server}" in proc.stdout
    assert "chunks:   " in proc.stdout and "in 3 files" in proc.stdout


def test_reingest_through_the_server_embeds_nothing(server_index: dict[str, str], chroma_server: str) -> None:
    settings = Settings(data_dir=Path(server_index["RAG_DATA_DIR"]), chroma_url=chroma_server)
    report = ingest([Path(server_index["docs"])], settings, progress=False)
    assert (report.unchanged, report.embedded, report.chunks_added) == (3, 0, 0)
