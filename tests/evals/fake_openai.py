"""A minimal local server speaking the OpenAI chat-completions protocol (non-streaming), for the judge.

It is the one stand-in the project allows: the real `openai` client talks HTTP to it. Its replies follow
a rule rather than a script, so a test can tell a working judge from a broken one: a faithfulness
question is answered YES when every word of the claim occurs in the passage, a grading question gets
score 5 when the answer contains the first listed fact alternative, else 1. Every request is recorded.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _reply_for(prompt: str) -> str:
    if "Claim:" in prompt:
        passage = prompt.split("Passage:", 1)[1].split("Claim:", 1)[0].lower()
        claim = prompt.split("Claim:", 1)[1].lower()
        words = re.findall(r"\w+", claim)
        return "YES" if words and all(w in passage for w in words) else "NO"
    facts = re.findall(r"^- (.+)$", prompt.split("Passages the facts", 1)[0], re.M)
    answer = prompt.split("Answer to grade:", 1)[1].lower()
    first = [f.split(" | ")[0].lower() for f in facts]
    return "5\nall facts present" if first and all(f in answer for f in first) else "1\nfacts missing"


class FakeOpenAI:
    def __init__(self, fail: bool = False) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail = fail
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
                if server.fail:
                    payload = {"error": {"message": "overloaded", "type": "server_error"}}
                    self._send(500, payload)
                    return
                content = _reply_for(body["messages"][-1]["content"])
                self._send(
                    200,
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": content},
                                "finish_reason": "stop",
                            }
                        ],
                    },
                )

            def _send(self, code: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"


@contextmanager
def fake_openai(fail: bool = False) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(fail)
    thread = threading.Thread(target=fake.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.httpd.shutdown()
        fake.httpd.server_close()
