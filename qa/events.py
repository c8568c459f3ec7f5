"""The event a sentence reports: when it happened, and who made the claim, each with how it is known.

A date comes from the sentence when it gives one: the date next to its verb of speaking ("said
last Friday"), else its most precise; a date a state began ("since March") dates no event. A
sentence that gives none takes the date the article gives the same party's words elsewhere, when
it gives exactly one within the week before publication (a lede says "X denied", a later
paragraph "X said Monday"); only then the publication date. The actor is the speaker the
sentence names, else the one named in the sentences just before it ("he said", "the spokesman
said"), else the article's source.

Left out: deciding whether two differently named parties are one (`qa.speakers.same_party` only
compares names) and dates relative to other dates in the text.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

from index.catalog import StoredArticle
from index.types import Sentence
from qa.date_grammar import Precision
from qa.dates import DateMention, find_dates
from qa.speakers import party_key, same_party, speaker, speech_verb_at

DateKnownFrom = Literal["sentence", "article", "publication"]
ActorKnownFrom = Literal["sentence", "context", "source"]
PRECISION_ORDER: list[Precision] = ["day", "week", "month", "year"]
_LINK_DAYS = 7  # how long before publication a party's dated words may date its undated ones
_CONTEXT_SENTENCES = 3  # how far back "he said" looks for a name


class EventDate(BaseModel):
    """When an event happened and how that is known: "last Friday" in the sentence, the same
    party's dated words elsewhere in the article, or the publication date."""

    date: dt.date
    precision: Precision
    known_from: DateKnownFrom
    expression: str | None = None  # the article's words that give it ("last Friday"); None from publication
    relative: bool = False  # written in words only, so worked out from the publication date

    def note(self) -> str | None:
        """How the answer says where the date comes from; None when the sentence states it outright.

        Example: "last Friday" in the sentence -> '“last Friday”, counted from the report's date'
        """
        if self.known_from == "publication":
            return "the date of the report"
        if self.known_from == "article":
            return f"“{self.expression}”, as the article dates these words elsewhere"
        return f"“{self.expression}”, counted from the report's date" if self.relative else None


def own_dates(dates: list[DateMention]) -> list[DateMention]:
    """The dates that can be an event's: not the start of a state ("since March")."""
    return [d for d in dates if not d.since]


def sentence_date(text: str, dates: list[DateMention]) -> DateMention | None:
    """The sentence's own date of its event: the one nearest its verb of speaking, else the most precise.

    Example: "Acme said on Monday that the plant, shut on 3 March, would reopen." -> "Monday"
    """
    own = own_dates(dates)
    if not own:
        return None
    verb = speech_verb_at(text)
    if verb is not None:
        return min(own, key=lambda d: (min(abs(d.start - verb), abs(d.end - verb)), PRECISION_ORDER.index(d.precision)))
    return min(own, key=lambda d: PRECISION_ORDER.index(d.precision))


def from_mention(mention: DateMention) -> EventDate:
    """The sentence's date; `relative` when it is written in words only ("last Friday", not "March 13")."""
    worded = mention.relative and not any(c.isdigit() for c in mention.text)
    return EventDate(date=mention.date, precision=mention.precision, known_from="sentence",
                     expression=mention.text, relative=worded)  # fmt: skip


def sentence_event_date(
    sentence: Sentence, article: StoredArticle, dates: list[DateMention] | None = None
) -> EventDate | None:
    """The date of the sentence's event (see the module's docstring); None for an undated article."""
    published = article.meta.published
    dates = find_dates(sentence.text, published) if dates is None else dates
    mention = sentence_date(sentence.text, dates)
    if mention is not None:
        return from_mention(mention)
    who = speaker(sentence.text)
    linked = party_dated_elsewhere(article, who, sentence) if who and published else None
    if linked is not None:
        return linked
    return EventDate(date=published, precision="day", known_from="publication") if published else None


def party_dated_elsewhere(article: StoredArticle, who: str, skip: Sentence) -> EventDate | None:
    """The one day on which the article dates `who`'s words, if it gives exactly one in the week before publication."""
    published = article.meta.published
    if published is None or not party_key(who):
        return None
    found: dict[dt.date, DateMention] = {}
    for sentence_id, other_who, mention in _dated_speakers(article):
        recent = 0 <= (published - mention.date).days <= _LINK_DAYS
        if recent and sentence_id != skip.sentence_id and same_party(who, other_who):
            found.setdefault(mention.date, mention)
    if len(found) != 1:
        return None
    mention = next(iter(found.values()))
    return EventDate(date=mention.date, precision="day", known_from="article", expression=mention.text)


_DATED_SPEAKERS: dict[tuple[str, str, dt.date | None, int], list[tuple[str, str, DateMention]]] = {}


def _dated_speakers(article: StoredArticle) -> list[tuple[str, str, DateMention]]:
    """(sentence id, speaker, day) of every sentence that names its speaker and dates its event to a day;
    read once per version of an article, since answers ask again for the same articles."""
    key = (article.meta.doc_id, article.content_hash, article.meta.published, hash(article.clean.text))
    if key not in _DATED_SPEAKERS:
        if len(_DATED_SPEAKERS) > 256:
            _DATED_SPEAKERS.clear()
        found = []
        for sentence in article.sentences:
            who = speaker(sentence.text)
            mention = sentence_date(sentence.text, find_dates(sentence.text, article.meta.published)) if who else None
            if who and mention is not None and mention.precision == "day":
                found.append((sentence.sentence_id, who, mention))
        _DATED_SPEAKERS[key] = found
    return _DATED_SPEAKERS[key]


def actor_of(article: StoredArticle, index: int) -> tuple[str | None, ActorKnownFrom]:
    """Who made the claim of sentence `index`: named in it, named just before it, or neither (None, "source")."""
    sentences = article.sentences
    named = speaker(sentences[index].text)
    if named and party_key(named):
        return named, "sentence"
    if speech_verb_at(sentences[index].text) is not None:  # "he said", "the spokesman said": named before
        for before in reversed(sentences[max(0, index - _CONTEXT_SENTENCES) : index]):
            earlier = speaker(before.text)
            if earlier and party_key(earlier):
                return earlier, "context"
    return (named, "sentence") if named else (None, "source")


def source_name(article: StoredArticle) -> str:
    """The article's source as an actor: its publisher, else its title, else its id."""
    meta = article.meta
    return meta.publisher or meta.title or meta.doc_id
