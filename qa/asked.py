"""Asked: what a question asks, as sentence scoring reads it.

Its content words with their weights (a follow-up's borrowed words count less), the kind of
thing it asks for, whether it asks for a wording, a comparison or a start, the source it cites,
the periods it names and the phrase a which-question names an instance of; and whether a date
falls in a named period.

It leaves out parsing the question (`qa.questions`, whose `Question` it reads) and scoring
sentences against it (`qa.sentence_scoring`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from qa.dates import DateMention, find_dates
from qa.question_terms import content_terms, focus_phrase
from qa.questions import asks_start
from qa.request_types import Question, QuestionType
from qa.settings import EvidenceSettings

_ASKS_WORDING = re.compile(r"\bwhat (word|term|phrase|expression)s?\b|\b(call|describe[d]?|label(l?ed)?)\b", re.I)
_ASKS_COMPARISON = re.compile(r"\b(compar\w*|liken\w*|similar\w*|equat\w*)\b", re.I)

Terms = Mapping[str, float]  # question word -> how much it counts (1.0, less for a follow-up's context)


def question_terms(question: Question, settings: EvidenceSettings) -> dict[str, float]:
    """The question's content words, each with its weight: its own words count fully, the words
    of the earlier question a follow-up leans on (its `context`) count `followup_share`.

    Example: "When did the agency say so?" with context "What did the NIS say?" -> {"agenc": 1.0, "nis": 0.5}
    """
    terms = dict.fromkeys(question.terms, 1.0)
    for term in content_terms(question.context or ""):
        terms.setdefault(term, settings.followup_share)
    return terms


@dataclass(frozen=True)
class Asked:
    """What a question asks, as sentence scoring reads it."""

    terms: Terms  # content words and how much each counts
    kind: QuestionType
    wants_quote: bool = False  # "what word did they use?": a short quotation answers
    wants_comparison: bool = False  # "what did he compare it to?": a likeness answers
    start: bool = False  # "when did they begin?": a since-date answers
    source: frozenset[str] = frozenset()  # "according to Orlov": the source's words
    periods: tuple[tuple[DateMention, float], ...] = ()  # "in April 2025": dates named, and how much each counts
    focus: frozenset[str] = frozenset()  # "which news agency ...?": what the answer names an instance of

    @classmethod
    def of(cls, question: Question, settings: EvidenceSettings) -> Asked:
        """The question's own words and periods count fully, those of the question it leans on less."""
        own = question.text
        periods = [(d, 1.0) for d in question.periods]
        periods += [(d, settings.followup_share) for d in find_dates(question.context or "", None)]
        return cls(
            question_terms(question, settings),
            question.type,
            bool(_ASKS_WORDING.search(own)),
            bool(_ASKS_COMPARISON.search(own)),
            asks_start(own),
            question.source,
            tuple(periods),
            focus_phrase(own),
        )


def in_period(date: dt.date | None, period: DateMention) -> bool:
    """Whether a date falls in the period a question names, to the precision it names it.

    Example: (2025-04-28, "April 2025") -> True; (2024-10-22, "2025") -> False
    """
    if date is None:
        return False
    if period.precision == "year":
        return date.year == period.date.year
    if period.precision == "month":
        return (date.year, date.month) == (period.date.year, period.date.month)
    return abs((date - period.date).days) <= (6 if period.precision == "week" else 0)
