"""How an ingest writes to the store, one step at a time; the order of the steps is `index.ingest`'s.

`write_vectors` embeds and stores only the chunks and sentences the catalog's vector space lacks;
`save_bm25` builds the BM25 index of a generation; `collect_garbage`, after the catalog commit,
drops vectors no article uses, other BM25 generations and unused vector spaces. `checkpoint` is the
fault-injection pause hook (`IngestSettings.pause_at`). Deciding what changes is `index.changes`'s.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from index.bm25 import Bm25Index
from index.catalog import Catalog, StoredArticle
from index.encoder import Encoder
from index.pipeline import embedding_text
from index.store import Store

if TYPE_CHECKING:
    from index.ingest import IngestReport, IngestSettings


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


def write_vectors(store: Store, catalog: Catalog, load_encoder: Callable[[], Encoder],
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
    checkpoint(settings.pause_at, "chunk-vectors")
    space.sentences.upsert(new_sentences, sentence_vectors, [_vector_meta(sentences[i], True) for i in new_sentences])
    report.chunks_added = len(new_chunks)


def _vector_meta(entry: tuple[StoredArticle, int], sentence: bool = False) -> dict[str, object]:
    article, index = entry
    item = article.sentences[index] if sentence else article.chunks[index]
    return {"doc_id": article.meta.doc_id, "start": item.start, "end": item.end}


def checkpoint(pause_at: str | None, stage: str) -> None:
    """The fault-injection hook of `IngestSettings.pause_at`: nothing unless asked to pause here."""
    if pause_at == stage:
        print(f"paused at {stage}", file=sys.stderr, flush=True)
        time.sleep(3600)


def save_bm25(store: Store, catalog: Catalog) -> None:
    entries = [(c.chunk_id, embedding_text(a.meta.title, c.text)) for a in catalog.articles.values() for c in a.chunks]
    index = Bm25Index.build([e[0] for e in entries], [e[1] for e in entries])
    folder = store.bm25_dir(catalog.generation)
    shutil.rmtree(folder, ignore_errors=True)
    index.save(folder)


def collect_garbage(store: Store, catalog: Catalog, old: Catalog, report: IngestReport) -> None:
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
