"""One question asked of one engine (`Row`, a line of results.jsonl) and the metrics summed over rows.

`scores` gives the table's metrics over any rows (accuracy, abstention precision and recall, span F1,
the confidence's calibration error, median latency), at the run's threshold or a lower one; `summarize`
groups rows by collection, split and engine. It leaves out how rows are made (`evals.asking`) and how
they are printed or written (`python -m evals.collections`); the token scorers are in `evals.metrics`.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, computed_field

from evals.metrics import share


class Row(BaseModel):
    """One question asked of one engine: a line of results.jsonl."""

    collection: str
    split: str
    engine: str
    threshold: float | None = Field(description="The reader's abstention threshold in the run; None for rules.")
    id: str
    question: str
    answerable: bool
    gold: list[str] = Field(description="Answer texts (squad, quail) or answer patterns (seed, bbc_story).")
    answer: str
    abstained: bool
    answer_span: dict[str, Any] | None = Field(description="{doc_id, start, end, text} of the direct answer.")
    confidence: float | None
    margin: float | None = Field(description="The reader's margin over 'no answer'; None when it did not read.")
    citations: list[str] = Field(description="Cited doc_ids, in [n] order.")
    correct_if_answered: bool = Field(description="Answerable, and the answer text holds a gold answer.")
    span_f1: float | None = Field(description="Token F1 of answer_span.text with the best gold; None without either.")
    latency_ms: float

    def abstains_at(self, threshold: float | None = None) -> bool:
        """Abstained in the run, or would below `threshold` (what is answered does not depend on it)."""
        return self.abstained or (threshold is not None and self.margin is not None and self.margin < threshold)

    def correct_at(self, threshold: float | None = None) -> bool:
        abstains = self.abstains_at(threshold)
        return (not abstains and self.correct_if_answered) if self.answerable else abstains

    @computed_field  # type: ignore[prop-decorator]
    @property
    def correct(self) -> bool:
        """Right as run: an answerable question answered with its gold, an unanswerable one abstained."""
        return self.correct_at()


def read_results(results: Path, run: str) -> tuple[Path, list[Row]]:
    """A run's rows, from its results.jsonl or the folder that holds it; ValueError naming the `run`
    command that makes them when there is none."""
    path = results / "results.jsonl" if results.is_dir() else results
    if not path.is_file():
        raise ValueError(f"no results at {path}; run: {run}")
    return path, [Row.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def abstention_scores(rows: Sequence[Row], threshold: float | None = None) -> dict[str, float | None]:
    """Accuracy overall and on answerable rows, abstention precision and recall (None when undefined).

    Example: (answerable right, answerable abstained, unanswerable abstained) -> accuracy 2/3,
    answerable_accuracy 1/2, abstention_precision 1/2, abstention_recall 1.
    """
    abstains = [row.abstains_at(threshold) for row in rows]
    correct = [(not a and r.correct_if_answered) if r.answerable else a for r, a in zip(rows, abstains, strict=True)]
    right_abstentions = sum(a and not r.answerable for r, a in zip(rows, abstains, strict=True))
    answerable = sum(r.answerable for r in rows)
    return {
        "accuracy": share(sum(correct), len(rows)),
        "answerable_accuracy": share(sum(c and r.answerable for r, c in zip(rows, correct, strict=True)), answerable),
        "abstention_precision": share(right_abstentions, sum(abstains)),
        "abstention_recall": share(right_abstentions, len(rows) - answerable),
    }


def reliability_bins(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> list[tuple[float, float, int]]:
    """(mean confidence, share right, count) per non-empty confidence bin of (confidence, right) pairs.

    Example: [(0.91, True), (0.95, False)], 10 bins -> [(0.93, 0.5, 2)].
    """
    groups: dict[int, list[tuple[float, bool]]] = {}
    for value, right in pairs:
        groups.setdefault(min(bins - 1, int(value * bins)), []).append((value, right))
    return [(sum(v for v, _ in g) / len(g), sum(r for _, r in g) / len(g), len(g)) for _, g in sorted(groups.items())]


def calibration_error(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> float | None:
    """Expected calibration error: the gap between each bin's mean confidence and its share right,
    weighted by the bin's size; None without pairs.

    Example: [(0.9, True), (0.9, False), (0.2, False)], 10 bins -> (2 * 0.4 + 1 * 0.2) / 3 = 0.333.
    """
    gaps = (count * abs(mean - right) for mean, right, count in reliability_bins(pairs, bins))
    return sum(gaps) / len(pairs) if pairs else None


def span_f1(rows: Sequence[Row], threshold: float | None = None) -> float | None:
    """Mean span F1 over answerable rows, 0 for an abstention; None when no answer gave a span."""
    answerable = [row for row in rows if row.answerable]
    if all(row.span_f1 is None for row in answerable):
        return None
    return statistics.fmean(0.0 if r.abstains_at(threshold) else r.span_f1 or 0.0 for r in answerable)


def scores(rows: Sequence[Row], threshold: float | None = None) -> dict[str, float | int | None]:
    """The table's metrics over rows; squad's 'holds gold' is answerable_accuracy."""
    return {
        "questions": len(rows),
        "answerable": sum(row.answerable for row in rows),
        "abstained": sum(row.abstains_at(threshold) for row in rows),
        **abstention_scores(rows, threshold),
        "span_f1": span_f1(rows, threshold),
        "calibration_error": calibration_error(
            [(r.confidence, r.correct) for r in rows if r.confidence is not None and not r.abstains_at(threshold)]
        ),
        "median_ms": statistics.median(row.latency_ms for row in rows) if rows else None,
    }


def summarize(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Scores per collection, split and engine (engines side by side), then the split "all" if there are several."""
    groups: dict[tuple[str, str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.collection, row.split, row.engine), []).append(row)
    collections, splits, engines = (_first_seen(key[i] for key in groups) for i in range(3))
    for collection, engine in itertools.product(collections, engines):
        keys = [key for key in groups if (key[0], key[2]) == (collection, engine)]
        if len(keys) > 1:
            groups[(collection, "all", engine)] = [row for key in keys for row in groups[key]]
    order = sorted(groups, key=lambda k: (collections[k[0]], k[1] == "all", splits.get(k[1], 0), engines[k[2]]))
    return [{"collection": c, "split": s, "engine": e, **scores(groups[(c, s, e)])} for c, s, e in order]


def _first_seen(values: Iterable[str]) -> dict[str, int]:
    """Each value's rank of first appearance. Example: ["b", "a", "b"] -> {"b": 0, "a": 1}."""
    return {value: rank for rank, value in enumerate(dict.fromkeys(values))}
