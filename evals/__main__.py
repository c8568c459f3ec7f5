"""`python -m evals`: score retrieval and answers on the test set, beside plain llama-index."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from evals.answers import Graded, answer_scores, run_answers
from evals.baseline import PlainLlamaIndex
from evals.baseline_answers import TopChunkAnswers
from evals.case import Case
from evals.retrieval import assistant_ranker, question_ranker, score_retrieval
from evals.testset import EVAL_SETS, load_testset
from qa import Assistant, QASettings

RETRIEVAL = ("hit@1", "hit@3", "hit@5", "mrr")
ANSWERS = ("accuracy", "citation_precision", "abstention_precision", "abstention_recall", "verbatim", "median_ms")


def _table(title: str, columns: tuple[str, ...], rows: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'pipeline':<26}" + "".join(f"{c:>22}" for c in columns))
    for name, scores in rows.items():
        print(f"{name:<26}" + "".join(f"{scores[c]:>22.3f}" if c in scores else f"{'-':>22}" for c in columns))


def _report_misses(graded: list[Graded]) -> None:
    for g in graded:
        if not g.correct:
            print(
                f"  wrong {g.case.id} ({g.case.type}): {g.case.question}\n      -> {g.answer.answer[:200]}",
                file=sys.stderr,
            )


Scores = dict[str, dict[str, dict[str, float]]]  # "retrieval" or "answers" -> pipeline -> metric -> value


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    paths = [Path(p) for p in args.testset] if args.testset else list(EVAL_SETS)
    assistant, plain = _pipelines(args.no_baseline)
    report: dict[str, Scores] = {}
    for path in paths:
        cases = load_testset(path)
        report[path.name], graded = _score(cases, assistant, plain)
        if args.json:
            continue
        _print_scores(path.name, cases, report[path.name])
        if args.misses:
            _report_misses(graded)
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    parser.add_argument(
        "--testset",
        action="append",
        help=f"JSON lines test set (repeatable; default: {', '.join(p.name for p in EVAL_SETS)})",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain llama-index runs")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--misses", action="store_true", help="list wrong answers on stderr")
    return parser.parse_args(argv)


def _pipelines(no_baseline: bool) -> tuple[Assistant, PlainLlamaIndex | None]:
    """This project's assistant with the corpus indexed, and plain llama-index over it unless skipped."""
    settings = QASettings()
    assistant = Assistant(settings)
    assistant.ingest()
    return assistant, None if no_baseline else PlainLlamaIndex(settings.corpus_dir, assistant.encoder())


def _score(cases: list[Case], assistant: Assistant, plain: PlainLlamaIndex | None) -> tuple[Scores, list[Graded]]:
    """Retrieval and answer scores of each pipeline, and this project's graded answers."""
    graded = run_answers(cases, assistant)
    retrieval = {"this project": score_retrieval(cases, assistant_ranker(assistant))[0]}
    answers = {"this project": answer_scores(graded)}
    if plain is not None:
        retrieval["plain llama-index"] = score_retrieval(cases, question_ranker(plain.ranked_doc_ids))[0]
        answers["plain llama-index (top chunk)"] = TopChunkAnswers(plain).scores(cases)
    return {"retrieval": retrieval, "answers": answers}, graded


def _print_scores(name: str, cases: list[Case], scores: Scores) -> None:
    answerable = sum(c.answerable for c in cases)
    print(f"\n== {name}: {len(cases)} cases ({answerable} answerable, {len(cases) - answerable} not; "
          f"{sum(bool(c.history) for c in cases)} follow-ups)")  # fmt: skip
    _table(
        "Retrieval (answerable cases; a hit is a gold article among the top k passages)", RETRIEVAL, scores["retrieval"]
    )
    _table("Answers", ANSWERS, scores["answers"])


if __name__ == "__main__":
    raise SystemExit(main())
