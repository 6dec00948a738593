"""The Gradio chat app (see issue 5)."""
