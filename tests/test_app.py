"""The HTTP API through FastAPI's TestClient: contract, parity with Python and CLI, bad input."""

import json

import pytest
from fastapi.testclient import TestClient

from app import create_app
from qa import Assistant, QASettings
from qa.cli import main as cli

QUESTION = "when did North Korea admit involvement?"


@pytest.fixture(scope="module")
def served(real_assistant: Assistant, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    settings = real_assistant.settings.model_copy(update={"allow_upload": False})
    with TestClient(create_app(settings, real_assistant)) as client:
        yield client, real_assistant


def test_ask_is_the_same_through_python_cli_and_http(served, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    client, assistant = served
    over_http = client.post("/api/ask", json={"question": QUESTION}).json()
    in_python = assistant.ask(QUESTION).model_dump(mode="json")
    cli(["ask", QUESTION, "--json"], assistant.settings)
    on_cli = json.loads(capsys.readouterr().out)
    for result in (in_python, on_cli):
        assert result["answer"] == over_http["answer"] and result["citations"] == over_http["citations"]


def test_retrieve_get_and_post_agree(served) -> None:  # type: ignore[no-untyped-def]
    client, _ = served
    got = client.get("/api/retrieve", params={"question": "Kursk region", "k": 3}).json()
    posted = client.post("/api/retrieve", json={"question": "Kursk region", "k": 3}).json()
    assert got == posted and len(got["hits"]) == 3


def test_articles_timeline_and_health(served) -> None:  # type: ignore[no-untyped-def]
    client, _ = served
    articles = client.get("/api/articles").json()
    assert len(articles) == 5
    article = client.get(f"/api/articles/{articles[0]['doc_id']}").json()
    assert article["text"] and article["doc_id"] == articles[0]["doc_id"]
    events = client.get("/api/timeline").json()
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    health = client.get("/api/health").json()
    assert health == {"index_loaded": True, "articles": 5, "chunks": health["chunks"], "encoder_verified": True,
                      "problems": []}  # fmt: skip
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/api/ask", {"question": ""}, 400),
        ("post", "/api/ask", {"question": "x" * 100_000}, 413),
        ("post", "/api/ask", {"question": "ok", "filters": {"authour": "x"}}, 422),
        ("post", "/api/ask", {"question": "ok", "history": [{"role": "robot", "content": "x"}]}, 422),
        ("post", "/api/retrieve", {"question": "troops", "k": 0}, 422),
        ("post", "/api/retrieve", {"question": "troops", "k": -1}, 422),
        ("post", "/api/retrieve", {"question": "troops", "k": 10**6}, 422),
        ("post", "/api/retrieve", {"question": "troops", "k": True}, 422),
        ("post", "/api/retrieve", {"question": "troops", "filters": {"doc_ids": ["nope"]}}, 400),
        ("get", "/api/retrieve?question=troops&k=0", None, 422),
        ("get", "/api/retrieve?question=troops&after=yesterday", None, 422),
        ("get", "/api/articles/nope", None, 404),
        ("get", "/api/articles/..%2F..%2Fetc%2Fpasswd", None, 404),
    ],
)
def test_bad_requests_get_a_one_line_4xx(served, method: str, path: str, body: object, status: int) -> None:  # type: ignore[no-untyped-def]
    client, _ = served
    response = getattr(client, method)(path, json=body) if body is not None else getattr(client, method)(path)
    assert response.status_code == status
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and "Traceback" not in detail
    assert client.get("/api/health").status_code == 200  # still serving


def test_malformed_json_is_a_422(served) -> None:  # type: ignore[no-untyped-def]
    client, _ = served
    response = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and isinstance(response.json()["detail"], str)


@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/file=../../../../etc/passwd",
        "/gradio_api/file=/etc/passwd",
        "/gradio_api/file=%2Fetc%2Fpasswd",
        "/gradio_api/file=..%2F..%2F..%2Fetc%2Fpasswd",
        "/file=/etc/passwd",
        "/gradio_api/file=app.py",
        "/gradio_api/file=./pyproject.toml",
        "/GRADIO_API/FILE=/etc/passwd",
    ],
)
def test_gradio_file_routes_serve_nothing_outside(served, path: str) -> None:  # type: ignore[no-untyped-def]
    client, _ = served
    response = client.get(path)
    assert response.status_code in (403, 404)
    assert "root:x:" not in response.text and "[project]" not in response.text


def test_the_data_directory_cannot_be_fetched(served) -> None:  # type: ignore[no-untyped-def]
    client, assistant = served
    catalog = assistant.store.catalog_path.resolve()
    for path in (f"/gradio_api/file={catalog}", f"/file={catalog}"):
        response = client.get(path)
        assert response.status_code in (403, 404) and '"articles"' not in response.text


def test_settings_bind_to_loopback_by_default() -> None:
    settings = QASettings()
    assert (settings.host, settings.port, settings.allow_upload) == ("127.0.0.1", 7860, False)


def test_uploads_are_off_unless_allowed(real_assistant: Assistant, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qa.chat_page import ChatPage

    page = ChatPage(real_assistant, allow_upload=False)
    (tmp_path / "a.md").write_text("---\ntitle: T\n---\nSome article text that would be added.\n")
    message, _ = page.upload([str(tmp_path / "a.md")])
    assert "turned off" in message and "a" not in {a.doc_id for a in real_assistant.articles()}
    for allowed in (False, True):
        settings = real_assistant.settings.model_copy(update={"allow_upload": allowed})
        with TestClient(create_app(settings, real_assistant)) as client:
            config = client.get("/config")
            assert config.status_code == 200 and '"question"' in config.text
            assert ('"upload"' in config.text) is allowed  # the upload control exists only when allowed


def test_feedback_is_stored_with_question_answer_and_citations(seeded_settings: QASettings) -> None:
    from qa.chat_page import ChatPage

    assistant = Assistant(seeded_settings)
    page = ChatPage(assistant, allow_upload=False)
    *_, (_, _, turns, _, _) = page.ask(QUESTION, [])
    assert page.feedback("thumbs down", turns) == "Thanks, your thumbs down was recorded."
    (record,) = [json.loads(line) for line in (seeded_settings.data_dir / "feedback.jsonl").read_text().splitlines()]
    assert record["rating"] == "thumbs down" and record["question"] == QUESTION
    assert record["answer"] == turns[-1].answer and record["citations"] == [
        c.model_dump(mode="json") for c in turns[-1].citations
    ]
