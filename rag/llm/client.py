"""One OpenAI-compatible chat client with bounded retries and one-line errors that never hold the key.

Why the openai SDK directly and not llama-index's `OpenAILike`: it accepts any model name (Ollama's
"llama3.1:8b", vLLM paths), streams with the same call, costs ~0.5 s to import instead of ~1.4 s for
llama-index core + llms, and its typed exceptions map cleanly onto what a user can act on.
The SDK's own retries are switched off (`max_retries=0`) so one visible policy applies: timeouts,
connection failures, 429 and 5xx are retried `llm_retries` times with doubling backoff and full
jitter; a stream is retried only before its first token (after that the user has seen text).

Each call keeps what the server said about it: `finish_reason` ("length" = cut at the token limit,
which the answerer labels) and `usage` (the server's own prompt/completion token counts, for the
bench). `count_tokens` asks the server's tokenizer where it has one (llama.cpp's or vLLM's `/tokenize`), so
the prompt budget is counted in the served model's tokens; elsewhere it returns None and the prompt
falls back to its estimate.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

from rag.core import outcomes
from rag.core.config import Settings
from rag.core.errors import UserError
from rag.llm.tokenizer import ServerTokenizer

if TYPE_CHECKING:
    import openai

Message = dict[str, str]
T = TypeVar("T")

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


class LLMError(UserError):
    """The LLM could not produce an answer; the message is one line a user can act on. `outcome` is
    what the fallback answer records (`rag.core.outcomes`)."""

    outcome = outcomes.ERROR


class LLMUnavailable(LLMError):
    """A transient failure (timeout, 429, 5xx, unreachable) that outlasted the retries."""


class LLMTimeout(LLMUnavailable):
    """The server did not answer within `llm_timeout_s` (the last attempt timed out)."""

    outcome = outcomes.TIMEOUT


def redact(text: str) -> str:
    """Keys never reach a message: servers echo them back in 401 bodies ("Incorrect API key: sk-...")."""
    key = os.environ.get("OPENAI_API_KEY", "")
    if key and len(key) >= 4:
        text = text.replace(key, "***")
    text = re.sub(r"\b(sk-[A-Za-z0-9_\-]{3})[A-Za-z0-9_\-*]{6,}", r"\1***", text)
    return re.sub(r"(?i)(bearer\s+)\S+", r"\1***", text)


def resolve_model(settings: Settings) -> str | None:
    """The model to use, or None when no LLM is configured (auto mode then answers extractively).

    OpenAI itself (a key, no base URL) gets a sensible default model; any other server must be told
    which model to run, because names differ per server.
    """
    if settings.llm_model:
        return settings.llm_model
    if os.environ.get("OPENAI_API_KEY") and not os.environ.get("OPENAI_BASE_URL"):
        return DEFAULT_OPENAI_MODEL
    return None


def _endpoint() -> str:
    base = os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
    parsed = urlparse(base)
    host = parsed.hostname or base
    return f"{host}:{parsed.port}" if parsed.port else host


def _one_line(text: str, limit: int = 160) -> str:
    line = " ".join(str(text).split())
    return redact(line[:limit] + ("…" if len(line) > limit else ""))


def _server_message(exc: Any) -> str:
    """The server's own error message (OpenAI-style body), when it sent one."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return _one_line(str(inner["message"]))
        if body.get("message"):
            return _one_line(str(body["message"]))
    return ""


