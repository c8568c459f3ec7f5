"""Score retrieval on the test set: ours (hybrid) and, optionally, plain llama-index."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from evals.metrics import retrieval_scores
from evals.testset import Case
from qa import Assistant

Ranker = Callable[[str], list[str]]


def assistant_ranker(assistant: Assistant, k: int = 5) -> Ranker:
    return lambda question: [hit.doc_id for hit in assistant.retrieve(question, k).hits]


def score_retrieval(cases: Sequence[Case], rank: Ranker) -> tuple[dict[str, float], list[dict[str, object]]]:
    """Metrics over the answerable cases, and one row per case for the report."""
    answerable = [case for case in cases if case.answerable]
    rows, runs = [], []
    for case in answerable:
        ranked = rank(case.question)
        runs.append((ranked, set(case.gold_doc_ids)))
        rows.append({"id": case.id, "question": case.question, "gold": case.gold_doc_ids, "ranked": ranked})
    return retrieval_scores(runs), rows
