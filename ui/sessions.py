"""Which conversation owner a page's events belong to, before the browser knows its own owner id.

The question box is usable from the first paint (the load event that restores the conversation is
not waited for), so a question can reach the server while the browser's owner id is still empty: a
first visit, or a load event still in flight. Both events carry the same Gradio session, so the
owner is looked up by session first: the question and the late restore then agree on one owner, and
the restore can never replace the conversation the question went into.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections import OrderedDict
from pathlib import Path

from ui.conversations import ConversationStore

MAX_SESSIONS = 10_000  # page sessions remembered; older ones fall back to the browser's own id


class SessionOwners:
    def __init__(self, store: ConversationStore) -> None:
        self.store = store
        self._by_session: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def owner(self, owner_id: str | None, session: str | None) -> str:
        """The browser's id when it has one (and the server issued it), else this session's owner,
        else a fresh owner remembered for this session."""
        with self._lock:
            if not owner_id and session:
                owner_id = self._by_session.get(session)
            owner = self.store.open(owner_id)
            if session:
                self._by_session[session] = owner
                self._by_session.move_to_end(session)
                while len(self._by_session) > MAX_SESSIONS:
                    self._by_session.popitem(last=False)
            return owner


STORAGE_KEY = "rag-cite-owner"
_SECRET_FILE = ".browser-secret"


def browser_secret(folder: Path) -> str:
    """The key Gradio's BrowserState encrypts the owner id with in localStorage, kept in `folder`.

    Gradio picks a random key (and a random localStorage name) at every start unless told otherwise,
    so after a restart no browser could read its owner id back: every conversation looked lost. The
    key is created once, readable by this user only."""
    path = folder / _SECRET_FILE
    try:
        secret = path.read_text(encoding="ascii").strip()
        if len(secret) >= 32:
            return secret
    except (OSError, UnicodeDecodeError):
        pass
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secret)
    os.replace(tmp, path)
    return secret
