"""The date grammar: what date expressions in English news text look like and what each means.

Each rule of `RULES` pairs a pattern with a resolver that turns its match and the publication date
into a date and its precision: full dates ("Oct. 12, 2024", "26 April 2025", "2025-04-28"), month
and year, month and day without a year, "in June", "June last year", "next April", "in 2022",
weekdays ("last Friday"), "yesterday"/"today"/"tomorrow"/"the previous day" and "last/this/next
week/month/year". A date without a year, a bare weekday or a month alone is the latest before
publication when its verb looks back, the next after it when its verb looks ahead ("will restart
on April 2"; `qa.tense`), the nearer of the two for "would", "could" (a day or month), and the
latest before publication (give or take two days) when no verb says. Rules that need the
publication date are marked `relative`.

Left out: running the rules over a text, overlaps, datelines and "since" (`qa.dates`), times of
day, seasons, decades, numeric dates other than ISO, durations ("three days ago") and the end of
ranges ("from 2020 to 2022").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal, NamedTuple

from qa.tense import Direction

Precision = Literal["day", "week", "month", "year"]
Resolved = tuple[dt.date, Precision]
_Resolver = Callable[[re.Match[str], dt.date, Direction | None], Resolved | None]

MONTHS = ("January", "February", "March", "April", "May", "June",
          "July", "August", "September", "October", "November", "December")  # fmt: skip
_MONTH_NUMBER = {name[:3].lower(): number for number, name in enumerate(MONTHS, 1)}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Full names only; "may" must be capitalised here ("Pyongyang may send" is not a month).
_FULL = "(?P<mon>" + "|".join(MONTHS).lower().replace("may", "(?-i:M)ay") + ")"
_WD = "(?:" + "|".join(_WEEKDAYS) + ")"
_LEAD = rf"(?:\b{_WD},?\s+)?"  # "Monday, " before a dated day belongs to it
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>19\d\d|20\d\d|2100)(?!\w|[.,]\d)"
_STEP = {"last": -1, "this": 0, "next": 1}
_DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1, "the previous day": -1}


def _month(word: str) -> int:
    """Example: "Sept." -> 9; "04" -> 4"""
    return int(word) if word.isdigit() else _MONTH_NUMBER[word.lower()[:3]]


def _make(year: int, month: int, day: int = 1) -> dt.date | None:
    """Example: 2024, 2, 30 -> None"""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _recent_day(month: int, day: int, published: dt.date, tense: Direction | None) -> dt.date | None:
    """The day of that month and day nearest publication in the direction of `tense`: after it for
    the future, either side for "either", else before it (or up to two days after: a report may
    carry the next day's date).

    Example: 12, 30, 2025-01-10, "past" -> 2024-12-30; 4, 2, 2025-03-14, "future" -> 2025-04-02
    """
    days = [d for year in (-1, 0, 1) if (d := _make(published.year + year, month, day))]
    if tense == "future":
        return next((d for d in days if d >= published), None)
    if tense == "either":
        return _nearest(days, published) if days else None
    latest = published + dt.timedelta(days=2)
    return next((d for d in reversed(days) if d.year <= published.year and d <= latest), None)


def _nearest(dates: list[dt.date], published: dt.date) -> dt.date:
    """Example: [2024-06-01, 2025-06-01], 2024-10-22 -> 2024-06-01 (the earlier on a tie)"""
    return min(dates, key=lambda d: (abs((d - published).days), d))


def _absolute(m: re.Match[str], published: dt.date, tense: Direction | None) -> Resolved | None:
    """Example: "Oct. 12, 2024" -> 2024-10-12 (day); "February 2022" -> 2022-02-01 (month)"""
    month, day = m.groupdict().get("mon"), m.groupdict().get("d")
    date = _make(int(m["y"]), _month(month) if month else 1, int(day) if day else 1)
    precision: Precision = "day" if day else "month" if month else "year"
    return (date, precision) if date else None


def _undated_day(m: re.Match[str], published: dt.date, tense: Direction | None) -> Resolved | None:
    """Example: "as of March 19", 2023-04-01 -> 2023-03-19; "will restart on April 2", 2025-03-14 -> 2025-04-02"""
    date = _recent_day(_month(m["mon"]), int(m["d"]), published, tense)
    return (date, "day") if date else None


def _month_only(m: re.Match[str], published: dt.date, tense: Direction | None) -> Resolved | None:
    """Example: "in June", 2024-10-22 -> 2024-06-01; "August last year", 2024-10-22 -> 2023-08-01;
    "will vote in June", 2024-10-22 -> 2025-06-01; "would vote in March", 2024-10-22 -> 2025-03-01"""
    month, relation = _month(m["mon"]), m.groupdict().get("rel")
    if relation:
        return dt.date(published.year + _STEP[relation.lower()], month, 1), "month"
    if tense == "future":
        return dt.date(published.year + (month < published.month), month, 1), "month"
    if tense == "either":
        return _nearest([dt.date(published.year + year, month, 1) for year in (-1, 0, 1)], published), "month"
    return dt.date(published.year - (month > published.month), month, 1), "month"


def _next_or_last_month(m: re.Match[str], published: dt.date, tense: Direction | None) -> Resolved | None:
    """Example: "next April", 2025-04-10 -> 2026-04-01; "last April", 2025-03-14 -> 2024-04-01"""
    month, step = _month(m["mon"]), _STEP[m["rel"].lower()]
    if step > 0:
        return dt.date(published.year + (month <= published.month), month, 1), "month"
    return dt.date(published.year - (month >= published.month), month, 1), "month"


def _unit(m: re.Match[str], published: dt.date, tense: Direction | None) -> Resolved | None:
    """Example: "last week", 2024-10-22 -> 2024-10-14 (week); "next year", 2024-10-22 -> 2025-01-01"""
    step, unit = _STEP[m["rel"].lower()], m["unit"].lower()
    if unit == "week":
        return published - dt.timedelta(days=published.weekday() - 7 * step), "week"
    if unit == "month":
        index = published.year * 12 + published.month - 1 + step
        return dt.date(index // 12, index % 12 + 1, 1), "month"
    return dt.date(published.year + step, 1, 1), "year"


def _weekday(m: re.Match[str], published: dt.date, tense: Direction | None) -> Resolved | None:
    """Example: "last Friday", 2024-10-21 -> 2024-10-18; "Monday", 2024-10-21 -> 2024-10-21;
    "will meet on Wednesday", 2024-10-21 -> 2024-10-23"""
    weekday, relation = _WEEKDAYS.index(m["wd"].lower()), (m["rel"] or "").lower()
    if relation == "next" or (not relation and tense == "future"):
        return published + dt.timedelta(days=(weekday - published.weekday() - 1) % 7 + 1), "day"
    back = (published.weekday() - weekday - (relation == "last")) % 7 + (relation == "last")
    return published - dt.timedelta(days=back), "day"


def _day_word(m: re.Match[str], published: dt.date, tense: Direction | None) -> Resolved | None:
    """Example: "yesterday", 2024-10-22 -> 2024-10-21"""
    return published + dt.timedelta(days=_DAY_WORDS[" ".join(m[0].lower().split())]), "day"


class Rule(NamedTuple):
    pattern: re.Pattern[str]
    resolve: _Resolver
    relative: bool


def _rule(pattern: str, resolve: _Resolver, relative: bool) -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), resolve, relative)


# Where a pattern has a group named x, that group is the expression ("in 2022" mentions "2022").
RULES = (
    _rule(r"(?<![\d-])(?P<y>19\d\d|20\d\d|2100)-(?P<mon>\d\d)-(?P<d>\d\d)(?!\d)", _absolute, False),
    _rule(rf"\b{_LEAD}{_MON}\.?\s*{_DAY},?\s+{_YEAR}", _absolute, False),
    _rule(rf"{_LEAD}(?<![\d.,])\b{_DAY}\s+(?:of\s+)?{_MON}\.?,?\s+{_YEAR}", _absolute, False),
    _rule(rf"\b{_MON}\.?,?\s+(?:of\s+)?{_YEAR}", _absolute, False),
    _rule(rf"\b(?:in|since|of|by|until|from|during)\s+(?P<x>{_YEAR})", _absolute, False),
    _rule(rf"\b{_LEAD}{_MON}\.?\s*{_DAY}(?!\w|[.,:]\d)", _undated_day, True),
    _rule(rf"{_LEAD}(?<![\d.,])\b{_DAY}\s+(?:of\s+)?(?-i:(?=[A-Z])){_MON}\b", _undated_day, True),
    _rule(rf"\b{_FULL}\s+(?P<rel>last|this)\s+year\b", _month_only, True),
    _rule(rf"\b(?P<rel>next|last)\s+{_FULL}\b(?!\s+\d)", _next_or_last_month, True),
    _rule(rf"\b(?:in|since|of)\s+(?P<x>{_FULL})\b(?!')", _month_only, True),
    _rule(r"\b(?P<rel>last|this|next)\s+(?P<unit>week|month|year)\b", _unit, True),
    _rule(rf"\b(?:(?P<rel>last|next)\s+)?(?P<wd>{_WD})\b", _weekday, True),
    _rule(r"\b(?:yesterday|today|tomorrow|the\s+previous\s+day)\b", _day_word, True),
)
