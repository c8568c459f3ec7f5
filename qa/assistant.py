"""`Assistant`: the Python API over one store, the same that the CLI and HTTP API call.

It wires the stages, each of which knows nothing of the others: the question is parsed once
(`qa.questions`), retrieved for (`qa.retrieval`), the passages re-ranked by the answer scorer
(`qa.rerank`), then read and answered (`qa.answerer`, or a language model, `qa.llm`); the story's
timeline is built over the same store (`qa.timeline`). Nothing here reads the environment. It
leaves out keeping the store (ingest, reindex, doctor, health) and showing its articles, which
it inherits from `Archive` (`qa.archive`), with the store, the encoder and the settings.
"""

from __future__ import annotations

import time
from functools import lru_cache

import numpy as np

from index.encoder import Encoder
from qa.answer_types import Answer, Reply, TimelineEvent
from qa.answerer import ExtractiveAnswerer, ReaderAnswerer
from qa.archive import Archive, one_view
from qa.article_types import Hit, Retrieval
from qa.catalog_lookups import allowed_doc_ids
from qa.llm import Answerer, LLMAnswerer
from qa.questions import parse_question
from qa.reader import Reader, load_reader
from qa.request_types import Filters, Question, Turn
from qa.rerank import SentenceReranker
from qa.retrieval import HybridRetriever
from qa.settings import QASettings
from qa.timeline import build_timeline, topic_filter


class Assistant(Archive):
    """Questions in, ranked evidence (and, later, cited answers) out."""

    def __init__(self, settings: QASettings, encoder: Encoder | None = None) -> None:
        super().__init__(settings, encoder)
        self.embed_query = lru_cache(maxsize=1024)(self._embed)
        self.retriever = HybridRetriever(self.store, self.encoder, settings.retrieval, self.embed_query)
        self.reranker = SentenceReranker(self.store, self.embed_query, settings.retrieval, settings.answer.evidence)
        extractive: ExtractiveAnswerer | ReaderAnswerer = (
            ReaderAnswerer(self.store, self.embed_query, settings.answer, self.reader)
            if settings.answer.engine == "reader"
            else ExtractiveAnswerer(self.store, self.embed_query, settings.answer)
        )
        self.extractive = extractive
        self.answerer: Answerer = (
            LLMAnswerer(self.store, settings.llm, fallback=extractive) if settings.llm.base_url else extractive
        )

    def reader(self) -> Reader:
        """The span reader, loaded (sha256 verified) on first use and shared by every assistant in the process."""
        return load_reader(self.settings.reader_dir)

    def _embed(self, text: str) -> np.ndarray:
        return self.encoder().encode([text])[0]

    @one_view
    def retrieve(
        self, question: str, k: int | None = None, filters: Filters | None = None, history: list[Turn] | None = None
    ) -> Retrieval:
        """The `k` chunks that best match the question (a follow-up read after `history`), fused from
        dense and BM25 rankings."""
        question = self._check_question(question)
        k = self.settings.retrieval.k if k is None else k
        if isinstance(k, bool) or not isinstance(k, int):  # bool is an int subclass: `True` would pass as 1
            raise ValueError(f"k must be a whole number between 1 and 100, got {k!r}")
        if not 1 <= k <= 100:
            raise ValueError(f"k must be between 1 and 100, got {k}")
        self.require_whole_index()
        return Retrieval(question=question, hits=self._retrieve(self._parse(question, history), k, filters))

    @one_view
    def ask(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None) -> Answer:
        """A short answer with [n] citations, or an abstention; follow-ups use `history`."""
        started = time.perf_counter()
        asked = self._check_question(question)
        self.require_whole_index()
        parsed = self._parse(asked, history)
        answer = self.settings.answer
        rerank = answer.engine == "rules" or answer.reader.rerank or self.answerer is not self.extractive
        hits = self._retrieve(parsed, answer.evidence.passages, filters, rerank)
        retrieved = time.perf_counter()
        reply = self._reply(parsed, hits, allowed_doc_ids(self.store.catalog, filters))
        done = time.perf_counter()
        timings = {"retrieve": (retrieved - started) * 1000, "answer": (done - retrieved) * 1000,
                   "total": (done - started) * 1000}  # fmt: skip
        return Answer(question=asked, standalone_question=parsed.standalone, context=parsed.context,
                      answer=reply.text, abstained=not reply.citations, answer_span=reply.span,
                      confidence=round(reply.confidence, 4),
                      margin=None if reply.margin is None else round(reply.margin, 4), citations=reply.citations,
                      timings_ms={k: round(v, 2) for k, v in timings.items()})  # fmt: skip

    def _parse(self, question: str, history: list[Turn] | None) -> Question:
        """The question parsed once for every stage, its words spelt as the articles spell them."""
        return parse_question(question, history, self.retriever.repair)

    def _retrieve(self, question: Question, k: int, filters: Filters | None, rerank: bool = True) -> list[Hit]:
        """The `k` best passages: the retriever's, its head re-ranked by the answer scorer when `rerank`."""
        if not rerank:
            return self.retriever.search(question, k, filters)
        hits = self.retriever.search(question, max(k, self.settings.retrieval.rerank_depth), filters)
        return self.reranker.rerank(question, hits)[:k]

    def _reply(self, question: Question, hits: list[Hit], allowed: list[str] | None) -> Reply:
        """Read, then compose (the reader's two stages); the rule engine and a language model in one call."""
        if isinstance(self.answerer, ReaderAnswerer):
            spans = self.answerer.read(question, hits)
            return self.answerer.compose(question, spans, hits, allowed)
        if self.answerer is self.extractive:
            return self.extractive.reply(question, hits, allowed)
        text, citations = self.answerer.answer(question, hits, allowed)  # a language model: no span of its own
        return Reply(text, citations, confidence=1.0 if citations else 0.0)

    @one_view
    def timeline(self, topic: str | None = None, actor: str | None = None) -> list[TimelineEvent]:
        """The story's claims across all articles, oldest first; optionally about a topic, or by one actor
        (a name of the actor, matched in any case). Sentence vectors tell which sentences tell one claim."""
        catalog = self.store.catalog
        ids = [s.sentence_id for a in catalog.articles.values() for s in a.sentences]
        if not topic or not topic.strip():
            return build_timeline(catalog, vectors=self.store.sentence_table.vectors(ids), actor=actor)
        self.require_whole_index()
        vectors = self.store.sentence_table.vectors(ids)
        keep = topic_filter(vectors, self.embed_query(self._check_question(topic)), self.settings.timeline_threshold)
        return build_timeline(catalog, keep, vectors, actor)

    def _check_question(self, question: str) -> str:
        question = question.strip() if isinstance(question, str) else ""
        if not question:
            raise ValueError("the question is empty")
        limit = self.settings.retrieval.max_question_chars
        if len(question) > limit:
            raise ValueError(f"the question is too long ({len(question)} characters; the limit is {limit})")
        return question
