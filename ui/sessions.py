"""Which conversation owner a page's events belong to, before the browser knows its own owner id.

The question box is usable from the first paint (the load event that restores the conversation is
not waited for), so a question can reach the server while the browser's owner id is still empty: a
first visit, or a load event still in flight. Both events carry the same Gradio session, so the
owner is looked up by session first: the question and the late restore then agree on one owner, and
the restore can never replace the conversation the question went into.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

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
