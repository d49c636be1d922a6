"""Phase two of ingest: bring the vector store up to the structured index.

The index commits each document together with the vector changes it implies (`vector_outbox`);
`send_vectors` applies them in order (removals first, then each document's records with its
`document` record last) and forgets each batch once the vector store holds it. Every step can be
repeated, so a run killed half-way is finished by the next one. The store's manifest (what app
processes catch up from) drops a removed document before its vectors go and lists a sent one after its
last vector, so it never names a half-sent document. `sweep_orphans` removes vectors no
committed record owns (left by an interrupted run of an older version); embedded stores only.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from ingest.crash import crash_point
from ingest.stores.index import DELETE, PUT, StructuredIndex

if TYPE_CHECKING:  # the store (and chromadb) is imported by whoever opens one
    from ingest.stores.store import VectorStore

BATCH = 256  # records embedded and sent at a time; one outbox commit each (BUDGETQA_VECTOR_BATCH overrides)

Progress = Callable[[int, int], None]


def send_vectors(index: StructuredIndex, store: VectorStore, progress: Progress | None = None) -> int:
    """Apply every queued vector change; returns how many records were embedded and sent."""
    items = index.outbox()
    held = index.document_versions()
    gone = {item.doc_id for item in items if item.action == DELETE} - held.keys()
    if gone:
        store.publish(dict.fromkeys(sorted(gone)))  # app processes drop them before their vectors go
    removals = [item.record_id for item in items if item.action == DELETE]
    if removals:
        store.delete_ids(removals)
        crash_point("vectors-deleted")
        index.outbox_done(removals)
    additions = [item.record_id for item in items if item.action == PUT]
    if progress:
        progress(0, len(additions))
    doc_of = {item.record_id: item.doc_id for item in items if item.action == PUT}
    unsent = Counter(doc_of.values())
    batch = int(os.environ.get("BUDGETQA_VECTOR_BATCH") or BATCH)
    for start in range(0, len(additions), batch):
        ids = additions[start : start + batch]
        found = index.records_by_id(ids)
        store.upsert([found[i] for i in ids if i in found])
        crash_point("vectors-sent")  # in the store, not yet forgotten: the rerun sends them again
        index.outbox_done(ids)
        crash_point("vectors-marked")
        unsent.subtract(doc_of[i] for i in ids)
        whole = [doc_id for doc_id in dict.fromkeys(doc_of[i] for i in ids) if unsent[doc_id] <= 0]
        if whole:  # app processes may answer from these now, while the next documents are sent
            publish_sent(index, store, whole)
        if progress:
            progress(min(start + batch, len(additions)), len(additions))
    publish_sent(index, store)
    return len(additions)


def publish_sent(index: StructuredIndex, store: VectorStore, doc_ids: list[str] | None = None) -> None:
    """List in the store's manifest every document this index holds (of `doc_ids`, when given) whose
    version the manifest lacks.

    Called for documents whose every vector is sent, so each listed document is whole; a run killed
    before this leaves the manifest as it was, and the rerun publishes.
    """
    held = index.document_versions(doc_ids)
    listed = store.manifest()
    changed = {doc_id: version for doc_id, version in held.items() if (listed or {}).get(doc_id) != version}
    if changed or listed is None:
        store.publish(dict(changed))


def sweep_orphans(index: StructuredIndex, store: VectorStore) -> int:
    """Remove vectors of records the index does not hold; returns how many were removed.

    The store is read before the index: a vector is only ever written after its record is
    committed, so a writer running at the same time never loses a fresh vector here.
    """
    in_store = store.ids()
    orphans = sorted(in_store - index.record_ids())
    return store.delete_ids(orphans)
