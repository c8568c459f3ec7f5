"""One case of a Q&A test set: the question, its gold articles and its gold answers, checked on construction.

A case's gold answers are answer texts (right when the answer holds one as whole words, after SQuAD's
normalisation) or any-of groups of regexes (right when one matches); the project's first sets give one
group as `answer_patterns`. Reading cases from a file, its header and the line numbers its errors name
is evals/testset.py's; scoring a whole run is evals/scoring.py's.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from evals.metrics import holds
from qa.request_types import QuestionType, Turn


class AnyOf(BaseModel):
    """A group of case-insensitive regexes; an answer matching one of them is right."""

    model_config = ConfigDict(extra="forbid")

    any_of: list[str] = Field(min_length=1)

    @field_validator("any_of")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as error:
                raise ValueError(f"not a regular expression: {pattern!r} ({error})") from error
        return patterns

    def matches(self, answer: str) -> bool:
        return any(re.search(pattern, answer, re.IGNORECASE) for pattern in self.any_of)


def _gold_kind(value: Any) -> str:
    """Which kind of gold answer a value is, so a bad one gets that kind's error only."""
    return "text" if isinstance(value, str) else "any_of"


Gold = Annotated[Annotated[str, Tag("text")] | Annotated[AnyOf, Tag("any_of")], Discriminator(_gold_kind)]


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str
    question: str = Field(min_length=1)
    type: QuestionType
    answerable: bool
    gold_doc_ids: list[str] = Field(
        default_factory=list,
        validation_alias=AliasChoices("gold_docs", "gold_doc_ids"),
        description="Every article that answers it, best first (`gold_docs` in a file).",
    )
    earlier_doc_ids: list[str] = Field(
        default_factory=list,
        description="For a question about a stance that changed: the articles holding the earlier stance, which "
        "a complete answer cites as earlier. Citing them is right; retrieving them first is not.",
    )
    answers: list[Gold] = Field(
        default_factory=list, description="Answer texts or any-of regex groups; one is enough to be right."
    )
    tags: list[str] = Field(default_factory=list)
    history: list[Turn] = Field(
        default_factory=list, description="Earlier turns of a conversation; the question follows them."
    )

    @model_validator(mode="before")
    @classmethod
    def _patterns_are_a_group(cls, data: Any) -> Any:
        """`answer_patterns: [regex, ...]`, as the first sets give it, is one any-of group."""
        if isinstance(data, dict) and "answer_patterns" in data:
            data = dict(data)
            patterns = data.pop("answer_patterns")
            data["answers"] = [*data.get("answers", []), *([{"any_of": patterns}] if patterns else [])]
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.answerable and not (self.gold_doc_ids and self.answers):
            raise ValueError(f"{self.id}: an answerable case needs gold_doc_ids (gold_docs) and answers")
        if not self.answerable and (self.gold_doc_ids or self.earlier_doc_ids):
            raise ValueError(f"{self.id}: an unanswerable case has no gold_doc_ids or earlier_doc_ids")
        return self

    @property
    def citable_doc_ids(self) -> set[str]:
        """Articles an answer may cite: those that answer it and those holding an earlier stance."""
        return {*self.gold_doc_ids, *self.earlier_doc_ids}

    @property
    def answer_patterns(self) -> list[str]:
        return [pattern for gold in self.answers if isinstance(gold, AnyOf) for pattern in gold.any_of]

    @property
    def gold_texts(self) -> list[str]:
        """The gold answers given as text: the gold spans that span F1 is measured against."""
        return [gold for gold in self.answers if isinstance(gold, str)]

    def matches(self, answer: str) -> bool:
        """Whether `answer` gives a gold answer. Example: answers ["Kursk"] and "In Kursk [1]." -> True."""
        return any(holds(answer, gold) if isinstance(gold, str) else gold.matches(answer) for gold in self.answers)
