"""`python -m evals.calibrate`: fit the reader's confidence to how often its answers were right on the dev sets.

It reads the same never-abstaining run as `evals.threshold` (the dev rows only: squad's dev split and
quail) and fits, by Platt scaling, the chance that an answer at a margin is right:
confidence = 1 / (1 + exp(-(slope * margin + intercept))). Each dev set counts equally, and within
one the unanswerable questions weigh `UNANSWERABLE_SHARE` (the threshold's assumption), so a set's
own mix does not move the fit. The fit, what it was chosen on and the reliability of the old and
new confidence per dev set go to evals/calibration.json; `ReaderSettings` holds the two numbers.
It leaves out choosing the threshold (`evals.threshold`) and scoring calibration on other sets
(`evals.rows` gives every collection's calibration error).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from evals.items import CACHE
from evals.rows import Row, calibration_error, read_results, reliability_bins
from evals.threshold import DEV_SETS, SWEEP_RUN, UNANSWERABLE_SHARE, dev_sets
from qa.settings import ReaderSettings

OUTPUT = Path(__file__).with_name("calibration.json")
Point = tuple[float, bool, float]  # margin, right if answered, weight


def weighted_points(sets: dict[str, list[Row]]) -> list[Point]:
    """Every answered dev row as (margin, right, weight): sets weigh equally, unanswerable rows a quarter.

    Example: one set of 3 answerable rows and 1 unanswerable -> weights 0.25, 0.25, 0.25 and 0.25.
    """
    points: list[Point] = []
    for rows in sets.values():
        rows = [row for row in rows if row.margin is not None and not row.abstained]
        answerable = sum(row.answerable for row in rows)
        weight = {True: (1 - UNANSWERABLE_SHARE) / max(answerable, 1),
                  False: UNANSWERABLE_SHARE / max(len(rows) - answerable, 1)}  # fmt: skip
        points += [(row.margin or 0.0, row.correct_if_answered, weight[row.answerable] / len(sets)) for row in rows]
    return points


def fit(points: Sequence[Point], steps: int = 100) -> tuple[float, float]:
    """(slope, intercept) of the weighted logistic fit of right on margin, by Newton's method.

    Example: margins -2, -1, 1, 2 with right False, True, False, True -> slope > 0.
    """
    margin, right, weight = (np.array(column, dtype=float) for column in zip(*points, strict=True))
    features = np.stack([margin, np.ones_like(margin)], axis=1)
    params = np.zeros(2)
    for _ in range(steps):
        chance = 1.0 / (1.0 + np.exp(-features @ params))
        gradient = features.T @ (weight * (chance - right))
        hessian = (features * (weight * chance * (1 - chance))[:, None]).T @ features + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        params -= step
        if np.abs(step).max() < 1e-10:
            break
    return float(params[0]), float(params[1])


def chance(margin: float, slope: float, intercept: float) -> float:
    """Example: (4.0, 0.25, -1.0) -> 0.5."""
    return 1.0 / (1.0 + math.exp(-(slope * margin + intercept)))


def reliability(rows: Iterable[Row], confidence: Callable[[float], float]) -> dict[str, Any]:
    """Calibration error and (mean confidence, share right, count) per confidence bin, over answered rows."""
    pairs = [(confidence(row.margin), row.correct) for row in rows if row.margin is not None and not row.abstained]
    table = [f"confidence {mean:.2f}: right {right:.2f} of {count}" for mean, right, count in reliability_bins(pairs)]
    error = calibration_error(pairs)
    return {"calibration_error": None if error is None else round(error, 4), "bins": table}


def choose(rows: Iterable[Row], threshold: float, old_scale: float = 2.0) -> dict[str, Any]:
    """The calibration.json record: the fit, what it was fitted on, and each dev set's reliability at
    `threshold`, before (the sigmoid of (margin - threshold) / `old_scale`) and after."""
    sets = dev_sets(rows)
    slope, intercept = fit(weighted_points(sets))
    at = {name: [row for row in got if not row.abstains_at(threshold)] for name, got in sets.items()}
    return {
        "slope": round(slope, 4),
        "intercept": round(intercept, 4),
        "chosen_on": [{"collection": c, "split": s, "questions": len(sets[f"{c}:{s}"])} for c, s in DEV_SETS],
        "weighting": f"dev sets equally; within one, unanswerable questions {UNANSWERABLE_SHARE:.0%} of the weight",
        "created": dt.date.today().isoformat(),
        "reliability_at_threshold": {
            name: {"threshold": threshold,
                   "before": reliability(got, lambda m: chance(m - threshold, 1 / old_scale, 0.0)),
                   "after": reliability(got, lambda m: chance(m, slope, intercept))}
            for name, got in at.items()
        },
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=CACHE / "results", help="results.jsonl or its folder")
    parser.add_argument("--threshold", type=float, default=ReaderSettings().threshold, help="the reader's threshold")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where to write the fit")
    args = parser.parse_args(argv)
    try:
        path, rows = read_results(args.results, SWEEP_RUN)
        record = choose(rows, args.threshold)
    except ValueError as error:
        parser.error(str(error))
    args.out.write_text(json.dumps({"results": str(path), **record}, indent=1) + "\n", encoding="utf-8")
    for name, sides in record["reliability_at_threshold"].items():
        before, after = (sides[k]["calibration_error"] for k in ("before", "after"))
        print(f"{name:<11} calibration error {before:.3f} before, {after:.3f} after")
    print(f"slope {record['slope']}, intercept {record['intercept']} (confidence 0.5 at margin "
          f"{-record['intercept'] / record['slope']:.2f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
