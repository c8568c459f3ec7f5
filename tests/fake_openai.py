"""A tiny OpenAI-compatible chat server on 127.0.0.1, for tests: scripted replies, recorded requests.

Serves POST /v1/chat/completions and /chat/completions. A test sets `server.reply` to what
the requests get (a content string, a delay that outlasts the client's timeout, an HTTP
status, or a raw body) and reads `server.requests` to see what was sent. It leaves out
streaming, the other endpoints and authentication.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

CHAT_PATHS = {"/v1/chat/completions", "/chat/completions"}


@dataclass
class ScriptedReply:
    content: str = ""
    delay_s: float = 0.0
    status: int = 200
    raw_body: bytes | None = None  # sent as it is, instead of a chat completion


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    def text(self) -> str:
        """Every message's content, joined: what the model was shown."""
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))


def completion(content: str, model: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": content}
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}}  # fmt: skip


class FakeOpenAI:
    """Use as a context manager; `base_url` is what the client under test is given."""

    def __init__(self) -> None:
        self.reply = ScriptedReply()
        self.requests: list[RecordedRequest] = []
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stopping.set()  # wakes a handler that is still delaying its reply
        self.server.shutdown()
        self.server.server_close()  # joins the handler threads
        self.thread.join(timeout=5)

    def respond(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        reply = self.reply
        if reply.delay_s and self.stopping.wait(reply.delay_s):
            return
        if reply.raw_body is not None:
            _send(handler, reply.status, reply.raw_body)
        elif reply.status != 200:
            _send(handler, reply.status, json.dumps({"error": {"message": "scripted failure"}}).encode())
        else:
            _send(handler, 200, json.dumps(completion(reply.content, str(body.get("model")))).encode())


def _send(handler: BaseHTTPRequestHandler, status: int, payload: bytes) -> None:
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a timeout test); nothing is waiting for this reply


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.loads(raw or b"{}")
            fake.requests.append(RecordedRequest("POST", self.path, dict(self.headers), body))
            if self.path.split("?")[0] in CHAT_PATHS:
                fake.respond(self, body)
            else:
                _send(self, 404, b'{"error": {"message": "not found"}}')

        def do_GET(self) -> None:
            fake.requests.append(RecordedRequest("GET", self.path, dict(self.headers), {}))
            _send(self, 404, b'{"error": {"message": "not found"}}')

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

    return Handler
