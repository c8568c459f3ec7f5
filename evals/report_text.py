"""A run's `Report` as text: report.md, and the one screen that `qa eval` prints.

`render_markdown` writes the tables and every failure with what was expected, what came and what
it cited; `print_summary` prints the run, the scores per set and accuracy by type. Every text taken
from articles, questions or answers is data: Markdown output escapes `<`, `&` and table pipes, so
a viewer that renders HTML in Markdown shows it as text. It leaves out what goes into the report
(`evals.report`) and the HTML page with its charts (`evals.report_html`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evals.report import Report, Table, cell, score_table
from evals.scoring import Source

SCREEN = ("questions", "accuracy", "hit@1", "hit@5", "mrr", "citation_precision", "verbatim",
          "abstention_precision", "abstention_recall", "follow_up_accuracy", "p50_ms", "p95_ms")  # fmt: skip


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
