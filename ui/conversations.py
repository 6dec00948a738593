"""Conversations per browser, persisted in `<data dir>/conversations/` so they survive a restart.

The browser holds only a random owner id (Gradio's `BrowserState`, i.e. its localStorage); everything
else stays on the server as `Answer` records, one JSON file per owner, written atomically after every
change. So the page never sends back HTML or citations we would have to trust again, two browsers
never see each other's conversations, a reload or a server restart finds the same list, and Clear or
Delete really removes the turns (the next follow-up is rewritten against what is left, nothing else).
An id the server never issued gets a fresh owner: a client cannot pick its own id.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.core.records import Turn
from ui.records_json import turn_from_json, turn_to_json

MAX_CONVERSATIONS = 100  # per browser; the oldest are dropped
MAX_TURNS = 200  # per conversation; the oldest turns are dropped
MAX_TITLE_CHARS = 60
NEW_TITLE = "New chat"
_OWNER = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass
class Conversation:
    id: str
    title: str = NEW_TITLE
    turns: list[Turn] = field(default_factory=list)
    updated: float = field(default_factory=time.time)
    titled: bool = False  # renamed by the user: the first question no longer names it


@dataclass
class Owner:
    conversations: list[Conversation]
    active: str


def _title_from(question: str) -> str:
    line = " ".join(question.split())
    return line if len(line) <= MAX_TITLE_CHARS else line[: MAX_TITLE_CHARS - 1] + "…"


class ConversationStore:
    def __init__(self, folder: Path, max_conversations: int = MAX_CONVERSATIONS, max_turns: int = MAX_TURNS):
        self.folder = folder
        self.max_conversations = max_conversations
        self.max_turns = max_turns
        self._owners: dict[str, Owner] = {}
        self._lock = threading.RLock()

    # -- owners -------------------------------------------------------------------------------------
    def open(self, owner_id: str | None) -> str:
        """The owner id to keep using: this one when the server issued it, else a fresh one."""
        with self._lock:
            if owner_id and _OWNER.match(owner_id) and self._load(owner_id) is not None:
                return owner_id
            new_id = secrets.token_urlsafe(18)
            self._owners[new_id] = Owner([Conversation(secrets.token_hex(6))], "")
            self._owners[new_id].active = self._owners[new_id].conversations[0].id
            self._save(new_id)
            return new_id

    def _path(self, owner_id: str) -> Path:
        return self.folder / f"{owner_id}.json"

    def _load(self, owner_id: str) -> Owner | None:
        if owner_id in self._owners:
            return self._owners[owner_id]
        path = self._path(owner_id)
        if not path.exists():
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            convs = [
                Conversation(
                    str(c["id"]),
                    str(c.get("title", NEW_TITLE)),
                    [turn_from_json(t) for t in c.get("turns", [])],
                    float(c.get("updated", 0.0)),
                    bool(c.get("titled", False)),
                )
                for c in raw.get("conversations", [])
            ]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged file: the browser starts afresh rather than the page failing
        if not convs:
            convs = [Conversation(secrets.token_hex(6))]
        active = str(raw.get("active", ""))
        owner = Owner(convs, active if any(c.id == active for c in convs) else convs[0].id)
        self._owners[owner_id] = owner
        return owner

    def _save(self, owner_id: str) -> None:
        owner = self._owners[owner_id]
        payload: dict[str, Any] = {
            "active": owner.active,
            "conversations": [
                {
                    "id": c.id,
                    "title": c.title,
                    "titled": c.titled,
                    "updated": c.updated,
                    "turns": [turn_to_json(t) for t in c.turns],
                }
                for c in owner.conversations
            ],
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self._path(owner_id).with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self._path(owner_id))

    def _owner(self, owner_id: str) -> Owner:
        owner = self._load(owner_id)
        if owner is None:
            raise KeyError(owner_id)
        return owner

    def _active(self, owner_id: str) -> Conversation:
        owner = self._owner(owner_id)
        return next(c for c in owner.conversations if c.id == owner.active)

    # -- the active conversation ---------------------------------------------------------------------
    def turns(self, owner_id: str) -> list[Turn]:
        with self._lock:
            try:
                return list(self._active(owner_id).turns)
            except KeyError:
                return []

    def active_id(self, owner_id: str) -> str:
        with self._lock:
            return self._owner(owner_id).active

    def append(self, owner_id: str, turn: Turn) -> int:
        """Add a finished turn to the active conversation; returns its index there."""
        with self._lock:
            conv = self._active(owner_id)
            conv.turns.append(turn)
            if len(conv.turns) > self.max_turns:
                del conv.turns[0]
            if not conv.titled and len(conv.turns) == 1:
                conv.title = _title_from(turn.question)
            conv.updated = time.time()
            self._save(owner_id)
            return len(conv.turns) - 1

    def pop_last(self, owner_id: str) -> Turn | None:
        with self._lock:
            conv = self._active(owner_id)
            if not conv.turns:
                return None
            turn = conv.turns.pop()
            self._save(owner_id)
            return turn

    def clear(self, owner_id: str) -> None:
        with self._lock:
            conv = self._active(owner_id)
            conv.turns.clear()
            if not conv.titled:
                conv.title = NEW_TITLE
            self._save(owner_id)

    # -- the list ------------------------------------------------------------------------------------
    def listing(self, owner_id: str) -> list[tuple[str, str]]:
        """(title, id), most recently used first."""
        with self._lock:
            convs = sorted(self._owner(owner_id).conversations, key=lambda c: -c.updated)
            return [(c.title, c.id) for c in convs]

    def new(self, owner_id: str) -> str:
        """Start a conversation (or stay in the active one when it is still empty)."""
        with self._lock:
            owner = self._owner(owner_id)
            current = self._active(owner_id)
            if not current.turns:
                current.updated = time.time()
                self._save(owner_id)
                return current.id
            conv = Conversation(secrets.token_hex(6))
            owner.conversations.append(conv)
            owner.active = conv.id
            if len(owner.conversations) > self.max_conversations:
                oldest = min(owner.conversations, key=lambda c: c.updated)
                owner.conversations.remove(oldest)
            self._save(owner_id)
            return conv.id

    def switch(self, owner_id: str, conv_id: str | None) -> bool:
        with self._lock:
            owner = self._owner(owner_id)
            if not any(c.id == conv_id for c in owner.conversations):
                return False
            owner.active = str(conv_id)
            self._save(owner_id)
            return True

    def rename(self, owner_id: str, title: str) -> bool:
        title = _title_from(title)
        if not title:
            return False
        with self._lock:
            conv = self._active(owner_id)
            conv.title, conv.titled = title, True
            self._save(owner_id)
            return True

    def delete(self, owner_id: str) -> None:
        """Delete the active conversation; the most recent other one (or a new empty one) follows."""
        with self._lock:
            owner = self._owner(owner_id)
            owner.conversations = [c for c in owner.conversations if c.id != owner.active]
            if not owner.conversations:
                owner.conversations.append(Conversation(secrets.token_hex(6)))
            owner.active = max(owner.conversations, key=lambda c: c.updated).id
            self._save(owner_id)
