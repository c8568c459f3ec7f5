"""`qa eval`: test sets through the public API (`Assistant`), scored, reported, compared and gated.

Every test set is read and validated before any question is asked (file, line and reason). The
project's own sets run on the project's collection; `--corpus DIR` indexes that folder into a
temporary store first, and a SQuAD 2.0 file brings its paragraphs as articles. Outputs, in
`--out` (default `QA_DATA_DIR/eval/<time>`, with `QA_DATA_DIR/eval/latest` pointing at it):
results.jsonl (one scored row per question and pipeline), summary.json, report.md, report.html.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tqdm import tqdm

from evals.compare import change_table, changes, compare_summary, print_changes
from evals.gate import Floors, check, read_gate
from evals.items import sample, write_articles
from evals.report import Report, build_report, print_summary, render_markdown
from evals.report_html import render_html
from evals.scoring import EvalRow, breakdown, make_row, metrics
from evals.squad import read_squad, trim_articles
from evals.testset import EVAL_SETS, TestSet, TestSetError, check_doc_ids, read_testset
from qa import Assistant, QASettings
from qa.types import Answer, Turn

RETRIEVE_K = 5
Ask = Callable[[str, list[Turn]], Answer]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `qa eval` subcommand's options (qa/cli.py dispatches to `run`)."""
    parser = commands.add_parser("eval", help="score test sets on a collection; writes a report",
                                 description=__doc__.split("\n\n")[0])  # fmt: skip
    sets = "JSON lines (.jsonl) or SQuAD 2.0 (.json); repeatable (default: the project's sets)"
    parser.add_argument("--testset", type=Path, action="append", help=sets)
    parser.add_argument("--corpus", type=Path, help="a folder of articles, indexed into a temporary store first")
    parser.add_argument("--out", type=Path, help="folder for the results and reports (default: QA_DATA_DIR/eval/TIME)")
    parser.add_argument("--limit", type=int, help="ask at most N questions per set (a seeded sample)")
    plain = "also run plain llama-index on the same sets and articles"
    parser.add_argument("--baseline", action="store_true", help=plain)
    changed = "list the questions that went from right to wrong and back since that run"
    parser.add_argument("--compare", type=Path, metavar="RUN_DIR", help=changed)
    floors = "exit 1 when a score of the assistant falls below its floor in this file (e.g. evals/gate.toml)"
    parser.add_argument("--gate", type=Path, metavar="TOML", help=floors)


@dataclass
class Pipeline:
    """Something that answers questions and ranks articles, scored the same way as the assistant."""

    name: str
    threshold: float | None  # the abstention threshold it ran with, if it has one
    ask: Ask
    rank: Callable[[str, list[Turn]], list[str]]  # doc_ids of the top passages
    article_text: Callable[[str], str] | None  # quotes are checked against it; None: not checked


def run(args: argparse.Namespace, settings: QASettings) -> int:
    """Everything is read and checked first; then the questions; then the outputs and the summary."""
    started = time.perf_counter()
    sets = load_sets(args.testset or list(EVAL_SETS), args.corpus, args.limit)
    before = read_rows(args.compare) if args.compare else None
    floors = read_gate(args.gate) if args.gate else None
    rows, context = evaluate(sets, settings, args.corpus, args.baseline)
    seconds = round(time.perf_counter() - started, 1)
    # The machine's load beside the latencies: on a shared 2-core machine they measure the neighbours too.
    machine = {"cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 1)}
    summary = summarise(rows, sets, {**context, "limit": args.limit, "seconds": seconds, **machine})
    report = build_report(rows, summary)
    found = changes(before, rows) if before is not None else []
    if before is not None:
        summary["compare"] = compare_summary(args.compare, before, rows)
        report.changes.append(change_table(args.compare, found))
    out = args.out or default_out(settings.data_dir)
    write_run(out, rows, summary, report)
    print_summary(report, summary, str(out))
    if before is not None:
        print_changes(args.compare, found)
    return 0 if floors is None else _gate(args.gate, summary, floors)


def _gate(path: Path, summary: dict[str, Any], floors: Floors) -> int:
    """1 when a score is below its floor in `path`, each such score named on stderr."""
    failures = check(summary, floors)
    for failure in failures:
        print(f"qa eval: gate: {failure}", file=sys.stderr)
    count = sum(len(table) for table in floors.values())
    print(
        f"gate {path}: {len(failures)} of {count} floors not met"
        if failures
        else f"gate {path}: all {count} floors met"
    )
    return 1 if failures else 0


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
    from evals.baseline import BestSentence, PlainLlamaIndex  # llama-index's index machinery loads only when asked

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


def summarise(rows: Sequence[EvalRow], sets: Sequence[TestSet], context: dict[str, Any]) -> dict[str, Any]:
    """summary.json: the run, its sets and their roles, and every pipeline's metrics overall, per set, per type."""
    pipelines = list(dict.fromkeys(row.engine for row in rows))
    return {
        "created": dt.datetime.now().isoformat(timespec="seconds"), **context,
        "thresholds": {row.engine: row.threshold for row in rows},
        "sets": [{"name": s.name, "path": str(s.path), "role": s.role, "note": s.note, "questions": len(s.cases),
                  "answerable": sum(c.answerable for c in s.cases), "follow_ups": sum(bool(c.history) for c in s.cases)}
                 for s in sets],
        "scores": {name: _pipeline_scores([row for row in rows if row.engine == name]) for name in pipelines},
    }  # fmt: skip


def _pipeline_scores(rows: Sequence[EvalRow]) -> dict[str, Any]:
    return {
        "all": metrics(rows),
        "sets": breakdown(rows, lambda row: row.collection),
        "roles": breakdown(rows, lambda row: row.split),
        "types": breakdown(rows, lambda row: row.type),
    }


def default_out(data_dir: Path) -> Path:
    """A new folder under `data_dir/eval`, with `latest` pointing at it."""
    root = data_dir / "eval"
    out = root / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    link = root / "latest.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(out.name)
    os.replace(link, root / "latest")
    return out


def write_run(out: Path, rows: Sequence[EvalRow], summary: dict[str, Any], report: Report) -> None:
    """results.jsonl, summary.json, report.md (with its charts under charts/) and the self-contained report.html."""
    from evals.charts import all_charts  # matplotlib loads in a second; every other `qa` command goes without it

    (out / "charts").mkdir(parents=True, exist_ok=True)
    (out / "results.jsonl").write_text("".join(row.model_dump_json() + "\n" for row in rows), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str) + "\n", encoding="utf-8")
    charts = all_charts(rows, summary)
    for name, png in charts.items():
        (out / "charts" / f"{name}.png").write_bytes(png)
    (out / "report.md").write_text(render_markdown(report, list(charts)), encoding="utf-8")
    (out / "report.html").write_text(render_html(report, charts), encoding="utf-8")


def read_rows(run_dir: Path) -> list[EvalRow]:
    """The rows of an earlier run's results.jsonl."""
    path = run_dir / "results.jsonl"
    if not path.is_file():
        raise ValueError(f"{run_dir}: no results.jsonl (not a qa eval run folder)")
    return [EvalRow.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
