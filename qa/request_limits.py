"""Request-body limits for the web app, enforced on the bytes actually received.

An ASGI middleware in front of the API and the chat: bodies under /api may not pass
`api_max_bytes`, and Gradio's upload route is refused outright when uploads are off, and
otherwise limited in size and in the number of files it carries. A `Content-Length` that
announces too much is refused before reading; a chunked body is counted as it arrives and
refused as soon as it passes the limit, without reading the rest.

It leaves out the size of each uploaded file, which Gradio's own `max_file_size` checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

UPLOAD_PATH = "/gradio_api/upload"
_BOUNDARY = re.compile(rb'boundary="?([^";]+)"?', re.IGNORECASE)


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


class _Gate:
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


class RequestLimits:
    """ASGI middleware: `app.add_middleware(RequestLimits, api_max_bytes=64_000, upload=None)`.

    `upload` is None when uploads are off (the upload route answers 403), else their `Limit`.
    """

    def __init__(self, app: ASGIApp, api_max_bytes: int, upload: Limit | None) -> None:
        self.app, self.api, self.upload = app, Limit(api_max_bytes), upload

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = "/" + scope["path"].strip("/").lower()
        if path == UPLOAD_PATH and self.upload is None:
            return await refuse(send, 403, "uploading is turned off here (QA_ALLOW_UPLOAD)")
        limit = self.upload if path == UPLOAD_PATH else self.api if path.startswith("/api") else None
        if limit is None:
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > limit.max_bytes:
            return await refuse(send, 413, f"request body too large (over {limit.max_bytes} bytes)")
        found = _BOUNDARY.search(headers.get(b"content-type", b""))
        gate = _Gate(receive, send, limit, found.group(1) if found else None)
        try:
            await self.app(scope, gate.receive, gate.send)
        except Exception:
            if not gate.refused:  # the app's own failure, not its reaction to the hang-up
                raise
