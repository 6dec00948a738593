"""A bare `gr.ChatInterface`, launched with the same options as `rag chat`.

Why it exists: `bench.ui_latency` starts it the same way it starts `rag chat`, so the page-ready time
of Gradio alone (importing it, serving its front end, the browser rendering it) is measured beside
ours. What `rag chat` adds is the difference; what the floor costs no code of ours can remove.

With `--required`, the same ChatInterface inside a Blocks that also holds what issue 17 requires of our
page and a bare ChatInterface lacks: a level-one heading (a `gr.HTML`) and the Stop and Regenerate
buttons (two `gr.Button`). Gradio fetches the code of every component type in the first config before
it paints, so these types cost page-ready time whatever code surrounds them; this floor measures that
cost beside ours.

Run: python -m bench.gradio_floor PORT [--required]
"""

from __future__ import annotations

import sys


def main() -> None:
    from rag.core import offline

    offline.apply()
    import gradio as gr

    def echo(message: str, history: list[dict[str, str]]) -> str:
        return message

    # The question box carries our element id only so one selector finds it on both pages.
    if "--required" in sys.argv[2:]:
        with gr.Blocks(analytics_enabled=False) as app:
            gr.HTML("<h1>Cited answers</h1>")
            gr.ChatInterface(echo, textbox=gr.Textbox(elem_id="rag-question"), analytics_enabled=False)
            with gr.Row():
                gr.Button("Stop", variant="stop")
                gr.Button("Regenerate last answer")
    else:
        app = gr.ChatInterface(echo, textbox=gr.Textbox(elem_id="rag-question"), analytics_enabled=False)
    app.queue(default_concurrency_limit=1)
    app.launch(
        server_name="127.0.0.1",
        server_port=int(sys.argv[1]),
        share=False,
        inbrowser=False,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        quiet=True,
        enable_monitoring=False,
    )


if __name__ == "__main__":
    main()
