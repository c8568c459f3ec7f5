"""HTML for the chat page, built from answers: escaped text, citation links, source cards.

Everything that comes from an article or a question is escaped, so article text is shown
as text and never as live HTML: no scripts, no links, no images from articles. The only
markup is ours: `[n]` markers become links to the answer's sources, the quoted sentence is
marked inside its paragraph, and the direct answer (the reader's span) is marked inside both
the answer and the quote. Behaviour (which source the side panel shows) is `ui.js`'s; layout
is `ui.css`'s.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

from qa.language import looks_english
from qa.types import Answer, ArticleSummary, Citation, Span

_MARKER = re.compile(r"\[(\d+)\]")
Lookup = Callable[[str], tuple[str, bool]]  # doc_id -> (article text, date inferred)
LANGUAGE_NOTE = "This question does not look like English. Answers are in English, and questions in English work best."


def cite_links(text: str, turn: int) -> str:
    """Escaped answer text whose [n] markers open source n of this turn in the side panel.

    Example: ("It fell <b>[1]</b>", 0) -> 'It fell &lt;b&gt;<a class="cite" href="#src-0-1" ...>[1]</a>&lt;/b&gt;'
    """
    return _MARKER.sub(
        lambda m: (
            f'<a class="cite" href="#src-{turn}-{m.group(1)}" data-turn="{turn}" data-n="{m.group(1)}">'
            f"[{m.group(1)}]</a>"
        ),
        html.escape(text),
    )


def answer_html(answer: Answer, turn: int) -> str:
    """The answer text, escaped and linked, with its direct answer (first occurrence of the span) marked."""
    text, span = answer.answer, answer.answer_span
    at = text.find(span.text) if span is not None and span.text.strip() else -1
    if span is None or at < 0:
        return cite_links(text, turn)
    end = at + len(span.text)
    marked = f'<mark class="answer-span">{cite_links(span.text, turn)}</mark>'
    return f"{cite_links(text[:at], turn)}{marked}{cite_links(text[end:], turn)}"


def confidence_cue(answer: Answer) -> str:
    """A cue, "high/medium/low confidence", from the reader's calibrated confidence (the share of answers this
    sure that were right on the dev sets); the number on hover. Empty for an abstention or an answer
    without a span (the rule engine, a language model)."""
    if answer.abstained or answer.answer_span is None:
        return ""
    level = "high" if answer.confidence >= 0.8 else "medium" if answer.confidence >= 0.5 else "low"
    hint = f"confidence {answer.confidence:.2f} (about this share of answers this sure were right in evaluation)"
    return f'<span class="confidence {level}" title="{html.escape(hint)}">{level} confidence</span>'


def marked_quote(article_text: str, c: Citation, span: Span | None, context: bool) -> str:
    """The quote (with its paragraph when `context`), escaped, in <mark>, the answer span inside it marked.

    When the article changed since the answer (its text no longer holds the quote at its offsets), the
    quote is found again in the text, or shown alone.
    """
    start, end = c.start, c.end
    if article_text[start:end] != c.quote:
        start = article_text.find(c.quote)
        if start < 0:
            return f"<mark>{html.escape(c.quote)}</mark>"
        end, span = start + len(c.quote), None
    inner = _with_span(article_text, start, end, span if span is not None and span.doc_id == c.doc_id else None)
    if not context:
        return f"<mark>{inner}</mark>"
    begin = article_text.rfind("\n\n", 0, start)
    begin = 0 if begin < 0 else begin + 2
    stop = article_text.find("\n\n", end)
    stop = len(article_text) if stop < 0 else stop
    return f"{html.escape(article_text[begin:start])}<mark>{inner}</mark>{html.escape(article_text[end:stop])}"


def _with_span(text: str, start: int, end: int, span: Span | None) -> str:
    """text[start:end] escaped, with the part of `span` inside it in <mark class="answer-span">."""
    if span is None or span.end <= start or span.start >= end:
        return html.escape(text[start:end])
    a, b = max(span.start, start), min(span.end, end)
    before, inside, after = (html.escape(part) for part in (text[start:a], text[a:b], text[b:end]))
    return f'{before}<mark class="answer-span">{inside}</mark>{after}'


def date_label(published: object, inferred: bool) -> str:
    if published is None:
        return "undated"
    return f"{published} (date inferred)" if inferred else str(published)


def _read_link(c: Citation) -> str:
    return f"/read/{quote(c.doc_id)}?start={c.start}&amp;end={c.end}#quote"


def _by_article(citations: Sequence[Citation]) -> list[list[Citation]]:
    """Citations grouped by article, in order of first citation. Example: docs a, b, a -> [[a1, a3], [b2]]."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.doc_id, []).append(c)
    return list(groups.values())


