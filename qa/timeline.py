"""The story in date order: every dated claim, denial or confirmation across the articles.

An event is a sentence that either carries a date of its own (resolved against its
article's publication date) or takes a stance (asserts, denies, confirms), dated by its
article when it has no date of its own. Near-duplicates across articles (the same stance on
the same day in similar words) are kept once, from the earliest source. With a topic, only
sentences whose stored vector is close to the topic's are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from index.catalog import Catalog, StoredArticle
from index.clean import strip_dateline
from index.types import Sentence
from qa.compose import annotate_dates
from qa.dates import DateMention, find_dates
from qa.stance import speaker, stance
from qa.types import Citation, TimelineEvent

_PRECISION = ["day", "week", "month", "year"]


def _event_date(dates: list[DateMention], article: StoredArticle) -> tuple[dt.date, str] | None:
    own = [d for d in dates if not d.since and d.precision != "week"]
    if own:
        best = min(own, key=lambda d: _PRECISION.index(d.precision))
        return best.date, best.precision
    published = article.meta.published
    return (published, "day") if published else None


def _event(sentence: Sentence, article: StoredArticle) -> TimelineEvent | None:
    text = sentence.text
    position = stance(text)
    dates = find_dates(text, article.meta.published)
    if len(text.split()) < 6 or (position == "reports" and not any(not d.since for d in dates)):
        return None
    when = _event_date(dates, article)
    if when is None:
        return None
    meta = article.meta
    citation = Citation(n=1, doc_id=meta.doc_id, title=meta.title, publisher=meta.publisher, published=meta.published,
                        url=meta.url, quote=text, start=sentence.start, end=sentence.end)  # fmt: skip
    return TimelineEvent(date=when[0], date_precision="day" if when[1] == "day" else when[1],  # type: ignore[arg-type]
                         who=speaker(text), what=strip_dateline(annotate_dates(text, dates)), stance=position,
                         citation=citation)  # fmt: skip


def _similar(a: TimelineEvent, b: TimelineEvent) -> bool:
    x, y = set(a.what.lower().split()), set(b.what.lower().split())
    same_words = len(x & y) / max(1, min(len(x), len(y))) > 0.6
    return a.date == b.date and a.stance == b.stance and same_words


def build_timeline(catalog: Catalog, keep: Callable[[Sentence], bool] = lambda s: True) -> list[TimelineEvent]:
    """Events of every article, oldest first; `keep` chooses sentences (e.g. by topic)."""
    events = [
        event
        for article in sorted(catalog.articles.values(), key=lambda a: (a.meta.published or dt.date.max, a.meta.doc_id))
        for sentence in article.sentences
        if keep(sentence) and (event := _event(sentence, article)) is not None
    ]
    unique: list[TimelineEvent] = []
    for event in events:
        if not any(_similar(event, other) for other in unique):
            unique.append(event)
    return sorted(unique, key=lambda e: (e.date, e.citation.published or dt.date.max))


def topic_filter(
    vectors: dict[str, np.ndarray], topic_vector: np.ndarray, threshold: float
) -> Callable[[Sentence], bool]:
    """Keep sentences whose stored vector is within `threshold` cosine of the topic."""
    return lambda s: s.sentence_id in vectors and float(vectors[s.sentence_id] @ topic_vector) >= threshold
