"""The Q&A test set: one JSON object per line, validated on load (the format is in evals/README.md).

The first line may be a header, `{"_meta": {"role": "dev" | "test", "note": "..."}}`: a `dev` set
chose a setting or a rule, a `test` set is only scored. A case's gold answers are answer texts
(right when the answer holds one as whole words, after SQuAD's normalisation) or any-of groups of
regexes (right when one matches); the project's first sets give one group as `answer_patterns`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from evals.metrics import holds
from qa.types import QuestionType, Turn

TESTSET = Path(__file__).with_name("testset.jsonl")
# Written afterwards by someone who had not seen the system, and never tuned on: it tells
# whether what was tuned on TESTSET generalises.
HELDOUT = Path(__file__).with_name("heldout.jsonl")
# A second such set, written later the same way; its first scores are in README.md.
FRESH = Path(__file__).with_name("fresh.jsonl")
EVAL_SETS = (TESTSET, HELDOUT, FRESH)
Role = Literal["dev", "test"]
M = TypeVar("M", bound=BaseModel)


class TestSetError(ValueError):
    """A test set that cannot be run, with its file, line and reason: "set.jsonl:3: question: Field required"."""


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


class SetMeta(BaseModel):
    """The header line of a test set."""

    model_config = ConfigDict(extra="forbid")

    role: Role = Field(description="dev: it chose a setting or a rule; test: it is only scored.")
    note: str = Field(default="", description="What it chose, or who wrote it and how.")


@dataclass
class TestSet:
    __test__ = False  # not a pytest class, whatever its name
    name: str
    path: Path
    role: Role | None  # None: the file does not say
    cases: list[Case]
    lines: dict[str, int] = field(default_factory=dict)  # case id -> line, for errors found after loading
    note: str = ""
    articles: dict[str, str] = field(default_factory=dict)  # doc_id -> text, for a set that brings its articles
    about: dict[str, str] = field(default_factory=dict)  # case id -> the article it was written about, if known


def read_testset(path: Path) -> TestSet:
    """A JSON lines test set with its header; any malformed line is a TestSetError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TestSetError(f"{path}: cannot be read ({error})") from error
    meta: SetMeta | None = None
    cases: list[Case] = []
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        data = _json_object(path, number, line)
        if "_meta" in data:
            if cases or meta is not None:
                raise TestSetError(f"{path}:{number}: the _meta header must be the first line")
            meta = _validated(SetMeta, data["_meta"], path, number)
            continue
        case = _validated(Case, data, path, number)
        if case.id in lines:
            raise TestSetError(f"{path}:{number}: case id {case.id!r} is also on line {lines[case.id]}")
        cases.append(case)
        lines[case.id] = number
    if not cases:
        raise TestSetError(f"{path}: no cases")
    role, note = (meta.role, meta.note) if meta else (None, "")
    return TestSet(path.stem, path, role, cases, lines, note)


def _json_object(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise TestSetError(f"{path}:{number}: not JSON ({error.msg}, column {error.colno})") from error
    if not isinstance(data, dict):
        raise TestSetError(f"{path}:{number}: not a JSON object")
    return data


def _validated(model: type[M], data: Any, path: Path, number: int) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "case"
        raise TestSetError(f"{path}:{number}: {where}: {first['msg']}") from error


def check_doc_ids(testset: TestSet, known: set[str]) -> None:
    """Every gold or earlier doc_id is an indexed article, else a TestSetError naming the line."""
    for case in testset.cases:
        if unknown := sorted({*case.gold_doc_ids, *case.earlier_doc_ids} - known):
            line = testset.lines.get(case.id)
            where = f"{testset.path}:{line}" if line else f"{testset.path}: case {case.id}"
            raise TestSetError(f"{where}: unknown doc id {unknown[0]!r} (not an article of the collection)")


def load_testset(path: Path = TESTSET) -> list[Case]:
    """All cases in the file; a malformed line is an error naming its line number."""
    return read_testset(path).cases
