"""An answer as HTML: its text with linked [n] markers, its direct answer marked, its confidence cue,
and a quote marked in its article.

Everything that comes from an answer or an article is escaped, so article text is shown as text and
never as live HTML. The only markup is ours: `[n]` markers become links to the answer's sources, the
quoted sentence is marked (alone or inside its paragraph), and the direct answer (the reader's span)
is marked inside both the answer and the quote. It leaves out where these pieces sit on the page
(turns, source cards, the side panel: `qa.chat_html`) and the articles' cards (`qa.article_html`).
"""

from __future__ import annotations

import html
import re

from qa.answer_types import Answer, Citation, Span

_MARKER = re.compile(r"\[(\d+)\]")


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
