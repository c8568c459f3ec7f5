"""Answer dates: which date answers a when-question from one evidence sentence.

Of the sentence's own dates it keeps those in the tense the question asks about ("when did ...
collapse?" looks back), then prefers those the reader's answer span holds, then the one whose
clause shares most words with the question, then the most precise. Without one, it falls back
to the date the article gives the speaker's words elsewhere, or the publication date.

It leaves out how the date is said in the answer (`qa.phrasing.dated_claim`) and finding the
dates in the text (`qa.dates`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from index.bm25 import tokenize
from qa.dates import DateMention, period_end
from qa.events import PRECISION_ORDER, EventDate, from_mention, sentence_event_date
from qa.evidence import Evidence
from qa.questions import asks_start
from qa.tense import Tense, question_tense

_CLAUSE_MARK = re.compile(r"[,;:()—–]|\s-\s")


def answer_date(
    question: str, e: Evidence, in_span: Callable[[DateMention], bool] | None = None
) -> tuple[EventDate | None, DateMention | None]:
    """The date a when-question is answered with, and the sentence's words that give it (None when
    they come from elsewhere): of the sentence's own dates, those in the tense the question asks
    about ("when did ... collapse?" looks back), then those `in_span` (the reader's answer), then
    the one whose clause shares most words with the question, then the most precise. Without one,
    the date the article gives the speaker's words elsewhere, or the publication date.
    """
    own = [d for d in e.dates if not d.since or asks_start(question)]
    fitting = _in_tense(question_tense(question), own, e.article.meta.published) or own
    spanned = [d for d in fitting if in_span(d)] if in_span is not None else []
    chosen = _most_precise(spanned) or _nearest_clause(question, e.text, fitting)
    if chosen is not None:
        return from_mention(chosen), chosen
    if own:  # since-dates only, for a question that is not about a start: the report's date it is
        published = e.article.meta.published
        return (EventDate(date=published, precision="day", known_from="publication") if published else None), None
    return sentence_event_date(e.sentence, e.article, e.dates), None


def _in_tense(tense: Tense | None, dates: list[DateMention], published: dt.date | None) -> list[DateMention]:
    """The dates on the side of publication the question looks to; all of them when it looks nowhere."""
    if tense is None or published is None:
        return dates
    if tense == "past":
        return [d for d in dates if d.date <= published + dt.timedelta(days=2)]
    return [d for d in dates if period_end(d.date, d.precision) >= published]


def _nearest_clause(question: str, text: str, dates: list[DateMention]) -> DateMention | None:
    """The date whose clause holds most of the question's words; ties go to the most precise."""
    if not dates:
        return None
    asked = set(tokenize(question))
    return min(
        dates, key=lambda d: (-len(asked & set(tokenize(_clause_of(text, d)))), PRECISION_ORDER.index(d.precision))
    )


def _clause_of(text: str, mention: DateMention) -> str:
    """The words around a date up to the nearest comma, bracket or dash on either side."""
    starts = [m.end() for m in _CLAUSE_MARK.finditer(text, 0, mention.start)]
    end = _CLAUSE_MARK.search(text, mention.end)
    return text[starts[-1] if starts else 0 : end.start() if end else len(text)]


def _most_precise(dates: list[DateMention]) -> DateMention | None:
    return min(dates, key=lambda d: PRECISION_ORDER.index(d.precision)) if dates else None
