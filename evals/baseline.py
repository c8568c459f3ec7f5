"""The plain llama-index pipeline, for comparison: what a user would wire up by hand.

SimpleDirectoryReader over the raw article files, VectorStoreIndex with its default
splitter, the same MiniLM encoder, top-k retrieval. No cleaning, no BM25, no fusion.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr

from evals.testset import Case
from index.encoder import Encoder


class EncoderEmbedding(BaseEmbedding):
    """Our verified encoder behind llama-index's embedding interface."""

    _encoder: Encoder = PrivateAttr()

    def __init__(self, encoder: Encoder, **kwargs: Any) -> None:
        super().__init__(model_name="all-MiniLM-L6-v2", **kwargs)
        self._encoder = encoder

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._encoder.encode([query])[0]]

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self._encoder.encode([text])[0]]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._encoder.encode(texts)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class PlainLlamaIndex:
    """VectorStoreIndex over the raw files; ranks doc_ids (file stems) by chunk similarity."""

    def __init__(self, corpus_dir: Path, encoder: Encoder, top_k: int = 5) -> None:
        reader = SimpleDirectoryReader(str(corpus_dir), required_exts=[".txt", ".md", ".html"])
        index = VectorStoreIndex.from_documents(reader.load_data(), embed_model=EncoderEmbedding(encoder))
        self.retriever = index.as_retriever(similarity_top_k=top_k)

    def ranked_doc_ids(self, question: str) -> list[str]:
        return [Path(n.node.metadata["file_name"]).stem for n in self.retriever.retrieve(question)]


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
