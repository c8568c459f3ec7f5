"""What an ingest changes: read the article files and plan the next catalog, writing nothing.

Each file is loaded (a bad file or manifest rejects only itself, with the reason), then compared
with the catalog: unchanged (same content, same chunking), added, updated, or refused because its
doc_id belongs to another indexed file still on disk. `drop_missing` drops articles whose file is gone.
Embedding, storing and committing are left to `index.writes` and `index.ingest`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from index.catalog import Catalog, StoredArticle
from index.loader import LoadError, load_article, read_manifest
from index.pipeline import process
from index.types import Article

if TYPE_CHECKING:
    from index.ingest import IngestReport, IngestSettings


class Rejection(BaseModel):
    path: str
    reason: str


def load_all(files: list[Path], settings: IngestSettings, report: IngestReport) -> list[Article]:
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


def next_catalog(old: Catalog, articles: list[Article], settings: IngestSettings, report: IngestReport) -> Catalog:
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


def drop_missing(catalog: Catalog, root: Path, seen: set[str], report: IngestReport) -> None:
    """Drop articles whose file under `root` is gone (a file that failed to load is not gone)."""
    for doc_id, stored in list(catalog.articles.items()):
        source = Path(stored.source).resolve()
        if source.is_relative_to(root) and str(source) not in seen:
            del catalog.articles[doc_id]
            report.removed.append(doc_id)
