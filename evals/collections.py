"""`python -m evals.collections`: the answerer scored on whole collections, beyond the seed story.

Each collection is ingested into its own store, `.qa-data/collections/<name>/store/`, and every
question is asked of the whole collection: squad (SQuAD 2.0 held-out, dev and test titles), quail
(a news dev set), bbc_story (test), bbc_story2 (dev) and seed (the project's own sets); `evals.loaders`
says what each holds.

Shared data is read from ../shared/data, never copied into the repository: its articles are
written to the git-ignored cache (`<name>/articles/`); a collection whose data is absent is
skipped. Every question and engine gives one `Row` (results.jsonl); `scores` sums rows for the
table and summary.json. It leaves out retrieval metrics and citation precision (`python -m evals`).
This module is the command (options, table, files); rows and their scores are in `evals.rows`,
the collections in `evals.items` and `evals.loaders`, ingesting and asking in `evals.asking`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.asking import run_collection
from evals.items import CACHE, SHARED_DATA, sample
from evals.loaders import LOADERS
from evals.rows import Row, summarize

ENGINES = ("rules", "reader")

COLUMNS = {"questions": "n", "answerable": "ans", "abstained": "abst", "accuracy": "acc",
           "answerable_accuracy": "ans_acc", "span_f1": "span_f1", "abstention_precision": "abst_P",
           "abstention_recall": "abst_R", "calibration_error": "calib", "median_ms": "ms"}  # fmt: skip


def print_table(summary: Sequence[dict[str, Any]]) -> None:
    """One line per collection, split and engine; ans_acc is 'holds a gold answer' on answerable questions."""
    print(f"{'collection':<11}{'split':<9}{'engine':<8}" + "".join(f"{h:>9}" for h in COLUMNS.values()))
    for line in summary:
        cells = (_cell(line[key]) for key in COLUMNS)
        print(f"{line['collection']:<11}{line['split']:<9}{line['engine']:<8}" + "".join(f"{c:>9}" for c in cells))


def _cell(value: float | int | None) -> str:
    return "-" if value is None else str(value) if isinstance(value, int) else f"{value:.3f}"


def write_results(out: Path, rows: Sequence[Row], summary: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.jsonl").write_text("".join(row.model_dump_json() + "\n" for row in rows), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str) + "\n", encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals.collections", description=__doc__.split("\n")[0])
    parser.add_argument("--collection", action="append", choices=list(LOADERS), help="repeatable; default: all")
    parser.add_argument("--engine", choices=[*ENGINES, "both"], default="reader", help="answerer(s) to score")
    parser.add_argument("--threshold", type=float, help="the reader's abstention threshold (-1000: never abstain)")
    parser.add_argument("--split", action="append", help="keep only these splits (dev, test, testset, ...)")
    parser.add_argument("--limit", type=int, help="ask at most N questions per collection (a seeded sample)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the --limit sample")
    parser.add_argument("--out", type=Path, default=CACHE / "results", help="folder for results.jsonl, summary.json")
    parser.add_argument("--shared-data", type=Path, default=SHARED_DATA, help="the shared data folder")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where collections' articles and stores live")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engines = ENGINES if args.engine == "both" else (args.engine,)
    rows: list[Row] = []
    notes: dict[str, Any] = {}
    for name in args.collection or list(LOADERS):
        collection = LOADERS[name](args.shared_data, args.cache / name / "articles")
        if collection is None:
            print(f"skipping {name}: its data is not under {args.shared_data}", file=sys.stderr)
            notes[name] = {"skipped": f"no data under {args.shared_data}"}
            continue
        kept = [item for item in collection.items if not args.split or item.split in args.split]
        collection.items = sample(kept, args.limit, args.seed)
        collection.note.update(questions=len(kept), asked=len(collection.items))
        if collection.items:
            rows += run_collection(collection, engines, args.cache / name / "store", args.threshold)
        notes[name] = collection.note
    summary = summarize(rows)
    thresholds = {row.engine: row.threshold for row in rows}
    write_results(args.out, rows, {"created": dt.datetime.now().isoformat(timespec="seconds"), "args": vars(args),
                                   "thresholds": thresholds, "collections": notes, "scores": summary})  # fmt: skip
    print_table(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
