"""An app process's structured index following a shared Chroma server, one document at a time.

In: the local `StructuredIndex` and the server's `VectorStore`. Out: `catch_up(index, store)` makes the
index hold exactly the documents the server holds — a document another process removed is dropped, a
new or replaced one (another sha256 or another record count) is copied — and returns the doc_ids it
changed. The server's versions come from the manifest its writers keep, one record per document in a
small collection (one small read; `VectorStore.manifest`), or, for a collection without one, from a pass over every
record's metadata. Only changed documents are read from the server, so catching up after one upload
costs one document, not all. A document still being sent (its `document` record, sent last, not
there yet; or records that do not add up to the manifest's version) is left as the index holds it, so
a half-sent document is never answered from. A catalog version has no such record: its record count
tells a half-sent copy from the whole one, so the next catch-up completes it.
"""

from __future__ import annotations

from typing import Protocol

from ingest.records import Record, StoredVersion, version_of
from ingest.stores.index import CATALOG_OWNER, StructuredIndex


class DocumentSource(Protocol):
    def document_versions(self) -> dict[str, StoredVersion]: ...

    def manifest(self) -> dict[str, StoredVersion] | None: ...

    def all_records(self, doc_id: str | None = None) -> list[Record]: ...


def catch_up(index: StructuredIndex, source: DocumentSource) -> list[str]:
    """Copy into `index` what changed in `source` since it last matched; the doc_ids changed, sorted."""
    held = index.document_versions()
    stored = source.manifest()
    if stored is None:  # written by an older version: read every record's metadata instead
        stored = source.document_versions()
    changed: list[str] = []
    for doc_id in sorted(held.keys() - stored.keys()):
        index.delete_document(doc_id)
        changed.append(doc_id)
    for doc_id, version in sorted(stored.items()):
        ready = version.complete or doc_id.startswith(CATALOG_OWNER)
        if ready and held.get(doc_id) != version:
            records = source.all_records(doc_id)
            if version_of(records) != version:
                continue  # another process is sending it again right now: the next catch-up copies it
            index.replace_document(doc_id, records)
            changed.append(doc_id)
    return sorted(changed)
