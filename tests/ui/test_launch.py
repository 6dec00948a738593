"""`rag chat` start-up safety: loopback by default, a login before the network, no files served from disk."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

from bench.common import stop_process
from tests.conftest import CORPUS
from tests.ui.conftest import START_TIMEOUT_S, ChatApp, _wait_http, start_chat

RunRag = Callable[..., Any]


def status(url: str, opener: urllib.request.OpenerDirector | None = None, data: bytes | None = None) -> int:
    try:
        with (opener or urllib.request.build_opener()).open(url, data=data, timeout=10) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_network_host_without_auth_refuses_to_start(run_rag: RunRag, tmp_path: Path) -> None:
    done = run_rag("chat", "--host", "0.0.0.0", "--port", "7999", "--data-dir", tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: --host 0.0.0.0 makes the page reachable from the network")
    assert "RAG_UI_AUTH=user:password" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_malformed_auth_is_refused_without_echoing_it(run_rag: RunRag, tmp_path: Path) -> None:
    done = run_rag(
        "chat", "--host", "0.0.0.0", "--data-dir", tmp_path, env={"RAG_UI_AUTH": "hunter2-no-colon"}
    )
    assert done.returncode == 2
    assert "RAG_UI_AUTH must look like user:password" in done.stderr
    assert "hunter2" not in done.stderr + done.stdout


def test_missing_index_is_one_error_line(run_rag: RunRag, tmp_path: Path) -> None:
    done = run_rag("chat", "--port", "7998", "--data-dir", tmp_path / "nothing")
    assert done.returncode == 2
    assert done.stderr.startswith("error: no index in") and "rag ingest" in done.stderr


@pytest.mark.browser
def test_gradio_serves_no_file_from_disk(chat_app: ChatApp) -> None:
    """Only Gradio's own temp files are servable; the corpus, the index and system files are not."""
    base = chat_app.url.rstrip("/")
    for path in (
        CORPUS / "000_40c3dc7fdaca965c.txt",
        chat_app.data_dir / "manifest.sqlite",
        chat_app.data_dir / "feedback.jsonl",
        Path("/etc/passwd"),
        Path(__file__),
    ):
        url = f"{base}/gradio_api/file={urllib.parse.quote(str(path))}"
        assert status(url) in (403, 404), path


@pytest.mark.browser
def test_auth_gates_the_page_and_its_api(chat_app: ChatApp, free_port: Callable[[], int]) -> None:
    port = free_port()
    proc = start_chat(chat_app.data_dir, port, {"RAG_UI_AUTH": "alice:s3cret-pw"})
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(f"{base}/", proc, START_TIMEOUT_S)
        assert status(f"{base}/config") == 401
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        bad = urllib.parse.urlencode({"username": "alice", "password": "wrong"}).encode()
        assert status(f"{base}/login", opener, bad) >= 400
        assert status(f"{base}/config", opener) == 401
        good = urllib.parse.urlencode({"username": "alice", "password": "s3cret-pw"}).encode()
        assert status(f"{base}/login", opener, good) == 200
        assert status(f"{base}/config", opener) == 200
    finally:
        stop_process(proc)
