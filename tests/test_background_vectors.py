"""`serve` embeds in the background: an upload stops after phase one, a worker thread sends the queued
vectors, and the 文档 page says how many are still to come."""

from __future__ import annotations

import time
from pathlib import Path

from ingest.pipeline import Ingestor
from ingest.settings import load_settings
from ingest.stores.background import BackgroundVectors
from ingest.stores.store import VectorStore
from ingest.summary import DocumentSummary
from ui.web.documents import document_markdown

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def test_phase_one_only_then_the_worker_sends_every_queued_vector(tmp_path: Path) -> None:
    settings = load_settings(store_dir=tmp_path / "store", embedder="hash")
    ingestor = Ingestor(settings)
    summary = ingestor.ingest([sorted(CORPUS.glob("*.txt"))[0]], vectors=False)
    assert [f.status for f in summary.files] == ["ingested"] and summary.vectors_sent == 0
    doc_id = summary.files[0].doc_id
    pending = ingestor.index.pending_vectors()
    assert pending[doc_id] > 50
    page = document_markdown("t", DocumentSummary(), [], {"pending": pending[doc_id], "running": True})
    assert f"向量：还有 {pending[doc_id]} 条正在后台生成" in page
    assert "向量" not in document_markdown("t", DocumentSummary(), [], {"pending": 0})

    worker = BackgroundVectors(settings).start()
    deadline = time.monotonic() + 120
    while ingestor.index.pending_vectors() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ingestor.index.pending_vectors() == {} and worker.error == ""
    while worker.running and time.monotonic() < deadline:
        time.sleep(0.1)
    assert worker.sent == pending[doc_id]
    assert VectorStore.from_settings(settings).count() == pending[doc_id]
