"""The default answerer: extractive, so every claim is an article sentence and cites itself.

Reads the sentences of the retrieved passages, scores them (`qa.sentence_scoring`), and composes
the answer (`qa.compose`). Uses the sentence vectors stored at ingest, so a question costs
one encoder call. It leaves out retrieval and conversation, which `Assistant` does first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

import numpy as np

from index.catalog import StoredArticle
from index.store import Store
from index.types import Sentence
from qa.answer_types import Citation, Reply
from qa.answerability import unanswerable_reason
from qa.article_types import Hit
from qa.compose import Composer
from qa.compose_reader import abstain, compose
from qa.conflict import order_by_stance
from qa.corpus_stats import sentence_stats
from qa.corpus_words import CorpusWords
from qa.evidence import Evidence, SentenceFacts, gather
from qa.questions import about_stance, as_question
from qa.read import ReadSpan, read, windows
from qa.reader import Reader
from qa.request_types import Question
from qa.sentence_scoring import score_evidence
from qa.settings import AnswerSettings
from qa.stance import POSITIONS


def nearest_sentences(
    store: Store, vector: np.ndarray, n: int, have: list[tuple[Sentence, StoredArticle]], allowed: list[str] | None
) -> list[tuple[Sentence, StoredArticle]]:
    """Up to `n` sentences close to the question from any allowed article, beyond those in `have`."""
    by_id = store.derived(
        "sentences by id", lambda c: {s.sentence_id: (s, a) for a in c.articles.values() for s in a.sentences}
    )
    seen = {s.sentence_id for s, _ in have}
    found = store.sentence_table.nearest(vector, n, allowed)
    return [by_id[i] for i, _ in found if i in by_id and i not in seen]


class Replier(ABC):
    """An extractive answerer: `reply` gives the whole reply, `answer` the text and citations
    that the language-model answerer's fallback protocol (`qa.llm.Answerer`) asks for."""

    @abstractmethod
    def reply(self, question: Question | str, hits: list[Hit], allowed: list[str] | None = None) -> Reply: ...

    def answer(
        self, question: Question | str, hits: list[Hit], allowed: list[str] | None = None
    ) -> tuple[str, list[Citation]]:
        """Answer text with [n] markers and its citations; no citations when it abstains."""
        reply = self.reply(question, hits, allowed)
        return reply.text, reply.citations


class ExtractiveAnswerer(Replier):
    """Answers from the articles' own sentences."""

    def __init__(self, store: Store, embed_query: Callable[[str], np.ndarray], settings: AnswerSettings) -> None:
        self.store = store
        self.embed_query = embed_query
        self.settings = settings
        self.composer = Composer(settings.compose)

    def reply(self, question: Question | str, hits: list[Hit], allowed: list[str] | None = None) -> Reply:
        text, citations = self._answer(as_question(question), hits, allowed)
        return Reply(text, citations, confidence=1.0 if citations else 0.0)

    def _answer(self, question: Question, hits: list[Hit], allowed: list[str] | None) -> tuple[str, list[Citation]]:
        evidence = self.evidence(question, hits, allowed)
        if evidence and unanswerable_reason(question, evidence, self._corpus_words()):
            return self.composer.compose(question, [])
        return self.composer.compose(question, evidence)

    def evidence(self, question: Question, hits: list[Hit], allowed: list[str] | None) -> list[Evidence]:
        """The sentences of the top passages (and, for a position, the nearest elsewhere), scored; best first."""
        candidates = gather(hits, self.store.catalog, self.settings.evidence.passages)
        if not candidates:
            return []
        question_vector = self.embed_query(question.with_context)
        if about_stance(question.text, question.type):
            candidates += nearest_sentences(self.store, question_vector, self.settings.evidence.stance_sentences,
                                            candidates, allowed)  # fmt: skip
        stats = sentence_stats(self.store)
        vectors = self.store.sentence_table.vectors(stats.with_before({s.sentence_id for s, _ in candidates}))
        return score_evidence(question, question_vector, candidates, vectors, self.settings.evidence, stats)

    def _corpus_words(self) -> CorpusWords:
        stats = sentence_stats(self.store)  # its tokens and names, read once per catalog
        return self.store.derived("corpus words", lambda _: CorpusWords(stats.article_tokens.values(), stats.names))


