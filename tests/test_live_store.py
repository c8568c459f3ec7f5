"""A running app sees what another process ingests, and never mixes two generations of the store.

The app runs in this process (FastAPI's TestClient over an `Assistant` with the real encoder);
`qa ingest` runs in a real subprocess on the same data directory, as a user's second terminal would.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from fastapi.testclient import TestClient

from app import create_app
from index.encoder import Encoder
from qa import Assistant, QASettings
from tests.conftest import PROJECT, FakeEncoder

LIGHTHOUSE = (
    "---\ntitle: Keepers return to the Skarholm lighthouse\npublisher: Example Gazette\npublished: 2024-06-03\n---\n"
    "The Skarholm lighthouse was lit again on Saturday after a storm had cut its power for nine days.\n\n"
    "Harbour master Ingrid Vale said the keepers had rebuilt the generator with parts flown in from Tromsø.\n"
)
QUESTION = "Who rebuilt the generator of the Skarholm lighthouse?"


def ingest_in_another_process(data_dir: Path, path: Path) -> None:
    env = {"QA_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", "from qa.cli import main; raise SystemExit(main())", "ingest",
                           str(path)], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_the_app_answers_from_an_article_ingested_by_another_process(
    seeded_settings: QASettings, real_encoder: Encoder, tmp_path: Path
) -> None:
    article = tmp_path / "new" / "skarholm-lighthouse.md"
    article.parent.mkdir()
    article.write_text(LIGHTHOUSE, encoding="utf-8")
    with TestClient(create_app(seeded_settings, Assistant(seeded_settings, real_encoder))) as client:
        assert client.post("/api/ask", json={"question": QUESTION}).json()["abstained"]  # the store is open, warm
        ingest_in_another_process(seeded_settings.data_dir, article)
        assert client.get("/api/health").json()["articles"] == 6
        assert "skarholm-lighthouse" in {a["doc_id"] for a in client.get("/api/articles").json()}
        for filters in (None, {"doc_ids": ["skarholm-lighthouse"]}):
            response = client.post("/api/ask", json={"question": QUESTION, "filters": filters})
            assert response.status_code == 200, response.text
            answer = response.json()
            assert not answer["abstained"] and "Ingrid Vale" in answer["answer"]
            assert {c["doc_id"] for c in answer["citations"]} == {"skarholm-lighthouse"}
        hits = client.get("/api/retrieve", params={"question": "lighthouse generator", "doc_id": "skarholm-lighthouse"})
        assert hits.status_code == 200 and hits.json()["hits"][0]["doc_id"] == "skarholm-lighthouse"
        timeline = client.get("/api/timeline", params={"topic": "lighthouse"})
        assert timeline.status_code == 200


def test_a_request_in_flight_keeps_its_generation(settings: QASettings, tmp_path: Path) -> None:
    """A request reading the store is not switched to a newer catalog half-way; the next request gets it."""
    serving = Assistant(settings, FakeEncoder())
    serving.ingest()
    writer = Assistant(settings, FakeEncoder())  # another writer on the same directory, as another process is
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "extra.md").write_text("---\ntitle: Extra\n---\nA sixth article about a harbour.\n")
    seen: list[int] = []
    inside, written = threading.Event(), threading.Event()

    def long_request() -> None:
        with serving.reading():
            seen.append(len(serving.store.catalog.articles))
            inside.set()
            written.wait(10)
            seen.append(len(serving.articles()))  # a nested read in the same request: still the same generation

    request = threading.Thread(target=long_request)
    request.start()
    inside.wait(10)
    writer.ingest(tmp_path / "more")
    written.set()
    later = serving.articles()  # waits for the request in flight, then sees the new catalog
    request.join(10)
    assert seen == [5, 5] and len(later) == 6
