"""Start the web page safely: loopback by default, a password before anything else is reachable.

Binding beyond 127.0.0.1 puts every indexed document one request away from the network, so it is
refused unless RAG_UI_AUTH=user:password is set. Gradio serves only the files it created itself (its
own temp folder); the data directory and the ingest folders are on its block list as well, and its
analytics, share links, MCP server, run history and node SSR are off.
"""

from __future__ import annotations

import ipaddress
import os
import tempfile
from pathlib import Path

from rag.core import offline
from rag.core.config import Settings
from rag.core.errors import UserError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


class LaunchError(UserError):
    """The page cannot start as asked (unsafe host without auth, bad auth value, port in use)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_auth(settings: Settings) -> tuple[str, str] | None:
    if settings.ui_auth is None:
        return None
    raw = settings.ui_auth.get_secret_value()
    user, sep, password = raw.partition(":")
    if not sep or not user.strip() or not password:
        raise LaunchError("RAG_UI_AUTH must look like user:password")  # never echo the value
    return user.strip(), password


def check_host(host: str, auth: tuple[str, str] | None) -> None:
    if not host.strip():
        raise LaunchError("--host is empty")
    if not is_loopback(host) and auth is None:
        raise LaunchError(
            f"--host {host} makes the page reachable from the network: set RAG_UI_AUTH=user:password "
            "to require a login, or leave --host at 127.0.0.1"
        )


def _blocked_paths(settings: Settings, temp_dir: Path) -> list[str]:
    """Defence in depth (nothing outside Gradio's temp folder is servable anyway). A folder that contains
    the temp folder (someone ingested /tmp or ~) is left off, or Gradio could not serve its own files."""
    from rag.store.manifest import read_meta

    roots = [Path(r) for r in read_meta(settings.data_dir)[1]]
    folders = [settings.data_dir.resolve(), *roots]
    return [str(f) for f in folders if not temp_dir.resolve().is_relative_to(f)]


def launch(settings: Settings, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    offline.apply()
    auth = parse_auth(settings)
    check_host(host, auth)
    if not 1 <= port <= 65535:
        raise LaunchError(f"--port must be 1-65535, got {port}")
    # A private temp folder for Gradio's uploads and cache, rather than a shared $TMPDIR/gradio.
    if not os.environ.get("GRADIO_TEMP_DIR"):
        os.environ["GRADIO_TEMP_DIR"] = tempfile.mkdtemp(prefix="rag-chat-")

    from ui.app import build_app
    from ui.assets import CSS, HEAD
    from ui.engines import Engines

    engines = Engines(settings)  # loads the index first: a missing index is one error line, no server
    app = build_app(settings, engines)
    app.queue(default_concurrency_limit=1)
    print(f"rag chat: http://{host}:{port}  (mode: {engines.default.mode}; Ctrl-C to stop)", flush=True)
    try:
        app.launch(
            server_name=host,
            server_port=port,
            auth=auth,
            share=False,
            inbrowser=False,
            show_error=False,
            allowed_paths=[],
            blocked_paths=_blocked_paths(settings, Path(os.environ["GRADIO_TEMP_DIR"])),
            max_file_size=settings.upload_max_mb * 1024 * 1024,
            footer_links=[],
            run_history=False,
            enable_monitoring=False,
            ssr_mode=False,
            pwa=False,
            mcp_server=False,
            quiet=True,
            css=CSS,
            head=HEAD,
        )
    except OSError as exc:
        raise LaunchError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
