"""The catalog: what the store holds, written atomically, and the one-writer lock.

The catalog is the source of truth for which articles and chunks are live. It is written
last in an ingest, with a rename, so an ingest that fails part-way leaves the previous
catalog (and therefore the previous answers) in force; vectors that a failed ingest left in
Chroma are not in the catalog, are never returned, and are removed by the next ingest.
A catalog that cannot be read raises `StoreDamaged`, one line naming the file.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from index.types import ArticleMeta, Chunk, CleanText, Sentence

CATALOG_VERSION = 1


class StoreBusy(RuntimeError):
    """Another process is writing to the store."""


Repair = Literal["ingest", "reindex"]
ADVICE: dict[Repair, str] = {
    "ingest": "run `qa ingest` to repair it (`qa doctor` says what is wrong)",
    "reindex": "run `qa doctor` to see what is wrong, or `qa reindex` to rebuild the store from the articles",
}


class StoreDamaged(RuntimeError):
    """The store cannot be used as it is: a file cannot be read, or its parts disagree.

    `problem` names the file in plain words; `repair` is the command that fixes it: `ingest` for
    what can be recomputed from the catalog (missing vectors, the BM25 index), `reindex` when a file
    the store cannot do without is unreadable.
    Example: StoreDamaged("/d/catalog.json cannot be read (EOF while parsing)") -> that text, then
    "; run `qa doctor` to see what is wrong, or `qa reindex` to rebuild the store from the articles".
    """

    def __init__(self, problem: str, repair: Repair = "reindex") -> None:
        super().__init__(f"{problem}; {ADVICE[repair]}")
        self.problem, self.repair = problem, repair


class StoredArticle(BaseModel):
    meta: ArticleMeta
    source: str
    content_hash: str
    original: str
    clean: CleanText
    chunks: list[Chunk]
    sentences: list[Sentence]


class Catalog(BaseModel):
    version: int = CATALOG_VERSION
    pipeline: str = Field(default="", description="Settings that shaped the chunks.")
    generation: int = 0
    space: str = Field(
        default="",
        description="Where the vectors live: '' is chroma/ (collections chunks, sentences); a reindex builds "
        "a new space beside the old one (chroma-<space>/, or collections chunks-<space> on a Chroma server) "
        "and this field switches to it when the new catalog is saved.",
    )
    articles: dict[str, StoredArticle] = Field(default_factory=dict)

    def chunk_ids(self) -> set[str]:
        return {c.chunk_id for a in self.articles.values() for c in a.chunks}

    def sentence_ids(self) -> set[str]:
        return {s.sentence_id for a in self.articles.values() for s in a.sentences}

    def chunks(self) -> list[Chunk]:
        return [c for a in self.articles.values() for c in a.chunks]


def load_catalog(path: Path) -> Catalog:
    """The catalog at `path`, empty when there is none; `StoreDamaged` when it cannot be read."""
    if not path.is_file():
        return Catalog()
    try:
        return Catalog.model_validate_json(path.read_bytes())
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise StoreDamaged(f"{path} cannot be read ({where + ': ' if where else ''}{first['msg']})") from None
    except OSError as error:
        raise StoreDamaged(f"{path} cannot be read ({error.strerror or error})") from None


def save_catalog(catalog: Catalog, path: Path) -> None:
    """Write the catalog so that readers see either the old or the new one, never half."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(catalog.model_dump_json(), encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class WriteLock:
    """An exclusive, non-blocking lock on the store; a second writer gets `StoreBusy`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: object | None = None

    def __enter__(self) -> WriteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StoreBusy(
                f"store in use: {self.path.parent} is being written by {holder}; try again when it finishes"
            ) from None
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self.handle = handle
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.handle is not None:
            self.handle.close()  # type: ignore[attr-defined]
            self.handle = None
