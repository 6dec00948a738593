"""The LLM path against a real OpenAI-compatible server (llama.cpp's, SmolLM2-135M-Instruct), through
the real openai client. A 135M model rarely follows the citation rules, so these tests assert what must
hold whatever it says: every shown marker maps to a passage, a cited answer's unchecked sentences are
flagged, an uncited answer is replaced by the labelled extractive one, a cut-off answer says so, and a
server slower than the timeout falls back with a note. `make test-llm` runs them; `make test` does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.conftest import CORPUS

if TYPE_CHECKING:
    from rag.core.records import Answer
    from rag.engine import Engine

pytestmark = pytest.mark.llm_real

EN = "Who did Blinken hold the joint press conference with in Washington?"
KO = "NATO 정상회의는 어디에서 열리나?"
KO_ABOUT_EN = "블링컨은 워싱턴에서 누구와 공동 기자회견을 했나?"


def check(answer: Answer) -> None:
    """The invariants of any answer, LLM-written or the fallback."""
    shown = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert shown == {c.n for c in answer.citations}, answer.answer
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for c in answer.citations:
        assert (CORPUS / c.doc).read_text(encoding="utf-8")[c.start : c.end] == c.text
    if answer.mode.startswith("llm:"):
        from rag.lang.sentences import answer_sentences

        assert answer.citations, "an uncited LLM answer must not be shown as the model's"
        for sentence in answer_sentences(answer.answer):
            if not re.search(r"\[\d+\]", sentence) and re.search(r"\w{3}", sentence):
                assert sentence in answer.unsupported, sentence
    else:
        assert answer.note, "a fallback must say why"


@pytest.mark.parametrize("question", [EN, KO])
def test_english_and_korean_questions_not_streamed(real_engine: Callable[..., Engine], question: str) -> None:
    answer = real_engine().ask(question)
    check(answer)
    assert answer.lang == ("ko" if question == KO else "en")


@pytest.mark.parametrize("question", [EN, KO])
def test_streamed_text_is_the_final_text(real_engine: Callable[..., Engine], question: str) -> None:
    from rag.core.records import Answer, AnswerDelta

    items = list(real_engine().stream(question))
    final = items[-1]
    assert isinstance(final, Answer)
    check(final)
    if final.mode.startswith("llm:"):
        assert "".join(i.text for i in items if isinstance(i, AnswerDelta)).strip() == final.answer


def test_a_follow_up_is_rewritten_then_answered(real_engine: Callable[..., Engine]) -> None:
    from rag.core.records import Turn

    engine = real_engine()
    first = engine.ask(KO)
    follow = engine.ask("며칠부터 며칠까지 열리나?", history=[Turn(KO, first)])
    check(first)
    check(follow)


def test_the_cross_lingual_path(real_engine: Callable[..., Engine]) -> None:
    answer = real_engine().ask(KO_ABOUT_EN)
    check(answer)
    assert answer.lang == "ko"


def test_a_completion_cut_at_the_limit_reports_length(real_engine: Callable[..., Engine]) -> None:
    engine = real_engine()
    assert engine.generative is not None
    client = engine.generative.client
    text = client.complete([{"role": "user", "content": "Count from 1 to 100, one number per line."}], 5)
    assert text and client.finish_reason == "length"
    assert client.usage.get("completion_tokens") == 5


def test_an_answer_cut_off_is_labelled(real_engine: Callable[..., Engine]) -> None:
    from rag.answer.generative import CUT_OFF_NOTE

    engine = real_engine(llm_max_answer_tokens=64)
    assert engine.generative is not None
    answer = engine.ask(EN)
    check(answer)
    cut = engine.generative.client.finish_reason == "length"
    if answer.mode.startswith("llm:"):
        assert (CUT_OFF_NOTE["en"] in answer.note) == cut


def test_the_server_tokenizer_counts_the_prompt(real_engine: Callable[..., Engine]) -> None:
    engine = real_engine()
    assert engine.generative is not None
    client = engine.generative.client
    n = client.count_tokens("NATO 정상회의")
    assert isinstance(n, int) and n > len("NATO 정상회의") // 2
    prompt = engine.generative.prompt(engine.retriever.retrieve(EN, 5))
    client.complete(prompt.messages, 1)
    # The budget is counted in the server's tokens: within the chat template's few tokens of its own.
    assert abs(client.usage["prompt_tokens"] - prompt.tokens) <= 40


def test_a_too_slow_server_times_out_and_falls_back(real_engine: Callable[..., Engine]) -> None:
    answer = real_engine(llm_timeout_s=0.05, llm_retries=0, llm_passage_sentences=0).ask(EN)
    assert answer.mode == "extractive"
    assert "did not answer within 0.05 s" in answer.note
    check(answer)

