"""Exact nearest-neighbour search over a collection's vectors: order, article filter, paging, freshness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import vector_table
from index.vector_table import VectorTable
from index.vectors import VectorSpace
from qa import Assistant


def _table() -> VectorTable:
    rows = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    return VectorTable(["a:1", "b:1", "b:2", "c:1"], np.array(["a", "b", "b", "c"], dtype=object), rows)


def test_nearest_is_exact_cosine_order_with_ties_in_stored_order() -> None:
    found = _table().nearest(np.array([0.0, 2.0]), 3, None)  # the query's length does not matter
    assert [i for i, _ in found] == ["b:2", "b:1", "c:1"]
    assert [s for _, s in found] == pytest.approx([1.0, 0.8, 0.8])


def test_nearest_keeps_only_the_articles_asked_for() -> None:
    table = _table()
    assert [i for i, _ in table.nearest(np.array([1.0, 0.0]), 5, ["b", "c"])] == ["b:1", "c:1", "b:2"]
    assert table.nearest(np.array([1.0, 0.0]), 5, []) == []
    assert table.nearest(np.array([1.0, 0.0]), 0, None) == []
    assert VectorTable([], np.array([], dtype=object), np.zeros((0, 0), np.float32)).nearest(np.ones(2), 3, None) == []


def test_a_table_reads_every_vector_of_a_chroma_collection_in_pages(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(vector_table, "PAGE", 3)
    space = VectorSpace(tmp_path, None, "")
    draw = np.random.default_rng(0).normal(size=(8, 4)).astype(np.float32)
    ids = [f"doc{i % 3}:{i}" for i in range(8)]
    space.chunks.upsert(ids, draw, [{"doc_id": f"doc{i % 3}"} for i in range(8)])
    table = VectorTable.of(space.chunks)
    assert sorted(table.ids) == sorted(ids) and len(table.ids) == 8
    query = draw[5] + 0.1
    unit = draw / np.linalg.norm(draw, axis=1, keepdims=True)
    exact = [ids[j] for j in np.argsort(-(unit @ (query / np.linalg.norm(query))))]
    assert [i for i, _ in table.nearest(query, 8, None)] == exact
    assert {i.split(":")[0] for i, _ in table.nearest(query, 8, ["doc1"])} == {"doc1"}
    asked = [ids[2], ids[2], "doc9:missing", ids[7]]
    stored = space.chunks.vectors(asked)
    served = table.vectors(asked)
    assert list(served) == list(stored) == [ids[2], ids[7]]
    assert all(np.array_equal(served[i], stored[i]) for i in served)
    space.close()


def test_retrieval_sees_an_article_ingested_after_its_first_search(assistant: Assistant, tmp_path: Path) -> None:
    assistant.ingest()
    assistant.retrieve("What did the ministry say?", 3)  # builds the tables for this catalog
    new = tmp_path / "zebra.md"
    new.write_text("---\ndoc_id: zebra\ntitle: Zebras\n---\nA zebra crossing opened in Lyon on Tuesday.\n", "utf-8")
    assistant.ingest(new)
    assert any(i.startswith("zebra:") for i in assistant.store.chunk_table.ids)
    assert any(i.startswith("zebra:") for i in assistant.store.sentence_table.ids)
    hits = assistant.retrieve("zebra crossing Lyon", 3).hits
    assert hits and hits[0].doc_id == "zebra"
