"""Find date expressions in English news text and resolve them to absolute dates.

`find_dates` returns each expression with exact offsets into the text and a date resolved against
the publication date by the rules of `qa.date_grammar`. Where matches overlap, the one that starts
first wins, then the longest; without a publication date only absolute dates are found; "since"
just before an expression is kept on its mention. A wire-service dateline
("SEOUL, Oct. 22 (UPI) —") opens the sentence but dates the report, not the sentence: its date
is not one of the sentence's. `format_date` and `period_end` read a date of some precision back.

Left out: which expressions are dates and what each means (`qa.date_grammar`), which way a verb
points (`qa.tense`), dates relative to other dates in the text, and any check that the context
really means a date ("Black Friday" is a Friday).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from pydantic import BaseModel

from qa.date_grammar import MONTHS, RULES, Precision, Resolved, Rule
from qa.tense import tense_at

_NORMALISE = str.maketrans("\u00a0\u2009\u202f\u2010\u2011\u2013\u2019", "   ---'")  # same length
_SINCE = re.compile(r"\bsince\s+\Z", re.IGNORECASE)
_NO_DATE = dt.date.min  # passed to absolute rules, which never read the publication date
# "SEOUL, Oct. 22 (UPI) —", "LONDON (Reuters) -", "GENEVA, -", "SEOUL, (UPI) —", "GENEVA —": a place in capitals,
# then a date, an agency in brackets or a comma, then a dash.
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z.'’-]{2,}(?:\s[A-Z][A-Z.'’-]+){0,3}(?:,\s*[A-Z][a-z]{1,9}\.)?"
    r"(?:,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?!\w))?"
    r",?\s*(?:\([A-Za-z0-9 .&'’-]{1,30}\))?\s*(?:—|–|--?)\s+(?=\S)"
)


class DateMention(BaseModel):
    start: int
    end: int
    text: str
    date: dt.date
    precision: Precision
    relative: bool
    since: bool = False

    def display(self) -> str:
        """'18 October 2024' (day), 'the week of 14 October 2024' (week), 'June 2024' (month), '2023'."""
        return format_date(self.date, self.precision)


def format_date(date: dt.date, precision: Precision = "day") -> str:
    """Example: 2024-06-01, "month" -> "June 2024"; 2024-10-14, "week" -> "the week of 14 October 2024"."""
    month = MONTHS[date.month - 1]
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{month} {date.year}"
    day = f"{date.day} {month} {date.year}"
    return f"the week of {day}" if precision == "week" else day


def period_end(date: dt.date, precision: Precision) -> dt.date:
    """The last day of the period a date stands for. Example: (2024-06-01, "month") -> 2024-06-30."""
    if precision == "year":
        return dt.date(date.year, 12, 31)
    if precision == "month":
        return dt.date(date.year + date.month // 12, date.month % 12 + 1, 1) - dt.timedelta(days=1)
    return date + dt.timedelta(days=6) if precision == "week" else date


def dateline_end(text: str) -> int:
    """Where a wire-service dateline opening `text` ends (0 without one).

    Example: "SEOUL, Oct. 22 (UPI) — A delegate spoke." -> 23; "GENEVA, - Talks ended." -> 10
    """
    match = _DATELINE.match(text)
    return match.end() if match else 0


def strip_dateline(text: str) -> str:
    """`text` without its dateline, capitalised. Example: "GENEVA, - talks ended." -> "Talks ended."."""
    rest = text[dateline_end(text) :]
    return rest[0].upper() + rest[1:] if rest else text


def _candidates(normalised: str, with_relative: bool) -> Iterator[tuple[int, int, re.Match[str], Rule]]:
    for rule in RULES:
        if with_relative or not rule.relative:
            for m in rule.pattern.finditer(normalised):
                start, end = m.span("x") if "x" in rule.pattern.groupindex else m.span()
                yield start, end, m, rule


def _mention(text: str, normalised: str, start: int, end: int, resolved: Resolved, relative: bool) -> DateMention:
    since = bool(_SINCE.search(normalised[max(0, start - 20) : start]))
    date, precision = resolved
    return DateMention(
        start=start, end=end, text=text[start:end], date=date, precision=precision, relative=relative, since=since
    )


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Example: "since August last year", 2024-10-22 -> [August 2023, month, since=True]"""
    normalised = text.translate(_NORMALISE)
    candidates = sorted(_candidates(normalised, published is not None), key=lambda c: (c[0], -c[1]))
    mentions: list[DateMention] = []
    taken = dateline_end(normalised)
    for start, end, m, rule in candidates:
        if start < taken:
            continue
        taken = end  # an invalid date ("February 30, 2024") still hides the shorter matches inside it
        tense = tense_at(normalised, start, end) if rule.relative else None
        resolved = rule.resolve(m, published or _NO_DATE, tense)
        if resolved:
            mentions.append(_mention(text, normalised, start, end, resolved, rule.relative))
    return mentions


def resolve_relative_date(expression: str, published: dt.date) -> Resolved | None:
    """Example: "last Friday", 2024-10-21 -> (2024-10-18, "day"); "June" -> the latest June (month)"""
    mentions = find_dates(expression, published) or find_dates(f"in {expression.strip()}", published)
    return (mentions[0].date, mentions[0].precision) if len(mentions) == 1 else None
