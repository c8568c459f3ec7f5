"""Request limits for the web app: body sizes counted on the bytes received, and where files may enter.

An ASGI middleware in front of the API and the chat.
- Files come in through Gradio's upload route only. It answers 403 when uploads are off, and is
  otherwise limited in size and in the number of files it carries.
- Every other request may send at most `api_max_bytes`, and no multipart body: Gradio's other
  routes that take files (component_server reads up to 1,000 files into memory; process_recording
  writes a video to disk and runs ffmpeg on it) get none.
- Gradio's event routes (queue/join, call, run) take no file object with uploads off, and never
  one whose path is an http(s) address, which Gradio would download into its cache; its file route
  fetches no address either. The app reads nothing from the network.
A `Content-Length` that announces too much is refused before reading; a chunked body is counted
as it arrives and refused as soon as it passes the limit, without reading the rest.

It leaves out the counting itself, `BodyGate` in `qa.request_body`, and the size of each uploaded
file, which Gradio's own `max_file_size` checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any

from qa.request_body import BodyGate, Limit, Message, Receive, Send, refuse

ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

UPLOAD_PATH = "/gradio_api/upload"
_WITH_BODY = {"POST", "PUT", "PATCH"}
# /gradio_api/file=https://host/x (and the older /file/ form) makes the server fetch that address.
_REMOTE_FILE = re.compile(r"/gradio_api/file[=/]+https?:", re.IGNORECASE)
_BOUNDARY = re.compile(rb'boundary="?([^";]+)"?', re.IGNORECASE)
_WEB_ADDRESS = re.compile(r"\s*https?:", re.IGNORECASE)
FETCHES_NOTHING = "this app does not fetch files from other addresses"


def file_objects(data: Any) -> Iterator[dict[str, Any]]:
    """Gradio file objects anywhere inside decoded JSON, as Gradio itself recognises them.

    Example: {"data": ["q", {"path": "a.md", "meta": {"_type": "gradio.FileData"}}]} -> the inner dict
    """
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            meta = item.get("meta")
            if isinstance(item.get("path"), str) and isinstance(meta, dict) and meta.get("_type") == "gradio.FileData":
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def file_refusal(body: bytes, uploads_on: bool) -> tuple[int, str] | None:
    """Status and reason to refuse a Gradio event body: a file with uploads off, or one Gradio would download."""
    try:
        data = json.loads(body)
    except RecursionError:
        return 400, "request body nested too deeply"
    except ValueError:
        return None  # not JSON: Gradio refuses it itself
    for found in file_objects(data):
        if not uploads_on:
            return 403, "this app takes no files here: uploading is turned off (QA_ALLOW_UPLOAD)"
        if _WEB_ADDRESS.match(found["path"]):
            return 403, FETCHES_NOTHING
    return None


class RequestLimits:
    """ASGI middleware: `app.add_middleware(RequestLimits, api_max_bytes=64_000, upload=None)`.

    `api_max_bytes` bounds every request's body but an upload's (the JSON API, Gradio's queue
    and calls); `upload` is None when uploads are off (the upload route answers 403), else their `Limit`.
    """

    def __init__(self, app: ASGIApp, api_max_bytes: int, upload: Limit | None) -> None:
        self.app, self.api, self.upload = app, Limit(api_max_bytes), upload

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = "/" + scope["path"].strip("/").lower()
        headers = dict(scope["headers"])
        refusal = self._refusal(path, headers.get(b"content-type", b""))
        if refusal is not None:
            return await refuse(send, *refusal)
        limit = self.upload if path == UPLOAD_PATH and self.upload is not None else self.api
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > limit.max_bytes:
            return await refuse(send, 413, f"request body too large (over {limit.max_bytes} bytes)")
        found = _BOUNDARY.search(headers.get(b"content-type", b""))
        gate = BodyGate(receive, send, limit, found.group(1) if found else None)
        inspect = path.startswith("/gradio_api/") and path != UPLOAD_PATH and scope["method"] in _WITH_BODY
        try:
            await (self._inspected(scope, gate) if inspect else self.app(scope, gate.receive, gate.send))
        except Exception:
            if not gate.refused:  # the app's own failure, not its reaction to the hang-up
                raise

    async def _inspected(self, scope: MutableMapping[str, Any], gate: BodyGate) -> None:
        """Read a Gradio event's body whole (it is small: the gate bounds it), check its files, then pass it on."""
        parts = []
        while (message := await gate.receive())["type"] == "http.request":
            parts.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        else:
            return  # refused by the gate, or the client left
        body = b"".join(parts)
        if refusal := file_refusal(body, uploads_on=self.upload is not None):
            return await refuse(gate.send, *refusal)
        replay = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> Message:
            return replay.pop() if replay else await gate.receive()

        await self.app(scope, receive, gate.send)

    def _refusal(self, path: str, content_type: bytes) -> tuple[int, str] | None:
        """Status and reason for a request refused by its route alone, before any body is read."""
        if path == UPLOAD_PATH:
            return None if self.upload is not None else (403, "uploading is turned off here (QA_ALLOW_UPLOAD)")
        if b"multipart" in content_type.lower():
            return 415, f"files are accepted only by {UPLOAD_PATH}, and only when uploads are on"
        if _REMOTE_FILE.match(path):
            return 403, FETCHES_NOTHING
        return None
