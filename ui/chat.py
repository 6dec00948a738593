"""One question in, a streamed cited answer out, and the conversation updated.

The transcript shown in the browser is always rebuilt from the server-side conversation (see
`ui.conversations`), so what the page shows, what follow-up rewriting sees and what feedback refers
to are the same turns, in the same order. A question is checked (empty, too long) before anything is
echoed: a rejected question never appears in the transcript, it stays in the box with one error line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, get_args

from rag.core.config import AnswerMode
from rag.core.errors import UserError, redact
from rag.core.records import Answer, AnswerDelta, Turn
from rag.engine import check_question
from ui.conversations import ConversationStore
from ui.engines import Engines
from ui.render import answer_html, error_html, esc, notice_html, streaming_html

log = logging.getLogger(__name__)
Message = dict[str, Any]
# (transcript, text box value, owner id, status line)
Step = tuple[list[Message], str, str, str]
MODES: tuple[str, ...] = get_args(AnswerMode)
MAX_K = 50  # Settings.top_k's bound; the event payload is not trusted to respect the slider


def turn_id(index: int) -> str:
    """Anchor prefix of a turn's source cards (letters, digits and '-' only: it goes into id/href)."""
    return f"t{index}"


def messages_for(turns: list[Turn]) -> list[Message]:
    messages: list[Message] = []
    seen: set[str] = set()
    for i, turn in enumerate(turns):
        repeated = turn.answer.answer in seen
        seen.add(turn.answer.answer)
        messages.append({"role": "user", "content": esc(turn.question)})
        messages.append({"role": "assistant", "content": answer_html(turn.answer, turn_id(i), repeated)})
    return messages


class ChatService:
    def __init__(self, engines: Engines, conversations: ConversationStore) -> None:
        self.engines = engines
        self.conversations = conversations
        # The question being answered, per owner, until its answer is stored: Stop puts it back in
        # the box (the box was emptied when it was sent, and a cancelled answer stores nothing).
        self._asking: dict[str, str] = {}

    def restore(self, owner_id: str | None) -> tuple[str, list[Message]]:
        """Page load: the active conversation of this browser (a reload or a restart keeps it)."""
        owner = self.conversations.open(owner_id)
        return owner, messages_for(self.conversations.turns(owner))

    def view(self, owner_id: str) -> list[Message]:
        return messages_for(self.conversations.turns(owner_id))

    def stopped(self, owner_id: str) -> tuple[list[Message], str]:
        """After Stop: the stored turns (the partial answer was never one) and the question it was for."""
        return self.view(owner_id), self._asking.pop(owner_id, "")

    def respond(self, question: str, owner_id: str | None, k: int | None, mode: str | None) -> Iterator[Step]:
        """Yields (transcript, text box value, owner id, status) as the answer streams in."""
        owner = self.conversations.open(owner_id)
        history = self.conversations.turns(owner)
        done = messages_for(history)
        try:
            check_question(question or "", self.engines.settings)
        except UserError as exc:
            yield done, question, owner, notice_html(redact(str(exc)), "error")
            return
        yield from self._answer(question, owner, history, done, k, mode)

    def regenerate(self, owner_id: str | None, k: int | None, mode: str | None) -> Iterator[Step]:
        """Answer the last question again (after a stop, a settings change, an index change)."""
        owner = self.conversations.open(owner_id)
        last = self.conversations.pop_last(owner)
        if last is None:
            yield [], "", owner, notice_html("nothing to regenerate yet", "error")
            return
        history = self.conversations.turns(owner)
        yield from self._answer(last.question, owner, history, messages_for(history), k, mode)

    def _answer(
        self,
        question: str,
        owner: str,
        history: list[Turn],
        done: list[Message],
        k: int | None,
        mode: str | None,
    ) -> Iterator[Step]:
        pending = {"role": "user", "content": esc(question)}
        self._asking[owner] = question
        if mode not in MODES:
            mode = None
        yield [*done, pending, {"role": "assistant", "content": streaming_html("")}], "", owner, ""
        text = ""
        try:
            engine = self.engines.get(mode)
            top_k = max(1, min(int(k), MAX_K)) if k else None
            for item in engine.stream(question, top_k, history):
                if isinstance(item, AnswerDelta):
                    text += item.text
                    yield (
                        [*done, pending, {"role": "assistant", "content": streaming_html(text)}],
                        "",
                        owner,
                        "",
                    )
                elif isinstance(item, Answer):
                    self.conversations.append(owner, Turn(question, item))
                    self._asking.pop(owner, None)
        except Exception as exc:
            # Shown as an error line (keys redacted), the question kept in the box to fix or retry;
            # nothing is added to the history. Unexpected failures are logged with their traceback.
            if not isinstance(exc, UserError):
                log.exception("answering failed")
            raw = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
            message = redact((raw.splitlines() or [""])[0])
            self._asking.pop(owner, None)
            yield [*done, pending, {"role": "assistant", "content": error_html(message)}], question, owner, ""
            return
        yield self.view(owner), "", owner, ""
