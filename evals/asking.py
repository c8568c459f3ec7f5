"""Asking a collection's questions: ingest its articles, ask every question of every engine, grade each answer.

`run_collection` gives one `Row` per question and engine; `judge` grades an answer as
`python -m evals` does for test-set cases, and by the gold texts (held, span F1) otherwise.
It leaves out loading collections (`evals.loaders`, `evals.items`) and scoring rows (`evals.rows`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from evals.answers import grade
from evals.items import Collection, Item
from evals.metrics import best_f1, holds
from evals.rows import Row
from qa import Assistant, QASettings
from qa.answer_types import Answer


def judge(item: Item, answer: Answer) -> tuple[bool, float | None]:
    """Whether the answer holds the gold answer, were it given (not abstained), and its span's F1."""
    if item.case is not None:  # patterns: graded as `python -m evals` grades; quotes are not checked here
        answered = answer.model_copy(update={"abstained": False})
        return item.answerable and grade(item.case, answered, lambda _doc_id: "").correct, None
    span = answer.answer_span
    f1 = best_f1(span.text, item.gold) if span is not None and item.answerable else None
    return item.answerable and any(holds(answer.answer, gold) for gold in item.gold), f1


def make_row(item: Item, engine: str, threshold: float | None, answer: Answer) -> Row:
    right, f1 = judge(item, answer)
    span = answer.answer_span
    return Row(collection=item.collection, split=item.split, engine=engine, threshold=threshold, id=item.id,
               question=item.question, answerable=item.answerable, gold=list(item.gold), answer=answer.answer,
               abstained=answer.abstained, answer_span=span.model_dump() if span is not None else None,
               confidence=answer.confidence, margin=answer.margin,
               citations=[c.doc_id for c in answer.citations], correct_if_answered=right, span_f1=f1,
               latency_ms=answer.timings_ms["total"])  # fmt: skip


def engine_settings(engine: str, store: Path, articles: Path, threshold: float | None) -> QASettings:
    """Settings for one engine over one collection's store; `threshold` overrides the reader's."""
    base = QASettings(data_dir=store, corpus_dir=articles)
    reader = base.answer.reader
    if threshold is not None:
        reader = reader.model_copy(update={"threshold": threshold})
    return base.model_copy(update={"answer": base.answer.model_copy(update={"engine": engine, "reader": reader})})


def timed_ingest(assistant: Assistant, articles: Path) -> dict[str, Any]:
    started = time.perf_counter()
    report = assistant.ingest(articles, prune=True, progress=True)
    for rejection in report.rejected:
        print(f"rejected {rejection.path}: {rejection.reason}", file=sys.stderr)
    return {"seconds": round(time.perf_counter() - started, 1), "added": len(report.added),
            "updated": len(report.updated), "unchanged": len(report.unchanged), "removed": len(report.removed),
            "rejected": len(report.rejected), "texts_encoded": report.texts_encoded}  # fmt: skip


def run_collection(collection: Collection, engines: Sequence[str], store: Path, threshold: float | None) -> list[Row]:
    """Ingest the collection's articles (incrementally), then ask every question of every engine."""
    first = Assistant(engine_settings(engines[0], store, collection.articles, threshold))
    collection.note["ingest"] = timed_ingest(first, collection.articles)
    if not first.articles():
        raise SystemExit(f"no article of {collection.articles} is indexed (is a folder above it hidden, '.name'?)")
    rows = []
    for engine in engines:
        settings = engine_settings(engine, store, collection.articles, threshold)
        assistant = first if engine == engines[0] else Assistant(settings, first.encoder())
        run_threshold = settings.answer.reader.threshold if engine == "reader" else None
        assistant.ask("What is this about?")  # loads the models, so no question's latency counts it
        for item in tqdm(collection.items, desc=f"{collection.name} ({engine})", unit="question"):
            rows.append(make_row(item, engine, run_threshold, assistant.ask(item.question, list(item.history))))
    return rows
