"""`ingest --workers N`: the same records as a serial ingest; the writer embeds nothing the workers did."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parallel import ingest_parallel
from ingest.pipeline import Ingestor
from ingest.settings import load_settings
from ingest.stores.embedding_cache import CachedEmbedder

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


@pytest.mark.slow  # two worker processes and two ingests of two documents
def test_workers_write_what_a_serial_ingest_writes(tmp_path: Path) -> None:
    files = sorted(CORPUS.glob("*.txt"))[:2]
    serial = Ingestor(load_settings(store_dir=tmp_path / "serial", embedder="hash"))
    serial.ingest(files)
    parallel = Ingestor(load_settings(store_dir=tmp_path / "parallel", embedder="hash"))
    summary = ingest_parallel(parallel, files, workers=2)
    assert [f.status for f in summary.files] == ["ingested", "ingested"]
    assert sorted(r.id for r in parallel.index.records()) == sorted(r.id for r in serial.index.records())
    assert parallel.store.count() == serial.store.count() > 100
    writer = parallel.store.embedder
    assert isinstance(writer, CachedEmbedder) and writer.embedded == 0 and writer.reused > 100
    again = ingest_parallel(parallel, files, workers=2)
    assert [f.status for f in again.files] == ["unchanged", "unchanged"]
