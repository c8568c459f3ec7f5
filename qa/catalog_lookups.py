"""What retrieval reads off the article catalog: the articles that pass the filters
(`allowed_doc_ids`), each chunk by its id (`chunks_by_id`), the sentences inside each chunk
(`sentences_of_chunks`), the chunks holding each sentence (`sentence_chunks`), and a chunk as the
`Hit` retrieval hands out (`as_hit`).

Pure functions of a catalog, which the store builds once per catalog load (`Store.derived`); it
leaves out searching and ranking (`qa.retrieval`) and the vectors, which the store's tables hold.
"""

from __future__ import annotations

from index.catalog import Catalog, StoredArticle
from index.types import Chunk, Sentence
from qa.article_types import Hit
from qa.request_types import Filters


def allowed_doc_ids(catalog: Catalog, filters: Filters | None) -> list[str] | None:
    """Articles that pass the filters; None when there are no filters. Unknown ids are an error."""
    if filters is None or filters == Filters():
        return None
    unknown = sorted(set(filters.doc_ids or []) - set(catalog.articles))
    if unknown:
        raise ValueError(f"unknown doc_id: {', '.join(unknown)}")
    return [doc_id for doc_id, a in catalog.articles.items() if _passes(a.meta, filters)]


def _passes(meta: object, filters: Filters) -> bool:
    doc_id, publisher, published = (getattr(meta, f) for f in ("doc_id", "publisher", "published"))
    if filters.doc_ids is not None and doc_id not in filters.doc_ids:
        return False
    if filters.publishers is not None:
        wanted = [p.casefold() for p in filters.publishers]
        if not publisher or not any(w in publisher.casefold() for w in wanted):
            return False
    if (filters.published_after or filters.published_before) and published is None:
        return False
    if filters.published_after and published < filters.published_after:
        return False
    return not (filters.published_before and published > filters.published_before)


def sentences_of_chunks(catalog: Catalog) -> dict[str, list[Sentence]]:
    """For each chunk id, the sentences wholly inside it, in order."""
    return {
        c.chunk_id: [s for s in a.sentences if c.start <= s.start and s.end <= c.end]
        for a in catalog.articles.values()
        for c in a.chunks
    }


def sentence_chunks(catalog: Catalog) -> dict[str, list[str]]:
    """For each sentence id, the ids of the chunks whose span contains the sentence."""
    containing: dict[str, list[str]] = {}
    for chunk_id, sentences in sentences_of_chunks(catalog).items():
        for sentence in sentences:
            containing.setdefault(sentence.sentence_id, []).append(chunk_id)
    return containing


def chunks_by_id(catalog: Catalog) -> dict[str, tuple[StoredArticle, Chunk]]:
    """Chunk id -> (article, chunk) for every chunk of the catalog."""
    return {k.chunk_id: (a, k) for a in catalog.articles.values() for k in a.chunks}


def as_hit(entry: tuple[StoredArticle, Chunk], score: float) -> Hit:
    """A chunk, with its article's title and date, as the hit retrieval hands out with its `score`."""
    article, chunk = entry
    return Hit(
        doc_id=chunk.doc_id,
        chunk_id=chunk.chunk_id,
        score=score,
        text=chunk.text,
        start=chunk.start,
        end=chunk.end,
        title=article.meta.title,
        published=article.meta.published,
    )
