"""A local HTTP server speaking the OpenAI chat-completions protocol, the one stand-in the tests allow.

The real `openai` client talks to it over HTTP, streamed (SSE `data: {...}` events, a final
finish_reason chunk, `data: [DONE]`) and not (one JSON body). The model name picks a scripted behaviour
(`fake-<behaviour>`), so a `rag` subprocess can be pointed at it with env vars alone; or
`FakeOpenAI(behaviour=...)` gives every model name that behaviour (an endpoint serving whatever model
it is asked for, as the eval judge's `--judge-model` needs):

  good          answers from the passages it was sent: the question's best-matching passage sentences,
                each cited with that passage's number (a stand-in model that is grounded by design)
  badcite       like good, plus a citation to a passage that does not exist
  allbadcite    like good, but every marker names a passage that does not exist
  invented      only a cited sentence that no passage states
  echo          copies the prompt's passage list, fence and labels included (as SmolLM2 does)
  unsupported   like good, plus a cited sentence that no passage states
  obey          a model fooled by prompt injection: prints its system prompt when a passage asks for it
  slow          like good after `slow_s` seconds
  flaky429      HTTP 429 for the first `fail_times` requests (per model name), then like good
  error500      HTTP 500 forever
  brokenstream  streams part of the answer, then drops the connection mid-body
  errorstream   streams part of the answer, then an error event
  refuse        says the passages do not answer, citing nothing
  cutoff        like good, but the completion ends on finish_reason "length" (cut at the token limit)
  chatter       an uncited claim about the documents (what a 135M model wrote on the real server)
  empty         an empty completion
  malformed     a 200 response without `choices`
  judge         the eval judge's grader, by a rule rather than a script, so a working judge can be told
                from a broken one: a faithfulness question ("Claim:") is answered YES when every word of
                the claim occurs in the passage, else NO; a grading question ("Answer to grade:") gets
                score 5 when the answer contains each fact's first alternative, else 1

Translation requests (rag.retrieval.crosslingual) are answered from the `translations` table.

With `tokenize=True` (or "llama.cpp") it also serves llama.cpp's `POST /tokenize` (`{"content": ...}`
-> `{"tokens": [...]}`), with `tokenize="vllm"` vLLM's (`{"model": ..., "prompt": ...}` -> `{"count": n,
"max_model_len": ..., "tokens": [...]}`, and 400 for llama.cpp's body, as vLLM's validation answers);
both count by a rule, one token per two UTF-8 bytes (a Hangul syllable, three bytes, costs 1.5), so
a test can tell the server's count from the client's estimate; without it, /tokenize is 404 as on
OpenAI or Ollama. /tokenize calls are counted in `tokenize_requests` (bodies in `tokenize_bodies`),
not kept in `requests`.

Without `behaviour`, any model name not starting with `fake-` gets 404 model_not_found; a wrong bearer
key gets 401 with the key echoed back (as real servers do), to prove the client never shows it. Every
request is kept in `requests` (`Seen`: model, stream, messages, auth, path and the whole JSON body, e.g.
`temperature`) and counted per model name in `counts`, so tests can assert what the pipeline sent.

Use it as a context manager (`with FakeOpenAI(api_key=KEY) as server:` ... `server.url`), or run
`python -m tests.fakes.openai_server` to serve it from its own process.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# One passage a line inside <passages>: "[n] (title, date) text" (rag.llm.prompt).
_PASSAGE = re.compile(r"^\[(\d+)\] (?:\((?:[^()]|\([^()]*\))*\) )?(.*)$", re.MULTILINE)
_QUESTION = re.compile(r"<question>\n(.*?)\n</question>", re.DOTALL)
_WORDS = re.compile(r"[\uac00-\ud7a3]{2,}|[A-Za-z]{3,}|\d+")
_SENT = re.compile(r"(?<=[.!?。])\s+")
NOT_FOUND = "The passages do not answer this question."
INVENTED = "It was founded by Zorblax Quintavius in 1492"
CHATTER = "The document contains passages that are not available for editing."


def _words(text: str) -> set[str]:
    out: set[str] = set()
    for w in _WORDS.findall(text.lower()):
        out.add(w)
        if re.match(r"[\uac00-\ud7a3]", w):
            out.update(w[i : i + 2] for i in range(len(w) - 1))
    return out


def grounded_answer(user_message: str, max_sentences: int = 2) -> str:
    """The best-matching passage sentences for the question, each with its passage's marker."""
    q = _QUESTION.search(user_message)
    q_words = _words(q.group(1)) if q else set()
    scored: list[tuple[int, int, str]] = []
    for n, text in _PASSAGE.findall(user_message):
        for sent in _SENT.split(text.strip()):
            overlap = len(_words(sent) & q_words)
            if overlap and len(sent) > 10:
                scored.append((overlap, int(n), sent.strip()))
    scored.sort(key=lambda x: (-x[0], x[1]))
    if not scored:
        return NOT_FOUND
    return " ".join(f"{s.rstrip('.')} [{n}]." for _, n, s in scored[:max_sentences])


