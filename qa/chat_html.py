"""The chat as HTML: the page header, the conversation (each question, its answer with its source cards,
or the stage of the answer being made) and the side panel with every answer's sources.

Built from `qa.answer_html` (an answer's text, cue and quotes) and `qa.article_html` (an article's
card and the article list); all of it escaped, no live article HTML. Behaviour (which source the
side panel shows) is `ui.js`'s; layout is `ui.css`'s; when these are drawn is `qa.chat_page`'s.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from qa.answer_html import answer_html, confidence_cue, marked_quote
from qa.answer_types import Answer, Citation
from qa.article_html import article_list, card
from qa.article_types import ArticleSummary
from qa.language import looks_english

Lookup = Callable[[str], tuple[str, bool]]  # doc_id -> (article text, date inferred)
LANGUAGE_NOTE = "This question does not look like English. Answers are in English, and questions in English work best."


def _by_article(citations: Sequence[Citation]) -> list[list[Citation]]:
    """Citations grouped by article, in order of first citation. Example: docs a, b, a -> [[a1, a3], [b2]]."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.doc_id, []).append(c)
    return list(groups.values())


def _cards(answer: Answer, lookup: Lookup, css: str, quote: Callable[[str, Citation], str]) -> list[str]:
    """One card of class `css` per article the answer cites, holding `quote(article text, citation)` of each
    of its citations in order."""
    cards = []
    for cited in _by_article(answer.citations):
        text, inferred = lookup(cited[0].doc_id)
        cards.append(card(css, cited, inferred, "".join(quote(text, c) for c in cited)))
    return cards


def _quoted(turn: int, answer: Answer) -> Callable[[str, Citation], str]:
    """A citation as a numbered quote under the answer, its span marked."""
    return lambda text, c: (
        f'<blockquote class="quote" id="src-{turn}-{c.n}"><span class="quote-n">[{c.n}]</span> '
        f"{marked_quote(text, c, answer.answer_span, context=False)}</blockquote>"
    )


def _in_paragraph(turn: int, answer: Answer) -> Callable[[str, Citation], str]:
    """A citation in its paragraph, for the side panel."""
    return lambda text, c: (
        f'<p class="source-paragraph" id="panel-{turn}-{c.n}">'
        f"{marked_quote(text, c, answer.answer_span, context=True)}</p>"
    )


def source_cards(turn: int, answer: Answer, lookup: Lookup) -> str:
    """Under an answer: one card per article (its date, its quotes in order), each quote `src-{turn}-{n}`."""
    cards = _cards(answer, lookup, "source-card", _quoted(turn, answer))
    return f'<div class="sources">{"".join(cards)}</div>' if cards else ""


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
        cards += _cards(answer, lookup, f"panel-card{latest}", _in_paragraph(i, answer))
    has_sources = bool(turns and turns[-1].citations)
    heading = "Sources of the latest answer" if has_sources else "The articles"
    listing = "" if has_sources else f'<div class="panel-card latest">{article_list(articles)}</div>'
    return (
        f'<div class="panel"><div class="panel-head"><span class="panel-title">{heading}</span>'
        '<button class="panel-back" type="button">Back to the latest answer</button></div>'
        f"{listing}{''.join(cards)}</div>"
    )


def page_header(title: str) -> str:
    return (
        f'<h1 class="app-title">{html.escape(title)}</h1>'
        '<p class="app-sub">Answers quote the articles; every [n] opens its source.</p>'
    )
