"""The side column: conversations (list, new, rename, delete), settings, and the document panel.

Built by `gr.render` once the load event has restored the conversation (`Page.loaded` holds the owner
id), so the code of its component types (dropdowns, the file upload) is fetched after the first paint
instead of before it. Its events are wired here, inside the render, because components created by a
render cannot be named by events defined outside it: the chat column reaches the side column only
through states (`Page.top_k`, `Page.mode` are copies of the settings; `Page.conversations_changed` is
bumped after an answer or a clear so the chat list refreshes). Destructive actions (delete a chat,
delete a document) take two clicks: the first shows what will be deleted and a confirm button.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag.core.config import Settings
from ui.chat import MAX_K, MODES, ChatService
from ui.page import Page
from ui.render import esc, mode_banner, notice_html
from ui.uploads import DocumentPanel, choices_update

UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".pdf"]
# Gradio injects a live tracker for a parameter whose default is a gr.Progress instance.
PROGRESS = gr.Progress()
PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def side_column(p: Page, settings: Settings, chat: ChatService, panel: DocumentPanel) -> None:
    @gr.render(inputs=[p.loaded], triggers=[p.loaded.change], show_progress="hidden")  # type: ignore[untyped-decorator]
    def build(owner: str) -> None:
        if owner:
            _conversations(p, chat, owner)
            _settings(p, settings)
            _documents(p, settings, chat, panel)


def _conversations(p: Page, chat: ChatService, owner: str) -> None:
    store = chat.conversations
    gr.HTML('<h2 class="rag-h2">Conversations</h2>')
    conversations = gr.Dropdown(
        label="Conversation",
        choices=store.listing(owner),
        value=store.active_id(owner),
        elem_id="rag-conversation",
        interactive=True,  # a render does not infer it from the events below
    )
    with gr.Row():
        new_chat = gr.Button("New chat", elem_id="rag-new-chat", size="sm")
        delete_chat = gr.Button("Delete chat", elem_id="rag-delete-chat", size="sm")
    with gr.Row(visible=False, elem_id="rag-confirm-chat-row") as confirm_row:
        confirm = gr.Button("Yes, delete this chat", elem_id="rag-confirm-chat", size="sm", variant="stop")
        cancel = gr.Button("Keep it", elem_id="rag-cancel-chat", size="sm")
    with gr.Row():
        rename_box = gr.Textbox(
            label="Rename this chat", max_lines=1, elem_id="rag-rename-box", scale=3, interactive=True
        )
        rename = gr.Button("Rename", elem_id="rag-rename", size="sm", scale=1)

    def listing(owner: str) -> dict[str, Any]:
        return gr.update(choices=store.listing(owner), value=store.active_id(owner))

    p.conversations_changed.change(listing, [p.owner], [conversations], **PRIVATE)

    def on_new(owner: str) -> tuple[Any, ...]:
        store.new(owner)
        return [], listing(owner), ""

    new_chat.click(on_new, [p.owner], [p.chatbot, conversations, p.chat_status], **PRIVATE)

    def on_switch(owner: str, conv_id: str | None) -> tuple[Any, ...]:
        store.switch(owner, conv_id)
        return chat.view(owner), listing(owner)

    conversations.input(on_switch, [p.owner, conversations], [p.chatbot, conversations], **PRIVATE)

    def on_rename(owner: str, title: str) -> tuple[Any, ...]:
        if not store.rename(owner, title or ""):
            return listing(owner), title, notice_html("type a name for this chat first", "error")
        return listing(owner), "", notice_html("chat renamed")

    for event in (rename.click, rename_box.submit):
        event(on_rename, [p.owner, rename_box], [conversations, rename_box, p.chat_status], **PRIVATE)

    delete_chat.click(lambda: gr.update(visible=True), None, [confirm_row], **PRIVATE)
    cancel.click(lambda: gr.update(visible=False), None, [confirm_row], **PRIVATE)

    def on_delete(owner: str) -> tuple[Any, ...]:
        store.delete(owner)
        return chat.view(owner), listing(owner), gr.update(visible=False), notice_html("chat deleted")

    confirm.click(on_delete, [p.owner], [p.chatbot, conversations, confirm_row, p.chat_status], **PRIVATE)


def _settings(p: Page, settings: Settings) -> None:
    gr.HTML('<h2 class="rag-h2">Settings</h2>')
    top_k = gr.Dropdown(
        list(range(1, MAX_K + 1)),
        value=settings.top_k,
        label="Passages to draw on",
        elem_id="rag-top-k",
        interactive=True,
    )
    mode = gr.Dropdown(
        list(MODES), value=settings.answer_mode, label="Answer mode", elem_id="rag-mode", interactive=True
    )
    top_k.change(lambda k: k, [top_k], [p.top_k], **PRIVATE)
    mode.change(lambda m: m, [mode], [p.mode], **PRIVATE)


def _documents(p: Page, settings: Settings, chat: ChatService, panel: DocumentPanel) -> None:
    gr.HTML('<h2 class="rag-h2">Documents</h2>')
    table, choices = panel.listing()
    files = gr.File(
        file_count="multiple",
        file_types=UPLOAD_TYPES,
        type="filepath",
        label=f"Add documents (.txt .md .html .pdf, up to {settings.upload_max_mb} MB each)",
        elem_id="rag-upload",
        interactive=True,
    )
    add = gr.Button("Add to index", elem_id="rag-add")
    status = gr.HTML(elem_id="rag-upload-status")
    documents = gr.HTML(table, elem_id="rag-docs")
    deletable = gr.Dropdown(
        label="Uploaded document",
        choices=choices,
        value=None,
        elem_id="rag-delete-choice",
        interactive=True,
    )
    delete = gr.Button("Delete from index", variant="stop", elem_id="rag-delete")
    with gr.Column(visible=False, elem_id="rag-confirm-doc-row") as confirm_row:
        confirm_text = gr.HTML(elem_id="rag-confirm-doc-text")
        with gr.Row():
            confirm = gr.Button("Yes, delete it", elem_id="rag-confirm-doc", variant="stop")
            cancel = gr.Button("Keep it", elem_id="rag-cancel-doc")

    def on_add(paths: list[str] | None, progress: gr.Progress = PROGRESS) -> tuple[Any, ...]:
        added = panel.add(paths, progress)
        table, choices = panel.listing()
        return added, table, choices_update(choices), None, mode_banner(chat.engines.default.mode)

    add.click(
        on_add,
        [files],
        [status, documents, deletable, files, p.banner],
        concurrency_id="index",
        concurrency_limit=1,
        **PRIVATE,
    )

    def ask_confirm(key: str | None) -> tuple[Any, ...]:
        if not key:
            return gr.update(visible=False), "", notice_html("choose an uploaded document to delete", "error")
        name = key.rsplit("/", 1)[-1]
        text = (
            f'<div class="rag-confirm">Delete <b>{esc(name)}</b> from the index and the uploads folder? '
            "This cannot be undone.</div>"
        )
        return gr.update(visible=True), text, ""

    delete.click(ask_confirm, [deletable], [confirm_row, confirm_text, status], **PRIVATE)
    cancel.click(lambda: gr.update(visible=False), None, [confirm_row], **PRIVATE)

    def on_delete(key: str | None, progress: gr.Progress = PROGRESS) -> tuple[Any, ...]:
        deleted = panel.delete(key, progress)
        table, choices = panel.listing()
        return deleted, table, choices_update(choices), gr.update(visible=False)

    confirm.click(
        on_delete,
        [deletable],
        [status, documents, deletable, confirm_row],
        concurrency_id="index",
        concurrency_limit=1,
        **PRIVATE,
    )
