"""What a run says, as tables and failures (`Report`), printed on one screen or written as report.md.

`build_report` turns the rows and the summary into a `Report`; `report_html` renders the same
report with charts. Every text taken from articles, questions or answers is data: Markdown output
escapes `<`, `&` and table pipes, so a viewer that renders HTML in Markdown shows it as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evals.scoring import EvalRow, Source

ROLE_NOTE = "dev: the set chose a setting or a rule, so its numbers flatter the product; test: only scored"
COLUMNS = {  # metric -> column header
    "questions": "n", "accuracy": "accuracy", "answerable_accuracy": "answerable right", "hit@1": "hit@1",
    "hit@3": "hit@3", "hit@5": "hit@5", "mrr": "MRR", "gold_span": "gold span", "span_f1": "span F1",
    "citation_precision": "citation P", "citation_recall": "citation R", "verbatim": "verbatim",
    "abstention_precision": "abstention P", "abstention_recall": "abstention R",
    "follow_up_accuracy": "follow-ups", "calibration_error": "calibration error", "p50_ms": "p50 ms",
    "p95_ms": "p95 ms",
}  # fmt: skip
SCREEN = ("questions", "accuracy", "hit@1", "hit@5", "mrr", "citation_precision", "verbatim",
          "abstention_precision", "abstention_recall", "follow_up_accuracy", "p50_ms", "p95_ms")  # fmt: skip
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


def _md(text: str) -> str:
    """Example: "a <b> | c" -> "a &lt;b&gt; \\| c"."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(escaped.replace("|", "\\|").split())


def markdown_table(table: Table) -> list[str]:
    """The table's lines in Markdown, every cell escaped."""
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    return lines + ["| " + " | ".join(_md(cell(value)) for value in row) + " |" for row in table.rows]


def _md_section(table: Table) -> list[str]:
    return [f"## {table.title}", "", *([table.caption, ""] if table.caption else []), *markdown_table(table), ""]


def _md_source(source: Source) -> str:
    mark = "" if source.verbatim is not False else " (not verbatim at its offsets)"
    return f"  - [{source.n}] {_md(source.doc_id)} {source.start}:{source.end}{mark}: “{_md(source.quote)}”"


def render_markdown(report: Report, charts: Sequence[str] = ()) -> str:
    lines = [f"# {report.title}", "", *(f"- {key}: {_md(value)}" for key, value in report.facts), ""]
    lines += [f"![{name}](charts/{name}.png)" for name in charts] + ([""] if charts else [])
    for table in [*report.tables, *report.changes]:
        lines += _md_section(table)
    lines += [f"## Failures ({len(report.failures)})", ""]
    for failure in report.failures:
        row = failure.row
        lines.append(f"### {_md(failure.pipeline)} · {_md(row.collection)} {_md(row.id)} ({row.type})")
        lines += [f"- asked after: {_md(turn.role)}: {_md(turn.content)}" for turn in row.history]
        lines += [f"- question: {_md(row.question)}", f"- expected: {_md(failure.expected)}",
                  f"- got: {_md(row.answer)} (confidence {cell(row.confidence)})"]  # fmt: skip
        lines += ["- cited:", *map(_md_source, row.sources)] if row.sources else ["- cited: nothing"]
        lines.append("")
    return "\n".join(lines)


def print_summary(report: Report, summary: dict[str, Any], out: str) -> None:
    """One screen: the run, scores per set, accuracy by type, and where the failures are listed."""
    print(f"qa eval: {'; '.join(f'{k} {v}' for k, v in report.facts if k in ('corpus', 'time'))}")
    table = score_table(summary, SCREEN)
    widths = [max(len(cell(v)) for v in [h, *(r[i] for r in table.rows)]) for i, h in enumerate(table.columns)]
    for line in [table.columns, *table.rows]:
        print(
            "  ".join(
                cell(v).rjust(w) if i > 2 else cell(v).ljust(w)
                for i, (v, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    for pipeline, scores in summary["scores"].items():
        kinds = ", ".join(f"{k} {cell(m['accuracy'])} ({m['questions']})" for k, m in sorted(scores["types"].items()))
        print(f"accuracy by type, {pipeline}: {kinds}")
    print(f"{len(report.failures)} wrong, each listed with what was expected: {out}/report.md, {out}/report.html")
