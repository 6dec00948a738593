"""The real openai client against the local protocol server: retries, timeouts, and one-line errors
that never contain the key."""

from __future__ import annotations

import pytest

from rag.core.config import Settings
from rag.llm.client import ChatClient, LLMError, LLMUnavailable
from tests.conftest import KEY
from tests.fakes.openai_server import FakeOpenAI

MESSAGES = [
    {"role": "system", "content": "You answer questions using ONLY the numbered passages."},
    {
        "role": "user",
        "content": "<passages>\n[1] (T) The ferry leaves at 9 am. "
        "It takes four hours.\n</passages>\n\n<question>\nWhen does the ferry leave?\n</question>",
    },
]


def _client(model: str, retries: int = 2, timeout: float = 10.0) -> tuple[ChatClient, list[float]]:
    settings = Settings(llm_retries=retries, llm_backoff_s=0.2, llm_timeout_s=timeout)
    client = ChatClient(settings, model)
    delays: list[float] = []
    client.sleep = delays.append
    return client, delays


def test_a_grounded_completion_streamed_or_not_gives_the_same_text(llm_env: dict[str, str]) -> None:
    client, _ = _client("fake-good")
    whole = client.complete(MESSAGES)
    assert "[1]" in whole and "9 am" in whole
    pieces = list(client.stream(MESSAGES))
    assert len(pieces) > 1 and "".join(pieces) == whole


def test_429_is_retried_with_growing_jittered_backoff_then_succeeds(
    fake_llm: FakeOpenAI, llm_env: dict[str, str]
) -> None:
    client, delays = _client("fake-flaky429", retries=2)
    assert "[1]" in client.complete(MESSAGES)
    assert client.attempts == 3 and fake_llm.counts["fake-flaky429"] == 3
    assert len(delays) == 2 and 0 <= delays[0] <= 0.2 and 0 <= delays[1] <= 0.4


def test_500_forever_gives_up_after_the_retry_budget(fake_llm: FakeOpenAI, llm_env: dict[str, str]) -> None:
    client, delays = _client("fake-error500", retries=2)
    with pytest.raises(LLMUnavailable) as err:
        client.complete(MESSAGES)
    assert fake_llm.counts["fake-error500"] == 3 and len(delays) == 2
    assert "500" in str(err.value) and "\n" not in str(err.value)


def test_a_slow_server_times_out_with_a_clear_line(fake_llm: FakeOpenAI, llm_env: dict[str, str]) -> None:
    fake_llm.slow_s = 2.0
    client, _ = _client("fake-slow", retries=0, timeout=0.3)
    with pytest.raises(LLMUnavailable, match=r"did not answer within 0\.3 s"):
        client.complete(MESSAGES)


def test_a_rejected_key_is_named_but_never_shown(
    fake_llm: FakeOpenAI, llm_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "sk-live-WRONGKEY0987654321abcdef"
    monkeypatch.setenv("OPENAI_API_KEY", wrong)
    client, _ = _client("fake-good")
    with pytest.raises(LLMError) as err:
        client.complete(MESSAGES)
    assert not isinstance(err.value, LLMUnavailable)  # not retried: retrying cannot fix a key
    assert fake_llm.counts["fake-good"] == 1
    message = str(err.value)
    assert "401" in message and "OPENAI_API_KEY" in message
    assert wrong not in message and "WRONGKEY" not in message and KEY not in message


def test_an_unknown_model_is_named(llm_env: dict[str, str]) -> None:
    client, _ = _client("llama9:70b")
    with pytest.raises(LLMError, match="llama9:70b"):
        client.complete(MESSAGES)


@pytest.mark.parametrize("model", ["fake-empty", "fake-malformed"])
def test_empty_or_malformed_completions_are_errors(model: str, llm_env: dict[str, str]) -> None:
    client, _ = _client(model)
    with pytest.raises(LLMError):
        client.complete(MESSAGES)


def test_an_empty_stream_is_an_error(llm_env: dict[str, str]) -> None:
    client, _ = _client("fake-empty")
    with pytest.raises(LLMError, match="empty"):
        list(client.stream(MESSAGES))


@pytest.mark.parametrize("model", ["fake-brokenstream", "fake-errorstream"])
def test_a_stream_breaking_mid_way_raises_after_the_text_so_far(model: str, llm_env: dict[str, str]) -> None:
    client, _ = _client(model)
    got: list[str] = []
    with pytest.raises(LLMError, match="broke off"):
        for piece in client.stream(MESSAGES):
            got.append(piece)
    assert got, "the first part arrived before the break"


def test_an_unreachable_server_is_one_line(monkeypatch: pytest.MonkeyPatch, free_port: object) -> None:
    port = free_port()  # type: ignore[operator]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    client, _ = _client("fake-good", retries=1)
    with pytest.raises(LLMUnavailable, match=f"cannot reach the LLM at 127.0.0.1:{port}"):
        client.complete(MESSAGES)


@pytest.mark.parametrize("shape", ["llama.cpp", "vllm"])
def test_tokens_are_counted_by_the_servers_tokenizer_when_it_has_one(
    llm_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    from tests.fakes.openai_server import fake_token_count

    with FakeOpenAI(tokenize=shape, api_key=KEY) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        client, _ = _client("fake-good")
        assert client.count_tokens("NATO 정상회의") == fake_token_count("NATO 정상회의")
        assert client.count_tokens("서울") == fake_token_count("서울")
        assert client.tokenizer.shape == shape

        # The shape is found once: later calls send only the body that server understands.
        def vllm(text: str) -> dict[str, object]:
            return {"model": "fake-good", "prompt": text, "add_special_tokens": False}

        llama = [{"content": "NATO 정상회의"}, {"content": "서울"}]
        expected = llama if shape == "llama.cpp" else [llama[0], vllm("NATO 정상회의"), vllm("서울")]
        assert server.tokenize_bodies == expected


def test_a_server_without_tokenize_is_asked_once_then_the_estimate_is_used(
    fake_llm: FakeOpenAI, llm_env: dict[str, str]
) -> None:
    client, _ = _client("fake-good")
    assert client.count_tokens("hello") is None and client.count_tokens("again") is None
    assert fake_llm.tokenize_requests == 2 and fake_llm.requests == []  # both shapes, once


def test_finish_reason_is_kept_streamed_or_not(llm_env: dict[str, str]) -> None:
    client, _ = _client("fake-cutoff")
    client.complete(MESSAGES)
    assert client.finish_reason == "length"
    list(client.stream(MESSAGES))
    assert client.finish_reason == "length"
    good, _ = _client("fake-good")
    list(good.stream(MESSAGES))
    assert good.finish_reason == "stop"
