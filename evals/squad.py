"""A SQuAD 2.0 JSON file read directly as test sets: each paragraph becomes an article.

Questions keep their id; the gold answers are the answer texts (the gold spans), the gold article
is the paragraph's, and the type is the product's reading of the question (`qa.questions.classify`,
SQuAD has none). Roles: a top-level `"_meta": {"role": ..., "dev_titles": [...]}` in the file, or,
for a file that cannot carry one (shared data is never edited), its entry in evals/roles.toml;
titles in `dev_titles` make a set of their own, `<name>:dev`. Structure errors name the file and
the JSON path ("data[0].paragraphs[2].qas[1].question: Field required"); bad JSON, its line.
"""

from __future__ import annotations

import json
import random
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.case import AnyOf, Case
from evals.loaders import squad_articles, squad_stem
from evals.testset import Role, TestSet, TestSetError
from qa.questions import classify

ROLES = Path(__file__).with_name("roles.toml")


class SquadMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    dev_titles: list[str] = Field(default_factory=list, description="Titles that chose a setting (dev).")
    note: str = ""


class _Answer(BaseModel):
    text: str


class _Question(BaseModel):
    id: str
    question: str = Field(min_length=1)
    answers: list[_Answer]
    is_impossible: bool = False


class _Paragraph(BaseModel):
    context: str = Field(min_length=1)
    qas: list[_Question]


class _Article(BaseModel):
    title: str = Field(min_length=1)
    paragraphs: list[_Paragraph]


class _Squad(BaseModel):
    data: list[_Article] = Field(min_length=1)
    meta: SquadMeta | None = Field(default=None, alias="_meta")


def read_squad(path: Path, roles: Path = ROLES) -> list[TestSet]:
    """The file's questions as one set per role, all sharing its paragraphs as articles."""
    raw = _json(path)
    try:
        squad = _Squad.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        raise TestSetError(f"{path}: {_json_path(first['loc'])}: {first['msg']}") from error
    meta = squad.meta or known_roles(path, roles)
    articles = squad_articles(raw)
    split: dict[Role | None, list[Case]] = {}
    about: dict[str, str] = {}
    for title_index, article in enumerate(squad.data):
        role = "dev" if meta and article.title in meta.dev_titles else meta.role if meta else None
        for number, paragraph in enumerate(article.paragraphs):
            doc_id = squad_stem(article.title, number)
            where = f"data[{title_index}].paragraphs[{number}]"
            split.setdefault(role, []).extend(_case(path, where, q, doc_id) for q in paragraph.qas)
            about.update((q.id, doc_id) for q in paragraph.qas)
    note = meta.note if meta else ""
    return [
        TestSet(path.stem if len(split) == 1 else f"{path.stem}:{role}", path, role, cases, note=note,
                articles=articles, about=about)
        for role, cases in split.items()
    ]  # fmt: skip


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise TestSetError(f"{path}:{error.lineno}: not JSON ({error.msg}, column {error.colno})") from error
    except (OSError, UnicodeDecodeError) as error:
        raise TestSetError(f"{path}: cannot be read ({error})") from error


def _json_path(loc: tuple[int | str, ...]) -> str:
    """Example: ("data", 0, "paragraphs", 2, "qas") -> "data[0].paragraphs[2].qas"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "file"


def _case(path: Path, where: str, question: _Question, doc_id: str) -> Case:
    answerable = not question.is_impossible
    texts: list[str | AnyOf] = list(dict.fromkeys(a.text for a in question.answers if a.text.strip()))
    if answerable and not texts:
        raise TestSetError(f"{path}: {where} question {question.id!r}: answerable but no answer text")
    return Case(id=question.id, question=question.question, type=classify(question.question), answerable=answerable,
                gold_doc_ids=[doc_id] if answerable else [], answers=texts if answerable else [])  # fmt: skip


def known_roles(path: Path, roles: Path = ROLES) -> SquadMeta | None:
    """The project's record of a file's role, by file name, from `roles`; None if it has none."""
    if not roles.is_file():
        return None
    entry = tomllib.loads(roles.read_text(encoding="utf-8")).get(path.name)
    return SquadMeta.model_validate(entry) if entry is not None else None


def trim_articles(sets: list[TestSet], others: int, seed: int = 0) -> None:
    """Keep only the articles the sets' questions were written about, and `others` more as distractors.

    Used with `--limit`, so a sample of a large file does not wait for every paragraph to be indexed.
    """
    articles = sets[0].articles
    asked = {testset.about[case.id] for testset in sets for case in testset.cases}
    rest = sorted(set(articles) - asked)
    keep = asked | set(random.Random(seed).sample(rest, min(others, len(rest))))
    trimmed = {doc: text for doc, text in articles.items() if doc in keep}
    for testset in sets:
        testset.articles = trimmed
