"""The plain llama-index pipeline, for comparison: what a user would wire up by hand.

SimpleDirectoryReader over the raw article files, VectorStoreIndex over Chroma with the default
SentenceSplitter, the same MiniLM encoder passed explicitly (never llama-index's OpenAI default),
top-k retrieval. No cleaning, no BM25, no fusion, no conversation: it gets questions as typed.
It builds the index and ranks articles; it leaves out answering from what it retrieves
(`evals.baseline_answers`: the closest sentence, or the top chunk).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
from llama_index.core.embeddings import BaseEmbedding
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import BaseNode
from llama_index.vector_stores.chroma import ChromaVectorStore
from pydantic import PrivateAttr

from index.encoder import Encoder


def ephemeral_collection() -> Collection:
    """A new, empty in-memory Chroma collection under a name no other run uses.

    It has no embedding function of its own (Chroma's default would download a model): llama-index
    gives it the vectors of our encoder.
    """
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    return client.create_collection(
        f"plain-{uuid.uuid4().hex}", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )


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
    """VectorStoreIndex over the raw files in Chroma; ranks doc_ids by chunk similarity.

    `doc_ids` maps a file's resolved path to its doc_id in the product's store (front matter or a
    manifest may name it); a file it does not list is known by its stem.
    """

    def __init__(
        self, corpus_dir: Path, encoder: Encoder, top_k: int = 5, doc_ids: Mapping[str, str] | None = None
    ) -> None:
        reader = SimpleDirectoryReader(str(corpus_dir), required_exts=[".txt", ".md", ".html"], recursive=True)
        storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=ephemeral_collection()))
        self.encoder, self.doc_ids = encoder, dict(doc_ids or {})
        index = VectorStoreIndex.from_documents(reader.load_data(), storage_context=storage,
                                                embed_model=EncoderEmbedding(encoder),
                                                transformations=[SentenceSplitter()])  # fmt: skip
        self.retriever = index.as_retriever(similarity_top_k=top_k)

    def doc_id(self, node: BaseNode) -> str:
        path = Path(node.metadata["file_path"])
        return self.doc_ids.get(str(path.resolve()), path.stem)

    def ranked_doc_ids(self, question: str) -> list[str]:
        return [self.doc_id(n.node) for n in self.retriever.retrieve(question)]
