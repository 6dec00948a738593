"""Below the question box: example questions.

Built by `gr.render` once the conversation is restored (`Page.loaded`), like the side column: they
are not needed to ask the first question, so they are not part of the first paint.
"""

from __future__ import annotations

import json
from typing import Any

import gradio as gr

from ui.page import EXAMPLES

PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def chat_extras(question: Any, loaded: Any) -> None:
    """`question`: the question box; `loaded`: the state the load event sets (`Page.loaded`)."""

    @gr.render(inputs=[loaded], triggers=[loaded.change], show_progress="hidden")  # type: ignore[untyped-decorator]
    def build(owner: str) -> None:
        if owner:
            _examples(question)


def _examples(question: Any) -> None:
    gr.HTML('<div class="rag-examples-label">Examples</div>')
    with gr.Row(elem_id="rag-examples"):
        for text in EXAMPLES:
            button = gr.Button(text, size="sm", elem_classes="rag-example")
            # In the browser only (no round trip): the example goes into the box, the user presses Enter.
            button.click(None, None, [question], js=f"() => {json.dumps(text)}", **PRIVATE)
