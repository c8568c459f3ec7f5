"""Metadata that can be read off an article's own text: title, byline, printed date.

Only what is printed is taken, and a date only from a line that is not the body's prose ("I was
born on 25 August, 1938" dates an event, not the article); nothing is guessed. A dateline without
a year ("SEOUL, Oct. 22") gives no date, since the year is not in it. Inferring dates from events
is an editor's job and belongs in front matter or the manifest, with `date_inferred: true`.
"""

from __future__ import annotations

import datetime as dt
import re

from index.clean import FURNITURE_LINE, count_words, dominant_script, is_body_paragraph

_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_FIRST = re.compile(r"\b([A-Z][a-z]{2,8})\.? (\d{1,2}),? (\d{4})\b")
_DAY_FIRST = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]{2,8}),? (\d{4})\b")
_BYLINE = re.compile(
    r"^\s*By:?\s+([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}?)"
    r"(?=\s*(?:$|[,|–—-]|\s(?:Posted|Updated|Published|and)\b))"
)
_DATE_PREFIX = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s+(.+)$", re.IGNORECASE)
_HEADER_LINES = 12


def _month(name: str) -> int | None:
    return _MONTHS.get(name[:3].lower())


def _safe_date(year: int, month: int | None, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day) if month else None
    except ValueError:
        return None


def find_printed_date(line: str) -> dt.date | None:
    """The first full date printed in a line.

    Example: "Posted : October 21, 2024, 14:37" -> date(2024, 10, 21); "Oct. 22 (UPI)" -> None.
    """
    if match := _ISO_DATE.search(line):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _MONTH_FIRST.search(line):
        return _safe_date(int(match[3]), _month(match[1]), int(match[2]))
    if match := _DAY_FIRST.search(line):
        return _safe_date(int(match[3]), _month(match[2]), int(match[1]))
    return None


def _title_candidate(line: str, script: str) -> str | None:
    if match := _DATE_PREFIX.match(line):
        line = match.group(1)
    words = count_words(line)
    if words < 3 or words > 30 or _BYLINE.match(line) or line.rstrip().endswith("."):
        return None
    if FURNITURE_LINE.fullmatch(line.strip()):
        return None
    return line.strip() if dominant_script(line) == script else None


def extract_meta(original: str, body_start: int = 0) -> dict[str, object]:
    """Title, byline and published date printed in the first lines of an article."""
    lines = [line for line in original[body_start:].splitlines() if line.strip()]
    script = dominant_script(original[body_start:])
    found: dict[str, object] = {}
    in_header = True
    for line in lines[:_HEADER_LINES]:
        prose = is_body_paragraph(line.strip())
        in_header = in_header and not prose
        if in_header and "title" not in found and (title := _title_candidate(line, script)):
            found["title"] = title
        if "byline" not in found and (byline := _BYLINE.match(line)):
            found["byline"] = byline.group(1)
        if "published" not in found and not prose and (date := find_printed_date(line)):
            found["published"] = date
    return found
