"""What the chat column is made of: its fixed texts and the components the event wiring needs by name.

Kept apart from `ui.app` (which lays the page out) so that `ui.wiring` and `ui.side` can name the
components without importing the layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXAMPLES = [
    "Which countries did Blinken say are supporting Russia's defense industrial base?",
    "Where is the NATO summit being held?",
    "NATO 정상회의는 어디에서 열리나?",
    "시진핑과 푸틴은 최근 어떤 회의에서 만났나?",
]
HEADING = '<h1 class="rag-h1">Cited answers from your documents · 문서 기반 인용 답변</h1>'
SHORTCUT_HINT = '<div class="rag-hint">Alt+L (Option+L): jump to the latest answer; Tab then reaches its [n] sources.</div>'


@dataclass
class Page:
    """The components of the first paint the wiring needs, by name (the side column is `ui.side`)."""

    owner: Any
    banner: Any
    chatbot: Any
    question: Any
    chat_status: Any
    stop: Any
    regenerate: Any
    top_k: Any  # the side column's settings, mirrored into states the answer events can read
    mode: Any
    loaded: Any  # set once the conversation is restored; builds the side column and the extras
    conversations_changed: Any  # bumped when the chat list may have changed; the side column listens
    comment: Any
    feedback_status: Any
