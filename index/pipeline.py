"""One article through the text stages: clean, split into sentences, chunk.

Pure and deterministic: the same article and settings always give the same chunks and ids.
Embedding and storage are left to `index.ingest`.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field

from index.catalog import StoredArticle
from index.chunker import chunk_text
from index.clean import clean
from index.loader import LoadError
from index.sentences import split_sentences
from index.types import Article, Chunk, Sentence, Span

CLEANER_VERSION = 3  # 3: a date in body prose is no longer taken as the publication date


class ChunkSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    size_tokens: int = Field(default=96, gt=16, le=8192, description="Most tokens in a chunk.")
    overlap_tokens: int = Field(default=24, ge=0, description="Tokens repeated between chunks.")

    def fingerprint(self) -> str:
        return f"clean={CLEANER_VERSION};chunk={self.size_tokens}/{self.overlap_tokens}"


def embedding_text(title: str | None, text: str) -> str:
    """What the encoder and BM25 see for a chunk: its article's title, then its text."""
    return f"{title}\n\n{text}" if title else text


def _sentence(doc_id: str, text: str, span: Span) -> Sentence:
    body = text[span.start : span.end]
    digest = hashlib.sha256(f"{span.start}\x00{body}".encode()).hexdigest()[:16]
    return Sentence(sentence_id=f"{doc_id}:s{digest}", doc_id=doc_id, start=span.start, end=span.end, text=body)


def process(article: Article, settings: ChunkSettings) -> StoredArticle:
    """Clean, split and chunk an article into what the store keeps of it."""
    meta = article.meta
    cleaned = clean(article.original, article.body_start, meta.title)
    if not cleaned.text.strip():
        raise LoadError(article.source, "no article text left after removing page furniture")
    spans = split_sentences(cleaned.text)
    chunks: list[Chunk] = chunk_text(
        meta.doc_id,
        cleaned.text,
        spans,
        settings.size_tokens,
        settings.overlap_tokens,
        context=meta.title or "",
    )
    return StoredArticle(
        meta=meta,
        source=article.source,
        content_hash=article.content_hash,
        original=article.original,
        clean=cleaned,
        chunks=chunks,
        sentences=[_sentence(meta.doc_id, cleaned.text, span) for span in spans],
    )
