"""What changed since an earlier run (`qa eval --compare RUN_DIR`): the questions that went from
right to wrong and from wrong to right, with both answers, what a developer reads before merging.

Questions are matched by set, id and pipeline; those in only one of the runs are counted, not listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.report import Table
from evals.scoring import EvalRow

RowKey = tuple[str, str, str]


@dataclass(frozen=True)
class Change:
    before: EvalRow
    now: EvalRow

    @property
    def direction(self) -> str:
        return "wrong to right" if self.now.correct else "right to wrong"


def key(row: EvalRow) -> RowKey:
    return row.collection, row.id, row.engine


def changes(before: Sequence[EvalRow], now: Sequence[EvalRow]) -> list[Change]:
    """Questions asked in both runs whose rightness differs, right-to-wrong first, each in the order asked now."""
    earlier = {key(row): row for row in before}
    changed = [Change(earlier[key(row)], row) for row in now if key(row) in earlier]
    changed = [change for change in changed if change.before.correct != change.now.correct]
    return sorted(changed, key=lambda change: change.now.correct)  # stable: right-to-wrong (False) first


def compare_summary(run_dir: Path, before: Sequence[EvalRow], now: Sequence[EvalRow]) -> dict[str, Any]:
    """summary.json's "compare": what was compared, and the ids that changed each way."""
    old, new = {key(row) for row in before}, {key(row) for row in now}
    found = changes(before, now)
    return {
        "run": str(run_dir), "compared": len(old & new), "only_before": len(old - new), "only_now": len(new - old),
        **{direction.replace(" ", "_"): [list(key(c.now)) for c in found if c.direction == direction]
           for direction in ("right to wrong", "wrong to right")},
    }  # fmt: skip


def change_table(run_dir: Path, found: Sequence[Change]) -> Table:
    rows = [[c.direction, c.now.collection, c.now.id, c.now.engine, c.now.question, c.before.answer, c.now.answer]
            for c in found]  # fmt: skip
    columns = ["changed", "set", "id", "pipeline", "question", "answer before", "answer now"]
    return Table(f"What changed since {run_dir}", columns, rows, f"{len(found)} questions changed")


def print_changes(run_dir: Path, found: Sequence[Change]) -> None:
    print(f"since {run_dir}: {len(found)} changed")
    for change in found:
        now = change.now
        print(f"  {change.direction}: {now.collection} {now.id} ({now.engine}): {now.question}")
        print(f"    before: {_short(change.before.answer)}\n    now:    {_short(now.answer)}")


def _short(text: str, limit: int = 160) -> str:
    """One line of at most `limit` characters. Example: ("a\\nb", 160) -> "a b"."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