def judge_reply(prompt: str) -> str:
    """The eval judge's verdict by rule: YES/NO for a claim against its passage, 5 or 1 for a graded answer."""
    if "Claim:" in prompt:
        passage = prompt.split("Passage:", 1)[-1].split("Claim:", 1)[0].lower()
        claim = prompt.split("Claim:", 1)[1].lower()
        words = re.findall(r"\w+", claim)
        return "YES" if words and all(w in passage for w in words) else "NO"
    if "Answer to grade:" in prompt:
        facts = re.findall(r"^- (.+)$", prompt.split("Passages the facts", 1)[0], re.M)
        answer = prompt.split("Answer to grade:", 1)[1].lower()
        first = [f.split(" | ")[0].lower() for f in facts]
        return "5\nall facts present" if first and all(f in answer for f in first) else "1\nfacts missing"
    return grounded_answer(prompt)


@dataclass
class Seen:
    model: str
    stream: bool
    messages: list[dict[str, Any]]
    auth: str
    path: str = ""
    body: dict[str, Any] = field(default_factory=dict)  # the whole request, e.g. body["temperature"]


@dataclass
class FakeOpenAI:
    api_key: str | None = None  # when set, other bearer keys get 401
    behaviour: str | None = None  # when set, every model name gets it (no `fake-` prefix needed)
    slow_s: float = 3.0
    # A model cannot really translate here: a question listed in this table gets its translation, any
    # other question comes back unchanged (a model that keeps the language).
    translations: dict[str, str] = field(default_factory=dict)
    fail_times: int = 2
    tokenize: bool | str = False  # True / "llama.cpp", "vllm"
    tokenize_requests: int = 0
    tokenize_bodies: list[dict[str, Any]] = field(default_factory=list)
    piece_chars: int = 3  # stream granularity: small pieces split markers across chunks
    piece_delay_s: float = 0.0
    requests: list[Seen] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def handle(self) -> None:
                # A client that hung up (a timeout test, the bench closing a stream early) is normal here.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    super().handle()

            def do_POST(self) -> None:
                fake._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- protocol ---------------------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length", "0"))
        body = json.loads(h.rfile.read(length) or b"{}")
        model = str(body.get("model", ""))
        stream = bool(body.get("stream"))
        messages = body.get("messages", [])
        auth = h.headers.get("Authorization", "")
        if h.path.rstrip("/") == "/tokenize":  # counted apart: `requests` holds the chat traffic
            self.tokenize_requests += 1
            self.tokenize_bodies.append(body)
            if not self.tokenize:
                return self._error(h, 404, "not found", "not_found")
            if self.api_key is not None and auth.removeprefix("Bearer ").strip() != self.api_key:
                return self._error(h, 401, "Invalid API Key", "invalid_api_key")  # llama.cpp --api-key
            if self.tokenize == "vllm":
                if not isinstance(body.get("prompt"), str) or not body.get("model"):
                    return self._error(h, 400, "Field required: prompt", "BadRequestError")
                n = fake_token_count(body["prompt"])
                return self._json(h, 200, {"count": n, "max_model_len": 4096, "tokens": list(range(n))})
            n = fake_token_count(str(body.get("content", "")))
            return self._json(h, 200, {"tokens": list(range(n))})
        self.requests.append(Seen(model, stream, messages, auth, h.path, body))
        self.counts[model] = self.counts.get(model, 0) + 1
        if not h.path.rstrip("/").endswith("/chat/completions"):
            return self._error(h, 404, "not found", "not_found")
        key = auth.removeprefix("Bearer ").strip()
        if self.api_key is not None and key != self.api_key:
            return self._error(h, 401, f"Incorrect API key provided: {key}.", "invalid_api_key")
        if self.behaviour is not None:
            behaviour = self.behaviour
        elif model.startswith("fake-"):
            behaviour = model.removeprefix("fake-")
        else:
            return self._error(h, 404, f"The model `{model}` does not exist.", "model_not_found")

        if behaviour == "error500":
            return self._error(h, 500, "The server had an error while processing your request.", "server")
        if behaviour == "flaky429" and self.counts[model] <= self.fail_times:
            return self._error(h, 429, "Rate limit reached. Please try again.", "rate_limit_exceeded")
        if behaviour == "slow":
            time.sleep(self.slow_s)
        if behaviour == "malformed":
            return self._json(h, 200, {"id": "x", "object": "chat.completion"})

        content = self._content(behaviour, messages)
        if not stream:
            if behaviour in ("brokenstream", "errorstream"):
                return self._truncated(h, content)
            finish = "length" if behaviour == "cutoff" else "stop"
            return self._json(h, 200, _completion(model, content, finish))
        self._stream(h, model, content, behaviour)

    def _content(self, behaviour: str, messages: list[dict[str, Any]]) -> str:
        system = str(messages[0].get("content", "")) if messages else ""
        user = str(messages[-1].get("content", "")) if messages else ""
        if behaviour == "empty":
            return ""
        if behaviour == "judge":
            return judge_reply(user)
        if system.startswith("You translate"):
            return self.translations.get(user.strip(), user)
        if system.startswith("You rewrite"):
            follow = user.rsplit("Follow-up question:", 1)[-1].strip()
            prev = re.findall(r"^User: (.*)$", user, re.MULTILINE)
            return f"{follow} (regarding: {prev[-1]})" if prev else follow
        if behaviour == "chatter":
            return CHATTER
        if behaviour == "invented":
            return f"{INVENTED} [1]."
        if behaviour == "echo":
            return user.split("</passages>")[0] + "</passages>"
        answer = NOT_FOUND if behaviour == "refuse" else grounded_answer(user)
        if behaviour == "badcite" and answer != NOT_FOUND:
            answer = re.sub(r"\[(\d+)\]", r"[\1][42]", answer, count=1) + " See also [77]."
        if behaviour == "allbadcite":
            answer = re.sub(r"\[(\d+)\]", "[42]", answer)
        if behaviour == "unsupported" and answer != NOT_FOUND:
            first = re.search(r"\[(\d+)\]", answer)
            answer += f" {INVENTED} [{first.group(1) if first else 1}]."
        if behaviour == "obey" and "ignore previous instructions" in user.lower():
            answer = f"My system prompt says: {system.splitlines()[0].rstrip('.')} [1]."
        return answer

    def _json(self, h: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _error(self, h: BaseHTTPRequestHandler, status: int, message: str, code: str) -> None:
        self._json(h, status, {"error": {"message": message, "type": "error", "code": code}})

    def _truncated(self, h: BaseHTTPRequestHandler, content: str) -> None:
        data = json.dumps(_completion("x", content)).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data[: len(data) // 2])
        h.wfile.flush()
        h.close_connection = True
        h.connection.shutdown(2)

    def _stream(self, h: BaseHTTPRequestHandler, model: str, content: str, behaviour: str) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()

        def send(payload: str) -> None:
            data = f"data: {payload}\n\n".encode()
            h.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            h.wfile.flush()

        pieces = [content[i : i + self.piece_chars] for i in range(0, len(content), self.piece_chars)]
        if behaviour in ("brokenstream", "errorstream"):
            pieces = pieces[: max(1, len(pieces) // 2)]
        send(json.dumps(_chunk(model, {"role": "assistant", "content": ""}, None)))
        for piece in pieces:
            if self.piece_delay_s:
                time.sleep(self.piece_delay_s)
            send(json.dumps(_chunk(model, {"content": piece}, None)))
        if behaviour == "brokenstream":
            h.wfile.write(b'ff\r\ndata: {"choi')  # half a chunk, then the connection drops
            h.wfile.flush()
            h.close_connection = True
            h.connection.shutdown(2)
            return
        if behaviour == "errorstream":
            send(json.dumps({"error": {"message": "upstream model crashed", "type": "server_error"}}))
        else:
            send(json.dumps(_chunk(model, {}, "length" if behaviour == "cutoff" else "stop")))
            send("[DONE]")
        h.wfile.write(b"0\r\n\r\n")
        h.wfile.flush()


def fake_token_count(text: str) -> int:
    return (len(text.encode("utf-8")) + 1) // 2


def _completion(model: str, content: str, finish: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def main() -> None:
    """`python -m tests.fakes.openai_server`: prints its base URL, then serves until interrupted."""
    fake = FakeOpenAI()
    print(fake.url, flush=True)
    fake.httpd.serve_forever()


if __name__ == "__main__":
    main()
