"""Chroma collections holding MiniLM vectors of chunks and of sentences.

An embedded `PersistentClient` under the data directory by default; an `HttpClient` when a
server URL is given, so several machines can share one store. Vectors are always computed
here and handed to Chroma: its own default embedding function (which would download a
model) is never used. Metadata holds only str/int/float/bool, as Chroma requires.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import cast
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.types import Where
from chromadb.config import Settings as ChromaSettings

Scalar = str | int | float | bool
CHUNKS, SENTENCES = "chunks", "sentences"


def connect(path: Path, url: str | None = None) -> ClientAPI:
    """A Chroma client: a server at `url` if given, else an embedded store at `path`."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in {"http", "https"} or not parsed.hostname:
            raise ValueError(f"QA_CHROMA_URL must look like http://host:8000, got {url!r}")
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        return chromadb.HttpClient(host=parsed.hostname, port=port, ssl=parsed.scheme == "https", settings=settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def scalar_metadata(fields: Mapping[str, object]) -> dict[str, Scalar]:
    """Drop what Chroma cannot store. Example: {"a": 1, "b": None, "c": [1]} -> {"a": 1}."""
    return {k: v for k, v in fields.items() if isinstance(v, str | int | float | bool)}


class VectorCollection:
    """One Chroma collection of unit vectors, compared by cosine distance."""

    def __init__(self, client: ClientAPI, name: str) -> None:
        self.collection = client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, metadata: Sequence[Mapping[str, object]]) -> None:
        for start in range(0, len(ids), 1000):
            stop = start + 1000
            self.collection.upsert(
                ids=list(ids[start:stop]),
                embeddings=vectors[start:stop],
                metadatas=[scalar_metadata(m) for m in metadata[start:stop]],
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 1000):
            self.collection.delete(ids=list(ids[start : start + 1000]))

    def nearest(self, vector: np.ndarray, n: int, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        """Up to `n` (id, cosine similarity) pairs, closest first, optionally within doc_ids."""
        count = self.collection.count()
        if count == 0 or n <= 0 or (doc_ids is not None and not doc_ids):
            return []
        where = cast(Where, {"doc_id": {"$in": list(doc_ids)}}) if doc_ids is not None else None
        found = self.collection.query(
            query_embeddings=[vector], n_results=min(n, count), where=where, include=["distances"]
        )
        distances = (found["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(found["ids"][0], distances, strict=True)]

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        got = self.collection.get(ids=list(ids), include=["embeddings"])
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], embeddings, strict=True)}
