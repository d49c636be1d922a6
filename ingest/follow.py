"""An app process's structured index following a shared Chroma server, one document at a time.

In: the local `StructuredIndex` and the server's `VectorStore`. Out: `catch_up(index, store)` makes the
index hold exactly the documents the server holds — a document another process removed is dropped, a
new or replaced one (another sha256) is copied — and returns the doc_ids it changed. Only changed
documents are read from the server, so catching up after one upload costs one document, not all.
"""

from __future__ import annotations

from typing import Protocol

from ingest.index import StructuredIndex
from ingest.records import Record


class DocumentSource(Protocol):
    def document_ids(self) -> dict[str, str]: ...

    def all_records(self, doc_id: str | None = None) -> list[Record]: ...


def catch_up(index: StructuredIndex, source: DocumentSource) -> list[str]:
    """Copy into `index` what changed in `source` since it last matched; the doc_ids changed, sorted."""
    held = index.document_ids()
    stored = source.document_ids()
    changed: list[str] = []
    for doc_id in sorted(held.keys() - stored.keys()):
        index.delete_document(doc_id)
        changed.append(doc_id)
    for doc_id, sha in sorted(stored.items()):
        if doc_id not in held or held[doc_id] != sha:
            index.replace_document(doc_id, source.all_records(doc_id))
            changed.append(doc_id)
    return sorted(changed)
