"""The sentences of an article that tell a timeline event, each with what was read off it.

A sentence is an event when a named party claims, denies, confirms or declines something in it,
or when it reports something on a date it gives itself. Not events: a headline (the sentence that
repeats the title), a quote that takes no stance (rhetoric), an unattributed claim (the writer's
own commentary), and an undated report. Each is read once: its stance, its actor and how the
actor is known, its date and every date it mentions.

Left out: telling which sentences tell one claim, and building the events (`qa.timeline`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from index.catalog import StoredArticle
from index.normalize import normalize
from index.types import Sentence
from qa.dates import DateMention, find_dates
from qa.events import ActorKnownFrom, EventDate, actor_of, sentence_event_date, source_name
from qa.speakers import blank_quotes
from qa.stance import Position, position

_MIN_WORDS = 6
_ATTRIBUTION_WORDS = 8  # words outside a quote that only say who said it, where and how


@dataclass
class Told:
    """A sentence that tells an event, with what was read off it."""

    sentence: Sentence
    article: StoredArticle
    position: Position
    who: str | None
    who_from: ActorKnownFrom
    date: EventDate
    dates: list[DateMention]

    @property
    def name(self) -> str:
        return self.who or source_name(self.article)

    def lane(self, lanes: dict[str, str]) -> str:
        """Its actor's lane: its speaker's, or its article's source (a lane of its own, never a speaker's)."""
        return lanes[self.who] if self.who else source_name(self.article)


def told_in(article: StoredArticle, keep: Callable[[Sentence], bool] = lambda s: True) -> list[Told]:
    """The sentences of one article that tell an event (see the module's docstring)."""
    found = []
    for index, sentence in enumerate(article.sentences):
        text = sentence.text
        if not keep(sentence) or len(text.split()) < _MIN_WORDS or _is_headline(text, article.meta.title):
            continue
        stance = position(text)
        dates = find_dates(text, article.meta.published)
        who, who_from = actor_of(article, index)
        when = sentence_event_date(sentence, article, dates)
        if when is None or (stance == "reports" and when.known_from != "sentence"):
            continue
        if stance == "asserts" and (who is None or _rhetoric(text)):
            continue
        found.append(Told(sentence, article, stance, who, who_from, when, dates))
    return found


def _is_headline(text: str, title: str | None) -> bool:
    return title is not None and normalize(text).strip(" .").casefold() == normalize(title).strip(" .").casefold()


def _rhetoric(text: str) -> bool:
    """A quote with little but its attribution around it ('"We must act," he said in a speech.'), or
    mostly quote: a speaker's words, not a claim the article reports."""
    blanked = blank_quotes(text)
    quoted = sum(a != b for a, b in zip(text, blanked, strict=True))
    return quoted > 0 and (quoted * 2 > len(text.strip()) or len(blanked.split()) <= _ATTRIBUTION_WORDS)
