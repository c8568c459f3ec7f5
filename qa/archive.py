"""`Archive`: one store as the assistant keeps it and shows what it holds; `Assistant` builds on it.

It holds the store, the encoder (loaded on first use, so listing articles or a no-op ingest
never loads a model) and the settings; nothing here reads the environment. It brings articles in
(`ingest`, `reindex`, each through a store of its own), checks the store (`doctor`, `health`,
and the refusal to answer from a broken index), lists the articles and shows one, each request
in one view of the store (`one_view`). It leaves out questions: parsing, retrieval, reading,
answering and the timeline are `Assistant`'s (`qa.assistant`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import wraps
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from index.catalog import StoredArticle
from index.encoder import Encoder, load_encoder
from index.health import StoreHealth
from index.ingest import IngestReport, ingest, reindex
from index.store import Store
from qa.article_types import ArticleSummary, ArticleView, Health
from qa.settings import QASettings
from qa.store_gate import StoreGate


class UnknownArticle(KeyError):
    """No article with that doc_id is indexed."""

    def __str__(self) -> str:
        return f"no article with doc_id {self.args[0]!r} is indexed"


A = TypeVar("A", bound="Archive")
P = ParamSpec("P")
R = TypeVar("R")


def one_view(method: Callable[Concatenate[A, P], R]) -> Callable[Concatenate[A, P], R]:
    """Run an `Archive` (or `Assistant`) method on one view of the store (see `Archive.reading`)."""

    @wraps(method)
    def run(self: A, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.reading():
            return method(self, *args, **kwargs)

    return run


class Archive:
    """The indexed articles of one store: brought in, checked, listed and shown."""

    def __init__(self, settings: QASettings, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.store = Store(settings.data_dir, settings.chroma_url)
        self.gate = StoreGate(self.store)
        self._encoder = encoder

    @property
    def encoder_ready(self) -> bool:
        """Whether the encoder is loaded (it loads only after its weights' sha256 matched)."""
        return self._encoder is not None

    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder()
        return self._encoder

    def reading(self) -> AbstractContextManager[Store]:
        """One view of the store for a whole request: an ingest that commits meanwhile (in this process or
        another) is seen by the next request, never half-way through one. Reentrant within a thread."""
        return self.gate.reading()

    def ingest(self, path: Path | None = None, prune: bool = False, progress: bool = False) -> IngestReport:
        """Bring the index in line with the articles at `path` (default: the corpus folder).

        It writes through a store of its own, as another process would, so that requests reading this
        assistant's store meanwhile are not switched half-way; the next one sees the new catalog."""
        writer = Store(self.settings.data_dir, self.settings.chroma_url)
        report = ingest(writer, path or self.settings.corpus_dir, self.encoder, self.settings.ingest, prune, progress)
        with self.reading():
            return report

    def reindex(self, path: Path | None = None, progress: bool = False) -> IngestReport:
        """Rebuild the whole store from the articles at `path` (default: the corpus folder) and those the
        catalog lists, beside the old one, switching to it only when it is complete (through a store of its
        own, as `ingest` writes)."""
        writer = Store(self.settings.data_dir, self.settings.chroma_url)
        report = reindex(writer, path or self.settings.corpus_dir, self.encoder, self.settings.ingest, progress)
        with self.reading():
            return report

    def doctor(self) -> StoreHealth:
        """What is wrong with the store, checked afresh (a store opened for it, so requests reading this
        assistant's store are not disturbed): catalog, Chroma and BM25 compared, files read."""
        return Store(self.settings.data_dir, self.settings.chroma_url).health()

    @one_view
    def health(self) -> Health:
        """Whether the index can answer, its size, the encoder's state, and what is wrong with the store."""
        status = self.store.health()
        return Health(index_loaded=self.store.exists() and status.answerable, articles=status.articles,
                      chunks=status.chunks, encoder_verified=self.encoder_ready,
                      problems=[f.problem for f in status.findings])  # fmt: skip

    def require_whole_index(self) -> None:
        """Raise `StoreDamaged` rather than answer from half an index (vectors or BM25 missing) or a damaged
        one: one line saying what is wrong and which command repairs it."""
        status = self.store.health()
        if not status.answerable:
            raise status.refusal()

    @one_view
    def article(self, doc_id: str) -> ArticleView:
        """An indexed article: its metadata and the clean `text` that all offsets index."""
        stored = self.store.catalog.articles.get(doc_id)
        if stored is None:
            raise UnknownArticle(doc_id)
        return ArticleView.model_validate(
            {**_summary_fields(stored), "source": stored.source, "text": stored.clean.text}
        )

    @one_view
    def articles(self) -> list[ArticleSummary]:
        """Every indexed article, oldest publication first (undated last)."""
        stored = sorted(
            self.store.catalog.articles.values(),
            key=lambda a: (a.meta.published is None, a.meta.published, a.meta.doc_id),
        )
        return [ArticleSummary.model_validate(_summary_fields(a)) for a in stored]


def _summary_fields(stored: StoredArticle) -> dict[str, object]:
    return {**stored.meta.model_dump(), "chunks": len(stored.chunks)}
