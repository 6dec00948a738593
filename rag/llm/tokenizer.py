"""The served model's own token count, from the server's tokenize endpoint, in either shape it comes in.

Why: the prompt budget must be counted in the served model's tokens. Measured on SmolLM2 (issue 16), a
Hangul syllable is 2-3 tokens where our estimate assumed one, so a Korean prompt estimated inside
4,096 tokens overran the context. Two servers offer a tokenizer, with different shapes:

- llama.cpp: `POST /tokenize {"content": text}` -> `{"tokens": [ids]}`;
- vLLM: `POST /tokenize {"model": name, "prompt": text}` -> `{"count": n, "max_model_len": m,
  "tokens": [ids]}` (llama.cpp's shape gets a 400/422 there: no `prompt`).

The shape is found on the first call (llama.cpp's first, then vLLM's) and remembered; a server with
neither (OpenAI, Ollama: 404) is asked once, and the caller falls back to its estimate (`None`).
Both endpoints sit at the server root, beside `/v1`. The key, when set, is sent as on chat requests
(llama.cpp's `--api-key` guards /tokenize too) and never appears in a message.
"""

from __future__ import annotations

import os
from typing import Any

LLAMA_CPP = "llama.cpp"
VLLM = "vllm"
NONE = "none"


def _count(body: Any) -> int | None:
    if not isinstance(body, dict):
        return None
    count, tokens = body.get("count"), body.get("tokens")
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    return len(tokens) if isinstance(tokens, list) else None


class ServerTokenizer:
    """`ServerTokenizer(model, timeout_s).count(text)` -> tokens, or None when the server cannot say.
    `shape` is "" until the first call, then LLAMA_CPP, VLLM or NONE."""

    def __init__(self, model: str, timeout_s: float) -> None:
        self.model = model
        self.timeout_s = min(timeout_s, 10.0)
        self.shape = ""

    def url(self) -> str | None:
        base = (os.environ.get("OPENAI_BASE_URL") or "").rstrip("/")
        if not base or "api.openai.com" in base:
            return None
        return base.removesuffix("/v1") + "/tokenize"

    def _bodies(self, text: str) -> list[tuple[str, dict[str, Any]]]:
        shapes: list[tuple[str, dict[str, Any]]] = [
            (LLAMA_CPP, {"content": text}),
            (VLLM, {"model": self.model, "prompt": text, "add_special_tokens": False}),
        ]
        return [s for s in shapes if s[0] == self.shape] if self.shape else shapes

    def count(self, text: str) -> int | None:
        if self.shape == NONE:
            return None
        url = self.url()
        if url is None:
            self.shape = NONE
            return None
        import httpx

        key = os.environ.get("OPENAI_API_KEY")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        for shape, body in self._bodies(text):
            try:
                resp = httpx.post(url, json=body, headers=headers, timeout=self.timeout_s)
                n = _count(resp.json()) if resp.status_code == 200 else None
            except (httpx.HTTPError, ValueError):
                n = None
            if n is not None:
                self.shape = shape
                return n
        if not self.shape:
            self.shape = NONE  # neither shape answered: not asked again
        return None
