"""One request's body, counted on the bytes received: how much it carries and how many files.

`BodyGate` sits between the app and the ASGI `receive`: it adds up each chunk of the body as
the app pulls it, and counts multipart delimiters across chunk borders when the request is a
file upload. As soon as the body passes its `Limit` it answers 413 (unless the app has already
started its reply) and hands the app a disconnect, so the rest of a chunked body is never read.
`refuse` is the one-line JSON error every refusal of the request limits is written as.

It leaves out which limit a request gets and what its route may carry (`qa.request_limits`),
and a `Content-Length` that announces too much, which is refused there before any byte is read.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True)
class Limit:
    """What one request may send: `max_bytes` of body and at most `max_parts` multipart files."""

    max_bytes: int
    max_parts: int | None = None


def boundary_count(window: bytes, boundary: bytes) -> int:
    """Multipart delimiters (`--boundary`) in `window`.

    Example: b"--xy\\r\\n...\\r\\n--xy\\r\\n...\\r\\n--xy--" with boundary b"xy" -> 3
    """
    return window.count(b"--" + boundary)


class BodyGate:
    """Counts one request's body as the app pulls it; past the limit, answers 413 and hangs up."""

    def __init__(self, receive: Receive, send: Send, limit: Limit, boundary: bytes | None) -> None:
        self._receive, self._send, self.limit, self.boundary = receive, send, limit, boundary
        self.received = self.delimiters = 0
        self.tail = b""
        self.refused = self.started = False

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request" and (reason := self._count(message.get("body", b""))):
            self.refused = True
            if not self.started:
                await refuse(self._send, 413, reason)
            return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if not self.refused:
            self.started = True
            await self._send(message)

    def _count(self, body: bytes) -> str | None:
        self.received += len(body)
        if self.received > self.limit.max_bytes:
            return f"request body too large (over {self.limit.max_bytes} bytes)"
        if self.boundary is None or self.limit.max_parts is None:
            return None
        window, keep = self.tail + body, len(self.boundary) + 1
        self.delimiters += boundary_count(window, self.boundary)
        self.tail = window[-keep:]
        if self.delimiters - 1 > self.limit.max_parts:  # the closing delimiter ends the last part
            return f"too many files in one upload (at most {self.limit.max_parts})"
        return None


async def refuse(send: Send, status: int, detail: str) -> None:
    """Answer with `status` and a one-line JSON `detail`, as the API's other errors do."""
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
