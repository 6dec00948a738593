"""The page layout (Gradio Blocks); the event wiring is in `ui.wiring`.

Chat on the left (streamed answers with source cards, thumbs on every answer, stop and regenerate),
conversations, settings and the document panel on the right; on a phone the columns stack and the
question box stays above the fold. Every piece of text that reaches the page is rendered by
`ui.render` (escaped), and the chatbot additionally runs Gradio's sanitizer with Markdown and LaTeX
off, so document text can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag.core.config import Settings
from ui.chat import MAX_K, MODES, ChatService
from ui.conversations import ConversationStore
from ui.engines import Engines
from ui.render import mode_banner
from ui.uploads import DocumentPanel

EXAMPLES = [
    "Which countries did Blinken say are supporting Russia's defense industrial base?",
    "Where is the NATO summit being held?",
    "NATO 정상회의는 어디에서 열리나?",
    "시진핑과 푸틴은 최근 어떤 회의에서 만났나?",
]
UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".pdf"]
HEADING = '<h1 class="rag-h1">Cited answers from your documents · 문서 기반 인용 답변</h1>'
SHORTCUT_HINT = '<div class="rag-hint">Alt+L (Option+L): jump to the latest answer; Tab then reaches its [n] sources.</div>'


@dataclass
class Page:
    """The components the wiring needs, by name."""

    owner: Any
    banner: Any
    chatbot: Any
    question: Any
    chat_status: Any
    stop: Any
    regenerate: Any
    comment: Any
    feedback_status: Any
    conversations: Any
    new_chat: Any
    rename_box: Any
    rename: Any
    delete_chat: Any
    confirm_chat_row: Any
    confirm_chat: Any
    cancel_chat: Any
    top_k: Any
    mode: Any
    files: Any
    add: Any
    upload_status: Any
    documents: Any
    deletable: Any
    delete: Any
    confirm_doc_row: Any
    confirm_doc_text: Any
    confirm_doc: Any
    cancel_doc: Any


def build_app(settings: Settings, engines: Engines | None = None) -> gr.Blocks:
    from ui.wiring import wire

    engines = engines or Engines(settings)
    chat = ChatService(engines, ConversationStore(settings.data_dir / "conversations"))
    panel = DocumentPanel(settings, engines)
    with gr.Blocks(title="rag-cite: cited answers from your documents", analytics_enabled=False) as app:
        page = _layout(settings, engines)
        wire(app, page, settings, chat, panel)
    return app  # type: ignore[no-any-return]


def _layout(settings: Settings, engines: Engines) -> Page:
    owner = gr.BrowserState("")
    gr.HTML(HEADING, elem_id="rag-heading")
    banner = gr.HTML(mode_banner(engines.default.mode), elem_id="rag-banner")
    with gr.Row(elem_id="rag-main"):
        with gr.Column(scale=3, elem_id="rag-chat-column"):
            chatbot = gr.Chatbot(
                elem_id="rag-chat",
                label="Conversation",
                height="min(600px, 52vh)",
                render_markdown=False,
                latex_delimiters=[],
                allow_tags=False,
                sanitize_html=True,
                feedback_options=("Like", "Dislike"),
                buttons=["copy"],
                show_label=False,
                placeholder="Ask a question in English or Korean. 영어나 한국어로 질문하세요.",
            )
            question = gr.Textbox(
                elem_id="rag-question",
                label="Question",
                show_label=False,
                placeholder="Ask in English or Korean, then press Enter",
                max_lines=4,
                submit_btn="Send",
                interactive=False,  # enabled by the load event once the conversation is restored
            )
            with gr.Row(elem_id="rag-answer-actions"):
                stop = gr.Button("Stop", elem_id="rag-stop", size="sm", variant="stop")
                regenerate = gr.Button("Regenerate last answer", elem_id="rag-regenerate", size="sm")
            chat_status = gr.HTML(elem_id="rag-chat-status")
            gr.HTML(SHORTCUT_HINT)
            gr.Examples(EXAMPLES, inputs=question, label="Examples")
            comment = gr.Textbox(
                elem_id="rag-comment",
                label="Feedback comment (optional; sent with your next thumbs up/down)",
                max_lines=3,
            )
            feedback_status = gr.HTML(elem_id="rag-feedback-status")
        with gr.Column(scale=2, elem_id="rag-side-column"):
            with gr.Accordion("Conversations", open=True, elem_id="rag-conversations"):
                conversations = gr.Dropdown(label="Conversation", choices=[], elem_id="rag-conversation")
                with gr.Row():
                    new_chat = gr.Button("New chat", elem_id="rag-new-chat", size="sm")
                    delete_chat = gr.Button("Delete chat", elem_id="rag-delete-chat", size="sm")
                with gr.Row(visible=False, elem_id="rag-confirm-chat-row") as confirm_chat_row:
                    confirm_chat = gr.Button(
                        "Yes, delete this chat", elem_id="rag-confirm-chat", size="sm", variant="stop"
                    )
                    cancel_chat = gr.Button("Keep it", elem_id="rag-cancel-chat", size="sm")
                with gr.Row():
                    rename_box = gr.Textbox(
                        label="Rename this chat", max_lines=1, elem_id="rag-rename-box", scale=3
                    )
                    rename = gr.Button("Rename", elem_id="rag-rename", size="sm", scale=1)
            with gr.Accordion("Settings", open=False, elem_id="rag-settings"):
                top_k = gr.Slider(1, MAX_K, value=settings.top_k, step=1, label="Passages to draw on")
                mode = gr.Radio(
                    list(MODES), value=settings.answer_mode, label="Answer mode", elem_id="rag-mode"
                )
            with gr.Accordion("Documents", open=True, elem_id="rag-documents"):
                files = gr.File(
                    file_count="multiple",
                    file_types=UPLOAD_TYPES,
                    type="filepath",
                    label=f"Add documents (.txt .md .html .pdf, up to {settings.upload_max_mb} MB each)",
                    elem_id="rag-upload",
                )
                add = gr.Button("Add to index", elem_id="rag-add")
                upload_status = gr.HTML(elem_id="rag-upload-status")
                documents = gr.HTML(elem_id="rag-docs")
                deletable = gr.Dropdown(label="Uploaded document", choices=[], elem_id="rag-delete-choice")
                delete = gr.Button("Delete from index", variant="stop", elem_id="rag-delete")
                with gr.Column(visible=False, elem_id="rag-confirm-doc-row") as confirm_doc_row:
                    confirm_doc_text = gr.HTML(elem_id="rag-confirm-doc-text")
                    with gr.Row():
                        confirm_doc = gr.Button("Yes, delete it", elem_id="rag-confirm-doc", variant="stop")
                        cancel_doc = gr.Button("Keep it", elem_id="rag-cancel-doc")
    return Page(
        owner, banner, chatbot, question, chat_status, stop, regenerate, comment, feedback_status,
        conversations, new_chat, rename_box, rename, delete_chat, confirm_chat_row, confirm_chat,
        cancel_chat, top_k, mode, files, add, upload_status, documents, deletable, delete,
        confirm_doc_row, confirm_doc_text, confirm_doc, cancel_doc,
    )  # fmt: skip
