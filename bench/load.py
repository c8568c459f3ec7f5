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
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from load_asks import WORDINGS, Phase, ask, load_questions, run_phase, varied
from load_server import MemorySampler, free_port, memory_report, serving, wait_until_healthy

Batch = tuple[str, int, int, int, str]  # name, index of its first ask, asks, clients at once, kind


def measure(args: argparse.Namespace, base: str, server: subprocess.Popen[bytes]) -> bool:
    """Both phases against a started server, with its memory sampled; False if it never became healthy."""
    bodies, started = load_questions(), time.monotonic()
    deadline = started + args.deadline
    sampler = MemorySampler(server.pid)
    sampler.start()
    try:
        if not wait_until_healthy(f"{base}/api/health", server, seconds=300):
            return False
        marks = announce_ready(server, base, bodies, sampler)
        ask_phases(args, f"{base}/api/ask", bodies, deadline, sampler, marks)
    finally:
        sampler.stopped.set()
    print_memory(sampler, marks, args.deadline, deadline)
    return True


def announce_ready(server: subprocess.Popen[bytes], base: str, bodies: list[dict[str, Any]],
                   sampler: MemorySampler) -> dict[str, float]:  # fmt: skip
    """The first mark, when the server became healthy, printed with what will be asked."""
    marks = {"ready": time.monotonic() - sampler.started_at}
    print(f"server pid {server.pid} on {base}, healthy after {marks['ready']:.0f} s; "
          f"{len(bodies)} seed questions x {len(WORDINGS)} wordings", flush=True)  # fmt: skip
    return marks


def batches(args: argparse.Namespace) -> list[Batch]:
    """The concurrent phase, then the sequential one; ask 0 is the warm-up, so both start after it."""
    return [
        (f"{args.concurrent} asks, {args.clients} at once", 1, args.concurrent, args.clients, "concurrent"),
        (f"{args.sequential} asks, one at a time", 1 + args.concurrent, args.sequential, 1, "sequential"),
    ]


def ask_phases(args: argparse.Namespace, url: str, bodies: list[dict[str, Any]], deadline: float,
               sampler: MemorySampler, marks: dict[str, float]) -> None:  # fmt: skip
    """The warm-up ask, then each phase, printed as it ends and marked in `marks` for the memory report."""
    ask(url, varied(bodies, 0), args.timeout, Phase("warm-up"))  # the first ask loads the reader
    for name, first, count, clients, kind in batches(args):
        phase = run_phase(name, url, bodies, first, count, clients, args.timeout, deadline)
        marks[f"after the {kind} asks"] = time.monotonic() - sampler.started_at
        print(phase.report(), flush=True)


def print_memory(sampler: MemorySampler, marks: dict[str, float], seconds: float, deadline: float) -> None:
    """The server's memory over time, and whether the run was cut short by its deadline of `seconds`."""
    print("server memory (VmRSS) over time:\n" + "\n".join(memory_report(sampler.samples, marks)))
    if time.monotonic() > deadline:
        print(f"stopped at the {seconds:.0f} s deadline: the counts above are short")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrent", type=int, default=200, help="asks sent by the concurrent clients")
    parser.add_argument("--clients", type=int, default=8, help="clients asking at once")
    parser.add_argument("--sequential", type=int, default=1000, help="asks sent one after another")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one ask may take")
    parser.add_argument("--deadline", type=float, default=1800.0, help="seconds the whole run may take")
    return parser.parse_args()


def main() -> int:
    args, port = parse_args(), free_port()
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
