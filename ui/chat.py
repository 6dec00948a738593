"""One question in, a streamed cited answer out, and the session's history updated.

The chat transcript shown in the browser is always rebuilt from the server-side session (see
`ui.sessions`), so what the page shows, what follow-up rewriting sees and what feedback refers to are
the same turns, in the same order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, get_args

from rag.core.config import AnswerMode
from rag.core.errors import UserError, redact
from rag.core.records import Answer, AnswerDelta, Turn
from ui.engines import Engines
from ui.render import answer_html, error_html, esc, streaming_html
from ui.sessions import SessionStore

log = logging.getLogger(__name__)
Message = dict[str, Any]
MODES: tuple[str, ...] = get_args(AnswerMode)
MAX_K = 50  # Settings.top_k's bound; the event payload is not trusted to respect the slider


def turn_id(index: int) -> str:
    """Anchor prefix of a turn's source cards (letters, digits and '-' only: it goes into id/href)."""
    return f"t{index}"


def messages_for(turns: list[Turn]) -> list[Message]:
    messages: list[Message] = []
    for i, turn in enumerate(turns):
        messages.append({"role": "user", "content": esc(turn.question)})
        messages.append({"role": "assistant", "content": answer_html(turn.answer, turn_id(i))})
    return messages


class ChatService:
    def __init__(self, engines: Engines, sessions: SessionStore) -> None:
        self.engines = engines
        self.sessions = sessions

    def restore(self, session_id: str | None) -> tuple[str, list[Message]]:
        """Page load: the session's transcript (a reload keeps it), or a new session."""
        sid, session = self.sessions.open(session_id)
        return sid, messages_for(list(session.turns))

    def respond(
        self, question: str, session_id: str | None, k: int | None, mode: str | None
    ) -> Iterator[tuple[list[Message], str, str]]:
        """Yields (transcript, text box value, session id) as the answer streams in."""
        sid, session = self.sessions.open(session_id)
        history = list(session.turns)
        done = messages_for(history)
        pending = {"role": "user", "content": esc(question)}
        if mode not in MODES:
            mode = None
        yield [*done, pending, {"role": "assistant", "content": streaming_html("")}], "", sid
        text = ""
        try:
            engine = self.engines.get(mode)
            top_k = max(1, min(int(k), MAX_K)) if k else None
            for item in engine.stream(question, top_k, history):
                if isinstance(item, AnswerDelta):
                    text += item.text
                    yield [*done, pending, {"role": "assistant", "content": streaming_html(text)}], "", sid
                elif isinstance(item, Answer):
                    self.sessions.append(sid, Turn(question, item))
        except Exception as exc:
            # Shown as an error line (keys redacted), the question kept in the box to fix or retry;
            # nothing is added to the history. Unexpected failures are logged with their traceback.
            if not isinstance(exc, UserError):
                log.exception("answering failed")
            raw = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
            message = redact((raw.splitlines() or [""])[0])
            yield [*done, pending, {"role": "assistant", "content": error_html(message)}], question, sid
            return
        yield messages_for(self.sessions.turns(sid)), "", sid
