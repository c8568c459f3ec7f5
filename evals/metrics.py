"""Retrieval metrics over ranked doc_id lists: hit@k and mean reciprocal rank."""

from __future__ import annotations

from collections.abc import Sequence


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
