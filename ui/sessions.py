"""Chat histories per browser session, kept on the server.

The browser holds only a random session id (Gradio's encrypted `BrowserState`, i.e. its localStorage), so
a page reload finds its conversation again while two browsers never see each other's turns. Answers
stay on the server as `Answer` records: the page never sends back HTML or citations that we would have
to trust again. The store is bounded (oldest sessions dropped) so a long-running server does not grow
without limit.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from rag.core.records import Turn

MAX_SESSIONS = 500
MAX_TURNS = 200


@dataclass
class Session:
    turns: list[Turn] = field(default_factory=list)


class SessionStore:
    def __init__(self, max_sessions: int = MAX_SESSIONS, max_turns: int = MAX_TURNS) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()
        self.max_sessions = max_sessions
        self.max_turns = max_turns

    def open(self, session_id: str | None) -> tuple[str, Session]:
        """The session for this id, or a new one with a fresh id when the id is unknown (server restarted,
        evicted, or never issued: a client cannot pick its own id)."""
        with self._lock:
            if session_id and session_id in self._sessions:
                self._sessions.move_to_end(session_id)
                return session_id, self._sessions[session_id]
            new_id = secrets.token_urlsafe(18)
            session = self._sessions[new_id] = Session()
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
            return new_id, session

    def append(self, session_id: str, turn: Turn) -> int:
        """Add a finished turn; returns its index within the session."""
        with self._lock:
            session = self._sessions.setdefault(session_id, Session())
            session.turns.append(turn)
            if len(session.turns) > self.max_turns:
                del session.turns[0]
            return len(session.turns) - 1

    def turns(self, session_id: str) -> list[Turn]:
        with self._lock:
            session = self._sessions.get(session_id)
            return list(session.turns) if session else []
