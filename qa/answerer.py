"""The default answerer: extractive, so every claim is an article sentence and cites itself.

Reads the sentences of the retrieved passages, scores them (`qa.evidence`), and composes
the answer (`qa.compose`). Uses the sentence vectors stored at ingest, so a question costs
one encoder call. It leaves out retrieval and conversation, which `Assistant` does first.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from index.catalog import StoredArticle
from index.store import Store
from index.types import Sentence
from qa.answerability import CorpusWords, unanswerable_reason
from qa.compose import Composer, ComposeSettings
from qa.conversation import own_words
from qa.evidence import EvidenceSettings, gather, score_evidence, sentence_stats
from qa.questions import about_stance, classify
from qa.types import Citation, Hit


class AnswerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evidence: EvidenceSettings = Field(default_factory=EvidenceSettings)
    compose: ComposeSettings = Field(default_factory=ComposeSettings)


class ExtractiveAnswerer:
    """Answers from the articles' own sentences."""

    def __init__(self, store: Store, embed_query: Callable[[str], np.ndarray], settings: AnswerSettings) -> None:
        self.store = store
        self.embed_query = embed_query
        self.settings = settings
        self.composer = Composer(settings.compose)

    def answer(self, question: str, hits: list[Hit], allowed: list[str] | None = None) -> tuple[str, list[Citation]]:
        """Answer text with [n] markers and its citations; no citations when it abstains."""
        candidates = gather(hits, self.store.catalog, self.settings.evidence.passages)
        if not candidates:
            return self.composer.compose(question, "other", [])
        question_vector = self.embed_query(question)
        kind = classify(own_words(question))
        if about_stance(own_words(question), kind):
            candidates += self._nearest_sentences(question_vector, candidates, allowed)
        stats = sentence_stats(self.store)
        vectors = self.store.sentence_vectors.vectors(stats.with_before({s.sentence_id for s, _ in candidates}))
        evidence = score_evidence(question, kind, question_vector, candidates, vectors, self.settings.evidence, stats)
        if evidence and unanswerable_reason(question, kind, evidence, self._corpus_words()):
            return self.composer.compose(question, kind, [])
        return self.composer.compose(question, kind, evidence)

    def _nearest_sentences(
        self, vector: np.ndarray, have: list[tuple[Sentence, StoredArticle]], allowed: list[str] | None
    ) -> list[tuple[Sentence, StoredArticle]]:
        """Sentences close to the question from any allowed article, beyond the retrieved passages."""
        by_id = self.store.derived(
            "sentences by id", lambda c: {s.sentence_id: (s, a) for a in c.articles.values() for s in a.sentences}
        )
        seen = {s.sentence_id for s, _ in have}
        found = self.store.sentence_vectors.nearest(vector, self.settings.evidence.stance_sentences, allowed)
        return [by_id[i] for i, _ in found if i in by_id and i not in seen]

    def _corpus_words(self) -> CorpusWords:
        stats = sentence_stats(self.store)  # its tokens and names, read once per catalog
        return self.store.derived("corpus words", lambda _: CorpusWords(stats.article_tokens.values(), stats.names))
