"""Incremental, idempotent ingest of article files into the store, one writer at a time.

Everything that can fail on bad input (reading, parsing, cleaning, chunking, embedding)
happens before the first write. Writes then go: new vectors, the BM25 index of the new
generation, the catalog (atomically: the commit point), and only then the removal of stale
vectors. Re-running on unchanged files embeds nothing and writes nothing, unless the store's
parts disagree (`index.health`): then it repairs what is missing from the catalog it keeps
(re-embeds only the missing vectors, rebuilds the BM25 index, sweeps vectors no article uses).
`reindex` rebuilds everything beside the old store and switches to it at the commit.
"""

from __future__ import annotations

import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from tqdm import tqdm

from index.bm25 import Bm25Index
from index.catalog import Catalog, StoreDamaged, StoredArticle, save_catalog
from index.encoder import Encoder
from index.loader import LoadError, discover, load_article, not_articles, read_manifest, unsupported_reason
from index.pipeline import ChunkSettings, embedding_text, process
from index.store import Store
from index.types import Article


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


class Rejection(BaseModel):
    path: str
    reason: str


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


def _load_all(files: list[Path], settings: IngestSettings, report: IngestReport) -> list[Article]:
    manifests: dict[Path, dict[str, dict[str, object]] | LoadError] = {}
    articles: dict[str, Article] = {}
    for path in files:
        try:
            if path.parent not in manifests:
                manifests[path.parent] = _manifest_or_error(path.parent)
            manifest = manifests[path.parent]
            if isinstance(manifest, LoadError):
                raise LoadError(path, f"skipped because {manifest}")
            article = load_article(path, manifest.get(path.name), settings.max_file_bytes)
            if (other := articles.get(article.meta.doc_id)) is not None:
                raise LoadError(path, _clash(article.meta.doc_id, other.source))
            articles[article.meta.doc_id] = article
        except LoadError as error:
            report.rejected.append(Rejection(path=error.path, reason=error.reason))
    return list(articles.values())


def _clash(doc_id: str, other_source: str) -> str:
    return (f"doc_id {doc_id!r} is already used by {other_source}; give this file its own doc_id "
            f"(front matter or manifest.yaml), or run `qa remove {doc_id}` first")  # fmt: skip


def _another_file(previous: StoredArticle, article: Article) -> bool:
    """Whether `article` comes from a file other than the indexed one, which is still there (a moved
    file's old place is gone; one file reached by two paths resolves to the same place)."""
    old = Path(previous.source).resolve()
    return old != Path(article.source).resolve() and old.is_file()


def _manifest_or_error(folder: Path) -> dict[str, dict[str, object]] | LoadError:
    try:
        return read_manifest(folder)
    except LoadError as error:
        return error


def _next_catalog(old: Catalog, articles: list[Article], settings: IngestSettings, report: IngestReport) -> Catalog:
    pipeline = settings.chunk.fingerprint()
    new = Catalog(pipeline=pipeline, generation=old.generation, space=old.space, articles=dict(old.articles))
    for article in articles:
        doc_id, previous = article.meta.doc_id, old.articles.get(article.meta.doc_id)
        if previous and previous.content_hash == article.content_hash and old.pipeline == pipeline:
            report.unchanged.append(doc_id)
            continue
        if previous and _another_file(previous, article):
            report.rejected.append(Rejection(path=article.source, reason=_clash(doc_id, previous.source)))
            continue
        try:
            new.articles[doc_id] = process(article, settings.chunk)
        except LoadError as error:
            report.rejected.append(Rejection(path=error.path, reason=error.reason))
            continue
        (report.updated if previous else report.added).append(doc_id)
    return new


def _prune(catalog: Catalog, root: Path, seen: set[str], report: IngestReport) -> None:
    """Drop articles whose file under `root` is gone (a file that failed to load is not gone)."""
    for doc_id, stored in list(catalog.articles.items()):
        source = Path(stored.source).resolve()
        if source.is_relative_to(root) and str(source) not in seen:
            del catalog.articles[doc_id]
            report.removed.append(doc_id)


def _encode(encoder: Encoder, texts: list[str], batch: int, label: str, progress: bool) -> np.ndarray:
    parts = [np.zeros((0, encoder.dim), dtype=np.float32)]
    bar = tqdm(total=len(texts), desc=label, unit="text", disable=not progress or not texts)
    for start in range(0, len(texts), batch):
        parts.append(encoder.encode(texts[start : start + batch]))
        bar.update(min(batch, len(texts) - start))
    bar.close()
    return np.concatenate(parts)


def _by_id(
    catalog: Catalog,
) -> tuple[dict[str, tuple[StoredArticle, int]], dict[str, tuple[StoredArticle, int]]]:
    chunks = {c.chunk_id: (a, i) for a in catalog.articles.values() for i, c in enumerate(a.chunks)}
    sentences = {s.sentence_id: (a, i) for a in catalog.articles.values() for i, s in enumerate(a.sentences)}
    return chunks, sentences


