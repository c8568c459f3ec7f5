"""The store on disk: catalog, Chroma collections and the BM25 index, opened together.

Layout under the data directory: `catalog.json`, `chroma/`, `bm25/<generation>/` and
`write.lock`. Readers open it freely; writers go through `index.ingest`, one at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TypeVar, cast

from chromadb.api import ClientAPI

from index.bm25 import Bm25Index
from index.catalog import Catalog, WriteLock, load_catalog
from index.vectors import CHUNKS, SENTENCES, VectorCollection, connect

T = TypeVar("T")


class Store:
    """Everything ingest writes and retrieval reads, under one data directory."""

    def __init__(self, data_dir: Path, chroma_url: str | None = None) -> None:
        self.data_dir = data_dir
        self.chroma_url = chroma_url
        self.catalog_path = data_dir / "catalog.json"
        self._bm25: tuple[int, Bm25Index] | None = None
        self._derived: dict[str, object] = {}
        self.reload()

    def exists(self) -> bool:
        return self.catalog_path.is_file()

    def reload(self) -> None:
        """Read the catalog again."""
        self._mtime = self._catalog_mtime()
        self.catalog: Catalog = load_catalog(self.catalog_path)
        self._derived = {}

    def refresh(self) -> None:
        """Reload if an ingest (in this or another process) wrote a newer catalog."""
        if self._catalog_mtime() != self._mtime:
            self.reload()

    def _catalog_mtime(self) -> int:
        return self.catalog_path.stat().st_mtime_ns if self.catalog_path.is_file() else -1

    def derived(self, name: str, build: Callable[[Catalog], T]) -> T:
        """A value computed from the current catalog, built once and kept until the catalog is reloaded."""
        if name not in self._derived:
            self._derived[name] = build(self.catalog)
        return cast(T, self._derived[name])

    def lock(self) -> WriteLock:
        return WriteLock(self.data_dir / "write.lock")

    @cached_property
    def client(self) -> ClientAPI:
        return connect(self.data_dir / "chroma", self.chroma_url)

    @cached_property
    def chunk_vectors(self) -> VectorCollection:
        return VectorCollection(self.client, CHUNKS)

    @cached_property
    def sentence_vectors(self) -> VectorCollection:
        return VectorCollection(self.client, SENTENCES)

    def bm25_dir(self, generation: int) -> Path:
        return self.data_dir / "bm25" / str(generation)

    def bm25(self) -> Bm25Index:
        """The BM25 index of the current catalog generation, loaded once per generation."""
        generation = self.catalog.generation
        if self._bm25 is None or self._bm25[0] != generation:
            folder = self.bm25_dir(generation)
            index = Bm25Index.load(folder) if (folder / "ids.json").is_file() else Bm25Index([], None)
            self._bm25 = (generation, index)
        return self._bm25[1]
