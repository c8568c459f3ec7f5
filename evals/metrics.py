"""Pure scorers: retrieval (hit@k, mean reciprocal rank) and answer text (SQuAD's normalisation,
whole-word containment, token F1). A gold answer that is a date is also held by the same date
written another way, since answers state dates as "6 January 1913". Nothing here runs a pipeline."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from qa.compose_reader import normalise_answer
from qa.dates import find_dates

normalize = normalise_answer  # SQuAD's answer normalisation, as the product compares answers


def first_relevant_rank(ranked: Sequence[str], gold: set[str]) -> int | None:
    """1-based rank of the first relevant item. Example: (["b", "a"], {"a"}) -> 2."""
    return next((rank for rank, doc in enumerate(ranked, start=1) if doc in gold), None)


def retrieval_scores(runs: Sequence[tuple[Sequence[str], set[str]]], ks: Sequence[int] = (1, 3, 5)) -> dict[str, float]:
    """hit@k for each k and MRR over (ranked doc_ids, gold doc_ids) pairs.

    Example: [(["a", "b"], {"b"}), (["c"], {"c"})] -> {"hit@1": 0.5, "hit@3": 1.0, ..., "mrr": 0.75}
    """
    if not runs:
        raise ValueError("no runs to score")
    ranks = [first_relevant_rank(ranked, gold) for ranked, gold in runs]
    scores = {f"hit@{k}": sum(1 for r in ranks if r is not None and r <= k) / len(ranks) for k in ks}
    scores["mrr"] = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return scores


def holds(answer: str, gold: str) -> bool:
    """The normalised gold text occurs in the answer as whole words, or a gold date as the same date.

    Example: ("It was 40% in 2010 [1].", "40%") -> True; ("1400 people", "40") -> False;
    ("On 6 January 1913, ...", "January 6, 1913") -> True; ("In January 1913", "January 6, 1913") -> False.
    """
    needle = normalize(gold)
    if bool(needle) and f" {needle} " in f" {normalize(answer)} ":
        return True
    dates = find_dates(gold.strip(), None)
    whole = len(dates) == 1 and (dates[0].start, dates[0].end) == (0, len(gold.strip()))
    return whole and any((d.date, d.precision) == (dates[0].date, dates[0].precision) for d in find_dates(answer, None))


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD token F1. Example: ("the Rhine delta", "Rhine") -> P 1/2, R 1 -> 0.667."""
    predicted, expected = normalize(prediction).split(), normalize(gold).split()
    common = sum((Counter(predicted) & Counter(expected)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def best_f1(prediction: str, golds: Sequence[str]) -> float:
    """F1 against the closest gold answer. Example: ("Rhine delta", ["Rhine", "delta"]) -> 0.667."""
    return max((token_f1(prediction, gold) for gold in golds), default=0.0)


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to share. Example: (1, 4) -> 0.25; (0, 0) -> None."""
    return part / whole if whole else None


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile. Example: ([30, 10, 20, 40], 0.5) -> 20; ([30, 10, 20, 40], 0.95) -> 40."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]
