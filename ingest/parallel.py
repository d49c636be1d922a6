"""`budgetqa ingest --workers N`: files parsed and embedded in N processes, written by this one.

Each worker reads and parses a file and embeds its texts into the store's embedding cache
(`ingest.stores.embedding_cache`, SQLite, safe for several processes); the parent then runs the ordinary
`Ingestor` (one transaction per document, then the vectors), whose embedder finds every vector in the
cache. So the model — nearly all of an ingest's time — runs in parallel while the stores keep a single
writer, and what is written is exactly what a serial ingest writes. A file a worker fails on is
ingested (and reported) by the parent as usual.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ingest.pipeline import Ingestor, IngestSummary, expand_paths, load_any
from ingest.settings import Settings
from ingest.stores.vector_sync import Progress


def prepare(path: Path, settings: Settings) -> str:
    """In a worker: parse `path` and embed its texts into the cache; returns the file's sha256."""
    from ingest.parsing.parse import parse_document
    from ingest.stores.embedding_cache import cached_embedder
    from ingest.to_records import document_records, embedded

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    doc = parse_document(load_any(path))
    if not settings.chroma_url:  # a server gets every record; the writer embeds what it has not cached
        texts = list(dict.fromkeys(r.text for r in embedded(document_records(doc))))
        embedder = cached_embedder(settings)
        try:
            embedder.embed_documents(texts)
        finally:
            embedder.close()
    return sha


def ingest_parallel(
    ingestor: Ingestor,
    paths: Iterable[Path],
    workers: int,
    progress: Callable[[int, int, str], None] | None = None,
    vector_progress: Progress | None = None,
    indexed: Callable[[], None] | None = None,
) -> IngestSummary:
    """`ingestor.ingest(paths)` after `workers` processes have parsed the files and put their vectors in
    the embedding cache: the writer's two phases then find every vector there."""
    paths = list(paths)
    files = expand_paths(paths)
    stored = {d.summary.sha256 for d in ingestor.index.documents()}
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futures: list[Future[str]] = [
            pool.submit(prepare, path, ingestor.settings) for path in files if not _unchanged(path, stored)
        ]
        for future in futures:
            future.exception()  # wait; a worker's failure is reported by the ingest below
    return ingestor.ingest(paths, progress=progress, vector_progress=vector_progress, indexed=indexed)


def _unchanged(path: Path, stored: set[str]) -> bool:
    """A file whose bytes are stored already needs no worker (the writer reports it unchanged)."""
    try:
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() in stored
    except OSError:
        return False
