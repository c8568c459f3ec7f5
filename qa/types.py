"""What crosses a stage: the parsed `Question`, and the typed results of the public API, whose
JSON is the contract in ARCHITECTURE.md."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_serializer

from index.types import is_web_url
from qa.dates import DateMention

ABSTAIN_TEXT = "The articles do not answer this."  # what an answer says when nothing answers

QuestionType = Literal["when", "who", "where", "how_many", "what", "why", "yes_no", "other"]


@dataclass(frozen=True)
class Question:
    """A question as every stage reads it, parsed once (`qa.questions.parse_question`).

    A follow-up that cannot stand alone keeps the earlier question it leans on in `context`,
    apart from its own words: "When was it signed?" with context "Which treaty did they cite?".
    """

    text: str  # the standalone question the stages read: rewritten, misspelt words repaired
    asked: str  # as the user typed it
    standalone: str  # `text` before spelling repair: what the user is shown as understood
    context: str | None = None  # the earlier question a follow-up leans on
    type: QuestionType = "other"
    terms: frozenset[str] = frozenset()  # content words of `text` (search tokens)
    source: frozenset[str] = frozenset()  # words of the source it attributes its claim to ("according to X")
    periods: tuple[DateMention, ...] = ()  # the dates `text` names ("in October 2024")

    @property
    def with_context(self) -> str:
        """Its words and those of the earlier question it leans on, for matching by words or meaning.

        Example: text "When was it signed?", context "Which treaty?" -> "When was it signed? Which treaty?"
        """
        return f"{self.text} {self.context}" if self.context else self.text


class Filters(BaseModel):
    """Restrict retrieval to some articles. Every given condition must hold."""

    model_config = ConfigDict(extra="forbid")

    doc_ids: list[str] | None = Field(default=None, description="Only these articles.")
    publishers: list[str] | None = Field(
        default=None, description="Publisher contains one of these (case-insensitive)."
    )
    published_after: dt.date | None = Field(default=None, description="Published on or after.")
    published_before: dt.date | None = Field(default=None, description="Published on or before.")


class Hit(BaseModel):
    doc_id: str
    chunk_id: str
    score: float = Field(description="Reciprocal-rank-fusion score (re-scored for the head); higher is better.")
    text: str = Field(description="The chunk: article text[start:end].")
    start: int
    end: int
    title: str | None
    published: dt.date | None

    @field_serializer("score")
    def _rounded(self, score: float) -> float:
        """Six decimals out; in memory the stages keep every digit, so re-ranking reads exact scores."""
        return round(score, 6)


class Retrieval(BaseModel):
    question: str
    hits: list[Hit]


def _web_only(url: str | None) -> str | None:
    """Blank any url but http(s): a `javascript:` link must not leave the API, even from an older store.

    Example: "javascript:alert(1)" -> None; "https://example.com/a" -> "https://example.com/a"
    """
    return url if url is not None and is_web_url(url) else None


WebUrl = Annotated[str | None, AfterValidator(_web_only)]


class ArticleSummary(BaseModel):
    doc_id: str
    title: str | None
    publisher: str | None
    byline: str | None
    published: dt.date | None
    date_inferred: bool
    url: WebUrl = Field(description="The article's http(s) address; null if none or any other scheme.")
    language: str
    chunks: int = Field(description="How many chunks the article has in the index.")


class ArticleView(ArticleSummary):
    source: str = Field(description="The file the article was ingested from.")
    text: str = Field(description="The cleaned article text that all offsets index.")


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


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str


class AskRequest(BaseModel):
    """A question with the conversation before it, as `qa ask --jsonl` and the HTTP API take it."""

    model_config = ConfigDict(extra="forbid")

    question: str
    history: list[Turn] = Field(default_factory=list)

    @classmethod
    def from_line(cls, line: str) -> AskRequest:
        """A JSON object, or plain text taken as the question. Example: 'When?' -> AskRequest(question='When?')."""
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            return cls(question=line.strip())
        return cls.model_validate(data) if isinstance(data, dict) else cls(question=str(data))


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


class Health(BaseModel):
    """What `GET /api/health` reports."""

    index_loaded: bool = Field(description="The index exists and is whole: catalog, Chroma and BM25 agree.")
    articles: int
    chunks: int
    encoder_verified: bool
    problems: list[str] = Field(
        default_factory=list, description="What is wrong with the store, in plain words (as `qa doctor` says it)."
    )


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
