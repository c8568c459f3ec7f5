"""Helpers for tests that start a server on loopback: a free port, waiting for it to answer, and running one."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, seconds: float) -> bool:
    """Poll `url` until it answers or `seconds` pass; True when it answered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return True
        except OSError:
            time.sleep(0.3)
    return False


@contextmanager
def serving(command: list[str], health_url: str, seconds: float, **popen: Any) -> Iterator[None]:
    """Run `command` (output discarded) until the block ends; fail the test if `health_url` never answers."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen)
    try:
        if not wait_until_up(health_url, seconds):
            pytest.fail(f"{command[0]} did not start: {health_url} never answered")
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)
