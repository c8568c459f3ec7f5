"""Body limits on the bytes received (issue 13): chunked API bodies, Gradio's upload route, rejected uploads."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import MAX_BODY_BYTES, create_app
from index.encoder import Encoder
from qa import Assistant, QASettings
from qa.request_limits import boundary_count

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


@pytest.mark.parametrize("path", ["/api/ask", "/api/retrieve"])
def test_a_chunked_api_body_over_the_limit_is_refused_without_reading_it_all(api: FastAPI, path: str) -> None:
    body = Pulled([b'{"question": "' + b"x" * (CHUNK - 14)] + [b"x" * CHUNK] * 6_000)  # about 98 MB
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
    from qa.ui import ChatPage

    page = ChatPage(Assistant(seeded_settings, real_encoder), allow_upload=True)
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\xff" * 100)
    (tmp_path / "note.md").write_text("---\ntitle: A note\n---\nA short note about the Kursk region.\n")
    first, _ = page.upload([str(tmp_path / "blob.txt")])
    assert "rejected blob.txt" in first
    assert not (seeded_settings.data_dir / "uploads" / "blob.txt").exists()
    second, _ = page.upload([str(tmp_path / "note.md")])
    assert "blob.txt" not in second and "note" in second
