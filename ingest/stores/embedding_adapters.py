"""Adapters from any `ingest.stores.embeddings.Embedder` to langchain and chromadb.

Kept apart from `ingest.stores.embeddings` because chromadb and langchain take seconds to import: a command
that never touches the dense store (most `ask` and every `catalog` call) never pays for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Space
from chromadb.api.types import Embeddings as ChromaEmbeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings as LangchainEmbeddingsBase

from ingest.stores.embeddings import Embedder, make_embedder


class LangchainEmbeddings(LangchainEmbeddingsBase):
    """Any Embedder as a langchain `Embeddings` (for langchain vector stores and retrievers)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)


@register_embedding_function
class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Any Embedder as a chromadb (1.5) embedding function.

    Documents go through `embed_documents`, query texts through `embed_query`. Its config is the
    embedder spec, so a collection reopened by Chroma rebuilds the same embedder, never Chroma's default.
    """

    def __init__(self, embedder: Embedder, spec: str | None = None) -> None:
        self.embedder = embedder
        self.spec = spec or str(getattr(embedder, "spec", embedder.name))

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        return _as_arrays(self.embedder.embed_documents(list(input)))

    def embed_query(self, input: Documents) -> ChromaEmbeddings:
        return _as_arrays([self.embedder.embed_query(text) for text in input])

    @staticmethod
    def name() -> str:
        return "budgetqa"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"spec": self.spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        spec = str(config.get("spec", ""))
        return ChromaEmbeddingFunction(make_embedder(spec), spec=spec)


def _as_arrays(vectors: Sequence[list[float]]) -> ChromaEmbeddings:
    import numpy as np

    return [np.asarray(v, dtype=np.float32) for v in vectors]
