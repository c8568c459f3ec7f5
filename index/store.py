"""The store on disk: catalog, Chroma collections and the BM25 index, opened together.

Layout under the data directory: `catalog.json`, `chroma/` (or `chroma-<space>/` after a
reindex, as the catalog says), `bm25/<generation>/` and `write.lock`. Readers open it freely;
writers go through `index.ingest`, one at a time. Opening never fails: a catalog that cannot
be read is raised as `StoreDamaged` when it is used, and `health()` says whether the three
parts agree, so `qa doctor` and `qa reindex` can still work on a damaged store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from index.bm25 import Bm25Index
from index.catalog import Catalog, StoreDamaged, WriteLock, load_catalog
from index.health import StoreHealth, examine
from index.vector_table import VectorTable
from index.vectors import VectorCollection, VectorSpace, drop_space, other_spaces

T = TypeVar("T")


class Store:
    """Everything ingest writes and retrieval reads, under one data directory."""

    def __init__(self, data_dir: Path, chroma_url: str | None = None) -> None:
        self.data_dir = data_dir
        self.chroma_url = chroma_url
        self.catalog_path = data_dir / "catalog.json"
        self._bm25: tuple[int, Bm25Index] | None = None
        self._derived: dict[str, object] = {}
        self._spaces: dict[str, VectorSpace] = {}
        self.reload()

    def exists(self) -> bool:
        return self.catalog_path.is_file()

    @property
    def catalog(self) -> Catalog:
        """The catalog as last loaded; raises `StoreDamaged` when catalog.json could not be read."""
        if self.damage is not None:
            raise StoreDamaged(self.damage.problem, self.damage.repair)
        return self._catalog

    def reload(self) -> None:
        """Read the catalog again, and reconnect the vectors on next use: an open Chroma client does not
        see what another process wrote after it opened (a doc_id filter on new vectors fails)."""
        self._spaces = {}
        self._mtime = self._catalog_mtime()
        try:
            self._catalog, self.damage = load_catalog(self.catalog_path), None
        except StoreDamaged as error:
            self._catalog, self.damage = Catalog(), error
        self._derived = {}
        self._health: StoreHealth | None = None

    def refresh(self) -> None:
        """Reload if an ingest (in this or another process) wrote a newer catalog."""
        if self._catalog_mtime() != self._mtime:
            self.reload()

    def _catalog_mtime(self) -> int:
        return self.catalog_path.stat().st_mtime_ns if self.catalog_path.is_file() else -1

    def health(self) -> StoreHealth:
        """Whether catalog, Chroma and BM25 agree, checked once per catalog load (ids compared, nothing
        re-embedded; a few vectors read back)."""
        if self._health is None:
            self._health = examine(self)
        return self._health

    def derived(self, name: str, build: Callable[[Catalog], T]) -> T:
        """A value computed from the current catalog, built once and kept until the catalog is reloaded."""
        if name not in self._derived:
            self._derived[name] = build(self.catalog)
        return cast(T, self._derived[name])

    def lock(self) -> WriteLock:
        return WriteLock(self.data_dir / "write.lock")

    def vectors(self, space: str) -> VectorSpace:
        """The collections of a space (see `Catalog.space`), connected on first use."""
        if space not in self._spaces:
            self._spaces[space] = VectorSpace(self.data_dir, self.chroma_url, space)
        return self._spaces[space]

    def forget_vectors(self, space: str) -> None:
        """Close a space's connection (its files were deleted or replaced); the next use connects anew."""
        if (vectors := self._spaces.pop(space, None)) is not None:
            vectors.close()

    def drop_spaces(self, also: str | None = None) -> None:
        """Delete the vector spaces the catalog does not use (see `other_spaces`), and `also` if given."""
        keep = self.catalog.space
        for space in {*other_spaces(self.data_dir, self.chroma_url, keep), *([also] if also is not None else [])}:
            if space != keep:
                self.forget_vectors(space)
                drop_space(self.data_dir, self.chroma_url, space)

    @property
    def chunk_vectors(self) -> VectorCollection:
        return self.vectors(self._catalog.space).chunks

    @property
    def sentence_vectors(self) -> VectorCollection:
        return self.vectors(self._catalog.space).sentences

    @property
    def chunk_table(self) -> VectorTable:
        """Every chunk vector in one matrix for exact search, read once per catalog load."""
        return self.derived("chunk vector table", lambda _: VectorTable.of(self.chunk_vectors))

    @property
    def sentence_table(self) -> VectorTable:
        """Every sentence vector in one matrix for exact search, read once per catalog load."""
        return self.derived("sentence vector table", lambda _: VectorTable.of(self.sentence_vectors))

    def bm25_dir(self, generation: int) -> Path:
        return self.data_dir / "bm25" / str(generation)

    def bm25(self) -> Bm25Index:
        """The BM25 index of the current catalog generation, loaded once per generation; `StoreDamaged`
        when the catalog lists chunks and the index is missing or unreadable."""
        catalog = self.catalog
        if self._bm25 is None or self._bm25[0] != catalog.generation:
            has_chunks = any(a.chunks for a in catalog.articles.values())
            index = Bm25Index.load(self.bm25_dir(catalog.generation)) if has_chunks else Bm25Index([], None)
            self._bm25 = (catalog.generation, index)
        return self._bm25[1]
