"""Shared fixtures: a deterministic fake encoder, isolated data paths, one real encoder.

Every test runs with sockets disabled (pytest-socket, see pyproject.toml) and with QA_*
variables pointing into its own tmp_path, so no test touches the user's store.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import urllib3  # noqa: F401  imported before sockets are blocked: it probes IPv6 support at import

from index.bm25 import tokenize
from qa import Assistant, QASettings

PROJECT = Path(__file__).resolve().parents[1]
SEED_CORPUS = PROJECT / "corpus" / "articles"


class FakeEncoder:
    """Bag of stemmed words hashed into 64 dimensions: similar words, similar vectors."""

    dim = 64

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text) or ["<empty>"]:
                vectors[row, int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dim] += 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def known_words(self) -> set[str]:
        return set()


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("QA_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path / "qa-data"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the seed corpus."""
    return Path(shutil.copytree(SEED_CORPUS, tmp_path / "corpus"))


@pytest.fixture
def settings(tmp_path: Path, corpus: Path) -> QASettings:
    return QASettings(data_dir=tmp_path / "data", corpus_dir=corpus)


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def assistant(settings: QASettings, fake_encoder: FakeEncoder) -> Assistant:
    return Assistant(settings, fake_encoder)


@pytest.fixture(scope="session")
def real_encoder():  # type: ignore[no-untyped-def]
    from index.encoder import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def real_assistant(tmp_path_factory: pytest.TempPathFactory, real_encoder) -> Assistant:  # type: ignore[no-untyped-def]
    """The seed corpus indexed once with the real encoder, shared read-only by tests."""
    root = tmp_path_factory.mktemp("real")
    settings = QASettings(data_dir=root / "data", corpus_dir=SEED_CORPUS)
    assistant = Assistant(settings, real_encoder)
    assistant.ingest()
    return assistant


@pytest.fixture
def seeded_settings(real_assistant: Assistant, tmp_path: Path, corpus: Path) -> QASettings:
    """Settings over a private copy of the store the session built, so a test may write to it."""
    data = Path(shutil.copytree(real_assistant.settings.data_dir, tmp_path / "seeded-data"))
    return QASettings(data_dir=data, corpus_dir=corpus)
