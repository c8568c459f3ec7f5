"""Body limits on the bytes received (issue 13): chunked API bodies, Gradio's upload route, rejected uploads."""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import MAX_BODY_BYTES, create_app
from index.encoder import Encoder
from qa import Assistant, QASettings
from qa.request_body import boundary_count
from qa.request_limits import file_objects

CHUNK = 16_384


@pytest.fixture(scope="module")
def api(real_assistant: Assistant) -> FastAPI:
    return create_app(real_assistant.settings.model_copy(update={"allow_upload": False}), real_assistant)


def _post_chunked(app: FastAPI, path: str, chunks: Iterator[bytes], content_type: str) -> httpx.Response:
    """POST `chunks` as a chunked body (no Content-Length), pulled only as the app reads them."""

    async def body() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(path, content=body(), headers={"content-type": content_type})

    return asyncio.run(post())


class Pulled:
    """A body generator that counts the chunks taken from it."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks, self.count = chunks, 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.count += 1
            yield chunk


@pytest.mark.parametrize(
    ("path", "head"),
    [("/api/ask", b'{"question": "'), ("/api/retrieve", b'{"question": "'),
     # Gradio's own routes are limited like the API's
     ("/gradio_api/queue/join", b'{"data": ["'), ("/gradio_api/call/ask", b'{"data": ["'),
     ("/gradio_api/component_server", b'{"data": ["')],
)  # fmt: skip
def test_a_chunked_body_over_the_limit_is_refused_without_reading_it_all(api: FastAPI, path: str, head: bytes) -> None:
    body = Pulled([head + b"x" * (CHUNK - len(head))] + [b"x" * CHUNK] * 6_000)  # about 98 MB
    response = _post_chunked(api, path, iter(body), "application/json")
    assert response.status_code == 413 and "\n" not in response.json()["detail"]
    assert body.count <= MAX_BODY_BYTES // CHUNK + 2


def test_a_chunked_api_body_under_the_limit_is_served(api: FastAPI) -> None:
    body = Pulled([b'{"question": "Kursk ', b'region", "k": 2}'])
    response = _post_chunked(api, "/api/retrieve", iter(body), "application/json")
    assert response.status_code == 200 and len(response.json()["hits"]) == 2


def _uploads(real_assistant: Assistant, temp: Path, allowed: bool, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(temp))
    settings = real_assistant.settings.model_copy(update={"allow_upload": allowed})
    return TestClient(create_app(settings, real_assistant))


def _written(temp: Path) -> list[Path]:
    return [p for p in temp.rglob("*") if p.is_file()] if temp.exists() else []


def test_the_upload_route_is_refused_when_uploads_are_off(
    real_assistant: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _uploads(real_assistant, tmp_path / "gradio", False, monkeypatch) as client:
        for path in ("/gradio_api/upload", "/gradio_api/upload/", "/gradio_api/upload?upload_id=x"):
            response = client.post(path, files={"files": ("a.md", b"# An article\n" * 1000)})
            assert response.status_code == 403 and "\n" not in response.json()["detail"]
    assert _written(tmp_path / "gradio") == []


def test_uploads_when_on_are_limited_in_size_and_count(
    real_assistant: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = real_assistant.settings.ingest.max_file_bytes
    with _uploads(real_assistant, tmp_path / "gradio", True, monkeypatch) as client:
        assert client.post("/gradio_api/upload", files={"files": ("a.md", b"Some text.\n")}).status_code == 200
        big = client.post("/gradio_api/upload", files={"files": ("big.md", b"x" * (limit + 1))})
        many = client.post("/gradio_api/upload", files=[("files", (f"{i}.md", b"Text.\n")) for i in range(21)])
        assert (big.status_code, many.status_code) == (413, 413)
    assert [p.name for p in _written(tmp_path / "gradio")] == ["a.md"]


def test_too_many_files_are_counted_across_chunk_boundaries(real_assistant: Assistant) -> None:
    settings = real_assistant.settings.model_copy(update={"allow_upload": True, "upload_max_files": 2})
    app = create_app(settings, real_assistant)
    parts = b"".join(
        b'--bnd\r\nContent-Disposition: form-data; name="files"; filename="%d.md"\r\n\r\nText.\r\n' % i
        for i in range(3)
    )
    body = parts + b"--bnd--\r\n"
    split = [body[i : i + 3] for i in range(0, len(body), 3)]  # every delimiter straddles chunks somewhere
    response = _post_chunked(app, "/gradio_api/upload", iter(split), "multipart/form-data; boundary=bnd")
    assert response.status_code == 413 and "at most 2" in response.json()["detail"]


def test_boundary_count() -> None:
    assert boundary_count(b"--xy\r\na\r\n--xy\r\nb\r\n--xy--", b"xy") == 3


def test_a_rejected_upload_is_deleted_and_not_reported_again(
    seeded_settings: QASettings, real_encoder: Encoder, tmp_path: Path
) -> None:
    from qa.chat_page import ChatPage

    page = ChatPage(Assistant(seeded_settings, real_encoder), allow_upload=True)
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\xff" * 100)
    (tmp_path / "note.md").write_text("---\ntitle: A note\n---\nA short note about the Kursk region.\n")
    first, _ = page.upload([str(tmp_path / "blob.txt")])
    assert "rejected blob.txt" in first
    assert not (seeded_settings.data_dir / "uploads" / "blob.txt").exists()
    second, _ = page.upload([str(tmp_path / "note.md")])
    assert "blob.txt" not in second and "note" in second


def _multipart(field: str, name: str, content: bytes) -> list[bytes]:
    head = f'--bnd\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n\r\n'.encode()
    return [head, content, b"\r\n--bnd--\r\n"]


@pytest.mark.parametrize("allowed", [False, True])
@pytest.mark.parametrize(
    ("path", "field"),
    [("/gradio_api/component_server", "files"), ("/gradio_api/component_server/", "files"),
     ("/gradio_api/process_recording", "video"), ("/gradio_api/queue/join", "files"), ("/api/ask", "files")],
)  # fmt: skip
def test_files_go_to_the_upload_route_only(real_assistant: Assistant, path: str, field: str, allowed: bool) -> None:
    app = create_app(real_assistant.settings.model_copy(update={"allow_upload": allowed}), real_assistant)
    body = Pulled(_multipart(field, "a.mp4", b"x" * CHUNK))
    response = _post_chunked(app, path, iter(body), "multipart/form-data; boundary=bnd")
    assert response.status_code == 415 and "/gradio_api/upload" in response.json()["detail"]
    assert body.count == 0  # refused on its headers: not one byte of the file was read


def test_the_chat_s_gradio_calls_still_pass(api: FastAPI) -> None:
    with TestClient(api) as client:
        response = client.post("/gradio_api/call/ask", json={"data": ["When did North Korea admit involvement?"]})
    assert response.status_code == 200 and response.json()["event_id"]


@pytest.mark.parametrize(
    "path",
    ["/gradio_api/file=https://example.org/a.html", "/gradio_api/file=HTTP://93.184.216.34/x",
     "/gradio_api/file/http://example.org/a", "/gradio_api/file=http:%2F%2Fexample.org/a"],
)  # fmt: skip
def test_gradio_s_file_route_fetches_nothing_from_the_network(api: FastAPI, path: str) -> None:
    with TestClient(api) as client:
        assert client.head(path).status_code == 403
        response = client.get(path)
    assert response.status_code == 403 and "does not fetch" in response.json()["detail"]


def _file(path: str) -> dict[str, object]:
    return {"path": path, "meta": {"_type": "gradio.FileData"}}


@pytest.mark.parametrize(
    ("allowed", "payload", "detail"),
    [
        (False, {"data": [_file("https://example.org/a.txt")]}, "uploading is turned off"),
        (False, {"data": [{"nested": [_file("/tmp/gradio/x/a.md")]}]}, "uploading is turned off"),
        (True, {"data": [_file("https://example.org/a.txt")]}, "does not fetch"),
        (True, {"data": [_file(" HTTP://93.184.216.34/a")]}, "does not fetch"),
    ],
)
def test_gradio_events_carry_no_file_with_uploads_off_and_never_one_to_download(
    real_assistant: Assistant, allowed: bool, payload: dict[str, object], detail: str
) -> None:
    app = create_app(real_assistant.settings.model_copy(update={"allow_upload": allowed}), real_assistant)
    with TestClient(app) as client:
        for path in ("/gradio_api/call/ask", "/gradio_api/run/ask", "/gradio_api/queue/join"):
            response = client.post(path, json={**payload, "fn_index": 0, "session_hash": "s"})
            assert response.status_code == 403 and detail in response.json()["detail"], path
        # JSON escapes do not hide the marker: the body is decoded before it is looked at
        escaped = json.dumps(payload).replace("gradio.FileData", "gradio\\u002eFileData").encode()
        response = client.post("/gradio_api/call/ask", content=escaped, headers={"content-type": "application/json"})
        assert response.status_code == 403


def test_a_body_nested_too_deeply_is_refused(api: FastAPI) -> None:
    with TestClient(api) as client:
        response = client.post(
            "/gradio_api/call/ask", content=b"[" * 60_000, headers={"content-type": "application/json"}
        )
    assert response.status_code == 400 and "nested" in response.json()["detail"]


def test_file_objects_are_found_where_gradio_finds_them() -> None:
    inner = _file("a.md")
    data = {
        "data": ["q", [{"x": inner}], {"path": 3, "meta": {"_type": "gradio.FileData"}}, {"path": "b", "meta": "x"}]
    }
    assert list(file_objects(data)) == [inner]
