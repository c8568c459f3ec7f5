"""Load on the running app: the real server on 127.0.0.1, asks at concurrency 8, then one at a time.

Run: `python bench/load.py` (or `make bench-load`, which builds the index first). It starts
`python app.py` on a free loopback port, waits for /api/health, sends 200 asks from 8 clients at
once and then 1,000 one after another, samples the server's resident memory (VmRSS in
/proc/<pid>/status) every second throughout, prints latency (p50, p95, max), errors and memory
over time, and stops the server. Questions come from the seed sets (evals/*.jsonl, with their
conversations), each asked in a different wording every round so that no cache answers it.
It measures, it does not assert; a run is bounded by --deadline and each ask by --timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


def wait_until_healthy(url: str, server: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bool(json.loads(response.read()).get("index_loaded"))
        except (OSError, ValueError):
            time.sleep(0.5)
    return False


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


def measure(args: argparse.Namespace, base: str, server: subprocess.Popen[bytes]) -> bool:
    """Both phases against a started server, with its memory sampled; False if it never became healthy."""
    bodies, started = load_questions(), time.monotonic()
    sampler = MemorySampler(server.pid)
    sampler.start()
    try:
        if not wait_until_healthy(f"{base}/api/health", server, seconds=300):
            return False
        marks = {"ready": time.monotonic() - sampler.started_at}
        print(f"server pid {server.pid} on {base}, healthy after {marks['ready']:.0f} s; "
              f"{len(bodies)} seed questions x {len(WORDINGS)} wordings", flush=True)  # fmt: skip
        deadline, url = started + args.deadline, f"{base}/api/ask"
        ask(url, varied(bodies, 0), args.timeout, Phase("warm-up"))  # the first ask loads the reader
        batches = [
            (f"{args.concurrent} asks, {args.clients} at once", 1, args.concurrent, args.clients, "concurrent"),
            (f"{args.sequential} asks, one at a time", 1 + args.concurrent, args.sequential, 1, "sequential"),
        ]
        for name, first, count, clients, kind in batches:
            phase = run_phase(name, url, bodies, first, count, clients, args.timeout, deadline)
            marks[f"after the {kind} asks"] = time.monotonic() - sampler.started_at
            print(phase.report(), flush=True)
    finally:
        sampler.stopped.set()
    print("server memory (VmRSS) over time:\n" + "\n".join(memory_report(sampler.samples, marks)))
    if time.monotonic() > deadline:
        print(f"stopped at the {args.deadline:.0f} s deadline: the counts above are short")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrent", type=int, default=200, help="asks sent by the concurrent clients")
    parser.add_argument("--clients", type=int, default=8, help="clients asking at once")
    parser.add_argument("--sequential", type=int, default=1000, help="asks sent one after another")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one ask may take")
    parser.add_argument("--deadline", type=float, default=1800.0, help="seconds the whole run may take")
    args = parser.parse_args()
    port = free_port()
    with (
        tempfile.NamedTemporaryFile(prefix="bench-load-", suffix=".log", delete=False) as log,
        serving(port, log) as server,
    ):
        healthy = measure(args, f"http://127.0.0.1:{port}", server)
    if not healthy:
        print(f"the server did not become healthy; its output is in {log.name}", file=sys.stderr)
        return 1
    Path(log.name).unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
