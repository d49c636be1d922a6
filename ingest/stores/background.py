"""Phase two of ingest in a background thread, for a long-running app (`budgetqa serve`).

An upload commits its documents to the structured index (answerable at once) and returns; this
worker then embeds and sends the queued vectors (`ingest.stores.vector_sync`) while questions are answered
from the structured and lexical indexes. It owns its own connection to the index, so it never holds
the app's, and its own vector store object. `wake()` after an upload; a store left with queued vectors (a killed ingest) is finished
when the worker starts. A failure (a Chroma server down) is kept in `error` and retried on the next
wake or after `RETRY` seconds; the queue is never lost (it lives in the index).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from ingest.settings import Settings
from ingest.stores.index import StructuredIndex
from ingest.stores.vector_sync import send_vectors

if TYPE_CHECKING:
    from ingest.stores.store import VectorStore

RETRY = 60.0  # seconds before a failed run is tried again without a wake

log = logging.getLogger(__name__)


class BackgroundVectors:
    """One daemon thread that sends queued vectors whenever woken. `running` is True while it embeds."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: VectorStore | None = None
        self._wake = threading.Event()
        self.running = False
        self.error = ""
        self.sent = 0
        self._thread: threading.Thread | None = None

    def start(self) -> BackgroundVectors:
        """Start the thread (once) and let it look for queued vectors now."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="budgetqa-vectors", daemon=True)
            self._thread.start()
        self.wake()
        return self

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        index = StructuredIndex(self.settings.store_dir)
        while True:
            self._wake.wait(timeout=RETRY if self.error else None)
            self._wake.clear()
            if not index.pending_vectors():
                continue
            self.running = True
            try:
                self.sent += send_vectors(index, self._open_store())
                self.error = ""
            except Exception as exc:  # the store is down or full: the queue stays, tried again later
                self.error = f"{type(exc).__name__}: {exc}"
                log.warning("后台生成向量失败（%s），%d 秒后重试", self.error, int(RETRY))
            finally:
                self.running = False

    def _open_store(self) -> VectorStore:
        if self._store is None:  # its own store object (chromadb loads here, in this thread)
            from ingest.stores.embedding_cache import cached_embedder
            from ingest.stores.store import VectorStore

            self._store = VectorStore.from_settings(self.settings, cached_embedder(self.settings))
        return self._store
