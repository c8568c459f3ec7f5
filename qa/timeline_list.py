"""The timeline as words, in escaped HTML: article text is never live markup.

`list_html(events)` is the list, one row per event: its date and how it is known, its actor (and
the speaker as the sentence names them), its stance, the claim with any change of position, and
every source, each a link to the quote in its article. `changes_html(events)` sums up the changes
of position ("North Korea: denied in October 2024, confirmed in April 2025"). It also holds what
the picture shares with the list: the words for each stance and for how a date is known, and the
escaping of text and attribute values. It leaves out the picture, its legend and the whole view
(`qa.timeline_view`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from urllib.parse import quote

from qa.answer_types import Citation, TimelineEvent

STANCE_LABELS = {"asserts": "claims", "denies": "denies", "confirms": "confirms",
                 "declines": "declines to comment", "reports": "reports"}  # fmt: skip
DATE_KNOWN = {"sentence": "the sentence gives the date", "article": "the article dates these words elsewhere",
              "publication": "only the report's date is known"}  # fmt: skip


def changes_html(events: Sequence[TimelineEvent]) -> str:
    changed = [e for e in events if e.change is not None]
    if not changed:
        return ""
    items = "".join(f"<li><b>{text(e.actor)}</b>: {text(e.change.summary)}</li>" for e in changed if e.change)
    return f'<ul class="tl-changes" aria-label="Changes of position">{items}</ul>'


def list_html(events: Sequence[TimelineEvent]) -> str:
    """The list: date, how it is known, actor, stance, the claim and its sources."""
    rows = []
    for k, e in enumerate(events):
        known = f"“{text(e.date_text)}”" if e.date_text else "report's date"
        change = f'<div class="change">{text(e.change.summary)}</div>' if e.change else ""
        rows.append(
            f'<tr class="event" id="event-{k}" data-actor="{attr(e.actor)}" data-stance="{e.stance}">'
            f'<td class="date">{e.date.isoformat()}</td><td class="known" title="{attr(DATE_KNOWN[e.date_from])}">'
            f'{known}</td><td class="actor">{text(e.actor)}{_named(e)}</td><td><span class="stance {e.stance}">'
            f"{STANCE_LABELS[e.stance]}</span></td><td>{text(e.what)}{change}</td>"
            f'<td class="sources">{"<br>".join(_source(c) for c in e.sources or [e.citation])}</td></tr>'
        )
    head = "<tr><th>date</th><th>from</th><th>actor</th><th>stance</th><th>claim</th><th>sources</th></tr>"
    return f'<table class="timeline">{head}{"".join(rows)}</table>'


def _named(e: TimelineEvent) -> str:
    """The speaker as the sentence names them, when that says more than the actor's lane name."""
    if not e.who or e.who == e.actor:
        return ""
    how = " (named just before)" if e.actor_from == "context" else ""
    return f'<div class="who">{text(e.who)}{how}</div>'


def _source(c: Citation) -> str:
    read = f"/read/{quote(c.doc_id)}?start={c.start}&amp;end={c.end}#quote"
    when = f", {c.published.isoformat()}" if isinstance(c.published, dt.date) else ""
    return f'<a href="{read}" target="_blank" rel="noopener">{text(c.title or c.doc_id)}</a>{text(when)}'


def text(value: str | None) -> str:
    return html.escape(value or "", quote=False)


def attr(value: str) -> str:
    return html.escape(value, quote=True)
