"""Asking a run's questions: the test sets read and checked, the collection they are asked over, the pipelines.

`load_sets` reads and validates every set before anything is indexed; `collection` gives the assistant
over the project's store, or over a temporary one holding `--corpus` or a SQuAD file's paragraphs;
`evaluate` asks every case of every set of every `Pipeline` (the assistant, and plain llama-index with
`--baseline`), one scored `EvalRow` each. It leaves out the command and its order (`evals.run`) and
what a run writes: the summary, the reports and the run folder (`evals.run_folder`).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tqdm import tqdm

from evals.items import sample, write_articles
from evals.scoring import EvalRow, make_row
from evals.squad import read_squad, trim_articles
from evals.testset import TestSet, TestSetError, check_doc_ids, read_testset
from qa import Assistant, QASettings
from qa.answer_types import Answer
from qa.request_types import Turn

RETRIEVE_K = 5
Ask = Callable[[str, list[Turn]], Answer]


@dataclass
class Pipeline:
    """Something that answers questions and ranks articles, scored the same way as the assistant."""

    name: str
    threshold: float | None  # the abstention threshold it ran with, if it has one
    ask: Ask
    rank: Callable[[str, list[Turn]], list[str]]  # doc_ids of the top passages
    article_text: Callable[[str], str] | None  # quotes are checked against it; None: not checked


def evaluate(
    sets: Sequence[TestSet], settings: QASettings, corpus: Path | None, baseline: bool
) -> tuple[list[EvalRow], dict[str, Any]]:
    """Index if need be, check every gold doc_id is an article, then ask every question of every pipeline."""
    with collection(settings, corpus, sets[0].articles) as (assistant, folder):
        known = {article.doc_id for article in assistant.articles()}
        for testset in sets:
            check_doc_ids(testset, known)
        pipelines = [assistant_pipeline(assistant), *([baseline_pipeline(assistant, folder)] if baseline else [])]
        rows = [row for pipeline in pipelines for row in ask_all(pipeline, sets)]
    return rows, {"corpus": str(folder), "articles": len(known)}


def load_sets(paths: Sequence[Path], corpus: Path | None, limit: int | None) -> list[TestSet]:
    """Every set read and validated; a SQuAD file (its own articles) must come alone, without --corpus."""
    sets = [testset for path in paths for testset in _read(path)]
    if any(testset.articles for testset in sets) and (corpus is not None or len(set(paths)) > 1):
        raise TestSetError("a SQuAD file brings its own articles: give it alone, without --corpus")
    if limit is not None:
        if limit < 1:
            raise ValueError(f"--limit must be at least 1, got {limit}")
        for testset in sets:
            testset.cases = sample(testset.cases, limit)
        if sets[0].articles:
            trim_articles(sets, others=limit)
    return sets


def _read(path: Path) -> list[TestSet]:
    if not path.is_file():
        raise TestSetError(f"{path}: no such file")
    return read_squad(path) if path.suffix == ".json" else [read_testset(path)]


@contextmanager
def collection(settings: QASettings, corpus: Path | None, articles: dict[str, str]) -> Iterator[tuple[Assistant, Path]]:
    """The assistant over the project's store, or over a temporary one holding `corpus` (or `articles`)."""
    if corpus is None and not articles:
        assistant = Assistant(settings)
        _ingest(assistant, settings.corpus_dir)
        yield assistant, settings.corpus_dir
        return
    if corpus is not None and not corpus.is_dir():
        raise ValueError(f"--corpus {corpus}: not a folder")
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as temp:
        if corpus is None:
            corpus = Path(temp) / "articles"
            write_articles(corpus, articles)
        # chroma_url off: a temporary collection never goes to a shared Chroma server.
        update = {"data_dir": Path(temp) / "data", "corpus_dir": corpus, "chroma_url": None}
        assistant = Assistant(settings.model_copy(update=update), encoder=None)
        _ingest(assistant, corpus)
        yield assistant, corpus


def _ingest(assistant: Assistant, corpus: Path) -> None:
    report = assistant.ingest(corpus, progress=sys.stderr.isatty())
    for rejection in report.rejected:
        print(f"qa eval: not indexed: {rejection.path}: {rejection.reason}", file=sys.stderr)
    if not assistant.articles():
        raise ValueError(f"no article of {corpus} could be indexed")


def assistant_pipeline(assistant: Assistant) -> Pipeline:
    """The product as its users call it: `ask` with the conversation, `retrieve` for the ranking."""
    answer = assistant.settings.answer
    reads = answer.engine == "reader" and not assistant.settings.llm.base_url

    def rank(question: str, history: list[Turn]) -> list[str]:
        return [hit.doc_id for hit in assistant.retrieve(question, RETRIEVE_K, history=history).hits]

    text = cache(lambda doc_id: assistant.article(doc_id).text)
    threshold = answer.reader.threshold if reads else None
    return Pipeline("assistant", threshold, assistant.ask, rank, text)


def baseline_pipeline(assistant: Assistant, corpus: Path) -> Pipeline:
    """Plain llama-index over the same article files and encoder; it sees each question as typed."""
    # llama-index's index machinery loads only when asked
    from evals.baseline import PlainLlamaIndex
    from evals.baseline_answers import BestSentence

    sources = {str(Path(assistant.article(a.doc_id).source).resolve()): a.doc_id for a in assistant.articles()}
    plain = PlainLlamaIndex(corpus, assistant.encoder(), RETRIEVE_K, sources)
    answerer = BestSentence(plain)
    # Its quotes index the raw files, not the product's clean text: not checked for verbatim offsets.
    return Pipeline("llama-index", answerer.cutoff, lambda question, _history: answerer.ask(question),
                    lambda question, _history: plain.ranked_doc_ids(question), None)  # fmt: skip


def ask_all(pipeline: Pipeline, sets: Sequence[TestSet]) -> list[EvalRow]:
    """Every case of every set asked once (after a warm-up, so no latency counts loading a model)."""
    pipeline.ask("What is this about?", [])
    rows = []
    total = sum(len(testset.cases) for testset in sets)
    with tqdm(total=total, desc=pipeline.name, unit="question", disable=None) as bar:
        for testset in sets:
            for case in testset.cases:
                answer = pipeline.ask(case.question, case.history)
                ranked = pipeline.rank(case.question, case.history)
                rows.append(make_row(testset.name, testset.role or "unmarked", pipeline.name, pipeline.threshold,
                                     case, answer, ranked, pipeline.article_text))  # fmt: skip
                bar.update()
    return rows
