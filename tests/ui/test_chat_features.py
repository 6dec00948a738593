"""The bugs a new user hit on the chat page (issue 17), each as a person meets it in the browser:
Clear, copy, a Korean refusal, a follow-up, rejected questions, regenerate, an upload's count."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rag.store.manifest import Manifest, manifest_file
from tests.ui.chatpage import (
    WATCH_STREAMING,
    answer_texts,
    ask,
    copy_message,
    question_texts,
    status_line,
    upload,
)
from tests.ui.conftest import ChatApp, screenshot, wait_loaded

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
CLIPBOARD = {"permissions": ["clipboard-read", "clipboard-write"]}
CITED = "Which countries did Blinken say are supporting Russia's defense industrial base?"


def test_clear_empties_the_conversation_for_good(new_page: NewPage) -> None:
    page = new_page()
    ask(page, CITED)
    page.locator("#rag-chat button[aria-label=Clear]").click()
    status_line(page, "conversation cleared")
    page.reload()
    wait_loaded(page)
    assert question_texts(page) == []
    # The next follow-up is not rewritten from the cleared topic: there is nothing before it.
    follow_up = ask(page, "What about North Korea?")
    assert follow_up.locator(".rag-rewritten").count() == 0
    assert question_texts(page) == ["What about North Korea?"]


def test_copy_gives_plain_text_with_numbered_sources(new_page: NewPage) -> None:
    page = new_page(**CLIPBOARD)
    answer = ask(page, CITED)
    assert copy_message(page, 0) == CITED  # the question as typed, not China&#x27;s
    copied = copy_message(page, 1)
    assert "<" not in copied and "&#" not in copied and "&amp;" not in copied
    text, _, sources = copied.partition("\n\nSources:\n")
    assert text == answer.locator(".rag-text").inner_text().strip()
    lines = sources.splitlines()
    cards = answer.locator("details.rag-source .rag-n").all_inner_texts()
    assert [line.split(" ", 1)[0] for line in lines] == cards  # [1], [2], ... as the cards
    where = answer.locator(".rag-where").first.inner_text().split(",")[0]
    assert where in lines[0]


def test_korean_refusal_is_labelled_in_korean_with_related_passages_folded(new_page: NewPage) -> None:
    page = new_page(**CLIPBOARD)
    answer = ask(page, "화성에서 액체 질소의 끓는점은 몇 도인가?")
    assert "rag-refused" in (answer.get_attribute("class") or "")
    assert answer.locator(".rag-refusal").inner_text().strip() == "문서에 답이 없습니다"
    related = answer.locator("details.rag-related")  # the closest passages: folded, not an answer
    assert related.count() == 1 and related.get_attribute("open") is None
    assert not related.locator("details.rag-source").first.is_visible()
    assert "답이 아님" in related.locator("summary").first.inner_text()
    assert answer.locator(".rag-n, a.rag-cite").count() == 0  # nothing numbered as a citation
    assert "관련 대목 (답이 아님):" in copy_message(page, 1)
    assert "[1]" not in answer.locator(".rag-text").inner_text()
    screenshot(page, "korean-refusal")


def test_follow_up_is_searched_with_the_earlier_topic_and_is_not_a_repeat(new_page: NewPage) -> None:
    page = new_page()
    first = ask(page, CITED)
    follow_up = ask(page, "What about North Korea?")
    searched = follow_up.locator(".rag-rewritten").inner_text()
    assert "What about North Korea?" in searched and "Blinken" in searched  # shown, not silent
    before, after = answer_texts(page)
    assert before == first.locator(".rag-text").inner_text().strip()
    assert after != before, "the follow-up repeated the previous answer word for word"
    assert "North Korea" in after


def test_empty_and_over_long_questions_are_rejected_without_being_echoed(new_page: NewPage) -> None:
    page = new_page()
    box = page.locator("#rag-question textarea")
    box.fill("   ")
    page.get_by_role("button", name="Send", exact=True).click()
    assert "empty" in status_line(page, "empty")
    long = "why " * 5000  # 20,000 characters
    box.fill(long)
    box.press("Enter")
    assert "too long" in status_line(page, "too long")
    assert page.locator("#rag-chat-status [role=alert]").count() == 1
    assert question_texts(page) == [] and page.locator("#rag-chat .rag-answer").count() == 0
    assert box.input_value() == long  # kept in the box to shorten
    page.reload()
    wait_loaded(page)
    assert question_texts(page) == []  # nothing was stored either


def test_regenerate_answers_the_last_question_again_in_place(new_page: NewPage) -> None:
    page = new_page()
    ask(page, "Where is the NATO summit being held?")
    ask(page, CITED)
    page.evaluate(WATCH_STREAMING)
    page.locator("#rag-regenerate").click()
    page.wait_for_function(
        "() => window.__sawStreaming && !document.querySelector('#rag-chat .rag-streaming')",
        timeout=90_000,
    )
    assert question_texts(page) == ["Where is the NATO summit being held?", CITED]
    assert len(answer_texts(page)) == 2 and "China" in answer_texts(page)[1]


def test_upload_reports_the_chunks_of_the_uploaded_file_and_leaves_the_rest_alone(
    new_page: NewPage, tmp_path: Path, chat_app: ChatApp
) -> None:
    doc = tmp_path / "ferry_notice.txt"
    doc.write_text(
        "Ferry timetable change\n\nThe Busan to Jeju night ferry leaves at 19:30 from Monday. "
        "Tickets bought before the change stay valid for 30 days.\n",
        encoding="utf-8",
    )
    before = Manifest.load(manifest_file(chat_app.data_dir)).files
    page = new_page()
    summary = upload(page, doc)
    after = Manifest.load(manifest_file(chat_app.data_dir)).files
    new = [k for k in after if k not in before]
    assert new == ["@uploads/ferry_notice.txt"]
    # The first upload used to re-key every document; now the others keep their keys and chunks.
    assert {k: after[k].chunk_ids for k in before} == {k: e.chunk_ids for k, e in before.items()}
    chunks = after[new[0]].chunks
    assert f"{chunks} chunks indexed" in summary
    row = next(r for r in page.locator("#rag-docs tbody tr").all() if "ferry_notice.txt" in r.inner_text())
    assert row.locator("td").nth(2).inner_text().strip() == str(chunks)  # the status and the table agree
    page.locator("#rag-delete-choice input").click()
    page.get_by_role("option", name="ferry_notice.txt").click()
    page.locator("#rag-delete").click()
    page.locator("#rag-confirm-doc").click()
    page.locator("#rag-upload-status").get_by_text("deleted ferry_notice.txt").wait_for(timeout=90_000)
