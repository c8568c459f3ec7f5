"""The asks of `bench/load.py`: seed questions reworded every round, sent to /api/ask, timed per phase.

`load_questions` reads the seed sets (evals/*.jsonl, with their conversations); `varied` gives the
`index`-th request, each round in another wording so that no cache answers it; `run_phase` sends a
batch of them from a number of clients at once and keeps each ask's latency and error in a `Phase`,
which reports p50, p95, max, asks per second and errors. It leaves out the server (starting it,
waiting for it, sampling its memory: `load_server`) and the order of the run (`load`).
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
QUESTION_SETS = [PROJECT / "evals" / name for name in ("testset.jsonl", "heldout.jsonl", "fresh.jsonl")]
# Each round asks every question again in another wording, so the query-embedding cache never answers.
WORDINGS: list[Callable[[str], str]] = [
    str, str.lower, "Please tell me: {}".format, "According to the articles, {}".format, "{} Answer briefly.".format,
    "Quick question. {}".format, "I read the news and wonder: {}".format, "{} (from the reports)".format,
]  # fmt: skip


def load_questions() -> list[dict[str, Any]]:
    """Request bodies for /api/ask: each seed-set question with its conversation, if it has one."""
    bodies = []
    for path in QUESTION_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line) if line.strip() else {}
            if "question" in case:
                bodies.append({"question": case["question"], "history": case.get("history", [])})
    return bodies


def varied(bodies: list[dict[str, Any]], index: int) -> dict[str, Any]:
    """The `index`-th request: questions in turn, the wording changing each round.

    Example: with 2 questions, index 5 -> the second question as "Please tell me: ..."
    """
    body = bodies[index % len(bodies)]
    wording = WORDINGS[(index // len(bodies)) % len(WORDINGS)]
    return {**body, "question": wording(body["question"])}


class Phase:
    """Latencies (ms) and errors of one batch of asks."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.seconds = 0.0

    def record(self, milliseconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(milliseconds)
            if error:
                self.errors.append(error)

    def report(self) -> str:
        ordered = sorted(self.latencies)
        if not ordered:
            return f"{self.name:<28} no asks sent (deadline)"
        p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
        kinds = sorted(set(self.errors))
        return (f"{self.name:<28} n={len(ordered):<5} p50 {statistics.median(ordered):7.1f} ms   "
                f"p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms   {len(ordered) / self.seconds:5.1f} asks/s   "
                f"errors {len(self.errors)}{' (' + '; '.join(kinds[:3]) + ')' if kinds else ''}")  # fmt: skip


def ask(url: str, body: dict[str, Any], timeout: float, phase: Phase) -> None:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"content-type": "application/json"})
    started = time.perf_counter()
    error = None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read())
            if "answer" not in answer:
                error = "no answer field"
    except urllib.error.HTTPError as failure:
        error = f"HTTP {failure.code}"
    except (OSError, ValueError) as failure:
        error = type(failure).__name__
    phase.record((time.perf_counter() - started) * 1000, error)


def run_phase(name: str, url: str, bodies: list[dict[str, Any]], first: int, count: int, clients: int,
              timeout: float, deadline: float) -> Phase:  # fmt: skip
    phase = Phase(name)
    started = time.monotonic()

    def one(index: int) -> None:
        if time.monotonic() < deadline:
            ask(url, varied(bodies, index), timeout, phase)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(first, first + count)))
    phase.seconds = time.monotonic() - started
    return phase
