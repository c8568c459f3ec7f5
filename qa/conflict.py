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
from index.clean import strip_dateline
from qa.dates import DateMention, Precision
from qa.evidence import Evidence
from qa.questions import about_stance
from qa.types import Question

_STANCE_VERB = re.compile(
    r"\b(confirm\w*|admit\w*|acknowledg\w*|den(y|ies|ied)|reject\w*|dismiss\w*|refus\w*|said|says|called)\b", re.I
)
PRECISION_ORDER = ["day", "week", "month", "year"]


def event_date(e: Evidence) -> tuple[dt.date, Precision]:
    """When the sentence's event happened: its own date if it has one, else the publication's."""
    own = [d for d in e.dates if not d.since]
    if own:
        best = min(own, key=lambda d: PRECISION_ORDER.index(d.precision))
        return best.date, best.precision
    return e.article.meta.published or dt.date.min, "day"


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
    stances = _within(stances, question.periods, event_date)
    stances = _best_party(stances, question.terms)
    if not stances:
        return evidence[0], []
    latest = max(stances, key=lambda e: (event_date(e)[0], e.stance == "confirms", e.score))
    older = [e for e in stances if e.stance != latest.stance and event_date(e)[0] < event_date(latest)[0]]
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
    end = max(_period_end(m.date, m.precision) for m in mentions)
    inside = [e for e in stances if start <= date_of(e)[0] <= end]
    return inside or stances


def _period_end(date: dt.date, precision: Precision) -> dt.date:
    if precision == "year":
        return dt.date(date.year, 12, 31)
    if precision == "month":
        following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return date + dt.timedelta(days=6) if precision == "week" else date