class ChatClient:
    """`ChatClient(settings, "llama3.1:8b").complete(messages)`, or `.stream(messages)` for text pieces;
    endpoint and key come from OPENAI_BASE_URL / OPENAI_API_KEY, timeouts and retries from `settings`."""

    def __init__(self, settings: Settings, model: str) -> None:
        if not isinstance(settings, Settings):
            raise TypeError(f"ChatClient: settings must be a Settings (got {type(settings).__name__})")
        if not isinstance(model, str) or not model:
            raise ValueError(f"ChatClient: model must be a non-empty model name (got {model!r})")
        self.settings = settings
        self.model = model
        self._client: openai.OpenAI | None = None
        self.sleep: Callable[[float], None] = time.sleep
        self.attempts = 0  # requests sent by the last call (observability for tests and bench)
        self.finish_reason: str | None = None  # of the last completion: "stop", "length", ...
        self.usage: dict[str, int] = {}  # the server's token counts for the last completion, if sent
        self.tokenizer = ServerTokenizer(model, settings.llm_timeout_s)

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            import openai

            # Local servers (Ollama, llama.cpp) ignore the key, but the SDK refuses to start without one.
            key = os.environ.get("OPENAI_API_KEY") or "not-needed"
            self._client = openai.OpenAI(api_key=key, timeout=self.settings.llm_timeout_s, max_retries=0)
        return self._client

    def count_tokens(self, text: str) -> int | None:
        """`text`'s length in the served model's tokens from the server's tokenize endpoint
        (llama.cpp's or vLLM's shape, `rag.llm.tokenizer`), or None when it has none (OpenAI,
        Ollama): asked once, then remembered."""
        return self.tokenizer.count(text)

    def _note_finish(self, choice: Any, usage: Any) -> None:
        reason = getattr(choice, "finish_reason", None) if choice is not None else None
        if isinstance(reason, str):
            self.finish_reason = reason
        if usage is not None:
            self.usage = {
                k: int(v)
                for k in ("prompt_tokens", "completion_tokens")
                if isinstance(v := getattr(usage, k, None), int)
            }

    def complete(self, messages: list[Message], max_tokens: int | None = None) -> str:
        self.finish_reason, self.usage = None, {}

        def call() -> str:
            resp = self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=self.settings.llm_temperature,
                max_tokens=max_tokens or self.settings.llm_max_answer_tokens,
            )
            choices = getattr(resp, "choices", None) or []
            self._note_finish(choices[0] if choices else None, getattr(resp, "usage", None))
            content = choices[0].message.content if choices and choices[0].message else None
            if not isinstance(content, str):
                raise LLMError(f"the LLM at {_endpoint()} returned a malformed completion (no message text)")
            if not content.strip():
                raise LLMError(f"the LLM at {_endpoint()} returned an empty answer")
            return content

        return self._with_retries(call)

    def stream(self, messages: list[Message], max_tokens: int | None = None) -> Iterator[str]:
        """Text pieces as the server sends them. Raises `LLMError` if it breaks off or sends nothing."""
        import httpx
        import openai

        self.finish_reason, self.usage = None, {}

        def open_stream() -> Any:
            return self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=self.settings.llm_temperature,
                max_tokens=max_tokens or self.settings.llm_max_answer_tokens,
                stream=True,
            )

        def first_piece() -> tuple[Any, Iterator[Any], list[str]]:
            # Retrying is safe until the first token reaches the user: open and read up to it.
            s = open_stream()
            it = iter(s)
            head: list[str] = []
            for chunk in it:
                self._note_chunk(chunk)
                piece = _delta_text(chunk)
                if piece:
                    head.append(piece)
                    break
            return s, it, head

        stream, it, head = self._with_retries(first_piece)
        if not head:
            raise LLMError(f"the LLM at {_endpoint()} returned an empty answer")
        yield head[0]
        try:
            for chunk in it:
                self._note_chunk(chunk)
                piece = _delta_text(chunk)
                if piece:
                    yield piece
        except (openai.APIError, httpx.HTTPError) as exc:
            raise LLMError(
                f"the LLM stream from {_endpoint()} broke off mid-answer ({type(exc).__name__})"
            ) from None
        finally:
            close = getattr(stream, "close", None)
            if close:
                close()

    def _note_chunk(self, chunk: Any) -> None:
        """The finish reason rides on the last content chunk or a chunk of its own; usage, when the
        server sends it, on a final chunk with no choices."""
        choices = getattr(chunk, "choices", None) or []
        self._note_finish(choices[0] if choices else None, getattr(chunk, "usage", None))

    def _with_retries(self, call: Callable[[], T]) -> T:
        import openai

        attempts = self.settings.llm_retries + 1
        self.attempts = 0
        last: LLMError | None = None
        for attempt in range(attempts):
            self.attempts += 1
            try:
                return call()
            except openai.APIStatusError as exc:
                if exc.status_code == 429 or exc.status_code >= 500:
                    last = LLMUnavailable(self._status_text(exc))
                else:
                    raise LLMError(self._status_text(exc)) from None
            except openai.APITimeoutError:
                last = LLMTimeout(
                    f"the LLM at {_endpoint()} did not answer within {self.settings.llm_timeout_s:g} s"
                )
            except openai.APIConnectionError:
                last = LLMUnavailable(f"cannot reach the LLM at {_endpoint()}")
            except openai.APIError as exc:  # an error event inside a stream, a malformed body
                last = LLMUnavailable(f"the LLM at {_endpoint()} failed: {_one_line(str(exc.message))}")
            if attempt + 1 < attempts:
                delay = self.settings.llm_backoff_s * (2**attempt)
                self.sleep(random.uniform(0, delay))  # full jitter: retries from many clients spread out
        assert last is not None
        raise type(last)(f"{last} (after {attempts} attempts)")

    def _status_text(self, exc: openai.APIStatusError) -> str:
        code = exc.status_code
        detail = _server_message(exc)
        where = _endpoint()
        if code in (401, 403):
            text = f"the LLM at {where} rejected the API key (HTTP {code}): check OPENAI_API_KEY"
        elif code == 404:
            text = (
                f"the LLM at {where} does not know the model {self.model!r} (HTTP 404): check RAG_LLM_MODEL"
            )
        elif code == 429:
            text = f"the LLM at {where} is rate-limiting requests (HTTP 429)"
        elif code >= 500:
            text = f"the LLM at {where} failed with HTTP {code}"
        else:
            text = f"the LLM at {where} refused the request (HTTP {code})"
        return redact(f"{text}: {detail}" if detail and code not in (401, 403) else text)


def _delta_text(chunk: Any) -> str:
    choices = getattr(chunk, "choices", None) or []
    if not choices:
        return ""
    delta = getattr(choices[0], "delta", None)
    content = getattr(delta, "content", None) if delta is not None else None
    return content if isinstance(content, str) else ""
