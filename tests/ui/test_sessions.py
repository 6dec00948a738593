"""Owner ids before the browser knows its own, and the BrowserState key that outlives a restart."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ui.conversations import ConversationStore
from ui.sessions import SessionOwners, browser_secret


def test_a_session_keeps_one_owner_until_the_browser_sends_its_own(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "convs")
    owners = SessionOwners(store)
    first = owners.owner("", "session-a")  # a question sent before the load event answered
    assert owners.owner(None, "session-a") == first  # the late load event: the same owner
    assert owners.owner(first, "session-b") == first  # the browser's own id wins
    assert owners.owner("", "session-c") != first  # another page, another owner
    assert owners.owner("made-up-by-the-client-0000", "session-d") != "made-up-by-the-client-0000"


def test_old_sessions_are_forgotten_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.sessions

    monkeypatch.setattr(ui.sessions, "MAX_SESSIONS", 2)
    owners = SessionOwners(ConversationStore(tmp_path / "convs"))
    a = owners.owner("", "a")
    owners.owner("", "b")
    owners.owner("", "c")
    assert owners.owner("", "a") != a


def test_the_browser_secret_is_made_once_and_private(tmp_path: Path) -> None:
    folder = tmp_path / "convs"
    secret = browser_secret(folder)
    assert len(secret) >= 32 and browser_secret(folder) == secret
    mode = (folder / ".browser-secret").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    (folder / ".browser-secret").write_text("short", encoding="ascii")
    assert browser_secret(folder) not in ("short", secret)  # a damaged file is replaced
