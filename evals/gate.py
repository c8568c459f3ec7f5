"""The gate (`qa eval --gate evals/gate.toml`): floors under the assistant's scores, kept in one file.

The file holds one table per set (its name in the run: the file's stem) or `[all]`, each mapping a
metric of `evals.scoring.metrics` to its floor:

    [testset]
    accuracy = 0.76   # measured 0.800 on 2026-11-26

A run passes when every floor is met; a metric the run cannot give (a set not run, a metric
undefined on it) fails too, so a gate is never passed by leaving something out. The file is read
and checked before any question is asked.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from evals.report import cell
from evals.scoring import metrics

Floors = dict[str, dict[str, float]]
PIPELINE = "assistant"


def read_gate(path: Path) -> Floors:
    """The floors, or a ValueError naming the file and what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: not a gate file ({error})") from error
    # Latencies are left out: they measure the machine as much as the code, and lower is better.
    known = {name for name in metrics([]) if not name.endswith("_ms")}
    floors: Floors = {}
    for group, table in data.items():
        if not isinstance(table, dict) or not table:
            raise ValueError(f"{path}: [{group}] must be a table of metric = floor")
        for metric, floor in table.items():
            if metric not in known or isinstance(floor, bool) or not isinstance(floor, int | float):
                raise ValueError(f"{path}: [{group}] {metric} = {floor!r}: not a metric with a number")
        floors[group] = {metric: float(floor) for metric, floor in table.items()}
    return floors


def check(summary: dict[str, Any], floors: Floors) -> list[str]:
    """One line per floor not met. Example: "testset accuracy 0.743 is below its floor 0.760"."""
    scores = summary["scores"].get(PIPELINE, {})
    failures = []
    for group, table in floors.items():
        measured = scores.get("all") if group == "all" else scores.get("sets", {}).get(group)
        for metric, floor in table.items():
            value = (measured or {}).get(metric)
            if value is None:
                failures.append(f"{group} {metric}: not measured in this run (floor {floor:g})")
            elif value < floor:
                failures.append(f"{group} {metric} {cell(value)} is below its floor {floor:g}")
    return failures
