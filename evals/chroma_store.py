"""llama-index's vector store interface over a Chroma collection, for the plain baseline.

llama-index ships this as the package llama-index-vector-stores-chroma, which is not installed
here; this is the part the baseline uses (add, delete, query by embedding), written against
llama-index-core's `BasePydanticVectorStore`. It leaves out metadata filters and hybrid modes.
Vectors are always given: the collection has no embedding function of its own (which would
download a model), and compares by cosine distance.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import chromadb
import numpy as np
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import BaseNode, MetadataMode
from llama_index.core.vector_stores.types import BasePydanticVectorStore, VectorStoreQuery, VectorStoreQueryResult
from llama_index.core.vector_stores.utils import metadata_dict_to_node, node_to_metadata_dict
from pydantic import PrivateAttr


def ephemeral_collection() -> Collection:
    """A new, empty in-memory Chroma collection under a name no other run uses."""
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    return client.create_collection(
        f"plain-{uuid.uuid4().hex}", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )


class ChromaVectorStore(BasePydanticVectorStore):
    """Nodes with their embeddings in one Chroma collection; a query returns cosine similarities."""

    stores_text: bool = True
    flat_metadata: bool = True
    _collection: Collection = PrivateAttr()

    def __init__(self, collection: Collection, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._collection = collection

    @property
    def client(self) -> Collection:
        return self._collection

    def add(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[str]:
        if not nodes:
            return []
        ids = [node.node_id for node in nodes]
        self._collection.add(
            ids=ids,
            embeddings=np.array([node.get_embedding() for node in nodes], dtype=np.float32),
            documents=[node.get_content(metadata_mode=MetadataMode.NONE) for node in nodes],
            metadatas=[node_to_metadata_dict(node, remove_text=True, flat_metadata=True) for node in nodes],
        )
        return ids

    def delete(self, ref_doc_id: str, **kwargs: Any) -> None:
        self._collection.delete(where={"ref_doc_id": ref_doc_id})

    def query(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        if query.query_embedding is None:
            raise ValueError("this store answers queries by embedding only")
        count = self._collection.count()
        if count == 0:
            return VectorStoreQueryResult(nodes=[], similarities=[], ids=[])
        found = self._collection.query(
            query_embeddings=np.array([query.query_embedding], dtype=np.float32),
            n_results=min(query.similarity_top_k, count),
            include=["documents", "metadatas", "distances"],
        )
        texts, metas = (found["documents"] or [[]])[0], (found["metadatas"] or [[]])[0]
        nodes = [metadata_dict_to_node(dict(meta), text=text) for meta, text in zip(metas, texts, strict=True)]
        similarities = [1.0 - float(d) for d in (found["distances"] or [[]])[0]]
        return VectorStoreQueryResult(nodes=nodes, similarities=similarities, ids=found["ids"][0])