def _write_vectors(store: Store, catalog: Catalog, load_encoder: Callable[[], Encoder],
                   settings: IngestSettings, progress: bool, report: IngestReport) -> None:  # fmt: skip
    """Embed and store the catalog's chunks and sentences that its vector space lacks, and only those."""
    chunks, sentences = _by_id(catalog)
    space = store.vectors(catalog.space)
    new_chunks = sorted(set(chunks) - space.chunks.ids())
    new_sentences = sorted(set(sentences) - space.sentences.ids())
    if not new_chunks and not new_sentences:
        return
    encoder = load_encoder()
    before = encoder.calls
    chunk_texts = [embedding_text(chunks[i][0].meta.title, chunks[i][0].chunks[chunks[i][1]].text) for i in new_chunks]
    sentence_texts = [sentences[i][0].sentences[sentences[i][1]].text for i in new_sentences]
    chunk_vectors = _encode(encoder, chunk_texts, settings.batch_size, "Embedding chunks", progress)
    sentence_vectors = _encode(encoder, sentence_texts, settings.batch_size, "Embedding sentences", progress)
    report.texts_encoded = encoder.calls - before
    space.chunks.upsert(new_chunks, chunk_vectors, [_vector_meta(chunks[i]) for i in new_chunks])
    _checkpoint(settings.pause_at, "chunk-vectors")
    space.sentences.upsert(new_sentences, sentence_vectors, [_vector_meta(sentences[i], True) for i in new_sentences])
    report.chunks_added = len(new_chunks)


def _vector_meta(entry: tuple[StoredArticle, int], sentence: bool = False) -> dict[str, object]:
    article, index = entry
    item = article.sentences[index] if sentence else article.chunks[index]
    return {"doc_id": article.meta.doc_id, "start": item.start, "end": item.end}


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
        catalog = _next_catalog(old, _load_all(files, settings, report), settings, report)
        if prune:
            _prune(catalog, path.resolve(), {str(f.resolve()) for f in files}, report)
        if not report.changed and old.pipeline == catalog.pipeline and health.ok:
            return report
        report.repaired = [f.problem for f in health.findings]
        _write_vectors(store, catalog, load_encoder, settings, progress, report)
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
        catalog = _next_catalog(fresh, _load_all(sorted(chosen.values()), settings, report), settings, report)
        report.removed = sorted(set(known) - set(catalog.articles))
        _write_vectors(store, catalog, load_encoder, settings, progress, report)
        _commit(store, catalog, fresh, report, settings.pause_at)
        store.drop_spaces(also=previous)  # on a Chroma server the old space is known only by the old catalog
    return report


def _latest_generation(store: Store) -> int:
    """The highest generation the catalog or a BM25 folder names, so a rebuild never reuses one."""
    root = store.data_dir / "bm25"
    folders = [int(f.name) for f in root.iterdir() if f.name.isdigit()] if root.is_dir() else []
    return max([0 if store.damage else store.catalog.generation, *folders])


def _checkpoint(pause_at: str | None, stage: str) -> None:
    """The fault-injection hook of `IngestSettings.pause_at`: nothing unless asked to pause here."""
    if pause_at == stage:
        print(f"paused at {stage}", file=sys.stderr, flush=True)
        time.sleep(3600)


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
    _save_bm25(store, catalog)
    _checkpoint(pause_at, "bm25")
    save_catalog(catalog, store.catalog_path)
    store.reload()
    _checkpoint(pause_at, "catalog")
    _collect_garbage(store, catalog, old, report)


def _save_bm25(store: Store, catalog: Catalog) -> None:
    entries = [(c.chunk_id, embedding_text(a.meta.title, c.text)) for a in catalog.articles.values() for c in a.chunks]
    index = Bm25Index.build([e[0] for e in entries], [e[1] for e in entries])
    folder = store.bm25_dir(catalog.generation)
    shutil.rmtree(folder, ignore_errors=True)
    index.save(folder)


def _collect_garbage(store: Store, catalog: Catalog, old: Catalog, report: IngestReport) -> None:
    """After the commit: drop vectors no catalog entry points at, old BM25 generations and vector spaces."""
    stale_chunks = sorted(store.chunk_vectors.ids() - catalog.chunk_ids())
    store.chunk_vectors.delete(stale_chunks)
    store.sentence_vectors.delete(sorted(store.sentence_vectors.ids() - catalog.sentence_ids()))
    report.chunks_removed = len(set(stale_chunks) & old.chunk_ids())
    for folder in _other_generations(store, catalog.generation):
        shutil.rmtree(folder, ignore_errors=True)
    store.drop_spaces()


def _other_generations(store: Store, keep: int) -> Iterable[Path]:
    root = store.data_dir / "bm25"
    return (f for f in root.iterdir() if f.name != str(keep)) if root.is_dir() else ()
