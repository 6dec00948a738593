"""The engine's streaming and feedback contracts that the UI and evals build on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.engine import Engine


def test_stream_yields_text_then_the_complete_answer(corpus_engine: Engine) -> None:
    from rag.core.records import Answer, AnswerDelta

    items = list(corpus_engine.stream("Who is Janne Pak?"))
    *deltas, last = items
    assert isinstance(last, Answer)
    assert all(isinstance(d, AnswerDelta) for d in deltas)
    assert "".join(d.text for d in deltas if isinstance(d, AnswerDelta)) == last.answer
    assert corpus_engine.mode == last.mode


def test_feedback_round_trips_and_names_a_bad_line(tmp_path: Path) -> None:
    import pytest

    from rag.store.feedback import FeedbackEntry, append_feedback, feedback_path, read_feedback

    append_feedback(tmp_path, FeedbackEntry(rating="down", question="q?", answer="a [1]", mode="extractive"))
    append_feedback(tmp_path, FeedbackEntry(rating="up", question="질문?", answer="답", mode="extractive"))
    entries = read_feedback(feedback_path(tmp_path))
    assert [e.rating for e in entries] == ["down", "up"] and entries[1].question == "질문?"
    with feedback_path(tmp_path).open("a") as fh:
        fh.write("{not json\n")
    with pytest.raises(ValueError, match=":3:"):
        read_feedback(feedback_path(tmp_path))


def test_a_follow_up_quotes_new_sentences_rather_than_the_ones_just_shown(corpus_engine: Engine) -> None:
    from rag.answer.candidates import quotes_in
    from rag.core.records import Turn

    first = corpus_engine.ask("Which countries did Blinken say are supporting Russia's defense industrial base?")
    follow_up = corpus_engine.ask("What about North Korea?", history=[Turn(first.question, first)])
    assert not first.refused and not follow_up.refused
    assert quotes_in(follow_up.citations) and not quotes_in(follow_up.citations) & quotes_in(first.citations)
    assert "North Korea" in follow_up.answer
