"""A run's folder: summary.json's content, where a run goes, the files it writes and the rows read back.

`summarise` gives the run, its sets and their roles, and every pipeline's metrics overall, per set, per
role and per type; `write_run` writes results.jsonl, summary.json, report.md with its charts and the
self-contained report.html; `read_rows` reads an earlier run's results.jsonl for `--compare`. It leaves
out asking the questions (`evals.evaluate`), the metrics themselves (`evals.scoring`) and the reports'
layout (`evals.report`, `evals.report_text`, `evals.report_html`, `evals.charts`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.report import Report
from evals.report_html import render_html
from evals.report_text import render_markdown
from evals.scoring import EvalRow, breakdown, metrics
from evals.testset import TestSet


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
