"""The chat page as a person uses it: questions in English and Korean, sources, feedback, uploads, safety."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rag.lang.script import is_hangul
from tests.ui.chatpage import ask, markers, question_texts, upload
from tests.ui.conftest import ChatApp, screenshot, wait_loaded

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]


def check_sources(answer: Any) -> None:
    """Every [n] in the text links to a card n in the same answer that names its document."""
    numbers = markers(answer)
    assert numbers, "an answer without citation markers"
    cards = answer.locator("details.rag-source")
    card_numbers = [int(t.strip("[]")) for t in cards.locator(".rag-n").all_inner_texts()]
    assert set(numbers) <= set(card_numbers)
    for link in answer.locator("a.rag-cite").all():
        n = int(link.inner_text().strip("[]"))
        assert link.get_attribute("href", timeout=1000).endswith(f"-{n}")
    for card in cards.all():
        assert card.locator(".rag-title").inner_text().strip()
        assert (card.locator(".rag-where").text_content() or "").strip()


def open_first_source(answer: Any) -> tuple[str, str]:
    """Click the first [n] marker; returns (highlighted text, whole passage) of the card it opened."""
    link = answer.locator("a.rag-cite").first
    n = link.inner_text()
    link.click()
    card = answer.locator("details.rag-source[open]")
    card.wait_for(timeout=5000)
    assert card.locator(".rag-n").inner_text() == n
    mark = card.locator("mark").first
    mark.wait_for(state="visible", timeout=5000)
    return mark.inner_text(), card.locator(".rag-passage").inner_text()


def test_english_question_streams_a_cited_answer_with_highlighted_sources(new_page: NewPage) -> None:
    page = new_page()
    banner = page.locator("#rag-banner").inner_text()
    assert "offline extractive" in banner and "OPENAI_BASE_URL" in banner and "OPENAI_API_KEY" in banner
    answer = ask(page, "Which countries did Blinken say are supporting Russia's defense industrial base?")
    assert page.evaluate("window.__sawStreaming"), "the answer did not stream into the page"
    assert "rag-refused" not in (answer.get_attribute("class") or "")
    check_sources(answer)
    highlighted, passage = open_first_source(answer)
    assert highlighted and highlighted in passage
    assert "China" in answer.locator(".rag-text").inner_text()
    answer.locator(".rag-timings summary").click()
    assert "total" in answer.locator(".rag-timings").inner_text()
    screenshot(page, "english-answer-open-source")


def test_korean_question_gets_a_korean_cited_answer(new_page: NewPage) -> None:
    page = new_page()
    answer = ask(page, "NATO 정상회의는 어디에서 열리나?")
    text = answer.locator(".rag-text").inner_text()
    assert any(is_hangul(ch) for ch in text)
    check_sources(answer)
    highlighted, passage = open_first_source(answer)
    assert highlighted in passage
    screenshot(page, "korean-answer-open-source")


def test_refusal_is_shown_as_a_refusal_not_an_error(new_page: NewPage) -> None:
    page = new_page()
    answer = ask(page, "What is the boiling point of liquid nitrogen on Mars?")
    assert "rag-refused" in (answer.get_attribute("class") or "")
    assert answer.locator(".rag-refusal").is_visible()
    assert page.locator("#rag-chat .rag-error").count() == 0


def test_feedback_with_comment_lands_in_the_jsonl(new_page: NewPage, chat_app: ChatApp) -> None:
    page = new_page()
    question = "Who did Blinken hold the joint press conference with in Washington?"
    answer = ask(page, question)
    page.locator("#rag-comment textarea").fill("the date is missing")
    try:
        page.locator("#rag-chat button[aria-label=Dislike]").last.click(timeout=60_000)
    finally:
        screenshot(page, "feedback-thumbs")
    page.locator("#rag-feedback-status").get_by_text("feedback recorded").wait_for(timeout=30_000)
    lines = (chat_app.data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    entry = next(e for e in map(json.loads, reversed(lines)) if e["question"] == question)
    assert entry["rating"] == "down" and entry["comment"] == "the date is missing"
    assert entry["mode"] == "extractive"
    assert entry["answer"].strip() == answer.locator(".rag-text").inner_text().strip()
    assert entry["citations"] and {"doc", "start", "end", "highlights"} <= entry["citations"][0].keys()
    assert page.locator("#rag-comment textarea").input_value() == ""  # used once, then cleared
    screenshot(page, "feedback-recorded")


def test_upload_a_document_then_ask_about_it_then_delete_it(
    new_page: NewPage, tmp_path: Path, chat_app: ChatApp
) -> None:
    doc = tmp_path / "aquarium_report.md"
    doc.write_text(
        "# Aquarium opening\n\nThe Ulsan aquarium opened its new shark tunnel on Friday. "
        "The tunnel is 86 metres long and holds 3,400 tonnes of sea water.\n",
        encoding="utf-8",
    )
    page = new_page()
    summary = upload(page, doc)
    assert "1 added: aquarium_report.md" in summary
    assert "aquarium_report.md" in page.locator("#rag-docs").inner_text()
    screenshot(page, "upload-summary")
    answer = ask(page, "How long is the shark tunnel at the Ulsan aquarium?")
    assert "86 metres" in answer.locator(".rag-text").inner_text()
    check_sources(answer)
    assert "aquarium_report.md" in answer.locator(".rag-where").all_text_contents()[0]
    copy = tmp_path / "copy_of_report.md"
    copy.write_bytes(doc.read_bytes())
    duplicate = upload(page, copy)
    assert "rejected" in duplicate and "same content as aquarium_report.md" in duplicate

    page.locator("#rag-delete-choice input").click()
    page.get_by_role("option", name="aquarium_report.md").click()
    page.locator("#rag-delete").click()
    page.locator("#rag-confirm-doc-text").get_by_text("cannot be undone").wait_for(timeout=30_000)
    assert "aquarium_report.md" in page.locator("#rag-docs").inner_text()  # nothing deleted yet
    page.locator("#rag-confirm-doc").click()
    page.locator("#rag-upload-status").get_by_text("deleted aquarium_report.md").wait_for(timeout=90_000)
    assert "aquarium_report.md" not in page.locator("#rag-docs").inner_text()
    assert not (chat_app.data_dir / "uploads" / "aquarium_report.md").exists()


def test_hostile_document_text_stays_inert(new_page: NewPage) -> None:
    page = new_page()
    answer = ask(page, "How many storm warnings did the Gwangan lighthouse keeper log?")
    check_sources(answer)
    for card in answer.locator("details.rag-source summary").all():
        card.click()
    chat = page.locator("#rag-chat")
    text = chat.inner_text()
    assert "<script>" in text or "<img" in text, "the hostile markup should be visible as text"
    assert "javascript:" in text
    assert chat.locator("script, img[onerror], iframe, a[href^='javascript']").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert page.locator("#rag-docs img").count() == 0
    assert "<img" in page.locator("#rag-docs").inner_text()  # the hostile title, as text
    screenshot(page, "hostile-document-inert")


def test_two_browsers_keep_their_own_histories_and_a_reload_keeps_sources(new_page: NewPage) -> None:
    first, second = new_page(), new_page()
    q1 = "Where is the NATO summit being held?"
    q2 = "미국 국무부는 북한과 러시아의 관계에 대해 어떤 입장을 밝혔나?"
    q3 = "Which countries did Blinken say are supporting Russia's defense industrial base?"
    ask(first, q1)
    ask(second, q2)
    ask(first, q3)
    assert question_texts(first) == [q1, q3]
    assert question_texts(second) == [q2]
    first.reload()
    wait_loaded(first)
    first.locator("#rag-chat .rag-answer").nth(1).wait_for(timeout=60_000)
    assert question_texts(first) == [q1, q3]
    for answer in first.locator("#rag-chat .rag-answer").all():  # each turn keeps its own cards
        check_sources(answer)
    highlighted, passage = open_first_source(first.locator("#rag-chat .rag-answer").first)
    assert highlighted in passage
    screenshot(first, "after-reload")
    screenshot(second, "second-browser")
