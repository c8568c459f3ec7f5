"""What a request carries: the parsed `Question` every stage reads, the conversation `Turn`s before it
and the `FollowUp` a chat turn is rewritten into, the `Filters` that narrow retrieval, and the
`AskRequest` that `qa ask --jsonl` and the HTTP API take.

It leaves out what comes back: answers and their citations are in `qa.answer_types`, retrieved chunks
and the article catalog in `qa.article_types`. Parsing a question is `qa.questions`' work; here are
only the shapes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from qa.dates import DateMention

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


class FollowUp(NamedTuple):
    """A question rewritten to stand alone (`qa.conversation`), and the earlier question it still leans on, if any.

    Example: after "Where did the talks happen?", "When did they end?" ->
    FollowUp("When did the talks end?", "Where did the talks happen?")
    """

    text: str
    context: str | None = None


class Filters(BaseModel):
    """Restrict retrieval to some articles. Every given condition must hold."""

    model_config = ConfigDict(extra="forbid")

    doc_ids: list[str] | None = Field(default=None, description="Only these articles.")
    publishers: list[str] | None = Field(
        default=None, description="Publisher contains one of these (case-insensitive)."
    )
    published_after: dt.date | None = Field(default=None, description="Published on or after.")
    published_before: dt.date | None = Field(default=None, description="Published on or before.")


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
