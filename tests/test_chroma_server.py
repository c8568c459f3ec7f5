"""The store against a Chroma server (QA_CHROMA_URL), started on loopback by the test."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.vectors import connect
from qa import Assistant, QASettings
from tests.conftest import FakeEncoder
from tests.servers import free_port, serving


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    url = f"http://127.0.0.1:{port}"
    command = [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)]
    with serving(command, f"{url}/api/v2/heartbeat", 30):
        yield url


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_ingest_and_retrieve_through_a_chroma_server(chroma_url: str, tmp_path: Path, corpus: Path) -> None:
    settings = QASettings(data_dir=tmp_path / "data", corpus_dir=corpus, chroma_url=chroma_url)
    assistant = Assistant(settings, FakeEncoder())
    assert len(assistant.ingest().added) == 5
    assert not (tmp_path / "data" / "chroma").exists()  # vectors went to the server
    assert assistant.retrieve("Peskov conflicting information", 3).hits[0].doc_id == "004_ab0b1256b9446ed0"


@pytest.mark.parametrize("url", ["localhost:8000", "ftp://host:1", "http://"])
def test_a_malformed_chroma_url_is_named(url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="QA_CHROMA_URL must look like http://host:8000"):
        connect(tmp_path, url)
