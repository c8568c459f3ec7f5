"""Phrasing: how an evidence sentence is said in an answer, with its `[n]` marker.

A claim is the article sentence with its wire-service dateline dropped and each date written only
in words resolved inline ("last Friday (18 October 2024)"). A when-answer states its date first,
said where it comes from (the sentence, the article elsewhere, or the date of the report); a
superseded stance is told as earlier, dated; the latest stance is named as the latest.

It leaves out which sentences to say and in what order (`qa.compose`, `qa.compose_reader`), which
date answers a when-question (`qa.answer_dates`) and the citations the markers point to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from qa.answer_dates import answer_date
from qa.conflict import event_date
from qa.date_grammar import Precision
from qa.dates import DateMention, format_date, strip_dateline
from qa.evidence import Evidence

_NO_OTHER_DATE = "the date of the report; the article gives no other date"


def cited(claim: str, n: int) -> str:
    """A claim with its marker, ending a sentence. Example: ("Units fought", 1) -> "Units fought [1]."."""
    return f"{claim} [{n}]" if re.search(r"[.!?][\"'”’)]*$", claim) else f"{claim} [{n}]."


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first in {"The", "A", "An", "It", "This", "These", "Its"} else text


def claim_text(e: Evidence, skip: DateMention | None = None) -> str:
    """The sentence as the answer states it: dateline dropped, word-only dates resolved, the date `skip`
    (which the answer states before it) taken out with its preposition.

    Example: "GENEVA, - Talks ended on Thursday in a deal." with skip "Thursday" -> "Talks ended in a deal."
    """
    text = e.text
    for mention in sorted(e.dates, key=lambda d: -d.start):  # from the end, so offsets before stay true
        if skip is not None and (mention.start, mention.end) == (skip.start, skip.end):
            text = _without_date(text, mention)
        elif mention.relative and not any(c.isdigit() for c in mention.text):
            text = f"{text[: mention.end]} ({mention.display()}){text[mention.end :]}"
    return strip_dateline(text)


def annotate_dates(text: str, dates: list[DateMention]) -> str:
    """Add the absolute date after each date written only in words.

    Example: "said last Friday" -> "said last Friday (18 October 2024)"; "Oct. 22" stays as it is.
    """
    for mention in sorted(dates, key=lambda d: -d.start):
        if mention.relative and not any(c.isdigit() for c in mention.text):
            text = f"{text[: mention.end]} ({mention.display()}){text[mention.end :]}"
    return text


def _without_date(text: str, mention: DateMention) -> str:
    """The sentence with one date expression (and its preposition) taken out."""
    before = re.sub(r"\b(on|in|as of|from|since)\s*$", "", text[: mention.start], flags=re.I).rstrip()
    after = text[mention.end :]
    after = after.lstrip(" ,") if not before or before.endswith(",") else after.lstrip(" ")
    joined = f"{before} {after}".strip() if after[:1].isalnum() or not after else f"{before}{after}".strip()
    return joined[0].upper() + joined[1:] if joined else text


def dated_claim(question: str, e: Evidence, n: int, in_span: Callable[[DateMention], bool] | None = None) -> str:
    """A when-answer: the date first, said where it comes from, then the claim without it.

    Example: "On 18 October 2024 (“last Friday”, counted from the report's date), the agency said ... [1]."
    """
    when, mention = answer_date(question, e, in_span)
    if when is None:
        return f"{cited(claim_text(e), n)} The article gives no date."
    note = _NO_OTHER_DATE if when.known_from == "publication" else when.note()
    on = (
        f"Since {format_date(when.date, when.precision)}"
        if mention and mention.since
        else _on(when.date, when.precision)
    )
    lead = on + (f" ({note})" if note else "")
    return cited(f"{lead}, {_lower_first(claim_text(e, skip=mention))}", n)


def earlier_claim(e: Evidence, n: int) -> str:
    """The superseded stance, its date first and said where it comes from: "Earlier, on 21 October 2024
    (the date of the report), Acme denied ..."."""
    when = event_date(e)
    if when.date == dt.date.min:
        return cited(f"Earlier, {_lower_first(claim_text(e))}", n)
    note = when.note()
    dated = _lower_first_word(_on(when.date, when.precision)) + (f" ({note})" if note else "")
    own = next((d for d in e.dates if when.known_from == "sentence" and d.text == when.expression
                and d.date == when.date), None)  # fmt: skip
    return cited(f"Earlier, {dated}, {_lower_first(claim_text(e, skip=own))}", n)


def _lower_first_word(text: str) -> str:
    return text[:1].lower() + text[1:]


def _on(date: dt.date, precision: Precision) -> str:
    """How a date leads a sentence. Example: (2024-06-01, "month") -> "In June 2024"."""
    return f"{'On' if precision == 'day' else 'In'} {format_date(date, precision)}"


def latest_of_all(e: Evidence) -> str:
    """Example: "The 28 April 2025 confirmation is the latest in the articles."."""
    when = event_date(e)
    return f"The {format_date(when.date, when.precision)} {_stance_noun(e)} is the latest in the articles."


def _stance_noun(e: Evidence) -> str:
    return {"confirms": "confirmation", "denies": "denial"}.get(e.stance, "report")
