"""The page layout and its event wiring (Gradio Blocks).

Chat on the left (streamed answers with source cards, thumbs on every answer), settings and the document
panel on the right. Every piece of text that reaches the page is rendered by `ui.render` (escaped), and
the chatbot additionally runs Gradio's sanitizer with Markdown and LaTeX off, so document text can never
become markup.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag.core.config import Settings
from ui.chat import MAX_K, MODES, ChatService
from ui.engines import Engines
from ui.feedback import rating_from_like, record, turn_for_message
from ui.render import mode_banner, notice_html
from ui.sessions import SessionStore
from ui.uploads import DocumentPanel, choices_update

EXAMPLES = [
    "Which countries did Blinken say are supporting Russia's defense industrial base?",
    "Where is the NATO summit being held?",
    "NATO 정상회의는 어디에서 열리나?",
    "시진핑과 푸틴은 최근 어떤 회의에서 만났나?",
]
# Gradio injects a live tracker for a parameter whose default is a gr.Progress instance.
PROGRESS = gr.Progress()
UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".pdf"]


def build_app(settings: Settings, engines: Engines | None = None) -> gr.Blocks:
    engines = engines or Engines(settings)
    chat = ChatService(engines, SessionStore())
    panel = DocumentPanel(settings, engines)

    with gr.Blocks(title="rag-cite: cited answers from your documents", analytics_enabled=False) as app:
        session = gr.BrowserState("")
        gr.Markdown("## Cited answers from your documents · 문서 기반 인용 답변")
        banner = gr.HTML(mode_banner(engines.default.mode), elem_id="rag-banner")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    elem_id="rag-chat",
                    height=620,
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
                    show_label=False,
                    placeholder="Ask in English or Korean, then press Enter",
                    max_lines=4,
                    submit_btn=True,
                    interactive=False,  # enabled by on_load once the session is restored (see there)
                )
                gr.Examples(EXAMPLES, inputs=question, label="Examples")
                comment = gr.Textbox(
                    elem_id="rag-comment",
                    label="Feedback comment (optional; sent with your next thumbs up/down)",
                    max_lines=3,
                )
                feedback_status = gr.HTML(elem_id="rag-feedback-status")
            with gr.Column(scale=2):
                with gr.Accordion("Settings", open=False, elem_id="rag-settings"):
                    top_k = gr.Slider(1, MAX_K, value=settings.top_k, step=1, label="Passages to draw on")
                    mode = gr.Radio(list(MODES), value=settings.answer_mode, label="Answer mode")
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
                    deletable = gr.Dropdown(
                        label="Uploaded document", choices=[], elem_id="rag-delete-choice"
                    )
                    delete = gr.Button("Delete from index", variant="stop", elem_id="rag-delete")

        def on_load(sid: str | None) -> tuple[Any, ...]:
            """Restore the session, then enable the question box: a question sent before the restore
            finished would start a second session and then be wiped by the late restore."""
            sid, messages = chat.restore(sid)
            table, choices = panel.listing()
            return (
                sid,
                messages,
                mode_banner(engines.default.mode),
                table,
                choices_update(choices),
                gr.update(interactive=True),
            )

        app.load(
            on_load,
            [session],
            [session, chatbot, banner, documents, deletable, question],
            api_visibility="private",
        )

        question.submit(
            chat.respond,
            [question, session, top_k, mode],
            [chatbot, question, session],
            api_visibility="private",
            concurrency_id="answer",
            concurrency_limit=1,  # the engine is not documented as thread-safe: one answer at a time
        )

        def on_like(sid: str | None, text: str, data: gr.LikeData) -> tuple[str, str]:
            turn = turn_for_message(chat.sessions.turns(sid or ""), data.index)
            rating = rating_from_like(data.liked)
            if rating is None:  # a thumb clicked off again; the log is append-only, so nothing to do
                return notice_html("feedback withdrawn on the page (earlier entries stay in the log)"), text
            if turn is None:
                return notice_html("feedback not recorded (no such answer)", "error"), text
            record(settings.data_dir, turn, rating, text or "")
            return notice_html(f"thanks, feedback recorded (thumbs {rating})"), ""

        chatbot.like(on_like, [session, comment], [feedback_status, comment], api_visibility="private")

        def on_add(paths: list[str] | None, progress: gr.Progress = PROGRESS) -> tuple[Any, ...]:
            status = panel.add(paths, progress)
            table, choices = panel.listing()
            return status, table, choices_update(choices), None, mode_banner(engines.default.mode)

        add.click(
            on_add,
            [files],
            [upload_status, documents, deletable, files, banner],
            api_visibility="private",
            concurrency_id="index",
            concurrency_limit=1,
        )

        def on_delete(key: str | None, progress: gr.Progress = PROGRESS) -> tuple[Any, ...]:
            status = panel.delete(key, progress)
            table, choices = panel.listing()
            return status, table, choices_update(choices)

        delete.click(
            on_delete,
            [deletable],
            [upload_status, documents, deletable],
            api_visibility="private",
            concurrency_id="index",
            concurrency_limit=1,
        )
    return app  # type: ignore[no-any-return]
