"""Conversations kept across a server restart, and Stop on an answer that is still streaming: each on a
`rag chat` of its own (the session's shared server is never restarted)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.common import stop_process
from tests.conftest import KEY, Indexed
from tests.fakes.openai_server import FakeOpenAI
from tests.ui.chatpage import ask, question_texts, status_line
from tests.ui.conftest import screenshot, serve, wait_loaded

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
SUMMIT = "Where is the NATO summit being held?"
CITED = "Which countries did Blinken say are supporting Russia's defense industrial base?"


@pytest.fixture
def own_data(corpus_index: Indexed, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(corpus_index.data_dir, data)
    return data


def chat_titles(page: Any) -> list[str]:
    page.locator("#rag-conversation input").click()
    page.get_by_role("option").first.wait_for(timeout=10_000)
    # An option reads "✓\n<title>" when it is the chosen one.
    titles = [t.replace("✓", "").strip() for t in page.get_by_role("option").all_inner_texts()]
    page.locator("h1").click()  # closes the list
    page.get_by_role("option").first.wait_for(state="detached", timeout=10_000)
    return titles


def choose_chat(page: Any, title: str) -> None:
    page.locator("#rag-conversation input").click()
    page.get_by_role("option", name=title).click()


def test_conversations_are_listed_renamed_switched_and_deleted_across_a_restart(
    new_page: NewPage, own_data: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = serve(own_data, port)
    try:
        page = new_page(url=url)
        ask(page, SUMMIT)
        page.locator("#rag-new-chat").click()
        page.wait_for_function("() => !document.querySelector('#rag-chat .rag-answer')", timeout=30_000)
        ask(page, CITED)
        page.locator("#rag-rename-box textarea, #rag-rename-box input").first.fill("Blinken on Russia")
        page.locator("#rag-rename").click()
        status_line(page, "chat renamed")
        stop_process(proc)
        proc = serve(own_data, port)  # same address: the browser keeps its owner id in localStorage
        page.reload()
        wait_loaded(page)
        page.locator("#rag-chat .rag-answer").first.wait_for(timeout=60_000)
        assert question_texts(page) == [CITED]  # the active chat came back
        assert sorted(chat_titles(page)) == sorted(["Blinken on Russia", SUMMIT])
        choose_chat(page, SUMMIT)
        page.wait_for_function(
            "q => [...document.querySelectorAll('#rag-chat [data-testid=user]')].map(e => e.innerText.trim()).join() === q",
            arg=SUMMIT,
            timeout=30_000,
        )
        page.locator("#rag-delete-chat").click()
        page.locator("#rag-confirm-chat").wait_for(timeout=10_000)
        assert sorted(chat_titles(page)) == sorted(["Blinken on Russia", SUMMIT])  # one click deletes nothing
        page.locator("#rag-confirm-chat").click()
        status_line(page, "chat deleted")
        assert chat_titles(page) == ["Blinken on Russia"]
        screenshot(page, "conversations-after-restart")
    finally:
        stop_process(proc)


def test_stop_drops_the_streaming_answer_and_gives_the_question_back(
    new_page: NewPage, own_data: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    with FakeOpenAI(piece_delay_s=0.25) as fake:  # ~12 pieces a second: a few seconds per answer
        env = {"OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": KEY, "RAG_LLM_MODEL": "fake-good"}
        proc = serve(own_data, port, env)
        try:
            page = new_page(url=f"http://127.0.0.1:{port}/")
            box = page.locator("#rag-question textarea")
            box.fill(SUMMIT)
            box.press("Enter")
            page.wait_for_function(
                "() => { const t = document.querySelector('#rag-chat .rag-streaming .rag-text');"
                " return t && t.innerText.trim().length > 3 && !t.querySelector('.rag-wait'); }",
                timeout=90_000,
            )
            page.locator("#rag-stop").click()
            status_line(page, "stopped")
            page.wait_for_function("() => !document.querySelector('#rag-chat .rag-answer')", timeout=30_000)
            assert question_texts(page) == [] and box.input_value() == SUMMIT
            page.reload()
            wait_loaded(page)
            assert question_texts(page) == []  # nothing half-done was stored
        finally:
            stop_process(proc)
