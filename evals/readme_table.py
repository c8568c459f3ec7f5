"""`python -m evals.readme_table [RUN_DIR]`: the README's evaluation table, rewritten from a run.

It reads RUN_DIR/summary.json (default: QA_DATA_DIR/eval/latest, the last `qa eval`) and replaces
what stands between the two markers in README.md; nothing else of the README is touched. `make eval`
runs `qa eval --baseline` and then this.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evals.report import load_note, score_table
from evals.report_text import markdown_table
from qa.settings import PROJECT_ROOT, QASettings

BEGIN = "<!-- qa eval table: `make eval` writes it from the last run; edits here are overwritten -->"
END = "<!-- end of the qa eval table -->"
COLUMNS = ("questions", "accuracy", "hit@1", "hit@5", "mrr", "citation_precision", "citation_recall", "verbatim",
           "abstention_precision", "abstention_recall", "follow_up_accuracy", "p50_ms")  # fmt: skip


def table_lines(summary: dict[str, Any]) -> list[str]:
    when, took = summary["created"][:10], f"{summary['seconds']:.0f} s in all{load_note(summary)}"
    note = f"`qa eval --baseline` on {when}: {summary['articles']} articles, {took}"
    return [note, "", *markdown_table(score_table(summary, COLUMNS))]


def rewrite(readme: str, lines: list[str]) -> str:
    """The README with the text between the markers replaced. Example: "a\\nBEGIN\\nold\\nEND\\nb" -> new inside."""
    if readme.count(BEGIN) != 1 or readme.count(END) != 1 or readme.index(BEGIN) > readme.index(END):
        raise ValueError(f"the README needs the markers once each, in order:\n{BEGIN}\n{END}")
    head, rest = readme.split(BEGIN)
    _, tail = rest.split(END)
    return head + BEGIN + "\n" + "\n".join(lines) + "\n" + END + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.readme_table", description=__doc__.split("\n")[0])
    parser.add_argument("run", nargs="?", type=Path, help="a qa eval output folder (default: the last run)")
    parser.add_argument("--readme", type=Path, default=PROJECT_ROOT / "README.md")
    args = parser.parse_args(argv)
    run = args.run or QASettings().data_dir / "eval" / "latest"
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    args.readme.write_text(rewrite(args.readme.read_text(encoding="utf-8"), table_lines(summary)), encoding="utf-8")
    print(f"{args.readme}: the evaluation table rewritten from {run}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
