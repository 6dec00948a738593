"""What a person does on the page, as functions the browser tests share."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

ANSWER_TIMEOUT_MS = 90_000
ARTIFACTS = ROOT / "tests" / "artifacts"
FINAL = "#rag-chat .rag-answer:not(.rag-streaming)"
MARKER = re.compile(r"\[(\d+)\]")

WATCH_STREAMING = """() => {
  window.__sawStreaming = false;
  new MutationObserver(() => {
    if (document.querySelector('#rag-chat .rag-streaming')) window.__sawStreaming = true;
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def ask(page: Any, question: str) -> Any:
    """Type a question, press Enter, wait for the finished answer; returns that answer's element."""
    before = page.locator(FINAL).count()
    page.evaluate(WATCH_STREAMING)
    box = page.locator("#rag-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        f"n => document.querySelectorAll('{FINAL}').length > n", arg=before, timeout=ANSWER_TIMEOUT_MS
    )
    return page.locator(FINAL).nth(before)


def markers(answer: Any) -> list[int]:
    return [int(n) for n in MARKER.findall(answer.locator(".rag-text").inner_text())]


def shown_name(file: Path) -> re.Pattern[str]:
    """A chosen file's name as the upload box shows it: Gradio puts the stem and the suffix in separate
    spans ("aquarium_report" ".md"), so the page text has white space between them."""
    return re.compile(re.escape(file.stem) + r"\s*" + re.escape(file.suffix))


def upload(page: Any, *files: Path) -> str:
    """Choose files in the upload box, press "Add to index", wait for the summary line; returns it."""
    chooser = page.locator("#rag-upload input[type=file]")
    shown = [page.locator("#rag-upload").filter(has_text=shown_name(f)) for f in files]
    # The browser sends the bytes to Gradio first; on 2 busy cores that can take a while.
    chooser.set_input_files([str(f) for f in files])
    try:
        for name in shown:
            name.wait_for(timeout=ANSWER_TIMEOUT_MS)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "upload-not-shown.png"), full_page=True)
        raise
    status = page.locator("#rag-upload-status")
    previous = status.inner_text()
    page.locator("#rag-add").click()
    page.wait_for_function(
        """old => {
          const el = document.querySelector('#rag-upload-status .rag-notice, #rag-upload-status .rag-notice-error');
          return el && el.innerText.trim() && el.innerText !== old;
        }""",
        arg=previous,
        timeout=ANSWER_TIMEOUT_MS,
    )
    return str(status.inner_text())


def question_texts(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#rag-chat [data-testid=user]").all_inner_texts()]


def answer_texts(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(f"{FINAL} .rag-text").all_inner_texts()]


def copy_message(page: Any, index: int) -> str:
    """Press the copy button of message `index` (0 = first question) and read the clipboard back.
    The page's context needs the clipboard-read and clipboard-write permissions."""
    page.evaluate("() => navigator.clipboard.writeText('')")
    page.locator("#rag-chat button[aria-label='Copy message']").nth(index).click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''", timeout=10_000)
    return str(page.evaluate("() => navigator.clipboard.readText()"))


def status_line(page: Any, text: str) -> str:
    """Wait for the chat status line to say `text`; returns the whole line."""
    status = page.locator("#rag-chat-status")
    status.get_by_text(text).wait_for(timeout=60_000)
    return str(status.inner_text())
