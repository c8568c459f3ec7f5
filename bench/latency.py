"""Warm latency of `Assistant.ask` and `Assistant.retrieve` on the test set's questions.

Run: `python bench/latency.py [--rounds 3]` (or `make bench`). Prints median, p90 and max in
milliseconds after one warm-up question; the index is built first if needed. It measures,
it does not assert: the target (median ask under 50 ms) is judged by reading the numbers.
"""

from __future__ import annotations

import argparse
import statistics
import time

from evals.testset import load_testset
from qa import Assistant, QASettings


def _summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
    median = statistics.median(values)
    return f"{name:<10} n={len(values):<4} median {median:7.1f} ms   p90 {p90:7.1f} ms   max {ordered[-1]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    args = parser.parse_args()
    assistant = Assistant(QASettings())
    assistant.ingest()
    cases = load_testset()
    assistant.ask("warm-up question about the articles")
    asks: list[float] = []
    retrieves: list[float] = []
    for _ in range(args.rounds):
        for case in cases:
            asks.append(assistant.ask(case.question, case.history).timings_ms["total"])
            started = time.perf_counter()
            assistant.retrieve(case.question, 5)
            retrieves.append((time.perf_counter() - started) * 1000)
    print(_summary("ask", asks))
    print(_summary("retrieve", retrieves))


if __name__ == "__main__":
    main()
