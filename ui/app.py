"""The page layout (Gradio Blocks); the event wiring is in `ui.wiring`, the side column in `ui.side`.

Chat on the left (streamed answers with source cards, thumbs on every answer, stop and regenerate),
conversations, settings and the document panel on the right; on a phone the columns stack and the
question box stays above the fold. Every piece of text that reaches the page is rendered by
`ui.render` (escaped), and the chatbot additionally runs Gradio's sanitizer with Markdown and LaTeX
off, so document text can never become markup.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag.core.config import Settings
from ui.chat import ChatService
from ui.conversations import ConversationStore
from ui.engines import Engines
from ui.extras import chat_extras
from ui.page import HEADING, SHORTCUT_HINT, Page
from ui.render import mode_banner
from ui.sessions import STORAGE_KEY, browser_secret
from ui.side import side_column
from ui.uploads import DocumentPanel
from ui.wiring import wire


def build_app(settings: Settings, engines: Engines | None = None) -> gr.Blocks:
    engines = engines or Engines(settings)
    chat = ChatService(engines, ConversationStore(settings.data_dir / "conversations"))
    panel = DocumentPanel(settings, engines)
    with gr.Blocks(title="rag-cite: cited answers from your documents", analytics_enabled=False) as app:
        gr.HTML(HEADING, elem_id="rag-heading")
        banner = gr.HTML(mode_banner(engines.default.mode), elem_id="rag-banner")
        with gr.Row(elem_id="rag-main"):
            page = _chat_column(settings, banner, browser_secret(chat.conversations.folder))
            with gr.Column(scale=2, elem_id="rag-side-column"):
                side_column(page, settings, chat, panel)
        wire(app, page, chat)
    return app  # type: ignore[no-any-return]


def _feedback_box() -> tuple[Any, Any]:
    """The comment sent with the next thumbs up/down, and its status line. On the first paint (a
    text box and an HTML line, types the page loads anyway) because the like event is: Gradio shows
    thumbs only for a chatbot whose like event is in the first config, and an event outside a render
    cannot read or write a component made inside one."""
    comment = gr.Textbox(
        elem_id="rag-comment",
        label="Feedback comment (optional; sent with your next thumbs up/down)",
        max_lines=3,
    )
    return comment, gr.HTML(elem_id="rag-feedback-status")


def _chat_column(settings: Settings, banner: Any, secret: str) -> Page:
    """The first paint is the chat, the question box, Stop/Regenerate, status lines and the feedback
    box: the examples (`ui.extras`) and the side column (`ui.side`) are built by `gr.render` after
    the conversation is restored. Gradio fetches the code of every component type in the first page's
    config before it paints anything, and the side column's types (dropdowns, file upload) were ~30 of the page's ~80
    script and style requests (page ready was 1.7x a bare gr.ChatInterface with them)."""
    owner = gr.BrowserState("", storage_key=STORAGE_KEY, secret=secret)  # both survive a restart
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
        )
        with gr.Row(elem_id="rag-answer-actions"):
            stop = gr.Button("Stop", elem_id="rag-stop", size="sm", variant="stop")
            regenerate = gr.Button("Regenerate last answer", elem_id="rag-regenerate", size="sm")
        chat_status = gr.HTML(elem_id="rag-chat-status")
        gr.HTML(SHORTCUT_HINT)
        loaded = gr.State("")
        chat_extras(question, loaded)
        page = Page(
            owner, banner, chatbot, question, chat_status, stop, regenerate,
            gr.State(settings.top_k), gr.State(settings.answer_mode), loaded, gr.State(0),
            *_feedback_box(),
        )  # fmt: skip
    return page
