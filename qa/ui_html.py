"""HTML for the chat page, built from answers: escaped text, citation links, source cards.

Everything that comes from an article or a question is escaped, so article text is shown
as text and never as live HTML: no scripts, no links, no images from articles. The only
markup is ours: `[n]` markers become links to the answer's source cards, and the quoted
sentence is marked inside its paragraph. It leaves out layout, which is Gradio's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

from qa.types import Answer, ArticleSummary, Citation, TimelineEvent

_MARKER = re.compile(r"\[(\d+)\]")


def cite_links(text: str, turn: int) -> str:
    """Escaped answer text whose [n] markers open source n of this turn in the side panel.

    Example: ("It fell <b>[1]</b>", 0) -> 'It fell &lt;b&gt;<a class="cite" href="#panel-0-1">[1]</a>&lt;/b&gt;'
    """
    return _MARKER.sub(
        lambda m: f'<a class="cite" href="#panel-{turn}-{m.group(1)}">[{m.group(1)}]</a>', html.escape(text)
    )


def paragraph_with_mark(article_text: str, start: int, end: int) -> str:
    """The paragraph around [start, end), escaped, with that span in <mark>."""
    begin = article_text.rfind("\n\n", 0, start)
    begin = 0 if begin < 0 else begin + 2
    stop = article_text.find("\n\n", end)
    stop = len(article_text) if stop < 0 else stop
    before, quoted, after = article_text[begin:start], article_text[start:end], article_text[end:stop]
    return f"{html.escape(before)}<mark>{html.escape(quoted)}</mark>{html.escape(after)}"


def date_label(published: object, inferred: bool) -> str:
    if published is None:
        return "undated"
    return f"{published} (date inferred)" if inferred else str(published)


def source_card(turn: int, c: Citation, article_text: str, inferred: bool, kind: str = "src") -> str:
    """A citation's card: under its answer (kind "src") or in the side panel (kind "panel")."""
    read = f"/read/{quote(c.doc_id)}?start={c.start}&amp;end={c.end}#quote"
    css = "source-card panel-card" if kind == "panel" else "source-card"
    return (
        f'<div class="{css}" id="{kind}-{turn}-{c.n}"><div class="source-head">[{c.n}] '
        f"<b>{html.escape(c.title or c.doc_id)}</b></div>"
        f'<div class="source-meta">{html.escape(c.publisher or "unknown publisher")} · '
        f"{html.escape(date_label(c.published, inferred))}</div>"
        f'<p class="source-paragraph">{paragraph_with_mark(article_text, c.start, c.end)}</p>'
        f'<a class="read" href="{read}" target="_blank" rel="noopener">Read the whole article</a></div>'
    )


Lookup = Callable[[str], tuple[str, bool]]  # doc_id -> (article text, date inferred)


def conversation(turns: Sequence[Answer], lookup: Lookup) -> str:
    """The chat so far: each question, its answer with linked markers, and its sources."""
    if not turns:
        return '<div class="empty">Ask a question about the articles.</div>'
    parts = []
    for i, answer in enumerate(turns):
        parts.append(f'<div class="msg user">{html.escape(answer.question)}</div>')
        rewritten = ""
        if answer.standalone_question != answer.question or answer.context:
            rewritten = f'<div class="rewritten">understood as: {html.escape(answer.understood_as)}</div>'
        cards = "".join(source_card(i, c, *lookup(c.doc_id)) for c in answer.citations)
        parts.append(
            f'<div class="msg bot" id="turn-{i}">{rewritten}<div class="answer">{cite_links(answer.answer, i)}</div>'
            f'<div class="sources">{cards}</div></div>'
        )
    return "".join(parts)


def side_panel(turns: Sequence[Answer], lookup: Lookup) -> str:
    """Every source of the chat, each shown only while its [n] is the page's target."""
    cards = "".join(
        source_card(i, c, *lookup(c.doc_id), kind="panel") for i, a in enumerate(turns) for c in a.citations
    )
    return f'<div class="panel-hint">Click a [n] in an answer to open its source here.</div>{cards}'


def timeline_table(events: Sequence[TimelineEvent]) -> str:
    if not events:
        return "<p>No dated events.</p>"
    rows = []
    for e in events:
        c = e.citation
        read = f"/read/{quote(c.doc_id)}?start={c.start}&amp;end={c.end}#quote"
        rows.append(
            f'<tr class="event"><td class="date">{e.date}</td>'
            f'<td><span class="stance {e.stance}">{e.stance}</span></td>'
            f"<td>{html.escape(e.who or '')}</td><td>{html.escape(e.what)}</td>"
            f'<td><a href="{read}" target="_blank" rel="noopener">{html.escape(c.title or c.doc_id)}</a></td></tr>'
        )
    head = "<tr><th>date</th><th>stance</th><th>who</th><th>what</th><th>source</th></tr>"
    return f'<table class="timeline">{head}{"".join(rows)}</table>'


def articles_table(articles: Sequence[ArticleSummary]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(a.title or a.doc_id)}</td><td>{html.escape(a.publisher or '')}</td>"
        f"<td>{html.escape(date_label(a.published, a.date_inferred))}</td><td>{a.chunks}</td>"
        f'<td><a href="/read/{quote(a.doc_id)}" target="_blank" rel="noopener">read</a></td></tr>'
        for a in articles
    )
    head = "<tr><th>title</th><th>publisher</th><th>date</th><th>chunks</th><th></th></tr>"
    return f'<table class="articles">{head}{rows}</table>'


def reader_page(title: str, meta_line: str, text: str, start: int | None, end: int | None) -> str:
    """A whole article as a page: paragraphs of escaped text, the cited span marked."""
    if start is not None and end is not None and 0 <= start < end <= len(text):
        before, quoted, after = (html.escape(part) for part in (text[:start], text[start:end], text[end:]))
        body = f'{before}<mark id="quote">{quoted}</mark>{after}'
    else:
        body = html.escape(text)
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font:17px/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "mark{background:#ffe58a}.meta{color:#666}</style></head>"
        f'<body><h1>{html.escape(title)}</h1><p class="meta">{html.escape(meta_line)}</p>{paragraphs}</body></html>'
    )
