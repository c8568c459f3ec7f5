"""`python -m evals.threshold`: choose the reader's abstention threshold on the dev collections.

It reads the results.jsonl of a reader run that never abstained on its margin:

    python -m evals.collections --engine reader --threshold -1000 --collection squad --collection quail \\
        --split dev --out runs/sweep
    python -m evals.threshold --results runs/sweep

and sweeps the threshold over the margins: at t a question abstains when it abstained in the run
or its margin is below t; whether an answered question is right does not depend on t. The chosen
threshold maximises the mean, over the dev sets (squad's dev split, quail), of overall accuracy
(answerable: answered and right; unanswerable: abstained). Only those rows are read, whatever else
the file holds: never the squad test split, bbc_story or the seed sets. It writes the choice and
the precision/recall curve to evals/threshold.json and prints the curve compactly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import statistics
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from evals.items import CACHE
from evals.rows import Row, abstention_scores, read_results

DEV_SETS = (("squad", "dev"), ("quail", "dev"))
NEVER_ABSTAIN = -1000.0
OUTPUT = Path(__file__).with_name("threshold.json")
_COLUMNS = ("accuracy", "answerable_accuracy", "abstention_precision", "abstention_recall")
_HEADER = " ".join(f"{h:>7}" for h in ("acc", "ans_acc", "abst_P", "abst_R"))
# A reader's questions to their own articles are mostly answerable; the dev sets hold 47% and 35% unanswerable.
UNANSWERABLE_SHARE = 0.25
OBJECTIVE = (
    f"mean over the dev sets of expected accuracy with {UNANSWERABLE_SHARE:.0%} of questions unanswerable: "
    f"{1 - UNANSWERABLE_SHARE:.2f} x answerable answered with a gold answer + {UNANSWERABLE_SHARE:.2f} x "
    "unanswerable abstained, so a dev set's own mix does not move the threshold"
)
SWEEP_RUN = (
    "python -m evals.collections --engine reader --threshold -1000 --collection squad --collection quail --split dev"
)


def dev_sets(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """The reader's rows of each dev set, keyed "squad:dev"; the run must not have abstained on margin."""
    sets: dict[str, list[Row]] = {f"{c}:{s}": [] for c, s in DEV_SETS}
    for row in rows:
        if row.engine == "reader" and f"{row.collection}:{row.split}" in sets:
            sets[f"{row.collection}:{row.split}"].append(row)
    if missing := [name for name, got in sets.items() if not got]:
        raise ValueError(f"no reader results for {', '.join(missing)}; run: {SWEEP_RUN}")
    used = {row.threshold for got in sets.values() for row in got}
    if any(t is None or t > NEVER_ABSTAIN for t in used):
        raise ValueError(f"the results were run with threshold {sorted(used, key=str)}; the sweep needs {SWEEP_RUN}")
    return sets


def candidates(margins: Iterable[float]) -> list[float]:
    """Thresholds that cut the margins apart: below all, midway between neighbours, above all.

    Example: [2, 0, 2, 1] -> [-1.0, 0.5, 1.5, 3.0].
    """
    values = sorted(set(margins))
    if not values:
        return [NEVER_ABSTAIN]
    return [values[0] - 1.0, *((a + b) / 2 for a, b in itertools.pairwise(values)), values[-1] + 1.0]


def expected_accuracy(scores: dict[str, Any]) -> float:
    """Example: answerable_accuracy 0.8, abstention_recall 0.4 -> 0.75 * 0.8 + 0.25 * 0.4 = 0.7."""
    answerable, abstained = scores.get("answerable_accuracy"), scores.get("abstention_recall")
    if answerable is None or abstained is None:
        return float(scores.get("accuracy") or 0.0)
    return (1 - UNANSWERABLE_SHARE) * answerable + UNANSWERABLE_SHARE * abstained


