"""Chroma collections holding MiniLM vectors of chunks and of sentences.

An embedded `PersistentClient` under the data directory by default; an `HttpClient` when a
server URL is given, so several machines can share one store. Vectors are always computed
here and handed to Chroma: its own default embedding function (which would download a
model) is never used. Metadata holds only str/int/float/bool, as Chroma requires.

A store's vectors live in a space: '' is `chroma/` with the collections `chunks` and `sentences`;
a reindex builds a new one beside it (`chroma-<space>/`, or `chunks-<space>` on a server). Any
error Chroma raises becomes `StoreDamaged`, one line naming the database file (or the server).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError

from index.catalog import StoreDamaged

Scalar = str | int | float | bool
CHUNKS, SENTENCES = "chunks", "sentences"


@contextmanager
def reading(where: str) -> Iterator[None]:
    """Turn Chroma's errors into `StoreDamaged` naming `where` (a database file, or a server)."""
    try:
        yield
    except ChromaError as error:
        detail = " ".join(str(error).split())[:200]
        if where.endswith("chroma.sqlite3") and ("hnsw" in detail.lower() or "finding id" in detail.lower()):
            where = f"the vector index files in {Path(where).parent}"  # the folders beside the database
        raise StoreDamaged(f"{where} cannot be read ({detail})") from None


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
    # Chroma shares one System per folder in a process, and a System keeps the index it loaded, blind to
    # what another process wrote since. Each client gets a fresh one; clients opened before keep theirs.
    SharedSystemClient._identifier_to_system.pop(str(path), None)
    try:
        return chromadb.PersistentClient(path=str(path), settings=settings)
    except Exception:
        # Chroma caches one System per folder before starting it; one that failed to start (a damaged
        # database) would be handed to every later client in this process, which then fails with "Could
        # not connect to tenant". Dropped, so the next open tries the file again and names the real error.
        SharedSystemClient._identifier_to_system.pop(str(path), None)
        raise


def scalar_metadata(fields: Mapping[str, object]) -> dict[str, Scalar]:
    """Drop what Chroma cannot store. Example: {"a": 1, "b": None, "c": [1]} -> {"a": 1}."""
    return {k: v for k, v in fields.items() if isinstance(v, str | int | float | bool)}


class VectorCollection:
    """One Chroma collection of unit vectors, compared by cosine distance."""

    def __init__(self, client: ClientAPI, name: str, where: str) -> None:
        self.where = where
        with reading(where):
            self.collection = client.get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )

    def ids(self) -> set[str]:
        with reading(self.where):
            return set(self.collection.get(include=[])["ids"])

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, metadata: Sequence[Mapping[str, object]]) -> None:
        for start in range(0, len(ids), 1000):
            stop = start + 1000
            with reading(self.where):
                self.collection.upsert(
                    ids=list(ids[start:stop]),
                    embeddings=vectors[start:stop],
                    metadatas=[scalar_metadata(m) for m in metadata[start:stop]],
                )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 1000):
            with reading(self.where):
                self.collection.delete(ids=list(ids[start : start + 1000]))

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vector of each id found; an id asked for twice is fetched once (Chroma refuses repeats)."""
        if not ids:
            return {}
        with reading(self.where):
            got = self.collection.get(ids=list(dict.fromkeys(ids)), include=["embeddings"])
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], embeddings, strict=True)}


class VectorSpace:
    """The chunk and sentence collections of one space, under `data_dir` or on a Chroma server."""

    def __init__(self, data_dir: Path, url: str | None, space: str) -> None:
        self.folder = space_folder(data_dir, space)
        self.where = f"the Chroma server at {url}" if url else str(self.folder / "chroma.sqlite3")
        with reading(self.where):
            self.client = connect(self.folder, url)
        self.chunks = VectorCollection(self.client, collection_name(CHUNKS, space), self.where)
        self.sentences = VectorCollection(self.client, collection_name(SENTENCES, space), self.where)

    def close(self) -> None:
        """Release the connection (Chroma shares one per folder in a process, closed with its last client)."""
        close = getattr(self.client, "close", None)  # on the client classes, not on the ClientAPI protocol
        if close is not None:
            with reading(self.where):
                close()


def space_folder(data_dir: Path, space: str) -> Path:
    """Example: ("/d", "") -> /d/chroma; ("/d", "r3-a1b2") -> /d/chroma-r3-a1b2."""
    return data_dir / (f"chroma-{space}" if space else "chroma")


def collection_name(kind: str, space: str) -> str:
    """Example: ("chunks", "") -> "chunks"; ("chunks", "r3-a1b2") -> "chunks-r3-a1b2"."""
    return f"{kind}-{space}" if space else kind


def other_spaces(data_dir: Path, url: str | None, keep: str) -> list[str]:
    """Spaces under `data_dir` other than `keep`: the old one after a reindex, or one an interrupted reindex
    left. Empty with a server, which may hold other stores' collections: a reindex drops its old space by name.
    Example: folders chroma/ and chroma-r4-a1b2/, keep "r4-a1b2" -> [""]."""
    if url:
        return []
    found = [f.name.removeprefix("chroma").removeprefix("-") for f in data_dir.glob("chroma*") if f.is_dir()]
    return sorted(s for s in found if space_folder(data_dir, s).is_dir() and s != keep)


def drop_space(data_dir: Path, url: str | None, space: str) -> None:
    """Delete a space's vectors: its folder, or its two collections on a server."""
    if not url:
        shutil.rmtree(space_folder(data_dir, space), ignore_errors=True)
        return
    with reading(f"the Chroma server at {url}"):
        client = connect(data_dir, url)
        existing = {c.name for c in client.list_collections()}
        for name in (collection_name(CHUNKS, space), collection_name(SENTENCES, space)):
            if name in existing:
                client.delete_collection(name)
