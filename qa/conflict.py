"""Which stance answers a question about a position, and which earlier one it supersedes.

For questions such as "did they admit it?" or "what is Russia's latest position?", every
confirmation and denial in the evidence counts, narrowed to the party the question names
(its speaker, or the words before its stance verb) and to the period it names ("in October
2024"). The latest of them leads; the best earlier one of the other stance is told as earlier.
Questions that are not about a stance keep the best evidence as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from index.bm25 import tokenize
from qa.date_grammar import Precision
from qa.dates import DateMention, period_end, strip_dateline
from qa.events import EventDate, sentence_event_date
from qa.evidence import Evidence
from qa.questions import about_stance
from qa.request_types import Question

_STANCE_VERB = re.compile(
    r"\b(confirm\w*|admit\w*|acknowledg\w*|den(y|ies|ied)|reject\w*|dismiss\w*|refus\w*|said|says|called)\b", re.I
)
_UNDATED = EventDate(date=dt.date.min, precision="day", known_from="publication")


def event_date(e: Evidence) -> EventDate:
    """When the sentence's event happened, and how that is known (`qa.events`); an undated article's
    events sort first, as `dt.date.min`."""
    return sentence_event_date(e.sentence, e.article, e.dates) or _UNDATED


def _date_of(e: Evidence) -> tuple[dt.date, Precision]:
    when = event_date(e)
    return when.date, when.precision


def order_by_stance(evidence: list[Evidence], question: Question, margin: float) -> tuple[Evidence, list[Evidence]]:
    """The lead, and a superseded stance to mention as earlier (none unless the question is about a stance)."""
    on_stance = about_stance(question.text, question.type)
    if not (on_stance or question.type == "yes_no"):
        return evidence[0], []
    floor = evidence[0].score - margin
    # A question about a position reads every stance in the passages, not just the best-matching ones.
    stances = [
        e
        for e in evidence
        if e.stance in ("confirms", "denies") and e.meaning > 0.35 and (on_stance or e.score >= floor)
    ]
    stances = _within(stances, question.periods, _date_of)
    stances = _best_party(stances, question.terms)
    if not stances:
        return evidence[0], []
    latest = max(stances, key=lambda e: (event_date(e).date, e.stance == "confirms", e.score))
    older = [e for e in stances if e.stance != latest.stance and event_date(e).date < event_date(latest).date]
    return latest, sorted(older, key=lambda e: -e.score)[:1]


def _party_match(e: Evidence, terms: frozenset[str]) -> int:
    """How many question words name the stance's holder: its speaker, or the words before its stance verb."""
    text = strip_dateline(e.text)
    verb = _STANCE_VERB.search(text)
    holder = e.speaker or (text[: verb.start()] if verb else " ".join(text.split()[:6]))
    prefixes = {t[:5] for t in terms if len(t) >= 4}
    return len({t[:5] for t in tokenize(holder) if len(t) >= 4} & prefixes)


def _best_party(stances: list[Evidence], terms: frozenset[str]) -> list[Evidence]:
    """The stances whose holder the question names best; all of them when it names none."""
    scores = {id(e): _party_match(e, terms) for e in stances}
    best = max(scores.values(), default=0)
    return [e for e in stances if scores[id(e)] == best] if best else stances


def _within(
    stances: list[Evidence], mentions: tuple[DateMention, ...], date_of: Callable[[Evidence], tuple[dt.date, Precision]]
) -> list[Evidence]:
    """Stances inside the period the question names ("in October 2024"); all when it names none."""
    if not mentions:
        return stances
    start = min(m.date for m in mentions)
    end = max(period_end(m.date, m.precision) for m in mentions)
    inside = [e for e in stances if start <= date_of(e)[0] <= end]
    return inside or stances
