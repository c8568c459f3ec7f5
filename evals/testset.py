"""The Q&A test set: one JSON object per line, validated on load."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from qa.types import Turn

TESTSET = Path(__file__).with_name("testset.jsonl")
# Written afterwards by someone who had not seen the system, and never tuned on: it tells
# whether what was tuned on TESTSET generalises.
HELDOUT = Path(__file__).with_name("heldout.jsonl")
# A second such set, written later the same way; its first scores are in README.md.
FRESH = Path(__file__).with_name("fresh.jsonl")
EVAL_SETS = (TESTSET, HELDOUT, FRESH)
QuestionType = Literal["when", "who", "where", "how_many", "what", "why", "yes_no", "other"]


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    question: str = Field(min_length=1)
    type: QuestionType
    answerable: bool
    gold_doc_ids: list[str] = Field(description="Every article that answers it, best first.")
    earlier_doc_ids: list[str] = Field(
        default_factory=list,
        description="For a question about a stance that changed: the articles holding the earlier stance, which "
        "a complete answer cites as earlier. Citing them is right; retrieving them first is not.",
    )
    answer_patterns: list[str] = Field(description="Case-insensitive regexes; one match is correct.")
    tags: list[str] = Field(default_factory=list)
    history: list[Turn] = Field(
        default_factory=list, description="Earlier turns of a conversation; the question follows them."
    )

    @field_validator("answer_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern, re.IGNORECASE)
        return patterns

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.answerable and not (self.gold_doc_ids and self.answer_patterns):
            raise ValueError(f"{self.id}: an answerable case needs gold_doc_ids and answer_patterns")
        if not self.answerable and (self.gold_doc_ids or self.earlier_doc_ids):
            raise ValueError(f"{self.id}: an unanswerable case has no gold_doc_ids or earlier_doc_ids")
        return self

    @property
    def citable_doc_ids(self) -> set[str]:
        """Articles an answer may cite: those that answer it and those holding an earlier stance."""
        return {*self.gold_doc_ids, *self.earlier_doc_ids}


def load_testset(path: Path = TESTSET) -> list[Case]:
    """All cases in the file; a malformed line is an error naming its line number."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                cases.append(Case.model_validate_json(line))
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "case"
                raise ValueError(f"{path}:{number}: {where}: {first['msg']}") from error
    ids = [case.id for case in cases]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate case ids")
    return cases
