"""One question's scores (`EvalRow`, a line of results.jsonl) and the metrics over many (`metrics`).

A row extends `evals.rows.Row` (accuracy and abstention are scored the same way there)
with what `qa eval` reports beside: the question's type and conversation, the passages retrieved,
each cited source, and whether the direct answer span holds a gold answer text. Definitions:
- accuracy: answerable, answered and a gold answer given (`Case.matches`), or unanswerable and abstained;
- hit@k, MRR: a gold article among the top k retrieved passages (answerable questions with gold articles);
- gold span, span F1: the answer span holds a gold answer text / its token F1 with the closest one
  (answerable questions whose gold answers include texts; an abstention scores 0);
- citation precision: cited sources from a gold (or earlier-stance) article, of all cited sources in
  answers to answerable questions; citation recall: answered answerable questions citing a gold article;
- verbatim: cited quotes equal to the article text at their offsets (where checked);
- follow-up accuracy: accuracy over questions asked after a conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, Field, computed_field

from evals.case import Case
from evals.metrics import best_f1, first_relevant_rank, holds, percentile, retrieval_scores, share
from evals.rows import Row, scores, span_f1
from qa.answer_types import Answer
from qa.article_types import WebUrl
from qa.request_types import Turn

RETRIEVAL_KS = (1, 3, 5)


class Source(BaseModel):
    """A cited source of an answer."""

    n: int
    doc_id: str
    title: str | None
    url: WebUrl = None
    quote: str
    start: int
    end: int
    gold: bool = Field(description="From a gold article, or one holding an earlier stance.")
    verbatim: bool | None = Field(description="The article's text at [start:end] is the quote; None: not checked.")


class EvalRow(Row):
    """One question of one set asked of one pipeline (`collection` is the set, `split` its role)."""

    type: str
    history: list[Turn]
    gold_docs: list[str]
    gold_texts: list[str] = Field(description="Gold answers given as text (the gold spans).")
    ranked: list[str] | None = Field(description="doc_ids of the top retrieved passages; None when not retrieved.")
    sources: list[Source]
    gold_span_in_answer: bool | None = Field(description="The answer span holds a gold text; None without gold texts.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retrieval_rank(self) -> int | None:
        """Rank of the first passage from a gold article; None if none was retrieved."""
        return first_relevant_rank(self.ranked or [], set(self.gold_docs))


def gold_display(case: Case) -> list[str]:
    """Gold answers for people. Example: ["Kursk", AnyOf(["kursk", "russia"])] -> ["Kursk", "/kursk/ or /russia/"]."""
    return [gold if isinstance(gold, str) else " or ".join(f"/{p}/" for p in gold.any_of) for gold in case.answers]


def make_row(
    setname: str, role: str, pipeline: str, threshold: float | None, case: Case, answer: Answer,
    ranked: list[str] | None, article_text: Callable[[str], str] | None,
) -> EvalRow:  # fmt: skip
    """Score one answer; quotes are checked against `article_text` when it is given."""
    span, golds = answer.answer_span, case.gold_texts if case.answerable else []
    sources = [
        Source(n=c.n, doc_id=c.doc_id, title=c.title, url=c.url, quote=c.quote, start=c.start, end=c.end,
               gold=c.doc_id in case.citable_doc_ids,
               verbatim=None if article_text is None else article_text(c.doc_id)[c.start : c.end] == c.quote)
        for c in answer.citations
    ]  # fmt: skip
    return EvalRow(
        collection=setname, split=role, engine=pipeline, threshold=threshold, id=case.id, question=case.question,
        answerable=case.answerable, gold=gold_display(case), answer=answer.answer, abstained=answer.abstained,
        answer_span=span.model_dump() if span else None, confidence=answer.confidence, margin=answer.margin,
        citations=[c.doc_id for c in answer.citations], correct_if_answered=case.answerable and case.matches(
        answer.answer), span_f1=best_f1(span.text, golds) if span and golds else None,
        latency_ms=answer.timings_ms["total"], type=case.type, history=case.history, gold_docs=case.gold_doc_ids,
        gold_texts=golds, ranked=ranked, sources=sources,
        gold_span_in_answer=(span is not None and any(holds(span.text, g) for g in golds)) if golds else None,
    )  # fmt: skip


def metrics(rows: Sequence[EvalRow]) -> dict[str, Any]:
    """Every metric of the module docstring over `rows` (None where it is undefined)."""
    answerable = [row for row in rows if row.answerable]
    answered = [row for row in answerable if not row.abstained]
    with_spans = [row for row in answerable if row.gold_texts]
    cited = [source for row in answered for source in row.sources]
    checked = [source.verbatim for row in rows for source in row.sources if source.verbatim is not None]
    follow_ups = [row for row in rows if row.history]
    latencies = [row.latency_ms for row in rows]
    base = {key: value for key, value in scores(rows).items() if key not in ("span_f1", "median_ms")}
    return {
        **base, "follow_ups": len(follow_ups), **_retrieval(answerable),
        "gold_span": share(sum(bool(row.gold_span_in_answer) for row in with_spans), len(with_spans)),
        "span_f1": span_f1(with_spans) if with_spans else None,
        "citation_precision": share(sum(s.gold for s in cited), len(cited)),
        "citation_recall": share(sum(any(s.gold for s in r.sources) for r in answered), len(answered)),
        "verbatim": share(sum(checked), len(checked)),
        "follow_up_accuracy": share(sum(row.correct for row in follow_ups), len(follow_ups)),
        "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95),
    }  # fmt: skip


def _retrieval(answerable: Sequence[EvalRow]) -> dict[str, float | None]:
    runs = [(row.ranked, set(row.gold_docs)) for row in answerable if row.ranked is not None and row.gold_docs]
    if not runs:
        return {**{f"hit@{k}": None for k in RETRIEVAL_KS}, "mrr": None}
    return dict(retrieval_scores(runs, RETRIEVAL_KS))


def breakdown(rows: Sequence[EvalRow], key: Callable[[EvalRow], str]) -> dict[str, dict[str, Any]]:
    """Metrics per group, groups in order of first appearance. Example: key=lambda r: r.type."""
    groups: dict[str, list[EvalRow]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return {name: metrics(group) for name, group in groups.items()}