def _card_head(cited: list[Citation], inferred: bool) -> str:
    first = cited[0]
    numbers = " ".join(f"[{c.n}]" for c in cited)
    return (
        f'<div class="source-head"><span class="source-n">{numbers}</span> '
        f"<b>{html.escape(first.title or first.doc_id)}</b></div>"
        f'<div class="source-meta">{html.escape(first.publisher or "unknown publisher")} · '
        f"{html.escape(date_label(first.published, inferred))}</div>"
    )


def source_cards(turn: int, answer: Answer, lookup: Lookup) -> str:
    """Under an answer: one card per article (its date, its quotes in order), each quote `src-{turn}-{n}`."""
    cards = []
    for cited in _by_article(answer.citations):
        text, inferred = lookup(cited[0].doc_id)
        quotes = "".join(
            f'<blockquote class="quote" id="src-{turn}-{c.n}"><span class="quote-n">[{c.n}]</span> '
            f"{marked_quote(text, c, answer.answer_span, context=False)}</blockquote>"
            for c in cited
        )
        cards.append(_card("source-card", cited, inferred, quotes))
    return f'<div class="sources">{"".join(cards)}</div>' if cards else ""


def _card(css_class: str, cited: list[Citation], inferred: bool, quotes: str) -> str:
    """One article's card: its head, the quotes given, and a link to read it whole."""
    return (
        f'<div class="{css_class}">{_card_head(cited, inferred)}{quotes}'
        f'<a class="read" href="{_read_link(cited[0])}" target="_blank" rel="noopener">'
        "Read the whole article</a></div>"
    )


def _asked(question: str) -> str:
    """The reader's question as it is shown, with the note when it does not look like English."""
    return f'<div class="msg user">{html.escape(question)}</div>{_language_note(question)}'


def _turn(i: int, answer: Answer, lookup: Lookup) -> str:
    rewritten = ""
    if answer.standalone_question != answer.question or answer.context:
        rewritten = f'<div class="rewritten">understood as: {html.escape(answer.understood_as)}</div>'
    cue = confidence_cue(answer)
    return (
        f"{_asked(answer.question)}"
        f'<div class="msg bot" id="turn-{i}">{rewritten}<div class="answer">{answer_html(answer, i)}</div>'
        f"{f'<div class=answer-meta>{cue}</div>' if cue else ''}{source_cards(i, answer, lookup)}</div>"
    )


def _language_note(question: str) -> str:
    return "" if looks_english(question) else f'<div class="note lang-note">{LANGUAGE_NOTE}</div>'


def conversation(turns: Sequence[Answer], lookup: Lookup, blurb: str, pending: tuple[str, str] | None = None) -> str:
    """The chat so far: each question, its answer with linked markers and its sources; then, while an
    answer is being made, the question asked and the stage it is at (`pending`: question, stage)."""
    if not turns and pending is None:
        return f'<div class="empty"><p>{html.escape(blurb)}</p><p class="hint">Try an example below.</p></div>'
    parts = [_turn(i, answer, lookup) for i, answer in enumerate(turns)]
    if pending is not None:
        question, stage = pending
        parts.append(
            f"{_asked(question)}"
            f'<div class="msg bot pending" id="turn-{len(turns)}"><span class="stage">{html.escape(stage)}</span></div>'
        )
    return "".join(parts)


def side_panel(turns: Sequence[Answer], lookup: Lookup, articles: Sequence[ArticleSummary]) -> str:
    """The latest answer's sources, each quote in its paragraph; every earlier source is there too, shown
    when its [n] is clicked. With no source to show, the articles of the collection."""
    cards = []
    for i, answer in enumerate(turns):
        latest = " latest" if i == len(turns) - 1 else ""
        for cited in _by_article(answer.citations):
            text, inferred = lookup(cited[0].doc_id)
            quotes = "".join(
                f'<p class="source-paragraph" id="panel-{i}-{c.n}">'
                f"{marked_quote(text, c, answer.answer_span, context=True)}</p>"
                for c in cited
            )
            cards.append(_card(f"panel-card{latest}", cited, inferred, quotes))
    has_sources = bool(turns and turns[-1].citations)
    heading = "Sources of the latest answer" if has_sources else "The articles"
    listing = "" if has_sources else f'<div class="panel-card latest">{article_list(articles)}</div>'
    return (
        f'<div class="panel"><div class="panel-head"><span class="panel-title">{heading}</span>'
        '<button class="panel-back" type="button">Back to the latest answer</button></div>'
        f"{listing}{''.join(cards)}</div>"
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


def page_header(title: str) -> str:
    return (
        f'<h1 class="app-title">{html.escape(title)}</h1>'
        '<p class="app-sub">Answers quote the articles; every [n] opens its source.</p>'
    )


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
