"""The page for keyboard, screen-reader and phone users: axe-core in light and dark mode, names, the
heading, the shortcut to the latest answer, and the question box above the fold on a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.ui.a11y import describe, violations
from tests.ui.chatpage import ask
from tests.ui.conftest import screenshot

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
CITED = "Which countries did Blinken say are supporting Russia's defense industrial base?"
UNANSWERABLE_KO = "화성에서 액체 질소의 끓는점은 몇 도인가?"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_with_answers_refusals_and_open_sources(
    new_page: NewPage, scheme: str
) -> None:
    page = new_page(query=f"?__theme={scheme}", color_scheme=scheme)
    dark = page.evaluate("() => document.body.classList.contains('dark')")
    assert dark == (scheme == "dark")
    ask(page, CITED)
    refusal = ask(page, UNANSWERABLE_KO)
    assert "rag-refused" in (refusal.get_attribute("class") or "")
    for summary in page.locator("#rag-chat details summary").all():
        summary.click()  # every source card, the refusal's related passages and the timings open
    assert page.locator("#rag-chat details.rag-source mark").count() > 0
    screenshot(page, f"axe-{scheme}")
    found = violations(page)
    assert not found, describe(found)


def test_heading_named_send_button_and_question_box(new_page: NewPage) -> None:
    page = new_page()
    assert page.locator("h1").count() == 1 and page.locator("h1").inner_text().strip()
    assert page.get_by_role("button", name="Send", exact=True).is_visible()
    assert page.get_by_role("textbox", name="Question").is_visible()


def test_alt_l_focuses_the_latest_answer_and_tab_reaches_its_citations(new_page: NewPage) -> None:
    page = new_page()
    assert "Alt+L" in page.locator(".rag-hint").inner_text()  # the shortcut is written on the page
    ask(page, "Where is the NATO summit being held?")
    latest = ask(page, CITED)
    page.locator("#rag-question textarea").focus()
    page.keyboard.press("Alt+l")
    focused = page.evaluate("() => document.activeElement.classList.contains('rag-answer')")
    assert focused
    assert latest.evaluate("el => el === document.activeElement")
    page.keyboard.press("Tab")
    link = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
    assert link[0] == "rag-cite" and link[1] == "[1]"
    assert latest.evaluate("el => el.contains(document.activeElement)")  # the latest answer's own [1]
    page.keyboard.press("Enter")
    latest.locator("details.rag-source[open]").first.wait_for(timeout=5000)


def test_phone_shows_the_question_box_above_the_fold(new_page: NewPage) -> None:
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    box = page.locator("#rag-question textarea").bounding_box()
    send = page.get_by_role("button", name="Send", exact=True).bounding_box()
    screenshot(page, "phone-390x844")
    assert box is not None and send is not None
    assert box["y"] + box["height"] <= 844 and send["y"] + send["height"] <= 844
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