def sweep(sets: dict[str, list[Row]], thresholds: Sequence[float]) -> list[dict[str, Any]]:
    """At each threshold: the objective, and each set's abstention precision/recall and accuracies."""
    points = []
    for threshold in thresholds:
        per_set = {name: abstention_scores(rows, threshold) for name, rows in sets.items()}
        objective = statistics.fmean(expected_accuracy(scores) for scores in per_set.values())
        points.append({"threshold": threshold, "objective": objective, **per_set})
    return points


def best(points: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The point of highest objective; on a tie the first, i.e. the lowest threshold (abstain least)."""
    return max(points, key=lambda point: point["objective"])


def thin(points: Sequence[dict[str, Any]], keep: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """At most `limit` evenly spaced points (all when limit <= 0), always with `keep`."""
    if limit <= 0 or len(points) <= limit:
        return list(points)
    step = (len(points) - 1) / (limit - 1)
    chosen = {round(i * step) for i in range(limit)} | {points.index(keep)}
    return [points[i] for i in sorted(chosen)]


def choose(rows: Iterable[Row], curve_points: int = 101) -> dict[str, Any]:
    """The threshold.json record: the choice, what it was chosen on, and the curve."""
    sets = dev_sets(rows)
    margins = (row.margin for got in sets.values() for row in got if row.margin is not None and not row.abstained)
    points = sweep(sets, candidates(margins))
    chosen = best(points)
    return {
        "threshold": chosen["threshold"],
        "chosen_on": [{"collection": c, "split": s, "questions": len(sets[f"{c}:{s}"])} for c, s in DEV_SETS],
        "objective": OBJECTIVE,
        "objective_value": chosen["objective"],
        "at_threshold": {name: chosen[name] for name in sets},
        "created": dt.date.today().isoformat(),
        "candidates": len(points),
        "curve": thin(points, chosen, curve_points),
    }


def print_curve(record: dict[str, Any], lines: int = 21) -> None:
    names = [f"{c['collection']}:{c['split']}" for c in record["chosen_on"]]
    print(" " * 21 + "".join(f" | {name:^31}" for name in names))
    print(f" {'threshold':>10}{'objective':>10}" + " | ".join(["", *[_HEADER] * len(names)]))
    chosen = next(p for p in record["curve"] if p["threshold"] == record["threshold"])
    for point in thin(record["curve"], chosen, lines):
        cells = "".join(" | " + " ".join(_cell(point[n][k]) for k in _COLUMNS) for n in names)
        mark = "*" if point is chosen else " "
        print(f"{mark}{point['threshold']:>10.3f}{point['objective']:>10.3f}{cells}")
    print(f"chosen: {record['threshold']:.3f} (objective {record['objective_value']:.3f}; {record['objective']})")


def _cell(value: float | None) -> str:
    return f"{'-':>7}" if value is None else f"{value:>7.3f}"


def to_json(record: dict[str, Any]) -> str:
    """The record, indented, with one curve point a line and its scores to four decimals."""
    head = json.dumps({key: value for key, value in record.items() if key != "curve"}, indent=1)
    curve = ",\n  ".join(json.dumps(_rounded(point)) for point in record["curve"])
    return f'{head[:-2]},\n "curve": [\n  {curve}\n ]\n}}\n'


def _rounded(point: dict[str, Any]) -> dict[str, Any]:
    """Example: {"threshold": 0.123456, "objective": 0.123456} -> {"threshold": 0.123456, "objective": 0.1235}."""
    scores = {k: round(v, 4) if isinstance(v, float) else _rounded(v) if isinstance(v, dict) else v
              for k, v in point.items() if k != "threshold"}  # fmt: skip
    return {"threshold": point["threshold"], **scores} if "threshold" in point else scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.threshold", description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=CACHE / "results", help="results.jsonl or its folder")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where to write the choice and the curve")
    parser.add_argument("--curve-points", type=int, default=101, help="points kept in the curve (0: every one)")
    args = parser.parse_args(argv)
    try:
        path, rows = read_results(args.results, SWEEP_RUN)
        record = choose(rows, args.curve_points)
    except ValueError as error:
        parser.error(str(error))
    args.out.write_text(to_json({"results": str(path), **record}), encoding="utf-8")
    print_curve(record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
