"""The default answerer: extractive, so every claim is an article sentence and cites itself.

Reads the sentences of the retrieved passages, scores them (`qa.evidence`), and composes
the answer (`qa.compose`). Uses the sentence vectors stored at ingest, so a question costs
one encoder call. It leaves out retrieval and conversation, which `Assistant` does first.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from index.catalog import Catalog
from index.store import Store
from qa.answerability import CorpusWords, unanswerable_reason
from qa.compose import Composer, ComposeSettings
from qa.conversation import own_words
from qa.evidence import EvidenceSettings, gather, score_evidence
from qa.questions import classify
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
        self._corpus: tuple[Catalog, CorpusWords] | None = None

    def answer(self, question: str, hits: list[Hit]) -> tuple[str, list[Citation]]:
        """Answer text with [n] markers and its citations; no citations when it abstains."""
        candidates = gather(hits, self.store.catalog, self.settings.evidence.passages)
        if not candidates:
            return self.composer.compose(question, "other", [])
        vectors = self.store.sentence_vectors.vectors([s.sentence_id for s, _ in candidates])
        question_vector = self.embed_query(question)
        kind = classify(own_words(question))
        evidence = score_evidence(question, kind, question_vector, candidates, vectors, self.settings.evidence)
        if evidence and unanswerable_reason(question, kind, evidence, self._corpus_words()):
            return self.composer.compose(question, kind, [])
        return self.composer.compose(question, kind, evidence)

    def _corpus_words(self) -> CorpusWords:
        catalog = self.store.catalog
        if self._corpus is None or self._corpus[0] is not catalog:
            self._corpus = (catalog, CorpusWords(a.clean.text for a in catalog.articles.values()))
        return self._corpus[1]
