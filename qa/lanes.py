"""Actors as lanes of the timeline, and the changes of position within a lane.

Names that `same_party` links, directly or through another name, share a lane ("North Korea",
"North Korean state media", "representative of North Korea"). A lane is labelled by the name
linked to the most others (ties: the shortest), which is the party the others speak for.

A change of position is a confirmation after an earlier denial or refusal to confirm, or a
denial after an earlier confirmation, by the same actor on a matter close in meaning (the
caller says what is close). The later event carries it, summed up for people: "denied in
October 2024, confirmed in April 2025".
"""

from __future__ import annotations

from collections.abc import Callable

from qa.answer_types import StanceChange, TimelineEvent
from qa.dates import format_date
from qa.speakers import same_party

_REVERSES = {"confirms": ("denies", "declines"), "denies": ("confirms",)}
_PAST = {"confirms": "confirmed", "denies": "denied", "declines": "declined to confirm"}


def name_lanes(names: list[str]) -> dict[str, str]:
    """Each name's lane label.

    Example: ["Peskov", "Kremlin", "Kremlin spokesman Dmitry Peskov", "Acme"] ->
    {"Peskov": "Kremlin spokesman Dmitry Peskov", "Kremlin": "Kremlin spokesman Dmitry Peskov",
     "Kremlin spokesman Dmitry Peskov": "Kremlin spokesman Dmitry Peskov", "Acme": "Acme"}
    """
    distinct = sorted(set(names), key=lambda n: (len(n), n))
    links = {a: [b for b in distinct if b != a and same_party(a, b)] for a in distinct}
    lanes: dict[str, str] = {}
    for name in distinct:
        if name in lanes:
            continue
        group, todo = {name}, [name]
        while todo:  # every name reachable through links
            for other in links[todo.pop()]:
                if other not in group:
                    group.add(other)
                    todo.append(other)
        label = max(sorted(group, key=lambda n: (len(n), n)), key=lambda n: len(links[n]))
        lanes.update(dict.fromkeys(group, label))
    return lanes


def mark_changes(events: list[TimelineEvent], close: Callable[[TimelineEvent, TimelineEvent], bool]) -> None:
    """Give each event that reverses its actor's earlier position (on a matter `close` to it) that change."""
    for index, later in enumerate(events):
        reversed_stances = _REVERSES.get(later.stance, ())
        earlier = [
            e
            for e in events[:index]
            if e.actor == later.actor and e.stance in reversed_stances and e.date < later.date and close(e, later)
        ]
        if earlier:
            before = earlier[-1]
            summary = f"{_PAST[before.stance]} {_when(before, later)}, {_PAST[later.stance]} {_when(later, before)}"
            later.change = StanceChange(earlier_stance=before.stance, earlier_date=before.date, summary=summary)  # type: ignore[arg-type]


def _when(event: TimelineEvent, other: TimelineEvent) -> str:
    """The month, or the day when both events fall in one month. Example: "in October 2024"."""
    if (event.date.year, event.date.month) == (other.date.year, other.date.month) and event.date_precision == "day":
        return f"on {format_date(event.date)}"
    return f"in {format_date(event.date, 'month')}" if event.date_precision != "year" else f"in {event.date.year}"
