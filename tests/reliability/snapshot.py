"""What a store holds, as plain JSON: what a kill-and-rerun must leave exactly as an uninterrupted run.

Documents, records, catalog entries per version, vectors (id and text), the store's manifest (what app
processes catch up from), source copies and what is still queued. Read through the product's own classes (`StructuredIndex`, `VectorStore`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ingest.settings import load_settings
from ingest.stores.index import StructuredIndex
from ingest.stores.store import VectorStore


def take(store_dir: str, chroma_url: str = "", collection: str = "budgetqa") -> dict[str, Any]:
    folder = Path(store_dir)
    settings = load_settings(store_dir=folder, chroma_url=chroma_url, embedder="hash", collection=collection)
    index = StructuredIndex(folder)
    store = VectorStore.from_settings(settings)
    vectors = sorted((r.id, r.doc_id, r.text) for r in store.all_records())
    sources = folder / "sources"
    incoming = folder / "incoming"
    return {
        "documents": sorted([d.doc_id, d.summary.file, d.title] for d in index.documents()),
        "records": sorted(index.record_ids()),
        "catalog": {
            v.version: sorted(h.record.id for h in index.catalog(version=v.version))
            for v in index.catalog_versions()
        },
        "vectors": [v[0] for v in vectors],
        "vector_texts": hashlib.sha256(repr(vectors).encode("utf-8")).hexdigest(),
        "manifest": sorted([doc_id, *version] for doc_id, version in (store.manifest() or {}).items()),
        "sources": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(sources.glob("*"))},
        "staged": sorted(p.name for p in incoming.glob("*")),
        "queued": len(index.outbox()),
    }
