"""Whether the store's three parts agree: the catalog, the Chroma collections and the BM25 index.

Cheap enough for every open: the catalog's chunk and sentence ids are compared with the ids
in Chroma, the BM25 index of the catalog's generation is loaded and its ids compared, and
three vectors of each collection are read back (a damaged vector index fails there). Nothing
is re-embedded. Each finding says in plain words what is wrong, naming the file, and which
command repairs it; the repairs themselves are `index.ingest`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, computed_field

from index.catalog import Catalog, Repair, StoreDamaged
from index.vectors import VectorCollection, other_spaces, space_folder

if TYPE_CHECKING:
    from index.store import Store


REPAIRS: dict[Repair, str] = {
    "ingest": "`qa ingest` repairs it (it re-embeds only what is missing, rebuilds the BM25 index and removes "
    "vectors no article uses)",
    "reindex": "`qa reindex` rebuilds the store from the article files",
}


class Finding(BaseModel):
    problem: str = Field(description="What is wrong, in plain words, naming the file.")
    repair: Repair = Field(description="The command that repairs it: `qa ingest` or `qa reindex`.")
    blocks_answers: bool = Field(description="Whether answering now would use half an index.")


class StoreHealth(BaseModel):
    data_dir: str
    articles: int = 0
    chunks: int = 0
    sentences: int = 0
    findings: list[Finding] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.findings

    @computed_field  # type: ignore[prop-decorator]
    @property
    def answerable(self) -> bool:
        return not any(f.blocks_answers for f in self.findings)

    def describe(self) -> list[str]:
        """What `qa doctor` prints: the store's size, then each problem, what it does and what repairs it."""
        lines = [f"{self.data_dir}: {self.articles} articles, {self.chunks} chunks, {self.sentences} sentences"]
        if self.ok:
            lines.append("healthy: the catalog, Chroma and the BM25 index agree" if self.articles else
                         "nothing is indexed yet: `qa ingest` indexes the corpus")  # fmt: skip
        for f in self.findings:
            effect = "questions are refused until it is repaired" if f.blocks_answers else "answers are unaffected"
            lines.append(f"problem: {f.problem}; {effect}; {REPAIRS[f.repair]}")
        return lines

    def refusal(self) -> StoreDamaged:
        """The one-line error to give instead of an answer from half an index (the worst finding first)."""
        blocking = sorted((f for f in self.findings if f.blocks_answers), key=lambda f: f.repair != "reindex")
        more = f" (and {len(blocking) - 1} more problems)" if len(blocking) > 1 else ""
        return StoreDamaged(f"the index cannot be used: {blocking[0].problem}{more}", blocking[0].repair)


def examine(store: Store) -> StoreHealth:
    """What is wrong with the store, if anything."""
    health = StoreHealth(data_dir=str(store.data_dir))
    try:
        catalog = store.catalog
    except StoreDamaged as error:
        health.findings.append(Finding(problem=error.problem, repair=error.repair, blocks_answers=True))
        return health
    chunk_ids, sentence_ids = catalog.chunk_ids(), catalog.sentence_ids()
    health.articles, health.chunks, health.sentences = len(catalog.articles), len(chunk_ids), len(sentence_ids)
    if not store.exists():
        health.findings += _without_catalog(store)
        return health
    try:
        health.findings += _vector_findings(store, catalog, chunk_ids, sentence_ids)
    except StoreDamaged as error:
        health.findings.append(Finding(problem=error.problem, repair="reindex", blocks_answers=True))
    health.findings += _bm25_findings(store, chunk_ids) + _leftovers(store, catalog)
    return health


def _leftovers(store: Store, catalog: Catalog) -> list[Finding]:
    """Vector spaces and BM25 generations the catalog does not use: written by a reindex or an ingest that
    was interrupted before its catalog (or is still running), or after it, before it removed the old ones."""
    spaces = [space_folder(store.data_dir, s) for s in other_spaces(store.data_dir, store.chroma_url, catalog.space)]
    root = store.data_dir / "bm25"
    generations = [f for f in root.iterdir() if f.name != str(catalog.generation)] if root.is_dir() else []
    if not spaces and not generations:
        return []
    unused = ", ".join(str(f) for f in sorted([*spaces, *generations]))
    problem = f"{unused} left by an interrupted ingest or reindex, or one still running (unused; taking up space)"
    return [Finding(problem=problem, repair="ingest", blocks_answers=False)]


def _without_catalog(store: Store) -> list[Finding]:
    """A store with no catalog is new, unless earlier ingests left vectors or BM25 indexes behind."""
    generations = store.data_dir / "bm25"
    if not (
        any(store.data_dir.glob("chroma*/chroma.sqlite3")) or (generations.is_dir() and any(generations.iterdir()))
    ):
        return []
    problem = f"{store.catalog_path} is missing, though earlier ingests left vectors or a BM25 index behind"
    return [Finding(problem=problem, repair="ingest", blocks_answers=True)]


def _vector_findings(store: Store, catalog: Catalog, chunk_ids: set[str], sentence_ids: set[str]) -> list[Finding]:
    sqlite = space_folder(store.data_dir, catalog.space) / "chroma.sqlite3"
    if not store.chroma_url and not (sqlite.is_file() and sqlite.stat().st_size > 0):
        store.forget_vectors(catalog.space)  # its open handle, if any, still shows the deleted file's vectors
        if not chunk_ids and not sentence_ids:
            return []
        problem = f"{sqlite} is missing: none of the {len(chunk_ids)} chunk and {len(sentence_ids)} sentence vectors"
        return [Finding(problem=problem + " are there", repair="ingest", blocks_answers=True)]
    chunks = _compare("chunk", store.chunk_vectors, chunk_ids)
    return chunks + _compare("sentence", store.sentence_vectors, sentence_ids)


def _compare(kind: str, collection: VectorCollection, expected: set[str]) -> list[Finding]:
    """Missing vectors (search would skip their text), vectors no article uses, and a read-back of three."""
    have = collection.ids()
    missing, extra = expected - have, have - expected
    findings = []
    if missing:
        problem = f"{collection.where} lacks {len(missing)} of the {len(expected)} {kind} vectors the catalog lists"
        findings.append(Finding(problem=problem, repair="ingest", blocks_answers=True))
    if extra:
        problem = f"{collection.where} holds {len(extra)} {kind} vectors that no indexed article uses (left by an "
        problem += "interrupted ingest, or one still running)"
        findings.append(Finding(problem=problem, repair="ingest", blocks_answers=False))
    present = sorted(expected & have)
    sample = present[:: max(1, len(present) // 3)][:3]
    if len(collection.vectors(sample)) != len(sample):
        problem = f"{collection.where} lists {kind} vectors it cannot return (its vector index is damaged)"
        findings.append(Finding(problem=problem, repair="reindex", blocks_answers=True))
    return findings


def _bm25_findings(store: Store, chunk_ids: set[str]) -> list[Finding]:
    try:
        ids = store.bm25().ids
    except StoreDamaged as error:
        return [Finding(problem=error.problem, repair="ingest", blocks_answers=True)]
    if len(ids) == len(set(ids)) and set(ids) == chunk_ids:
        return []
    folder = store.bm25_dir(store.catalog.generation)
    problem = f"{folder} indexes {len(set(ids))} chunks ({len(ids)} entries), not the catalog's {len(chunk_ids)}"
    return [Finding(problem=problem, repair="ingest", blocks_answers=True)]
