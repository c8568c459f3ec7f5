"""Score retrieval on the test set: ours (hybrid, follow-ups rewritten) and plain llama-index."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from evals.case import Case
from evals.metrics import retrieval_scores
from qa import Assistant

Ranker = Callable[[Case], list[str]]


def assistant_ranker(assistant: Assistant, k: int = 5) -> Ranker:
    """Our retrieval, as the chat uses it: a follow-up is rewritten with its history first."""

    def rank(case: Case) -> list[str]:
        return [hit.doc_id for hit in assistant.retrieve(case.question, k, history=case.history).hits]

    return rank


def question_ranker(rank_question: Callable[[str], list[str]]) -> Ranker:
    """A pipeline that only sees the question as typed (no conversation)."""
    return lambda case: rank_question(case.question)


def score_retrieval(cases: Sequence[Case], rank: Ranker) -> tuple[dict[str, float], list[dict[str, object]]]:
    """Metrics over the answerable cases, and one row per case for the report."""
    rows: list[dict[str, object]] = []
    runs = []
    for case in (c for c in cases if c.answerable):
        ranked = rank(case)
        runs.append((ranked, set(case.gold_doc_ids)))
        rows.append({"id": case.id, "question": case.question, "gold": case.gold_doc_ids, "ranked": ranked})
    return retrieval_scores(runs), rows
