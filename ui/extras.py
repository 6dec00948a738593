"""Below the question box: example questions, and the comment that goes with a thumbs up/down.

Built by `gr.render` once the conversation is restored (`Page.loaded`), like the side column: none
of it is needed to ask the first question, so it is not part of the first paint. The like event is
wired here because it writes the comment box, which exists only inside this render.
"""

from __future__ import annotations

import json
from typing import Any

import gradio as gr

from ui.chat import ChatService
from ui.feedback import rating_from_like, record, turn_for_message
from ui.page import EXAMPLES, Page
from ui.render import notice_html

PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def chat_extras(p: Page, chat: ChatService) -> None:
    @gr.render(inputs=[p.loaded], triggers=[p.loaded.change], show_progress="hidden")  # type: ignore[untyped-decorator]
    def build(owner: str) -> None:
        if owner:
            _examples(p)
            _feedback(p, chat)


def _examples(p: Page) -> None:
    gr.HTML('<div class="rag-examples-label">Examples</div>')
    with gr.Row(elem_id="rag-examples"):
        for text in EXAMPLES:
            button = gr.Button(text, size="sm", elem_classes="rag-example")
            # In the browser only (no round trip): the example goes into the box, the user presses Enter.
            button.click(None, None, [p.question], js=f"() => {json.dumps(text)}", **PRIVATE)


def _feedback(p: Page, chat: ChatService) -> None:
    comment = gr.Textbox(
        elem_id="rag-comment",
        label="Feedback comment (optional; sent with your next thumbs up/down)",
        max_lines=3,
        interactive=True,
    )
    status = gr.HTML(elem_id="rag-feedback-status")
    store = chat.conversations

    def on_like(owner: str | None, text: str, data: gr.LikeData) -> tuple[str, str]:
        turn = turn_for_message(store.turns(owner or ""), data.index)
        rating = rating_from_like(data.liked)
        if rating is None:  # a thumb clicked off again; the log is append-only, so nothing to do
            return notice_html("feedback withdrawn on the page (earlier entries stay in the log)"), text
        if turn is None:
            return notice_html("feedback not recorded (no such answer)", "error"), text
        record(chat.engines.settings.data_dir, turn, rating, text or "")
        return notice_html(f"thanks, feedback recorded (thumbs {rating})"), ""

    p.chatbot.like(on_like, [p.owner, comment], [status, comment], **PRIVATE)
