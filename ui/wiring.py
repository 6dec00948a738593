"""The chat column's events: load, ask/stop/regenerate, clear, thumbs up/down (examples: `ui.extras`).

Every handler takes the browser's owner id and answers from the server-side conversation, never from
what the browser sends back. The side column (conversations, settings, documents) wires its own
events in `ui.side`.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ui.chat import ChatService
from ui.feedback import rating_from_like, record, turn_for_message
from ui.page import Page
from ui.render import mode_banner, notice_html
from ui.sessions import SessionOwners

PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def wire(app: gr.Blocks, p: Page, chat: ChatService) -> None:
    store = chat.conversations
    sessions = SessionOwners(store)

    def on_load(owner: str | None, request: gr.Request) -> tuple[Any, ...]:
        """Restore the conversation; the next step sets `loaded`, which builds the side column and
        the examples. The question box does not wait for either: a question sent meanwhile goes
        to this session's owner (`ui.sessions`), and a restore that lands while that answer
        streams is replaced by the answer's next step (both are rebuilt from the same turns)."""
        owner = sessions.owner(owner, request.session_hash)
        messages = chat.view(owner)
        banner = mode_banner(chat.engines.default.mode)
        return owner, messages, banner

    app.load(
        on_load,
        [p.owner],
        [p.owner, p.chatbot, p.banner],
        show_progress="hidden",
        **PRIVATE,
    ).then(lambda owner: owner, [p.owner], [p.loaded], show_progress="hidden", **PRIVATE)

    def bump(n: int) -> int:
        return n + 1

    def respond(
        question: str, owner: str | None, k: int | None, mode: str | None, request: gr.Request
    ) -> Any:
        yield from chat.respond(question, sessions.owner(owner, request.session_hash), k, mode)

    def regenerate(owner: str | None, k: int | None, mode: str | None, request: gr.Request) -> Any:
        yield from chat.regenerate(sessions.owner(owner, request.session_hash), k, mode)

    answer_out = [p.chatbot, p.question, p.owner, p.chat_status]
    asking = p.question.submit(
        respond,
        [p.question, p.owner, p.top_k, p.mode],
        answer_out,
        concurrency_id="answer",
        concurrency_limit=1,  # the engine is not documented as thread-safe: one answer at a time
        **PRIVATE,
    )
    asking.then(bump, [p.conversations_changed], [p.conversations_changed], **PRIVATE)
    again = p.regenerate.click(
        regenerate, [p.owner, p.top_k, p.mode], answer_out, concurrency_id="answer", **PRIVATE
    )
    again.then(bump, [p.conversations_changed], [p.conversations_changed], **PRIVATE)

    def on_stop(owner: str, box: str, request: gr.Request) -> tuple[Any, ...]:
        """The partial answer is dropped (it was never a turn); the question goes back in the box."""
        messages, question = chat.stopped(sessions.owner(owner, request.session_hash))
        note = notice_html("stopped; the partial answer was not kept" if question else "nothing to stop")
        return messages, question or box, note

    p.stop.click(
        on_stop,
        [p.owner, p.question],
        [p.chatbot, p.question, p.chat_status],
        cancels=[asking, again],
        **PRIVATE,
    )

    def on_clear(owner: str, n: int, request: gr.Request) -> tuple[Any, ...]:
        store.clear(sessions.owner(owner, request.session_hash))
        return [], n + 1, notice_html("conversation cleared")

    p.chatbot.clear(
        on_clear,
        [p.owner, p.conversations_changed],
        [p.chatbot, p.conversations_changed, p.chat_status],
        **PRIVATE,
    )

    def on_like(owner: str | None, text: str, data: gr.LikeData) -> tuple[str, str]:
        turn = turn_for_message(store.turns(owner or ""), data.index)
        rating = rating_from_like(data.liked)
        if rating is None:  # a thumb clicked off again; the log is append-only, so nothing to do
            return notice_html("feedback withdrawn on the page (earlier entries stay in the log)"), text
        if turn is None:
            return notice_html("feedback not recorded (no such answer)", "error"), text
        record(chat.engines.settings.data_dir, turn, rating, text or "")
        return notice_html(f"thanks, feedback recorded (thumbs {rating})"), ""

    p.chatbot.like(on_like, [p.owner, p.comment], [p.feedback_status, p.comment], **PRIVATE)
