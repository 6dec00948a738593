"""The chat handler behind the page, without a browser: sessions, history, errors, feedback records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Indexed
from ui.chat import ChatService
from ui.conversations import ConversationStore
from ui.engines import Engines
from ui.feedback import rating_from_like, record, turn_for_message


@pytest.fixture(scope="module")
def service(corpus_index: Indexed, tmp_path_factory: pytest.TempPathFactory) -> ChatService:
    return ChatService(Engines(corpus_index.settings), ConversationStore(tmp_path_factory.mktemp("convs")))


def test_a_session_keeps_its_turns_and_another_session_starts_empty(service: ChatService) -> None:
    steps = list(service.respond("Where is the NATO summit being held?", None, 5, "extractive"))
    transcript, box, sid, _ = steps[-1]
    assert box == "" and len(transcript) == 2
    assert "rag-streaming" in steps[0][0][-1]["content"]  # the page shows the pending answer at once
    *_, (transcript, _, same, _) = service.respond("NATO 정상회의는 어디에서 열리나?", sid, 5, None)
    assert same == sid and len(transcript) == 4
    assert [t.question for t in service.conversations.turns(sid)] == [
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
    *_, (transcript, box, sid, status) = service.respond("   ", None, 5, None)
    assert transcript == [] and "empty" in status and 'role="alert"' in status  # never echoed
    assert box == "   " and service.conversations.turns(sid) == []
    *_, (transcript, box, sid, status) = service.respond("x" * 20_000, sid, 5, None)
    assert transcript == [] and "too long" in status and len(box) == 20_000


def test_feedback_entry_comes_from_the_server_side_turn(service: ChatService, tmp_path: Path) -> None:
    *_, (_, _, sid, _) = service.respond(
        "Who did Blinken hold the joint press conference with?", None, 5, None
    )
    turns = service.conversations.turns(sid)
    assert turn_for_message(turns, 1) is turns[0] and turn_for_message(turns, 0) is turns[0]
    assert turn_for_message(turns, 2) is None and turn_for_message(turns, "x") is None
    assert rating_from_like(True) == "up" and rating_from_like("Dislike") == "down"
    assert rating_from_like(None) is None
    record(tmp_path, turns[0], "up", "  good\nanswer ")
    entry = json.loads((tmp_path / "feedback.jsonl").read_text(encoding="utf-8"))
    assert entry["comment"] == "good answer" and entry["answer"] == turns[0].answer.answer
    assert len(entry["citations"]) == len(turns[0].answer.citations) > 0


def test_conversations_survive_a_new_store_and_clear_really_clears(
    service: ChatService, tmp_path: Path
) -> None:
    store = ConversationStore(tmp_path)
    owner = store.open(None)
    *_, (_, _, owner, _) = ChatService(service.engines, store).respond(
        "Where is the NATO summit being held?", owner, 5, None
    )
    again = ConversationStore(tmp_path)  # a server restart
    assert again.open(owner) == owner and len(again.turns(owner)) == 1
    assert again.listing(owner)[0][0] == "Where is the NATO summit being held?"
    again.rename(owner, "NATO")
    again.new(owner)
    assert [t for t, _ in again.listing(owner)] == ["New chat", "NATO"]
    again.switch(owner, again.listing(owner)[1][1])
    again.clear(owner)
    assert ConversationStore(tmp_path).turns(owner) == []
    again.delete(owner)
    assert len(again.listing(owner)) == 1
    assert again.open("made-up-by-the-client-000") != "made-up-by-the-client-000"
