"""What an answer carries: the `Reply` an answerer returns, the `Answer` of `qa ask` with its `Span`
and `Citation`s, the abstention text, and the timeline's events (`TimelineEvent`, `StanceChange`).

It leaves out the request (`qa.request_types`) and the retrieved chunks and article catalog
(`qa.article_types`). Composing answers is the answerers' work; here are only the shapes, whose JSON
is the contract in ARCHITECTURE.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from qa.article_types import WebUrl

ABSTAIN_TEXT = "The articles do not answer this."  # what an answer says when nothing answers


class Citation(BaseModel):
    """A verbatim quote backing one claim: `article_text[start:end] == quote`."""

    n: int
    doc_id: str
    title: str | None
    publisher: str | None
    published: dt.date | None
    url: WebUrl = Field(description="The article's http(s) address; null if none or any other scheme.")
    quote: str
    start: int
    end: int


class Span(BaseModel):
    """The direct answer inside an article: `article_text[start:end] == text`."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Reply:
    """What an answerer returns: the answer text, its citations and, from the reader, its span and margin."""

    text: str
    citations: list[Citation]
    span: Span | None = None
    confidence: float = 0.0
    margin: float | None = None


class Answer(BaseModel):
    """The `qa ask` contract (ARCHITECTURE.md), plus the standalone question actually asked."""

    question: str
    standalone_question: str = Field(description="The question after follow-up rewriting.")
    context: str | None = Field(
        default=None, description="The earlier question a follow-up was read with, when it could not stand alone."
    )
    answer: str = Field(description="Plain text with [n] markers.")
    abstained: bool
    answer_span: Span | None = Field(default=None, description="The direct answer, in article offsets.")
    confidence: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="From the reader's margin over 'no answer', calibrated: the share of answers at this "
        "margin that were right on the dev sets (evals/calibration.json).",
    )
    margin: float | None = Field(
        default=None, description="The reader's raw margin (best span score minus no-answer score), if it read."
    )
    citations: list[Citation]
    timings_ms: dict[str, float]

    @property
    def understood_as(self) -> str:
        """The question as it was answered, for people. Example: 'When was it signed? (after “Which treaty?”)'."""
        return f"{self.standalone_question} (after “{self.context}”)" if self.context else self.standalone_question


class StanceChange(BaseModel):
    """An actor's earlier, opposite position on the same matter, which a later event reverses."""

    earlier_stance: Literal["denies", "declines", "confirms"]
    earlier_date: dt.date
    summary: str = Field(description="For people: 'denied in October 2024, confirmed in April 2025'.")


class TimelineEvent(BaseModel):
    """One claim of the story: who made it, its stance, when, and every sentence that tells it."""

    date: dt.date
    date_precision: Literal["day", "week", "month", "year"]
    date_from: Literal["sentence", "article", "publication"] = Field(
        default="publication",
        description="How the date is known: the sentence says it, the article dates the same party's words "
        "elsewhere, or only the publication date.",
    )
    date_text: str | None = Field(default=None, description="The article's words that give the date, if any.")
    who: str | None = Field(description="The speaker as the article names them; null when none is named.")
    actor: str = Field(default="", description="The party the claim is filed under (the timeline's lane).")
    actor_from: Literal["sentence", "context", "source"] = Field(
        default="source",
        description="Named in the sentence, in the sentences just before it, or the article's source.",
    )
    what: str = Field(description="The claim, as its first source tells it (dateline dropped).")
    stance: Literal["asserts", "denies", "confirms", "declines", "reports"] = Field(
        description="asserts (claims), denies, confirms, declines (to comment or confirm), or reports."
    )
    citation: Citation = Field(description="The source the date comes from; also the first of `sources`.")
    sources: list[Citation] = Field(default_factory=list, description="Every sentence that tells this claim.")
    change: StanceChange | None = Field(default=None, description="The earlier position this event reverses.")
