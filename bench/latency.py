"""Warm latency of `Assistant.ask` and `Assistant.retrieve` on the test set's questions.

Run: `python bench/latency.py [--rounds 3]` (or `make bench`). Prints median, p90, p95 and max
in milliseconds after one warm-up question (which loads the encoder and the reader); the index is
built first if needed. It measures, it does not assert: the targets (warm `ask` p50 <= 150 ms and
p95 <= 300 ms with the reader, on 2 cores) are judged by reading the numbers. `ask` is also split
into its stages (retrieve, answer = read and compose).
"""

from __future__ import annotations

import argparse
import statistics
import time

from evals.testset import load_testset
from qa import Assistant, QASettings


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def _summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    median = statistics.median(values)
    return (f"{name:<16} n={len(values):<4} median {median:7.1f} ms   p90 {_percentile(ordered, 0.9):7.1f} ms   "
            f"p95 {_percentile(ordered, 0.95):7.1f} ms   max {ordered[-1]:7.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    args = parser.parse_args()
    assistant = Assistant(QASettings())
    assistant.ingest()
    cases = load_testset()
    assistant.ask("warm-up question about the articles")
    asks: list[float] = []
    stages: dict[str, list[float]] = {"retrieve": [], "answer": []}
    retrieves: list[float] = []
    for _ in range(args.rounds):
        for case in cases:
            timings = assistant.ask(case.question, case.history).timings_ms
            asks.append(timings["total"])
            for stage, values in stages.items():
                values.append(timings[stage])
            started = time.perf_counter()
            assistant.retrieve(case.question, 5)
            retrieves.append((time.perf_counter() - started) * 1000)
    print(f"engine {assistant.settings.answer.engine}, reader {assistant.settings.reader_dir.name}")
    print(_summary("ask", asks))
    for stage, values in stages.items():
        print(_summary(f"  ask: {stage}", values))
    print(_summary("retrieve", retrieves))


if __name__ == "__main__":
    main()
