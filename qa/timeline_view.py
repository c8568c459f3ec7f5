"""The timeline as a picture and a list, in escaped HTML: article text is never live markup.

`timeline_html(events)` draws, top to bottom: the changes of position ("North Korea: denied in
October 2024, confirmed in April 2025"); a picture (SVG) in which time runs down, each actor has
a lane and each event a dot in its lane, coloured by stance, filled when the sentence gives the
date, ringed when the article dates the same words elsewhere, hollow when only the report's date
is known, with a dashed arc from a reversed position to the event that reverses it and a gap
marked where months pass; a legend; and the list, one row per event with its sources, which the
dots link to. The list and the changes are written by `qa.timeline_list`. It leaves out
interaction (filters are the page's, `qa.timeline_tab`).
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.answer_types import TimelineEvent
from qa.timeline_list import DATE_KNOWN, STANCE_LABELS, attr, changes_html, list_html, text

STANCE_COLOURS = {"asserts": "#1f5fbf", "denies": "#c62828", "confirms": "#2e7d32", "declines": "#e08a00",
                  "reports": "#757575"}  # fmt: skip
_GUTTER, _LANE, _ROW, _HEAD, _GAP, _RIGHT = 112, 44, 24, 150, 24, 290
_GAP_DAYS = 31
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_STYLE = """<style>
.tl-picture{overflow-x:auto}.tl-picture svg{width:100%;min-width:760px;height:auto;font:12px system-ui,sans-serif}
.tl-changes{margin:.3rem 0 .6rem;padding-left:1.2rem}.tl-legend span{margin-right:1rem;white-space:nowrap}
.tl-legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.3rem;vertical-align:-1px}
.tl-picture a{text-decoration:none}table.timeline td{vertical-align:top}
table.timeline .sources{font-size:.85em;color:#555}
</style>"""


def timeline_html(events: Sequence[TimelineEvent]) -> str:
    """The whole view of `events` (oldest first), or a plain note when there are none."""
    if not events:
        return '<p class="tl-empty">No events: no dated claims, denials or confirmations match.</p>'
    return _STYLE + changes_html(events) + picture_svg(events) + _legend() + list_html(events)


def lanes_of(events: Sequence[TimelineEvent]) -> list[str]:
    """The actors in the order they first appear. Example: events by B, A, B -> ["B", "A"]."""
    return list(dict.fromkeys(e.actor for e in events))


def picture_svg(events: Sequence[TimelineEvent]) -> str:
    """The picture: lanes across, time down, one dot per event (see the module's docstring)."""
    lanes = lanes_of(events)
    rows = _row_positions(events)
    width = _GUTTER + len(lanes) * _LANE + _RIGHT
    height = (rows[-1] if rows else _HEAD) + _ROW
    parts = [f'<svg class="timeline-picture" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Timeline: {len(events)} events, {len(lanes)} actors">']  # fmt: skip
    parts += _bands(events, rows, _GUTTER + len(lanes) * _LANE)
    parts += [_lane(i, actor, [rows[k] for k, e in enumerate(events) if e.actor == actor]) for i, actor in
              enumerate(lanes)]  # fmt: skip
    parts += _gutter(events, rows)
    x_of = {actor: _GUTTER + i * _LANE + _LANE // 2 for i, actor in enumerate(lanes)}
    parts += [_arc(events, k, rows, x_of) for k, e in enumerate(events) if e.change is not None]
    parts += [_dot(k, e, x_of[e.actor], rows[k]) for k, e in enumerate(events)]
    return f'<div class="tl-picture">{"".join(parts)}</svg></div>'


def _row_positions(events: Sequence[TimelineEvent]) -> list[int]:
    """Each event's y: one row each, with a gap where over a month passes."""
    ys, y = [], _HEAD
    for k, e in enumerate(events):
        if k and (e.date - events[k - 1].date).days > _GAP_DAYS:
            y += _GAP
        ys.append(y)
        y += _ROW
    return ys


def _bands(events: Sequence[TimelineEvent], rows: list[int], right: int) -> list[str]:
    """A light band behind every other date, so the events of one date read as one row."""
    bands, start, shade = [], 0, False
    for k in range(1, len(events) + 1):
        if k == len(events) or events[k].date != events[start].date:
            if shade:
                top, bottom = rows[start] - _ROW // 2, rows[k - 1] + _ROW // 2
                bands.append(f'<rect x="0" y="{top}" width="{right}" height="{bottom - top}" fill="#f3f5f8"/>')
            start, shade = k, not shade
    return bands


def _lane(index: int, actor: str, ys: list[int]) -> str:
    x = _GUTTER + index * _LANE + _LANE // 2
    label = _cut(actor, 28)
    return (
        f'<g class="lane" data-actor="{attr(actor)}"><title>{text(actor)}</title>'
        f'<line x1="{x}" y1="{min(ys)}" x2="{x}" y2="{max(ys)}" stroke="#c9ced6" stroke-width="2"/>'
        f'<text class="lane-label" x="{x}" y="{_HEAD - 14}" transform="rotate(-40 {x} {_HEAD - 14})" '
        f'fill="#333">{text(label)}</text></g>'
    )


def _gutter(events: Sequence[TimelineEvent], rows: list[int]) -> list[str]:
    parts, shown = [], ""
    for k, e in enumerate(events):
        if k and rows[k] - rows[k - 1] > _ROW:
            months = round((e.date - events[k - 1].date).days / 30.4)
            gap = f"{months} months later" if months > 1 else "weeks later"
            parts.append(f'<text class="gap" x="8" y="{rows[k] - _ROW + 6}" fill="#888">⋮ {gap}</text>')
        label = _short_date(e)
        if label != shown:
            parts.append(f'<text class="row-date" x="8" y="{rows[k] + 4}" fill="#333">{label}</text>')
            shown = label
    return parts


def _dot(k: int, e: TimelineEvent, x: int, y: int) -> str:
    colour = STANCE_COLOURS[e.stance]
    fill = "#fff" if e.date_from == "publication" else colour
    ring = (f'<circle cx="{x}" cy="{y}" r="10" fill="none" stroke="{colour}" stroke-dasharray="3 2"/>'
            if e.date_from == "article" else "")  # fmt: skip
    many = f'<text x="{x + 10}" y="{y - 7}" font-size="10" fill="#555">×{len(e.sources)}</text>' if len(
        e.sources) > 1 else ""  # fmt: skip
    tip = f"{e.date.isoformat()} · {e.actor} {STANCE_LABELS[e.stance]} · {DATE_KNOWN[e.date_from]}\n{e.what}"
    return (
        f'<a href="#event-{k}">{ring}<circle class="dot {e.stance}" data-actor="{attr(e.actor)}" '
        f'data-date="{e.date.isoformat()}" data-stance="{e.stance}" cx="{x}" cy="{y}" r="7" fill="{fill}" '
        f'stroke="{colour}" stroke-width="2.5"><title>{text(tip)}</title></circle></a>{many}'
    )


def _arc(events: Sequence[TimelineEvent], k: int, rows: list[int], x_of: dict[str, int]) -> str:
    """A dashed arc from the reversed position to event `k`, and the change written beside the lanes."""
    later, change = events[k], events[k].change
    assert change is not None
    reversed_one = [i for i in range(k) if (events[i].actor, events[i].date, events[i].stance) ==
                    (later.actor, change.earlier_date, change.earlier_stance)]  # fmt: skip
    earlier = reversed_one[-1] if reversed_one else None
    x, y = x_of[later.actor], rows[k]
    text_x = _GUTTER + len(x_of) * _LANE + 12
    first, _, then = change.summary.partition(", ")
    callout = (f'<line x1="{x + 9}" y1="{y}" x2="{text_x - 4}" y2="{y}" stroke="#999" stroke-dasharray="2 3"/>'
               f'<text class="change-label" x="{text_x}" y="{y - 3}" fill="#222" font-weight="600">'
               f'{text(_cut(later.actor, 40))}: {text(first)},<tspan x="{text_x}" dy="15" font-weight="400">'
               f"{text(then)}</tspan></text>")  # fmt: skip
    if earlier is None:
        return f'<g class="change">{callout}</g>'
    y0, bulge = rows[earlier], x + _LANE * 0.8
    return (f'<g class="change"><path d="M{x + 7},{y0} C{bulge},{y0} {bulge},{y} {x + 7},{y}" fill="none" '
            f'stroke="#555" stroke-width="1.5" stroke-dasharray="5 4"/>{callout}</g>')  # fmt: skip


def _legend() -> str:
    stances = "".join(f'<span><i style="background:{STANCE_COLOURS[s]}"></i>{label}</span>'
                      for s, label in STANCE_LABELS.items())  # fmt: skip
    known = ("<span>● the sentence gives the date</span><span>◎ the article dates these words elsewhere</span>"
             "<span>○ only the report's date</span>")  # fmt: skip
    return f'<p class="tl-legend">{stances}<br>{known}</p>'


def _short_date(e: TimelineEvent) -> str:
    """Example: 2024-10-21 (day) -> "21 Oct 2024"; 2024-06-01 (month) -> "Jun 2024"."""
    month = _MONTHS[e.date.month - 1]
    if e.date_precision == "year":
        return str(e.date.year)
    if e.date_precision == "month":
        return f"{month} {e.date.year}"
    day = f"{e.date.day} {month} {e.date.year}"
    return f"wk {day}" if e.date_precision == "week" else day


def _cut(text: str, size: int) -> str:
    """Example: ("Central Military Commission", 12) -> "Central Mil…"."""
    return text if len(text) <= size else text[: size - 1] + "…"