def states_position(question: Question, stance: tuple[Evidence, list[Evidence]] | None) -> bool:
    """Whether a question about a position ("when did they admit it?") finds a confirmation or denial
    by the party asked about: then the stance answers it, even where the reader finds no span (the
    date of an admission is often only the date of the report)."""
    return stance is not None and about_stance(question.text, question.type) and stance[0].stance in POSITIONS


class ReaderAnswerer(Replier):
    """Answers with the reader's best span, inside the sentence that holds it (`qa.compose_reader`).

    Example: ReaderAnswerer(store, embed, settings, lambda: load_reader(dir)).reply("Who won?", hits)
    """

    def __init__(
        self, store: Store, embed_query: Callable[[str], np.ndarray], settings: AnswerSettings,
        reader: Callable[[], Reader],
    ) -> None:  # fmt: skip
        self.store, self.embed_query, self.settings, self.reader = store, embed_query, settings, reader

    def reply(self, question: Question | str, hits: list[Hit], allowed: list[str] | None = None) -> Reply:
        """The read stage, then the compose stage (`Assistant` calls the two itself, to time them apart)."""
        question = as_question(question)
        return self.compose(question, self.read(question, hits), hits, allowed)

    def read(self, question: Question, hits: list[Hit]) -> list[ReadSpan]:
        """The read stage: every window's best span, best first; empty when no passage was retrieved.
        A follow-up that cannot stand alone is read with the earlier question it leans on after its own
        words ("When would that review the law? What did the Tories want added?")."""
        settings = self.settings.reader
        found = windows(hits, self.store.catalog, settings.passages)
        return read(self.reader(), question.with_context, found, settings.rank_prior) if found else []

    def compose(self, question: Question, spans: list[ReadSpan], hits: list[Hit], allowed: list[str] | None) -> Reply:
        """The compose stage: the answer led by the best span, or by the latest stance for a question
        about a position; an abstention when the best margin is under the threshold."""
        settings = self.settings.reader
        if not spans:
            return abstain(None, settings)
        best = spans[0]
        stance = self._stance(question, hits, allowed)
        if best.margin < settings.threshold and not states_position(question, stance):
            return abstain(best.margin, settings)
        return compose(question.with_context, question.type, best, spans, stance, settings)

    def _stance(
        self, question: Question, hits: list[Hit], allowed: list[str] | None
    ) -> tuple[Evidence, list[Evidence]] | None:
        """For a question about a position (or a yes/no one), the latest stance and the earlier one it replaced.

        Every sentence of the passages, and for a position the sentences nearest the question in
        any allowed article, counts by its meaning alone: the stance verbs decide the rest.
        """
        on_stance = about_stance(question.text, question.type)
        if not (on_stance or question.type == "yes_no"):
            return None
        candidates = gather(hits, self.store.catalog, self.settings.reader.passages)
        question_vector = self.embed_query(question.text)
        if on_stance:
            candidates += nearest_sentences(self.store, question_vector, self.settings.evidence.stance_sentences,
                                            candidates, allowed)  # fmt: skip
        vectors = self.store.sentence_table.vectors([s.sentence_id for s, _ in candidates])
        evidence = []
        for sentence, article in candidates:
            if sentence.sentence_id in vectors:
                meaning = float(vectors[sentence.sentence_id] @ question_vector)
                facts = SentenceFacts.read(sentence, article)
                evidence.append(Evidence(sentence, article, meaning, meaning, list(facts.dates), facts.stance,
                                         facts.speaker))  # fmt: skip
        if not evidence:
            return None
        evidence.sort(key=lambda e: -e.score)
        return order_by_stance(evidence, question, self.settings.compose.conflict_margin)
