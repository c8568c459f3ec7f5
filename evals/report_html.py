"""report.html: the `Report` as one self-contained page, its charts embedded as PNG.

Every text from a test set, an article or an answer is escaped (`html.escape`), and the page's
Content-Security-Policy allows no script, no fetch and images only from `data:`: hostile text in
an article is shown as text, and opening the report runs nothing. Failures link to their cited
sources, listed at the end with the article's title, offsets and (http(s) only) address.
"""

from __future__ import annotations

import base64
from html import escape

from evals.report import Failure, Report, Table, cell
from evals.scoring import Source

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: .2rem .45rem; text-align: right; }
th:nth-child(-n+3), td:nth-child(-n+3) { text-align: left; white-space: nowrap; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; } figure img { width: 32rem; max-width: 100%; border: 1px solid #ddd; }
.failure { border-left: 3px solid #c33; padding: .2rem .8rem; margin: .8rem 0; }
.failure p { margin: .15rem 0; } .label { color: #666; }
blockquote { margin: .2rem 0 .2rem 1rem; color: #333; }
.source { border-top: 1px solid #eee; padding: .4rem 0; }
"""


def render_html(report: Report, charts: dict[str, bytes]) -> str:
    anchors = _source_anchors(report)
    body = [f"<h1>{escape(report.title)}</h1>", _facts(report), _charts(charts)]
    body += [_table(table) for table in [*report.tables, *report.changes]]
    body += [f"<h2>Failures ({len(report.failures)})</h2>", *(_failure(f, anchors) for f in report.failures)]
    body += ["<h2>Cited sources</h2>", *(_source(source, anchor) for anchor, source in anchors.values())]
    head = (f'<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(report.title)}</title><style>{STYLE}</style>")  # fmt: skip
    return f'<!doctype html>\n<html lang="en"><head>{head}</head><body>\n' + "\n".join(body) + "\n</body></html>\n"


def _facts(report: Report) -> str:
    items = "".join(f"<li><span class=label>{escape(k)}:</span> {escape(v)}</li>" for k, v in report.facts)
    return f"<ul class=facts>{items}</ul>"


def _charts(charts: dict[str, bytes]) -> str:
    figures = "".join(
        f'<figure><img id="chart-{escape(name)}" alt="{escape(name.replace("_", " "))}" '
        f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}"></figure>'
        for name, png in charts.items()
    )
    return f'<h2>Charts</h2><div class="charts">{figures}</div>'


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{escape(cell(v))}</td>" for v in row) + "</tr>" for row in table.rows)
    caption = f"<p>{escape(table.caption)}</p>" if table.caption else ""
    return f'<h2>{escape(table.title)}</h2>{caption}<div class="wide"><table><tr>{head}</tr>{rows}</table></div>'


SourceKey = tuple[str, int, int]


def _source_anchors(report: Report) -> dict[SourceKey, tuple[str, Source]]:
    """Each distinct cited passage, with an id that no article text can choose."""
    anchors: dict[SourceKey, tuple[str, Source]] = {}
    for failure in report.failures:
        for source in failure.row.sources:
            anchors.setdefault((source.doc_id, source.start, source.end), (f"src-{len(anchors) + 1}", source))
    return anchors


def _failure(failure: Failure, anchors: dict[SourceKey, tuple[str, Source]]) -> str:
    row = failure.row
    parts = [f"<h3>{escape(failure.pipeline)} · {escape(row.collection)} {escape(row.id)} ({escape(row.type)})</h3>"]
    parts += [f"<p><span class=label>after {escape(t.role)}:</span> {escape(t.content)}</p>" for t in row.history]
    parts += [f"<p><span class=label>question:</span> {escape(row.question)}</p>",
              f"<p><span class=label>expected:</span> {escape(failure.expected)}</p>",
              f"<p><span class=label>got:</span> {escape(row.answer)} "
              f"<span class=label>(confidence {escape(cell(row.confidence))})</span></p>"]  # fmt: skip
    links = [f'<a href="#{anchors[(s.doc_id, s.start, s.end)][0]}">[{s.n}] {escape(s.doc_id)}</a>' for s in row.sources]
    parts.append(f"<p><span class=label>cited:</span> {', '.join(links) or 'nothing'}</p>")
    return '<div class="failure">' + "".join(parts) + "</div>"


def _source(source: Source, anchor: str) -> str:
    title = escape(source.title or source.doc_id)
    link = f' · <a href="{escape(source.url)}" rel="noreferrer">article</a>' if source.url else ""
    verbatim = {True: "verbatim at its offsets", False: "NOT verbatim at its offsets", None: "not checked"}
    return (f'<div class="source" id="{anchor}"><b>{title}</b> <span class=label>{escape(source.doc_id)} '
            f"{source.start}:{source.end}, {verbatim[source.verbatim]}</span>{link}"
            f"<blockquote>{escape(source.quote)}</blockquote></div>")  # fmt: skip
