"""The chat handler behind the page, without a browser: sessions, history, errors, feedback records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Indexed
from ui.chat import ChatService
from ui.engines import Engines
from ui.feedback import rating_from_like, record, turn_for_message
from ui.sessions import SessionStore


@pytest.fixture(scope="module")
def service(corpus_index: Indexed) -> ChatService:
    return ChatService(Engines(corpus_index.settings), SessionStore())


def test_a_session_keeps_its_turns_and_another_session_starts_empty(service: ChatService) -> None:
    steps = list(service.respond("Where is the NATO summit being held?", None, 5, "extractive"))
    transcript, box, sid = steps[-1]
    assert box == "" and len(transcript) == 2
    assert "rag-streaming" in steps[0][0][-1]["content"]  # the page shows the pending answer at once
    *_, (transcript, _, same) = service.respond("NATO 정상회의는 어디에서 열리나?", sid, 5, None)
    assert same == sid and len(transcript) == 4
    assert [t.question for t in service.sessions.turns(sid)] == [
        "Where is the NATO summit being held?",
        "NATO 정상회의는 어디에서 열리나?",
    ]
    other, messages = service.restore(None)
    assert other != sid and messages == []
    assert service.restore(sid)[1] == transcript


def test_unknown_session_ids_are_replaced_not_adopted(service: ChatService) -> None:
    sid, messages = service.restore("made-up-by-the-client")
    assert sid != "made-up-by-the-client" and messages == []


def test_a_bad_question_is_an_error_line_and_stays_in_the_box(service: ChatService) -> None:
    *_, (transcript, box, sid) = service.respond("   ", None, 5, None)
    assert "rag-error" in transcript[-1]["content"] and "empty" in transcript[-1]["content"]
    assert box == "   " and service.sessions.turns(sid) == []


def test_feedback_entry_comes_from_the_server_side_turn(service: ChatService, tmp_path: Path) -> None:
    *_, (_, _, sid) = service.respond("Who did Blinken hold the joint press conference with?", None, 5, None)
    turns = service.sessions.turns(sid)
    assert turn_for_message(turns, 1) is turns[0] and turn_for_message(turns, 0) is turns[0]
    assert turn_for_message(turns, 2) is None and turn_for_message(turns, "x") is None
    assert rating_from_like(True) == "up" and rating_from_like("Dislike") == "down"
    assert rating_from_like(None) is None
    record(tmp_path, turns[0], "up", "  good\nanswer ")
    entry = json.loads((tmp_path / "feedback.jsonl").read_text(encoding="utf-8"))
    assert entry["comment"] == "good answer" and entry["answer"] == turns[0].answer.answer
    assert len(entry["citations"]) == len(turns[0].answer.citations) > 0


def test_session_store_is_bounded() -> None:
    store = SessionStore(max_sessions=2, max_turns=1)
    first, _ = store.open(None)
    store.open(None)
    store.open(None)
    assert store.open(first)[0] != first  # the oldest session was dropped
