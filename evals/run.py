"""`qa eval`: test sets through the public API (`Assistant`), scored, reported, compared and gated.

Every test set is read and validated before any question is asked (file, line and reason). The
project's own sets run on the project's collection; `--corpus DIR` indexes that folder into a
temporary store first, and a SQuAD 2.0 file brings its paragraphs as articles. Outputs, in
`--out` (default `QA_DATA_DIR/eval/<time>`, with `QA_DATA_DIR/eval/latest` pointing at it):
results.jsonl (one scored row per question and pipeline), summary.json, report.md, report.html.
This module holds the options and the order of a run (read and check, ask, write, compare, gate);
it leaves out asking (`evals.evaluate`) and what goes into the run folder (`evals.run_folder`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from evals.compare import change_table, changes, compare_summary, print_changes
from evals.evaluate import evaluate, load_sets
from evals.gate import Floors, check, read_gate
from evals.report import build_report
from evals.report_text import print_summary
from evals.run_folder import default_out, read_rows, summarise, write_run
from evals.testset import EVAL_SETS
from qa import QASettings


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `qa eval` subcommand's options (qa/cli.py dispatches to `run`)."""
    parser = commands.add_parser("eval", help="score test sets on a collection; writes a report",
                                 description=__doc__.split("\n\n")[0])  # fmt: skip
    sets = "JSON lines (.jsonl) or SQuAD 2.0 (.json); repeatable (default: the project's sets)"
    parser.add_argument("--testset", type=Path, action="append", help=sets)
    parser.add_argument("--corpus", type=Path, help="a folder of articles, indexed into a temporary store first")
    parser.add_argument("--out", type=Path, help="folder for the results and reports (default: QA_DATA_DIR/eval/TIME)")
    parser.add_argument("--limit", type=int, help="ask at most N questions per set (a seeded sample)")
    plain = "also run plain llama-index on the same sets and articles"
    parser.add_argument("--baseline", action="store_true", help=plain)
    changed = "list the questions that went from right to wrong and back since that run"
    parser.add_argument("--compare", type=Path, metavar="RUN_DIR", help=changed)
    floors = "exit 1 when a score of the assistant falls below its floor in this file (e.g. evals/gate.toml)"
    parser.add_argument("--gate", type=Path, metavar="TOML", help=floors)


def run(args: argparse.Namespace, settings: QASettings) -> int:
    """Everything is read and checked first; then the questions; then the outputs and the summary."""
    started = time.perf_counter()
    sets = load_sets(args.testset or list(EVAL_SETS), args.corpus, args.limit)
    before = read_rows(args.compare) if args.compare else None
    floors = read_gate(args.gate) if args.gate else None
    rows, context = evaluate(sets, settings, args.corpus, args.baseline)
    seconds = round(time.perf_counter() - started, 1)
    # The machine's load beside the latencies: on a shared 2-core machine they measure the neighbours too.
    machine = {"cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 1)}
    summary = summarise(rows, sets, {**context, "limit": args.limit, "seconds": seconds, **machine})
    report = build_report(rows, summary)
    found = changes(before, rows) if before is not None else []
    if before is not None:
        summary["compare"] = compare_summary(args.compare, before, rows)
        report.changes.append(change_table(args.compare, found))
    out = args.out or default_out(settings.data_dir)
    write_run(out, rows, summary, report)
    print_summary(report, summary, str(out))
    if before is not None:
        print_changes(args.compare, found)
    return 0 if floors is None else _gate(args.gate, summary, floors)


def _gate(path: Path, summary: dict[str, Any], floors: Floors) -> int:
    """1 when a score is below its floor in `path`, each such score named on stderr."""
    failures = check(summary, floors)
    for failure in failures:
        print(f"qa eval: gate: {failure}", file=sys.stderr)
    count = sum(len(table) for table in floors.values())
    print(
        f"gate {path}: {len(failures)} of {count} floors not met"
        if failures
        else f"gate {path}: all {count} floors met"
    )
    return 1 if failures else 0
