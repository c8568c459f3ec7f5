"""The Q&A test set: one JSON object per line, validated on load (the format is in evals/README.md).

The first line may be a header, `{"_meta": {"role": "dev" | "test", "note": "..."}}`: a `dev` set
chose a setting or a rule, a `test` set is only scored. A malformed line stops the read with its file,
line and reason. What a case holds and when an answer gives its gold answer is evals/case.py's;
SQuAD JSON files are read by evals/squad.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.case import Case

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
