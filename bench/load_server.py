"""The server side of `bench/load.py`: `python app.py` started on loopback, watched and stopped.

`free_port` finds a loopback port; `serving` runs the app there with uploads off and its output in
a log, and terminates it (then kills it) on exit; `wait_until_healthy` polls /api/health until the
index is loaded; `MemorySampler` reads the server's resident memory (VmRSS in /proc/<pid>/status)
every second, and `memory_report` turns the samples into lines. It leaves out the asks and their
latencies (`load_asks`) and the order of the run (`load`).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

PROJECT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(port: int, log: IO[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    """`python app.py` on 127.0.0.1:`port`, uploads off, output to `log`; terminated (then killed) on exit."""
    env = {**os.environ, "QA_HOST": "127.0.0.1", "QA_PORT": str(port), "QA_ALLOW_UPLOAD": "false"}
    server = subprocess.Popen([sys.executable, str(PROJECT / "app.py")], cwd=PROJECT, env=env, stdout=log, stderr=log)
    try:
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


def wait_until_healthy(url: str, server: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bool(json.loads(response.read()).get("index_loaded"))
        except (OSError, ValueError):
            time.sleep(0.5)
    return False


class MemorySampler(threading.Thread):
    """Reads the server's VmRSS every `every` seconds until stopped: (seconds since start, MB)."""

    def __init__(self, pid: int, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.status, self.every = Path(f"/proc/{pid}/status"), every
        self.samples: list[tuple[float, float]] = []
        self.started_at = time.monotonic()
        self.stopped = threading.Event()

    def rss_mb(self) -> float | None:
        try:
            lines = self.status.read_text().splitlines()
        except OSError:
            return None
        kilobytes = next((int(line.split()[1]) for line in lines if line.startswith("VmRSS:")), None)
        return None if kilobytes is None else kilobytes / 1024

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            if (rss := self.rss_mb()) is not None:
                self.samples.append((time.monotonic() - self.started_at, rss))


def memory_report(samples: list[tuple[float, float]], marks: dict[str, float], rows: int = 12) -> list[str]:
    """RSS over time: `rows` evenly spaced samples, plus the start, the peak and each phase's end."""
    if not samples:
        return ["no memory samples"]
    step = max(1, len(samples) // rows)
    lines = [f"  t={t:6.0f} s   RSS {mb:7.0f} MB" for t, mb in samples[::step]]
    peak = max(samples, key=lambda sample: sample[1])
    lines.append(f"  peak at t={peak[0]:.0f} s: {peak[1]:.0f} MB;  last: {samples[-1][1]:.0f} MB")
    for mark, at in marks.items():
        near = min(samples, key=lambda sample: abs(sample[0] - at))
        lines.append(f"  {mark} (t={at:.0f} s): {near[1]:.0f} MB")
    return lines
