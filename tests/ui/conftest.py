"""The real page in a real browser: `rag chat` started as a subprocess on a free loopback port over a copy
of the shipped corpus index (plus one hostile document), driven by Playwright through Debian's chromium.

Screenshots go to tests/artifacts/ (git-ignored) so a person can look at what the tests saw.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.common import CHROMIUM, CHROMIUM_ARGS, stop_process
from tests.conftest import BIN, CORPUS, ROOT, Indexed

ARTIFACTS = ROOT / "tests" / "artifacts"
START_TIMEOUT_S = 180  # gradio's import alone takes 2-15 s on 2 shared cores

# A corpus file written by an attacker: every payload sets window.__xss or opens a dialog if it ever runs.
XSS_DOC = (
    '<img src=x onerror="window.__xss=1"> Lighthouse keeper report\n\n'
    "The Gwangan lighthouse keeper logged 47 storm warnings in 2023. "
    "<script>window.__xss=2; alert('script')</script> "
    'The keeper also noted <img src=x onerror="window.__xss=3;alert(3)"> a cracked lamp lens. '
    'Full logs are at <a href="javascript:window.__xss=4">the keeper\'s site</a> and '
    "[the archive](javascript:window.__xss=5).\n"
)


@dataclass(frozen=True)
class ChatApp:
    url: str
    data_dir: Path
    port: int


def _wait_http(url: str, proc: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"rag chat exited with {proc.returncode}: {out[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"rag chat did not answer on {url} within {timeout:.0f}s")


def serve(data_dir: Path, port: int, extra_env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`rag chat` on `port`, answering HTTP (or an error with its output)."""
    proc = start_chat(data_dir, port, extra_env)
    try:
        _wait_http(f"http://127.0.0.1:{port}/", proc, START_TIMEOUT_S)
    except Exception:
        stop_process(proc)
        raise
    return proc


def start_chat(data_dir: Path, port: int, extra_env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    exe = BIN / "rag"
    env = {**os.environ, "GRADIO_TEMP_DIR": str(data_dir.parent / "gradio-tmp"), **(extra_env or {})}
    return subprocess.Popen(
        [str(exe), "chat", "--port", str(port), "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture(scope="session")
def chat_app(
    corpus_index: Indexed, tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]
) -> Iterator[ChatApp]:
    """The shipped corpus plus the hostile document, served by a real `rag chat` process."""
    from index.ingest import ingest
    from rag.core.config import Settings

    base = tmp_path_factory.mktemp("chat-app")
    data_dir = base / "data"
    shutil.copytree(corpus_index.data_dir, data_dir)  # reuse the session's embeddings
    hostile = base / "hostile"
    hostile.mkdir()
    (hostile / "lighthouse.txt").write_text(XSS_DOC, encoding="utf-8")
    ingest([CORPUS, hostile], Settings(data_dir=data_dir), progress=False)
    port = free_port()
    proc = start_chat(data_dir, port)
    try:
        _wait_http(f"http://127.0.0.1:{port}/", proc, START_TIMEOUT_S)
        yield ChatApp(f"http://127.0.0.1:{port}/", data_dir, port)
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make chromium` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


# The side column is built by the load event's last step: once it is there, the conversation is restored.
LOADED = "#rag-conversation"


def wait_loaded(page: Any) -> None:
    page.wait_for_selector(LOADED, timeout=60_000)


@pytest.fixture
def new_page(browser: Any, chat_app: ChatApp) -> Iterator[Callable[..., Any]]:
    """Pages in fresh browser contexts (separate storage: separate chat sessions), each opened on the app.
    Keywords go to the browser context (viewport, color_scheme, permissions); `url` opens another server."""
    contexts: list[Any] = []

    def open_page(url: str | None = None, query: str = "", **options: Any) -> Any:
        ctx = browser.new_context(**{"viewport": {"width": 1400, "height": 1000}, **options})
        contexts.append(ctx)
        page = ctx.new_page()
        page.dialogs = []  # type: ignore[attr-defined]
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto((url or chat_app.url) + query)
        wait_loaded(page)
        return page

    yield open_page
    for ctx in contexts:
        ctx.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
