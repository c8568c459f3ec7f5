"""`python -m evals.ceiling`: how far abstention alone could take each collection.

It reads the results.jsonl of a reader run that never abstained on its margin (any collections):

    python -m evals.collections --engine reader --threshold -1000 --out runs/never
    python -m evals.ceiling --results runs/never

and gives, per collection and split, accuracy never abstaining and the ceiling: every answerable
question answered as in the run and every unanswerable one abstained, which no threshold or other
abstention rule can pass (the stance answers that pass the threshold included). A target above
the ceiling needs better answers (the reader), not another threshold. It only reads and chooses
nothing, so it may be run on test sets; choosing the threshold is `evals.threshold`'s.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel

from evals.items import CACHE
from evals.metrics import share
from evals.rows import Row, abstention_scores, read_results
from evals.threshold import NEVER_ABSTAIN

NEVER_RUN = "python -m evals.collections --engine reader --threshold -1000"
_HEADER = f"{'collection':<11}{'split':<9}{'n':>6}{'never':>8}{'ceiling':>9}{'ans ceiling':>13}"


class Ceiling(BaseModel):
    """One collection's split: accuracy never abstaining and with perfect abstention."""

    collection: str
    split: str
    questions: int
    never_abstaining: float
    ceiling: float
    answerable_ceiling: float | None  # the share of answerable questions whose answer holds a gold one


def ceiling(rows: Sequence[Row]) -> Ceiling:
    """Example: 2 answerable (1 right) and 2 unanswerable -> never abstaining 0.25, ceiling 0.75."""
    answerable = [row for row in rows if row.answerable]
    right = sum(row.correct_if_answered and not row.abstained for row in answerable)
    return Ceiling(
        collection=rows[0].collection,
        split=rows[0].split,
        questions=len(rows),
        never_abstaining=abstention_scores(rows)["accuracy"] or 0.0,
        ceiling=share(right + len(rows) - len(answerable), len(rows)) or 0.0,
        answerable_ceiling=share(right, len(answerable)),
    )


def ceilings(rows: Iterable[Row]) -> list[Ceiling]:
    """Each collection's split, in the run's order; the reader's rows of a never-abstaining run only."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.engine != "reader":
            continue
        if row.threshold is None or row.threshold > NEVER_ABSTAIN:
            raise ValueError(f"{row.collection} was run with threshold {row.threshold}; the ceiling needs {NEVER_RUN}")
        groups.setdefault((row.collection, row.split), []).append(row)
    if not groups:
        raise ValueError(f"no reader results; run: {NEVER_RUN}")
    return [ceiling(group) for group in groups.values()]


def table(found: Sequence[Ceiling]) -> str:
    """The ceilings as a fixed-width table, one line per collection's split."""
    lines = ["accuracy never abstaining, and with perfect abstention (the ceiling)", _HEADER]
    for c in found:
        answerable = "-" if c.answerable_ceiling is None else f"{c.answerable_ceiling:.3f}"
        lines.append(f"{c.collection:<11}{c.split:<9}{c.questions:>6}{c.never_abstaining:>8.3f}"
                     f"{c.ceiling:>9.3f}{answerable:>13}")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.ceiling", description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=CACHE / "results", help="results.jsonl or its folder")
    args = parser.parse_args(argv)
    try:
        print(table(ceilings(read_results(args.results, NEVER_RUN)[1])))
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
