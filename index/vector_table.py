"""Exact nearest-neighbour search over every vector of a Chroma collection, read once into one matrix.

Chroma's HNSW index is approximate, and the graph it rebuilds when a process opens the store
differs from one process to the next: the same question could find a passage in one run and miss
it in the next (on the SQuAD collection, 2 to 4 of 400 true top-50 chunks missed, differently per
run). A news collection holds thousands to tens of thousands of vectors, where one matrix product
is exact, takes a few milliseconds and gives the same answer every time. The store keeps one table
per collection and catalog load (`Store.derived`), so an ingest is seen at the next reload.
The same table hands the stored vectors of given ids to the rerank, the answer scorer and the
timeline, which read them on every request. It leaves out writing vectors (`VectorCollection`)
and what the hits are used for (`qa.retrieval`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from index.vectors import VectorCollection, reading

PAGE = 5000  # vectors read from Chroma per call


@dataclass(frozen=True)
class VectorTable:
    """Stored vectors as rows, with each row's id and article: searched exactly, and read back without a
    Chroma call. Example:
    VectorTable(["a:1", "b:1"], np.array(["a", "b"]), np.eye(2)).nearest(np.array([0.0, 1.0]), 1, None)
    -> [("b:1", 1.0)]"""

    ids: list[str]
    doc_ids: np.ndarray  # the article of each row
    matrix: np.ndarray  # (rows, dimensions), float32, as stored

    @cached_property
    def _norms(self) -> np.ndarray:
        return np.maximum(np.linalg.norm(self.matrix, axis=1), 1e-12) if len(self.matrix) else np.ones(0)

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {i: row for row, i in enumerate(self.ids)}

    @classmethod
    def of(cls, vectors: VectorCollection) -> VectorTable:
        """Every vector of the collection, read in pages."""
        ids: list[str] = []
        doc_ids: list[str] = []
        rows: list[np.ndarray] = []
        while True:
            with reading(vectors.where):
                got = vectors.collection.get(include=["embeddings", "metadatas"], limit=PAGE, offset=len(ids))
            if not got["ids"]:
                break
            ids += got["ids"]
            doc_ids += [str((meta or {}).get("doc_id", "")) for meta in got["metadatas"] or []]
            rows.append(np.asarray(got["embeddings"], dtype=np.float32))
        matrix = np.concatenate(rows) if rows else np.zeros((0, 0), dtype=np.float32)
        matrix.setflags(write=False)  # rows are handed out by `vectors`: shared, never changed
        return cls(ids, np.array(doc_ids, dtype=object), matrix)

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vector of each id found, as `VectorCollection.vectors` reads it, without a Chroma call."""
        return {i: self.matrix[self._rows[i]] for i in ids if i in self._rows}

    def nearest(self, vector: np.ndarray, n: int, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        """Up to `n` (id, cosine similarity) pairs, closest first (ties in stored order), optionally
        only of the articles `doc_ids`."""
        if n <= 0 or not self.ids or (doc_ids is not None and not doc_ids):
            return []
        query = np.asarray(vector, dtype=np.float32)
        similarity = (self.matrix @ query) / self._norms / max(float(np.linalg.norm(query)), 1e-12)
        if doc_ids is not None:
            similarity = np.where(np.isin(self.doc_ids, list(doc_ids)), similarity, -np.inf)
        order = np.argsort(-similarity, kind="stable")[:n]
        return [(self.ids[j], float(similarity[j])) for j in order if np.isfinite(similarity[j])]
