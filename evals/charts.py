"""The report's charts as PNG bytes (matplotlib, Agg backend: no screen, no fonts downloaded).

- accuracy by question type, one bar per pipeline;
- latency histogram, one per pipeline;
- abstention precision and recall over the abstention threshold on the reader's margin, the
  configured threshold marked. At t a question abstains when it abstained in the run or its margin
  is below t (`evals.rows.abstention_scores`); left of the configured threshold the run's
  own abstentions stand, since an abstained question's answer was never given;
- calibration: answered questions binned by confidence, the share right in each bin.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: render to memory, never to a window
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from evals.rows import abstention_scores, reliability_bins
from evals.scoring import EvalRow
from evals.threshold import candidates

SIZE = (6.4, 3.6)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return buffer.getvalue()


def accuracy_by_type(scores: dict[str, dict[str, Any]]) -> bytes:
    """`scores`: pipeline -> its summary scores (with "types")."""
    figure, axes = plt.subplots(figsize=SIZE)
    kinds = sorted({kind for pipeline in scores.values() for kind in pipeline["types"]})
    width = 0.8 / max(1, len(scores))
    for i, (name, pipeline) in enumerate(scores.items()):
        values = [(pipeline["types"].get(kind) or {}).get("accuracy") or 0.0 for kind in kinds]
        axes.bar([k + i * width for k in range(len(kinds))], values, width, label=name)
    axes.set_xticks([k + width * (len(scores) - 1) / 2 for k in range(len(kinds))], kinds)
    axes.set(ylim=(0, 1), ylabel="accuracy", title="Accuracy by question type")
    axes.legend()
    return _png(figure)


def latency_histogram(rows: Sequence[EvalRow]) -> bytes:
    figure, axes = plt.subplots(figsize=SIZE)
    for name in dict.fromkeys(row.engine for row in rows):
        axes.hist([row.latency_ms for row in rows if row.engine == name], bins=30, alpha=0.6, label=name)
    axes.set(xlabel="ms per question", ylabel="questions", title="Latency")
    axes.legend()
    return _png(figure)


def abstention_curve(rows: Sequence[EvalRow], configured: float | None, name: str = "") -> bytes:
    """Precision and recall of abstaining over the margin threshold; `rows` are one pipeline's."""
    figure, axes = plt.subplots(figsize=SIZE)
    # Only answered questions' margins move the curve; it starts a little left of the configured threshold.
    margins = [row.margin for row in rows if row.margin is not None and not row.abstained]
    thresholds = candidates(margins) if margins else [0.0]
    if configured is not None:
        thresholds = sorted({configured - 2.0, *thresholds})
    points = [abstention_scores(rows, t) for t in thresholds]
    for key, label in (("abstention_precision", "precision"), ("abstention_recall", "recall")):
        axes.plot(thresholds, [_or_nan(point[key]) for point in points], label=label)
    if configured is not None:
        axes.axvline(configured, color="black", linestyle="--", label=f"configured {configured:g}")
    axes.set(ylim=(0, 1.02), xlabel="abstention threshold on the reader's margin", title=f"Abstention {name}".strip())
    axes.legend()
    return _png(figure)


def _or_nan(value: float | None) -> float:
    """An undefined score leaves a gap in the line. Example: None -> nan."""
    return float("nan") if value is None else value


def calibration(rows: Sequence[EvalRow], bins: int = 10) -> bytes:
    """Answered questions binned by confidence: the share right against the bin's mean confidence."""
    figure, axes = plt.subplots(figsize=SIZE)
    axes.plot([0, 1], [0, 1], color="grey", linestyle=":", label="calibrated")
    for name in dict.fromkeys(row.engine for row in rows):
        answered = [row for row in rows if row.engine == name and not row.abstained and row.confidence is not None]
        points = _binned(answered, bins)
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
        for x, y, count in points:
            axes.annotate(str(count), (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
    axes.set(xlim=(0, 1.02), ylim=(0, 1.08), xlabel="confidence", ylabel="share right (n beside each bin)")
    axes.set_title("Calibration (answered questions)")
    axes.legend()
    return _png(figure)


def _binned(rows: Sequence[EvalRow], bins: int) -> list[tuple[float, float, int]]:
    """(mean confidence, share right, count) per non-empty bin (`evals.rows.reliability_bins`)."""
    return reliability_bins([(row.confidence or 0.0, row.correct) for row in rows], bins)


def all_charts(rows: Sequence[EvalRow], summary: dict[str, Any]) -> dict[str, bytes]:
    """Name -> PNG, for the report; the abstention curve is the first pipeline's (the assistant's)."""
    first = next(iter(summary["scores"]), None)
    own = [row for row in rows if row.engine == first]
    return {
        "accuracy_by_type": accuracy_by_type(summary["scores"]),
        "latency": latency_histogram(rows),
        "abstention": abstention_curve(own, summary["thresholds"].get(first), f"({first})" if first else ""),
        "calibration": calibration(rows),
    }
