"""`rag chat [--host H] [--port P]`: the web page (Gradio), loopback by default.

Gradio is imported only inside the handler: `rag ask` and `rag --help` must not pay its ~2 s import.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_parser(sub: Any, common_options: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("chat", help="open the chat web page (default http://127.0.0.1:7860)")
    common_options(p)
    host_help = "interface to bind (default 127.0.0.1; anything else requires RAG_UI_AUTH=user:password)"
    p.add_argument("--host", default="127.0.0.1", help=host_help)
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("-k", "--top-k", type=int, default=None, help="default number of passages")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rag_cli.main import settings_from_args
    from ui.launch import launch

    launch(settings_from_args(args), host=args.host, port=args.port)
    return 0
