"""The story as a timeline: one event per claim, with its actor, stance, date and every source.

The sentences that tell an event come from `qa.timeline_sentences`. The same claim told by
several sentences, in several articles or in a lede and a later paragraph, is one event: same
actor, same stance, dates that agree (a publication date agrees with any date in the week before
it) and close meaning (sentence vectors when given, else shared words). It keeps every source,
and the best-known date. Actors are grouped into lanes by name (`qa.lanes`); where an actor
reverses an earlier position on the same matter, the later event carries the change.

Left out: which sentences tell an event (`qa.timeline_sentences`) and how the timeline is shown
(`qa.timeline_view`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import numpy as np

from index.bm25 import tokenize
from index.catalog import Catalog
from index.types import Sentence
from qa.answer_types import Citation, TimelineEvent
from qa.dates import dateline_end, strip_dateline
from qa.events import PRECISION_ORDER, EventDate
from qa.lanes import mark_changes, name_lanes
from qa.phrasing import annotate_dates
from qa.stance import Position
from qa.timeline_sentences import Told, told_in

SAME_CLAIM = 0.55  # least cosine between two sentences told as one claim
SAME_MATTER = 0.4  # least cosine between an earlier position and the later one that reverses it
_KNOWN_RANK = {"sentence": 0, "article": 1, "publication": 2}
_STRONGEST: list[Position] = ["denies", "confirms", "declines", "asserts", "reports"]


def build_timeline(
    catalog: Catalog,
    keep: Callable[[Sentence], bool] = lambda s: True,
    vectors: Mapping[str, np.ndarray] | None = None,
    actor: str | None = None,
) -> list[TimelineEvent]:
    """The story's events, oldest first; `keep` chooses sentences (e.g. by topic), `actor` an actor's lane."""
    articles = sorted(catalog.articles.values(), key=lambda a: (a.meta.published or dt.date.max, a.meta.doc_id))
    told = [t for article in articles for t in told_in(article, keep)]
    lanes = name_lanes([t.who for t in told if t.who])
    claims = _group(told, lambda a, b: _same_claim(a, b, lanes, vectors))
    built = [_event(claim, claim[0].lane(lanes)) for claim in claims]
    leads = {id(event): lead for event, lead in built}
    events = sorted((event for event, _ in built), key=_in_order)
    mark_changes(events, lambda a, b: _close(leads[id(a)], leads[id(b)], vectors, SAME_MATTER, 0.25))
    if actor and actor.strip():
        wanted = actor.strip().casefold()
        names = {lane: [n for n, other in lanes.items() if other == lane] for lane in set(lanes.values())}
        events = [e for e in events if any(wanted in n.casefold() for n in [e.actor, *names.get(e.actor, [])])]
    return events


def _same_claim(a: Told, b: Told, lanes: dict[str, str], vectors: Mapping[str, np.ndarray] | None) -> bool:
    if not _compatible(a.position, b.position) or a.lane(lanes) != b.lane(lanes) or not _dates_agree(a.date, b.date):
        return False
    return _close(a.sentence, b.sentence, vectors, SAME_CLAIM, 0.5)


def _compatible(a: Position, b: Position) -> bool:
    """Stances one claim may be told with: the same, or a plain "said" beside a stance; never a report
    beside a claim."""
    return a == b or ("reports" not in (a, b) and "asserts" in (a, b))


def _dates_agree(a: EventDate, b: EventDate) -> bool:
    """Equal dates, or a publication date and a date in the week before it."""
    if (a.known_from == "publication") == (b.known_from == "publication"):
        return a.date == b.date
    published, other = (a, b) if a.known_from == "publication" else (b, a)
    return 0 <= (published.date - other.date).days <= 7


def _close(a: Sentence, b: Sentence, vectors: Mapping[str, np.ndarray] | None, cosine: float, overlap: float) -> bool:
    """Close in meaning: by stored sentence vectors when both have one, else by the share of shared words."""
    if vectors is not None and a.sentence_id in vectors and b.sentence_id in vectors:
        return float(vectors[a.sentence_id] @ vectors[b.sentence_id]) >= cosine
    x, y = set(tokenize(a.text)), set(tokenize(b.text))
    return len(x & y) / max(1, min(len(x), len(y))) >= overlap


def _in_order(e: TimelineEvent) -> tuple[dt.date, dt.date, str, int]:
    return e.date, e.citation.published or dt.date.max, e.citation.doc_id, e.citation.start


def _group(told: list[Told], same: Callable[[Told, Told], bool]) -> list[list[Told]]:
    """Sentences linked by `same`, directly or through others, as groups in the order they come."""
    group = list(range(len(told)))
    for i in range(len(told)):
        for j in range(i):
            if group[i] != group[j] and same(told[i], told[j]):
                old, new = group[i], group[j]
                joined = [t.position for t, g in zip(told, group, strict=True) if g in (old, new)]
                if len(set(joined) - {"asserts"}) <= 1:  # a denial and a silence stay two events
                    group = [new if g == old else g for g in group]
    firsts = sorted(set(group), key=group.index)
    return [[t for t, g in zip(told, group, strict=True) if g == first] for first in firsts]


def _event(claim: list[Told], lane: str) -> tuple[TimelineEvent, Sentence]:
    """The claim as one event: told by its sentence of the strongest stance, dated by its best-dated
    sentence; it also returns the telling sentence."""
    stance = min((t.position for t in claim), key=_STRONGEST.index)
    lead = min((t for t in claim if t.position == stance), key=_best_dated)
    dated = min(claim, key=_best_dated)
    rest = sorted((t for t in claim if t is not lead and t is not dated), key=lambda t: (
        t.article.meta.published or dt.date.max, t.article.meta.doc_id, t.sentence.start))  # fmt: skip
    sources = [_cite(t, n) for n, t in enumerate([lead, *([dated] if dated is not lead else []), *rest], 1)]
    own = dated.date.expression if dated is lead and dated.date.known_from == "sentence" else None
    shown = [d for d in lead.dates if d.text != own]  # the event's own date is its date, not said twice
    event = TimelineEvent(
        date=dated.date.date, date_precision=dated.date.precision, date_from=dated.date.known_from,
        date_text=dated.date.expression, who=lead.who, actor=lane, actor_from=lead.who_from if lead.who else "source",
        what=strip_dateline(annotate_dates(lead.sentence.text, shown)), stance=stance, citation=sources[0],
        sources=sources,
    )  # fmt: skip
    return event, lead.sentence


def _best_dated(t: Told) -> tuple[int, int, dt.date, int]:
    return (_KNOWN_RANK[t.date.known_from], PRECISION_ORDER.index(t.date.precision),
            t.article.meta.published or dt.date.max, t.sentence.start)  # fmt: skip


def _cite(t: Told, n: int) -> Citation:
    """The sentence as a citation, without its dateline: `article_text[start:end] == quote` still holds."""
    meta, sentence = t.article.meta, t.sentence
    skip = dateline_end(sentence.text)
    return Citation(n=n, doc_id=meta.doc_id, title=meta.title, publisher=meta.publisher, published=meta.published,
                    url=meta.url, quote=sentence.text[skip:], start=sentence.start + skip,
                    end=sentence.end)  # fmt: skip


def topic_filter(
    vectors: dict[str, np.ndarray], topic_vector: np.ndarray, threshold: float
) -> Callable[[Sentence], bool]:
    """Keep sentences whose stored vector is within `threshold` cosine of the topic."""
    return lambda s: s.sentence_id in vectors and float(vectors[s.sentence_id] @ topic_vector) >= threshold
