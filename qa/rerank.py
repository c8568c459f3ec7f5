"""Re-rank retrieved passages by how well their best sentence answers the question.

Chunk-level fusion cannot see that one sentence of a passage holds every rare word of the
question; the sentence scorer the rule answerer uses (`qa.sentence_scoring`) can. For a question about
a position ("is that still their stance?"), the passage holding the latest stance of the party
asked about comes first, as it leads the answer. The head of the ranking is re-ordered and
re-scored; the tail stays. It leaves out finding the passages, which `qa.retrieval` does first.

Example: SentenceReranker(store, embed, RetrievalSettings(), EvidenceSettings()).rerank(question, hits)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from index.store import Store
from qa.article_types import Hit
from qa.catalog_lookups import sentences_of_chunks
from qa.conflict import order_by_stance
from qa.corpus_stats import sentence_stats
from qa.evidence import Evidence
from qa.questions import about_stance
from qa.request_types import Question
from qa.sentence_scoring import score_evidence
from qa.settings import EvidenceSettings, RetrievalSettings


class SentenceReranker:
    """Re-scores the top `rerank_depth` hits: a `rerank_weight` share from their best sentence."""

    def __init__(
        self, store: Store, embed_query: Callable[[str], np.ndarray], settings: RetrievalSettings,
        evidence_settings: EvidenceSettings,
    ) -> None:  # fmt: skip
        self.store, self.embed_query, self.settings, self.evidence_settings = (
            store, embed_query, settings, evidence_settings)  # fmt: skip

    def rerank(self, question: Question, hits: list[Hit]) -> list[Hit]:
        """The hits with the head re-ordered and re-scored (best first); the tail as it was."""
        depth, share = self.settings.rerank_depth, self.settings.rerank_weight
        if not (share and depth and hits):
            return hits
        head, tail = hits[:depth], hits[depth:]
        sentences = self.store.derived("sentences of chunks", sentences_of_chunks)
        evidence = self._evidence(question, head)
        best = {e.sentence.sentence_id: e.score for e in evidence}  # candidates are distinct sentences
        top = max(h.score for h in head)
        rescored = {
            h.chunk_id: (1 - share) * h.score / top
            + share * max((best[s.sentence_id] for s in sentences[h.chunk_id]), default=0.0)
            for h in head
        }
        head.sort(key=lambda h: -rescored[h.chunk_id])
        if evidence and about_stance(question.text, question.type):
            lead, _ = order_by_stance(evidence, question, margin=0.0)
            holding = next(h for h in head if lead.sentence in sentences[h.chunk_id])
            head.remove(holding)
            head.insert(0, holding)
            rescored[holding.chunk_id] = max(rescored.values()) + 1e-6
        return [h.model_copy(update={"score": rescored[h.chunk_id]}) for h in head] + tail

    def _evidence(self, question: Question, head: list[Hit]) -> list[Evidence]:
        """Every sentence of the head's passages, scored as an answer to the question."""
        stats = sentence_stats(self.store)
        sentences = self.store.derived("sentences of chunks", sentences_of_chunks)
        articles = self.store.catalog.articles
        by_id = {s.sentence_id: (s, articles[h.doc_id]) for h in head for s in sentences[h.chunk_id]}
        candidates = list(by_id.values())
        vectors = self.store.sentence_table.vectors(stats.with_before({s.sentence_id for s, _ in candidates}))
        vector = self.embed_query(question.with_context)
        return score_evidence(question, vector, candidates, vectors, self.evidence_settings, stats)
