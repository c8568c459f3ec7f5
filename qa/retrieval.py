"""Hybrid retrieval: MiniLM nearest neighbours and BM25, fused by reciprocal rank.

Filters are on articles (doc_id, publisher, date range), resolved against the catalog and
applied to both retrievers before ranking, so `k` hits come back whenever `k` exist. It leaves
out re-ranking by the answer scorer, a stage after it (`qa.rerank`), and knows nothing of answers;
what it looks up in the catalog (filters, chunks, their sentences) is `qa.catalog_lookups`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from index.catalog import Catalog, StoredArticle
from index.encoder import Encoder
from index.store import Store
from index.types import Chunk
from qa.article_types import Hit
from qa.catalog_lookups import allowed_doc_ids, as_hit, chunks_by_id, sentence_chunks
from qa.request_types import Filters, Question
from qa.settings import RetrievalSettings
from qa.spelling import SpellingRepair


def reciprocal_rank_fusion(rankings: list[tuple[list[str], float]], k0: int) -> dict[str, float]:
    """Fuse ranked id lists, each with a weight: sum of weight / (k0 + rank), rank from 1.

    Example: ([["a", "b"], 1.0], [["b"], 1.0]), k0=60 -> {"a": 1/61, "b": 1/62 + 1/61}
    """
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k0 + rank)
    return fused


class HybridRetriever:
    """Dense + BM25 retrieval over a store, with the encoder loaded on first use."""

    def __init__(
        self,
        store: Store,
        load_encoder: Callable[[], Encoder],
        settings: RetrievalSettings,
        embed_query: Callable[[str], np.ndarray] | None = None,
    ) -> None:
        self.store = store
        self.load_encoder = load_encoder
        self.embed_query = embed_query or (lambda text: load_encoder().encode([text])[0])
        self.settings = settings

    def search(self, question: Question, k: int, filters: Filters | None = None) -> list[Hit]:
        """The `k` best passages for the question, read with the earlier question it leans on.

        The question is searched as it is spelt: `repair` its words first (`parse_question` can).
        """
        catalog = self.store.catalog
        allowed = allowed_doc_ids(catalog, filters)
        live = self._live_chunks()
        query = question.with_context
        vector = self.embed_query(query)
        dense = self._dense(vector, allowed, live)
        sparse = self._sparse(query, allowed, live)
        by_sentence = self._by_sentence(vector, allowed, catalog)
        fused = reciprocal_rank_fusion(
            [
                (dense, self.settings.dense_weight),
                (sparse, self.settings.bm25_weight),
                (by_sentence, self.settings.sentence_weight),
            ],
            self.settings.rrf_k,
        )
        order = sorted(fused, key=lambda i: (-fused[i], dense.index(i) if i in dense else len(dense)))
        return [as_hit(live[i], fused[i]) for i in order[:k]]

    def _dense(self, vector: np.ndarray, allowed: list[str] | None, live: dict) -> list[str]:
        found = self.store.chunk_table.nearest(vector, self.settings.candidates + 10, allowed)
        return [i for i, _ in found if i in live][: self.settings.candidates]

    def _sparse(self, question: str, allowed: list[str] | None, live: dict) -> list[str]:
        index = self.store.bm25()
        scores = index.scores(question)
        ids = index.ids
        keep = np.array([i in live and (allowed is None or live[i][0].meta.doc_id in allowed) for i in ids])
        ranked = [ids[j] for j in np.argsort(-scores, kind="stable") if keep[j] and scores[j] > 0]
        return ranked[: self.settings.candidates]

    def _by_sentence(self, vector: np.ndarray, allowed: list[str] | None, catalog: Catalog) -> list[str]:
        """Chunks ranked by the best similarity of any sentence inside them (small-to-big)."""
        if self.settings.sentence_weight == 0:
            return []
        containing = self._chunks_of_sentences()
        found = self.store.sentence_table.nearest(vector, self.settings.candidates * 3, allowed)
        ranked: list[str] = []
        for sentence_id, _ in found:
            ranked.extend(c for c in containing.get(sentence_id, ()) if c not in ranked)
        return ranked[: self.settings.candidates]

    def repair(self, question: str) -> str:
        """The question with misspelt words corrected against the articles' vocabulary."""
        return self._spelling().correct(question)

    def _spelling(self) -> SpellingRepair:
        known = self.load_encoder().known_words
        return self.store.derived(
            "spelling", lambda c: SpellingRepair((a.clean.text for a in c.articles.values()), known())
        )

    def _live_chunks(self) -> dict[str, tuple[StoredArticle, Chunk]]:
        """Chunk id -> (article, chunk) for the current catalog."""
        return self.store.derived("chunks by id", chunks_by_id)

    def _chunks_of_sentences(self) -> dict[str, list[str]]:
        return self.store.derived("chunks of sentences", sentence_chunks)
