"""The dense store, opened on the first dense search.

Opening Chroma imports chromadb (over a second on a small machine) and loads the embedding model;
most questions are answered from the structured index and never need either, so a command such as
`budgetqa ask` only pays for them when a question falls through to dense retrieval.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ingest.api import Record, Settings, make_embedder

if TYPE_CHECKING:
    from ingest.api import VectorStore


class LazyVectorStore:
    """`VectorStore.from_settings(settings)` behind the `query` of a `DenseSource`, opened once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Checked now (cheap: no model loads here), so a mistyped embedder fails before any answer.
        self.embedder = make_embedder(settings.embedder)
        self._store: VectorStore | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> VectorStore:
        """The opened store (opening it now if no search has yet)."""
        with self._lock:
            if self._store is None:
                from ingest.api import VectorStore

                self._store = VectorStore.from_settings(self.settings, self.embedder)
            return self._store

    @property
    def opened(self) -> bool:
        return self._store is not None

    def query(self, text: str, k: int = 8, where: dict[str, Any] | None = None) -> list[tuple[Record, float]]:
        return self.store.query(text, k=k, where=where)

    def count(self) -> int:
        """Vectors held (opens the store)."""
        return self.store.count()
