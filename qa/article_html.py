"""Articles as HTML: an article's card (title, publisher, date, the quotes given, a link to read it
whole), the collection as a list and as a table, and the page a whole article is read on.

Titles, publishers and article text are escaped and doc ids quoted in links, so nothing from an
article is live HTML. It leaves out the quotes a card holds (marked by `qa.answer_html`, laid out by
`qa.chat_html`) and which article is shown where (the page and `app.py` choose).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from urllib.parse import quote

from qa.answer_types import Citation
from qa.article_types import ArticleSummary


def date_label(published: object, inferred: bool) -> str:
    if published is None:
        return "undated"
    return f"{published} (date inferred)" if inferred else str(published)


def _read_link(c: Citation) -> str:
    return f"/read/{quote(c.doc_id)}?start={c.start}&amp;end={c.end}#quote"


def _card_head(cited: list[Citation], inferred: bool) -> str:
    first = cited[0]
    numbers = " ".join(f"[{c.n}]" for c in cited)
    return (
        f'<div class="source-head"><span class="source-n">{numbers}</span> '
        f"<b>{html.escape(first.title or first.doc_id)}</b></div>"
        f'<div class="source-meta">{html.escape(first.publisher or "unknown publisher")} · '
        f"{html.escape(date_label(first.published, inferred))}</div>"
    )


def card(css_class: str, cited: list[Citation], inferred: bool, quotes: str) -> str:
    """One article's card: its head, the quotes given, and a link to read it whole."""
    return (
        f'<div class="{css_class}">{_card_head(cited, inferred)}{quotes}'
        f'<a class="read" href="{_read_link(cited[0])}" target="_blank" rel="noopener">'
        "Read the whole article</a></div>"
    )


def article_list(articles: Sequence[ArticleSummary]) -> str:
    """The collection as a short list: title, publisher and date, each with a link to read it."""
    if not articles:
        return '<p class="hint">No articles are indexed yet.</p>'
    items = "".join(
        f'<li><a href="/read/{quote(a.doc_id)}" target="_blank" rel="noopener">{html.escape(a.title or a.doc_id)}</a>'
        f' <span class="source-meta">{html.escape(a.publisher or "unknown publisher")} · '
        f"{html.escape(date_label(a.published, a.date_inferred))}</span></li>"
        for a in articles
    )
    return f'<ul class="article-list">{items}</ul>'


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
