"""What a run says, as tables and failures (`Report`): the sets, the scores, the scores by type.

`build_report` turns the rows and the summary into a `Report`, and `cell` is how every number is
shown. It leaves out rendering: report.md and the one-screen summary are `evals.report_text`,
report.html with its charts `evals.report_html`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evals.scoring import EvalRow

ROLE_NOTE = "dev: the set chose a setting or a rule, so its numbers flatter the product; test: only scored"
COLUMNS = {  # metric -> column header
    "questions": "n", "accuracy": "accuracy", "answerable_accuracy": "answerable right", "hit@1": "hit@1",
    "hit@3": "hit@3", "hit@5": "hit@5", "mrr": "MRR", "gold_span": "gold span", "span_f1": "span F1",
    "citation_precision": "citation P", "citation_recall": "citation R", "verbatim": "verbatim",
    "abstention_precision": "abstention P", "abstention_recall": "abstention R",
    "follow_up_accuracy": "follow-ups", "calibration_error": "calibration error", "p50_ms": "p50 ms",
    "p95_ms": "p95 ms",
}  # fmt: skip
BY_TYPE = ("questions", "accuracy", "hit@1", "mrr", "span_f1", "citation_precision", "abstention_recall", "p50_ms")


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    caption: str = ""


@dataclass
class Failure:
    pipeline: str
    row: EvalRow
    expected: str


@dataclass
class Report:
    title: str
    facts: list[tuple[str, str]]
    tables: list[Table]
    failures: list[Failure]
    changes: list[Table] = field(default_factory=list)


def cell(value: Any) -> str:
    """Example: 0.8 -> "0.800"; 640.71 (ms) -> "640.7"; None -> "-"; 70 -> "70"."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"
    return str(value)


def score_table(summary: dict[str, Any], keys: Sequence[str]) -> Table:
    """Each set's pipelines side by side; then each role's sets together (where a role has several) and all."""
    roles = {s["name"]: s["role"] or "unmarked" for s in summary["sets"]}
    groups = [(name, role, ("sets", name)) for name, role in roles.items()]
    if len(roles) > 1:
        shared = [role for role in dict.fromkeys(roles.values()) if list(roles.values()).count(role) > 1]
        groups += [(f"all {role} sets", role, ("roles", role)) for role in shared]
        groups.append(("all", "", ("all", None)))
    rows = [[label, role, pipeline, *(_part(scores, part)[key] for key in keys)]
            for label, role, part in groups for pipeline, scores in summary["scores"].items()]  # fmt: skip
    return Table("Scores", ["set", "role", "pipeline", *(COLUMNS[k] for k in keys)], rows, ROLE_NOTE)


def _part(scores: dict[str, Any], part: tuple[str, str | None]) -> dict[str, Any]:
    group, name = part
    return scores["all"] if name is None else scores[group][name]


def set_table(summary: dict[str, Any]) -> Table:
    """Which set is which: its role (dev sets chose something, test sets are only scored) and what it is."""
    rows = [[s["name"], s["role"] or "unmarked", s["questions"], s["answerable"], s["follow_ups"], s["path"], s["note"]]
            for s in summary["sets"]]  # fmt: skip
    columns = ["set", "role", "questions", "answerable", "follow-ups", "file", "note"]
    return Table("Sets", columns, rows, ROLE_NOTE + "; unmarked: the file does not say")


def type_table(summary: dict[str, Any]) -> Table:
    rows = [
        [kind, pipeline, *(metrics[k] for k in BY_TYPE)]
        for pipeline, scores in summary["scores"].items()
        for kind, metrics in sorted(scores["types"].items())
    ]
    return Table("By question type", ["type", "pipeline", *(COLUMNS[k] for k in BY_TYPE)], rows)


def expected(row: EvalRow) -> str:
    if not row.answerable:
        return "an abstention (the articles do not answer it)"
    return " or ".join(row.gold) + f" (from {', '.join(row.gold_docs)})"


def build_report(rows: Sequence[EvalRow], summary: dict[str, Any]) -> Report:
    sets = (f"{s['name']} ({s['role'] or 'role unmarked'}, {s['questions']} questions)" for s in summary["sets"])
    facts = [("created", summary["created"]), ("corpus", f"{summary['corpus']} ({summary['articles']} articles)"),
             ("sets", ", ".join(sets)), ("time", f"{summary['seconds']} s{load_note(summary)}"),
             ("thresholds", ", ".join(f"{p}: {cell(t)}" for p, t in summary["thresholds"].items()))]  # fmt: skip
    if summary.get("limit"):
        facts.append(("limit", f"a seeded sample of at most {summary['limit']} questions per set"))
    failures = [Failure(row.engine, row, expected(row)) for row in rows if not row.correct]
    tables = [set_table(summary), score_table(summary, list(COLUMNS)), type_table(summary)]
    return Report("Evaluation report", facts, tables, failures)


def load_note(summary: dict[str, Any]) -> str:
    """Example: {"load_average": 5.6, "cpus": 2} -> " (load average 5.6 on 2 cores)"; {} -> ""."""
    if "load_average" not in summary:
        return ""
    return f" (load average {summary['load_average']} on {summary['cpus']} cores)"
