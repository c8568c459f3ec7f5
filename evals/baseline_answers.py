"""Plain llama-index as an answerer, for comparison: what its retrieval alone can answer.

`BestSentence` (what `qa eval --baseline` scores) gives the retrieved sentence closest to the
question, cited at its offsets in the raw file, and abstains when that sentence's similarity is
below a cutoff; `TopChunkAnswers` (what `python -m evals` scores) gives the best chunk whole and
never abstains. It leaves out building the index and ranking articles (`evals.baseline`), and
any cleaning, fusion or conversation: it gets questions as typed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
from llama_index.core.node_parser.text.utils import split_by_sentence_tokenizer
from llama_index.core.schema import BaseNode

from evals.baseline import PlainLlamaIndex
from evals.case import Case
from qa.answer_types import ABSTAIN_TEXT, Answer, Citation

# A cosine similarity of MiniLM vectors, chosen on the dev set only (evals/testset.jsonl), as the reader's threshold
# was on its dev sets: the lowest cutoff of best accuracy there (0.286; 0.243 never abstaining), measured 2026-11-26.
CUTOFF = 0.6


class BestSentence:
    """Plain llama-index as an answerer: the retrieved sentence most similar to the question, cited
    at its offsets in the raw file; below `cutoff` it says the articles do not answer."""

    def __init__(self, plain: PlainLlamaIndex, cutoff: float = CUTOFF) -> None:
        self.plain, self.cutoff, self.split = plain, cutoff, split_by_sentence_tokenizer()
        self._sentences: dict[str, tuple[list[tuple[int, int]], np.ndarray]] = {}  # node_id -> spans, vectors

    def ask(self, question: str) -> Answer:
        started = time.perf_counter()
        nodes = [n.node for n in self.plain.retriever.retrieve(question)]
        retrieved = time.perf_counter()
        best, score = self._best_sentence(question, nodes)
        citations = [self._citation(*best)] if best is not None and score >= self.cutoff else []
        text = f"{citations[0].quote} [1]" if citations else ABSTAIN_TEXT
        done = time.perf_counter()
        timings = {"retrieve": (retrieved - started) * 1000, "answer": (done - retrieved) * 1000,
                   "total": (done - started) * 1000}  # fmt: skip
        return Answer(question=question, standalone_question=question, answer=text, abstained=not citations,
                      confidence=min(1.0, max(0.0, score)), citations=citations, timings_ms=timings)  # fmt: skip

    def _best_sentence(self, question: str, nodes: list[BaseNode]) -> tuple[tuple[BaseNode, int, int] | None, float]:
        """The sentence of `nodes` closest to the question, and its cosine similarity."""
        read = [(node, *self._read(node)) for node in nodes]
        sentences = [(node, *span) for node, spans, _ in read for span in spans]
        if not sentences:
            return None, 0.0
        similarity = np.concatenate([v for _, spans, v in read if spans]) @ self.plain.encoder.encode([question])[0]
        best = int(np.argmax(similarity))
        return sentences[best], float(similarity[best])

    def _read(self, node: BaseNode) -> tuple[list[tuple[int, int]], np.ndarray]:
        """A chunk's sentence spans and their vectors, encoded once per chunk: chunks recur across questions."""
        if node.node_id not in self._sentences:
            text = node.get_content()
            spans = self.sentence_spans(text)
            vectors = self.plain.encoder.encode([text[s:e] for s, e in spans]) if spans else np.zeros((0, 0))
            self._sentences[node.node_id] = (spans, vectors)
        return self._sentences[node.node_id]

    def sentence_spans(self, text: str) -> list[tuple[int, int]]:
        """Each sentence's (start, end) in `text`, without surrounding whitespace.

        Example: "It rained.  Then it stopped." -> [(0, 10), (12, 28)]
        """
        spans, offset = [], 0
        for piece in self.split(text):
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                spans.append((offset + lead, offset + len(piece.rstrip())))
            offset += len(piece)
        return spans

    def _citation(self, node: BaseNode, start: int, end: int) -> Citation:
        base = node.start_char_idx or 0  # type: ignore[attr-defined]
        return Citation(n=1, doc_id=self.plain.doc_id(node), title=None, publisher=None, published=None, url=None,
                        quote=node.get_content()[start:end], start=base + start, end=base + end)  # fmt: skip


class TopChunkAnswers:
    """Plain llama-index as an answerer: its best chunk is the answer, cited whole; it never abstains."""

    def __init__(self, plain: PlainLlamaIndex) -> None:
        self.plain = plain

    def scores(self, cases: list[Case]) -> dict[str, float]:
        answerable = [c for c in cases if c.answerable]
        right, gold_cited = 0, 0
        for case in answerable:
            node = self.plain.retriever.retrieve(case.question)[0]
            text, doc_id = node.node.get_content(), Path(node.node.metadata["file_name"]).stem
            right += any(re.search(p, text, re.I) for p in case.answer_patterns)
            gold_cited += doc_id in case.citable_doc_ids
        return {
            "accuracy": right / len(cases),
            "citation_precision": gold_cited / len(answerable),
            "abstention_precision": 0.0,
            "abstention_recall": 0.0,
        }
