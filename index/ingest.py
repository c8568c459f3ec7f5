"""Incremental, idempotent ingest of article files into the store, one writer at a time.

Everything that can fail on bad input (reading, parsing, cleaning, chunking, embedding)
happens before the first write. Writes then go: new vectors, the BM25 index of the new
generation, the catalog (atomically: the commit point), and only then the removal of stale
vectors. Re-running on unchanged files embeds nothing and writes nothing, unless the store's
parts disagree (`index.health`): then it repairs what is missing from the catalog it keeps
(re-embeds only the missing vectors, rebuilds the BM25 index, sweeps vectors no article uses).
`reindex` rebuilds everything beside the old store and switches to it at the commit.
This module holds the flows, their settings and report, and the commit order; deciding what
changes is `index.changes`'s, and each write step is `index.writes`'s.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from index.catalog import Catalog, StoreDamaged, save_catalog
from index.changes import Rejection, drop_missing, load_all, next_catalog
from index.encoder import Encoder
from index.loader import discover, not_articles, unsupported_reason
from index.pipeline import ChunkSettings
from index.store import Store
from index.writes import checkpoint, collect_garbage, save_bm25, write_vectors

__all__ = ["IngestReport", "IngestSettings", "Rejection", "UnknownDocId", "ingest", "reindex", "remove_article"]


class IngestSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chunk: ChunkSettings = Field(default_factory=ChunkSettings)
    max_file_bytes: int = Field(default=5_000_000, gt=0, description="Largest article file accepted.")
    batch_size: int = Field(default=64, gt=0, description="Texts per encoder call.")
    pause_at: Literal["chunk-vectors", "bm25", "catalog"] | None = Field(
        default=None,
        description="Test hook (QA_INGEST__PAUSE_AT), off by default: at this stage of a write (chunk vectors "
        "stored, sentence vectors not yet; the new BM25 index saved; the catalog saved, stale vectors not yet "
        "removed) say 'paused at STAGE' on stderr and sleep, so a fault-injection test can kill the process there.",
    )


class UnknownDocId(ValueError):
    """No article with that doc_id is indexed."""


class IngestReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    rejected: list[Rejection] = Field(default_factory=list)
    skipped: list[Rejection] = Field(default_factory=list, description="Files in the folder that are not articles.")
    chunks_added: int = 0
    chunks_removed: int = 0
    texts_encoded: int = 0
    repaired: list[str] = Field(default_factory=list, description="What was wrong with the store and is now fixed.")

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def ingest(store: Store, path: Path, load_encoder: Callable[[], Encoder], settings: IngestSettings,
           prune: bool = False, progress: bool = False) -> IngestReport:  # fmt: skip
    """Bring the store in line with the article files at `path`; report what changed."""
    report = IngestReport()
    files = discover(path)
    report.skipped = [Rejection(path=str(p), reason=unsupported_reason(p)) for p in not_articles(path)]
    with store.lock():
        store.reload()
        old, health = store.catalog, store.health()
        if unreadable := [f for f in health.findings if f.repair == "reindex"]:
            raise StoreDamaged(unreadable[0].problem, "reindex")
        catalog = next_catalog(old, load_all(files, settings, report), settings, report)
        if prune:
            drop_missing(catalog, path.resolve(), {str(f.resolve()) for f in files}, report)
        if not report.changed and old.pipeline == catalog.pipeline and health.ok:
            return report
        report.repaired = [f.problem for f in health.findings]
        write_vectors(store, catalog, load_encoder, settings, progress, report)
        _commit(store, catalog, old, report, settings.pause_at)
    return report


def reindex(store: Store, path: Path, load_encoder: Callable[[], Encoder], settings: IngestSettings,
            progress: bool = False) -> IngestReport:  # fmt: skip
    """Rebuild the whole store from the article files at `path` and those the catalog lists (when it can
    be read; an article whose file is gone is dropped). New vectors and a new BM25 generation are built
    beside the old ones, which readers keep using until the new catalog is saved; then they are deleted."""
    report = IngestReport()
    files = discover(path)
    report.skipped = [Rejection(path=str(p), reason=unsupported_reason(p)) for p in not_articles(path)]
    with store.lock():
        store.reload()
        known = {} if store.damage else {a.meta.doc_id: Path(a.source) for a in store.catalog.articles.values()}
        previous = None if store.damage else store.catalog.space
        chosen = {f.resolve(): f for f in [*files, *(p for p in known.values() if p.is_file())]}
        generation = _latest_generation(store)
        fresh = Catalog(generation=generation, space=f"r{generation + 1}-{secrets.token_hex(3)}")
        catalog = next_catalog(fresh, load_all(sorted(chosen.values()), settings, report), settings, report)
        report.removed = sorted(set(known) - set(catalog.articles))
        write_vectors(store, catalog, load_encoder, settings, progress, report)
        _commit(store, catalog, fresh, report, settings.pause_at)
        store.drop_spaces(also=previous)  # on a Chroma server the old space is known only by the old catalog
    return report


def _latest_generation(store: Store) -> int:
    """The highest generation the catalog or a BM25 folder names, so a rebuild never reuses one."""
    root = store.data_dir / "bm25"
    folders = [int(f.name) for f in root.iterdir() if f.name.isdigit()] if root.is_dir() else []
    return max([0 if store.damage else store.catalog.generation, *folders])


def remove_article(store: Store, doc_id: str) -> IngestReport:
    """Take one article out of the store (catalog entry, vectors, BM25 entries), committed as an ingest is."""
    report = IngestReport(removed=[doc_id])
    with store.lock():
        store.reload()
        old = store.catalog
        if doc_id not in old.articles:
            raise UnknownDocId(f"no article with doc_id {doc_id!r} is indexed")
        articles = {k: v for k, v in old.articles.items() if k != doc_id}
        _commit(store, old.model_copy(update={"articles": articles}), old, report)
    return report


def _commit(store: Store, catalog: Catalog, old: Catalog, report: IngestReport, pause_at: str | None = None) -> None:
    """The new generation's BM25 index, then the catalog (the commit point), then stale vectors out."""
    catalog.generation = old.generation + 1
    save_bm25(store, catalog)
    checkpoint(pause_at, "bm25")
    save_catalog(catalog, store.catalog_path)
    store.reload()
    checkpoint(pause_at, "catalog")
    collect_garbage(store, catalog, old, report)
