"""What a collection is: its questions (`Item`), its articles folder, writing those articles, sampling questions.

A collection's articles are written as `{stem}.txt` files with a manifest into the git-ignored cache
(`CACHE/<name>/articles/`); shared data is read from `SHARED_DATA`, never copied into the repository.
It leaves out the sources themselves (`evals.loaders`) and asking the questions (`evals.asking`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from evals.case import Case
from qa.request_types import Turn
from qa.settings import PROJECT_ROOT

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
CACHE = PROJECT_ROOT / ".qa-data" / "collections"
T = TypeVar("T")


@dataclass(frozen=True)
class Item:
    """One question of a collection and what grades its answer."""

    collection: str
    split: str
    id: str
    question: str
    answerable: bool
    gold: tuple[str, ...] = ()
    history: tuple[Turn, ...] = ()
    case: Case | None = None  # a test-set case, graded by evals.answers.grade


@dataclass
class Collection:
    name: str
    articles: Path
    items: list[Item]
    note: dict[str, Any] = field(default_factory=dict)  # recorded in summary.json


def write_articles(folder: Path, files: dict[str, str]) -> None:
    """`{stem}.txt` files ("headline\\n\\nbody") and a manifest giving each its headline as title.

    Unchanged files are left alone and stale ones removed, so a re-run ingests nothing new.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.txt"):
        if stale.stem not in files:
            stale.unlink()
    titles = {f"{stem}.txt": {"title": text.split("\n", 1)[0].strip()} for stem, text in sorted(files.items())}
    _write_if_changed(folder / "manifest.yaml", yaml.safe_dump(titles, allow_unicode=True))
    for stem, text in files.items():
        _write_if_changed(folder / f"{stem}.txt", text)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def sample(items: Sequence[T], limit: int | None, seed: int = 0) -> list[T]:
    """`limit` items drawn with a seeded generator, kept in their order; all of them without a limit."""
    if limit is None or limit >= len(items):
        return list(items)
    return [items[i] for i in sorted(random.Random(seed).sample(range(len(items)), limit))]
