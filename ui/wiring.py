"""The page's events: load, ask/stop/regenerate, clear, the conversation list, feedback, documents.

Every handler takes the browser's owner id and answers from the server-side conversation, never from
what the browser sends back. Destructive actions (delete a chat, delete a document) take two clicks:
the first shows what will be deleted and a confirm button.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag.core.config import Settings
from ui.chat import ChatService
from ui.feedback import rating_from_like, record, turn_for_message
from ui.render import esc, mode_banner, notice_html
from ui.uploads import DocumentPanel, choices_update

# Gradio injects a live tracker for a parameter whose default is a gr.Progress instance.
PROGRESS = gr.Progress()
PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def wire(app: gr.Blocks, p: Any, settings: Settings, chat: ChatService, panel: DocumentPanel) -> None:
    store = chat.conversations

    def conv_update(owner: str) -> dict[str, Any]:
        return gr.update(choices=store.listing(owner), value=store.active_id(owner))

    def on_load(owner: str | None) -> tuple[Any, ...]:
        """Restore the conversation, then enable the question box: a question sent before the restore
        finished would start a second owner and then be wiped by the late restore."""
        owner, messages = chat.restore(owner)
        table, choices = panel.listing()
        return (
            owner,
            messages,
            mode_banner(chat.engines.default.mode),
            table,
            choices_update(choices),
            gr.update(interactive=True),
            conv_update(owner),
        )

    app.load(
        on_load,
        [p.owner],
        [p.owner, p.chatbot, p.banner, p.documents, p.deletable, p.question, p.conversations],
        **PRIVATE,
    )

    answer_out = [p.chatbot, p.question, p.owner, p.chat_status]
    asking = p.question.submit(
        chat.respond,
        [p.question, p.owner, p.top_k, p.mode],
        answer_out,
        concurrency_id="answer",
        concurrency_limit=1,  # the engine is not documented as thread-safe: one answer at a time
        **PRIVATE,
    )
    asking.then(conv_update, [p.owner], [p.conversations], **PRIVATE)
    again = p.regenerate.click(
        chat.regenerate, [p.owner, p.top_k, p.mode], answer_out, concurrency_id="answer", **PRIVATE
    )
    again.then(conv_update, [p.owner], [p.conversations], **PRIVATE)

    def on_stop(owner: str) -> tuple[Any, ...]:
        """The partial answer is dropped (it was never a turn); the question goes back in the box."""
        return chat.view(owner), notice_html("stopped; the partial answer was not kept")

    p.stop.click(on_stop, [p.owner], [p.chatbot, p.chat_status], cancels=[asking, again], **PRIVATE)

    def on_clear(owner: str) -> tuple[Any, ...]:
        store.clear(owner)
        return [], conv_update(owner), notice_html("conversation cleared")

    p.chatbot.clear(on_clear, [p.owner], [p.chatbot, p.conversations, p.chat_status], **PRIVATE)

    def on_new(owner: str) -> tuple[Any, ...]:
        store.new(owner)
        return [], conv_update(owner), ""

    p.new_chat.click(on_new, [p.owner], [p.chatbot, p.conversations, p.chat_status], **PRIVATE)

    def on_switch(owner: str, conv_id: str | None) -> tuple[Any, ...]:
        store.switch(owner, conv_id)
        return chat.view(owner), conv_update(owner)

    p.conversations.input(on_switch, [p.owner, p.conversations], [p.chatbot, p.conversations], **PRIVATE)

    def on_rename(owner: str, title: str) -> tuple[Any, ...]:
        if not store.rename(owner, title or ""):
            return conv_update(owner), title, notice_html("type a name for this chat first", "error")
        return conv_update(owner), "", notice_html("chat renamed")

    p.rename.click(
        on_rename, [p.owner, p.rename_box], [p.conversations, p.rename_box, p.chat_status], **PRIVATE
    )
    p.rename_box.submit(
        on_rename, [p.owner, p.rename_box], [p.conversations, p.rename_box, p.chat_status], **PRIVATE
    )

    p.delete_chat.click(lambda: gr.update(visible=True), None, [p.confirm_chat_row], **PRIVATE)
    p.cancel_chat.click(lambda: gr.update(visible=False), None, [p.confirm_chat_row], **PRIVATE)

    def on_delete_chat(owner: str) -> tuple[Any, ...]:
        store.delete(owner)
        return chat.view(owner), conv_update(owner), gr.update(visible=False), notice_html("chat deleted")

    p.confirm_chat.click(
        on_delete_chat, [p.owner], [p.chatbot, p.conversations, p.confirm_chat_row, p.chat_status], **PRIVATE
    )

    def on_like(owner: str | None, text: str, data: gr.LikeData) -> tuple[str, str]:
        turn = turn_for_message(store.turns(owner or ""), data.index)
        rating = rating_from_like(data.liked)
        if rating is None:  # a thumb clicked off again; the log is append-only, so nothing to do
            return notice_html("feedback withdrawn on the page (earlier entries stay in the log)"), text
        if turn is None:
            return notice_html("feedback not recorded (no such answer)", "error"), text
        record(settings.data_dir, turn, rating, text or "")
        return notice_html(f"thanks, feedback recorded (thumbs {rating})"), ""

    p.chatbot.like(on_like, [p.owner, p.comment], [p.feedback_status, p.comment], **PRIVATE)
    _wire_documents(p, chat, panel)


def _wire_documents(p: Any, chat: ChatService, panel: DocumentPanel) -> None:
    def on_add(paths: list[str] | None, progress: gr.Progress = PROGRESS) -> tuple[Any, ...]:
        status = panel.add(paths, progress)
        table, choices = panel.listing()
        return status, table, choices_update(choices), None, mode_banner(chat.engines.default.mode)

    p.add.click(
        on_add,
        [p.files],
        [p.upload_status, p.documents, p.deletable, p.files, p.banner],
        concurrency_id="index",
        concurrency_limit=1,
        **PRIVATE,
    )

    def ask_confirm(key: str | None) -> tuple[Any, ...]:
        if not key:
            return gr.update(visible=False), "", notice_html("choose an uploaded document to delete", "error")
        name = key.rsplit("/", 1)[-1]
        text = f'<div class="rag-confirm">Delete <b>{esc(name)}</b> from the index and the uploads folder? This cannot be undone.</div>'
        return gr.update(visible=True), text, ""

    p.delete.click(
        ask_confirm, [p.deletable], [p.confirm_doc_row, p.confirm_doc_text, p.upload_status], **PRIVATE
    )
    p.cancel_doc.click(lambda: gr.update(visible=False), None, [p.confirm_doc_row], **PRIVATE)

    def on_delete(key: str | None, progress: gr.Progress = PROGRESS) -> tuple[Any, ...]:
        status = panel.delete(key, progress)
        table, choices = panel.listing()
        return status, table, choices_update(choices), gr.update(visible=False)

    p.confirm_doc.click(
        on_delete,
        [p.deletable],
        [p.upload_status, p.documents, p.deletable, p.confirm_doc_row],
        concurrency_id="index",
        concurrency_limit=1,
        **PRIVATE,
    )
