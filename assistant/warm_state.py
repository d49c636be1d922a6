"""What an assistant builds from the whole index before its first answer, kept in the store.

In: the structured index. Out: a `WarmState` — the catalog search structures and the record to cite
for each entry, the BM25 lexical index, each document's sub-units and the glossary terms — loaded
from `<store_dir>/warm_state.pickle` when it was built from the index as it is now, built (and saved)
otherwise. "As it is now" is the fingerprint: every document's id, file sha256 and record count,
the number of catalog records, and the source of the modules that build these structures, so a
re-ingest, a removed document or a new version of this code rebuilds it, and nothing else does.

The file is a cache: losing it costs one rebuild; a store that cannot be written is used unsaved.
It is read with pickle, so it is trusted like the rest of the store folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.catalog_search import CatalogSearch
from assistant.lexical_index import LexicalIndex
from assistant.pickled import Pickled
from ingest.api import DocumentHit, Settings, StructuredIndex, ingest_running, open_index

if TYPE_CHECKING:
    from assistant.context import CatalogKey

STATE_FILE = "warm_state.pickle"
FORMAT = 2
LEXICAL_KINDS = ("paragraph", "fact", "row", "glossary")  # what the hybrid retriever ranks
# The modules whose code decides what is built here: a change to any of them rebuilds the state.
_BUILDERS = ("catalog_search.py", "context.py", "lexical_index.py", "warm_state.py", "retrieval.py")
_PLAN_BUILDERS = ("figures.py", "rowsets.py")

log = logging.getLogger(__name__)


@dataclass
class WarmState:
    """The structures built from the whole index, and the fingerprint of the index they came from."""

    fingerprint: str
    catalog: Pickled[CatalogSearch]
    catalog_record_ids: dict[CatalogKey, str]  # the record to cite for each entry
    lexical: Pickled[LexicalIndex] | None  # None: the retriever builds it on first use (mid-ingest state)
    sub_units: dict[str, list[str]]  # doc_id → units its project tables list
    glossary_terms: list[str]


def fingerprint(index: StructuredIndex, documents: list[DocumentHit]) -> str:
    """What the state depends on, as one digest (see the module docstring)."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for doc in documents:
        digest.update(f"{doc.doc_id} {doc.summary.sha256}\n".encode())
    for doc_id, kind, count, characters in _record_counts(index.path):
        digest.update(f"{doc_id} {kind} {count} {characters}\n".encode())
    here = Path(__file__).parent
    for path in [here / name for name in _BUILDERS] + [here / "plan" / name for name in _PLAN_BUILDERS]:
        digest.update(path.read_bytes() if path.exists() else b"")
    digest.update(_version("jieba").encode())
    return digest.hexdigest()


def _record_counts(path: Path) -> list[tuple[str, str, int, int]]:
    """Records and characters per document and kind, read from the index file directly (read-only):
    any re-ingest, removal or catalog merge changes them."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT doc_id, kind, COUNT(*), SUM(LENGTH(text)) FROM records GROUP BY doc_id, kind"
            " ORDER BY doc_id, kind"
        ).fetchall()
    finally:
        db.close()
    return [(str(d), str(k), int(c), int(n or 0)) for d, k, c, n in rows]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def load_or_build(
    index: StructuredIndex,
    documents: list[DocumentHit],
    store_dir: Path | None,
    previous: WarmState | None = None,
) -> WarmState:
    """The saved state when its fingerprint matches the index, else a fresh one (saved when possible),
    reusing what `previous` (the state of an index that changed since) already holds.

    While another process ingests into the store, the index changes with every document it commits:
    the fresh state leaves out the lexical index (most of the build: jieba over every text; the
    retriever builds it if a question needs it) and is not saved — the ingest saves the whole state
    once its documents are in (`save`). So a figure question asked mid-ingest waits for no tokenising.
    """
    stamp = fingerprint(index, documents)
    if previous is not None and previous.fingerprint == stamp:
        return previous
    path = Path(store_dir) / STATE_FILE if store_dir is not None else None
    if path is not None and path.exists():
        saved = _read(path)
        if saved is not None and saved.fingerprint == stamp:
            return saved
    if store_dir is not None and ingest_running(Path(store_dir)):
        return build(index, documents, stamp, previous, lexical=False)
    state = build(index, documents, stamp, previous)
    if path is not None:
        _write(path, state)
    return state


def save(index: StructuredIndex, store_dir: Path) -> WarmState:
    """Build the whole state from the index as it is now and save it (an ingest, between its phases).

    The state saved before (by an earlier ingest) lends its tokens: only the new documents' texts are
    tokenised, so adding one document to a thousand costs about one document's tokenising."""
    documents = index.documents()
    path = Path(store_dir) / STATE_FILE
    previous = _read(path) if path.exists() else None
    state = build(index, documents, fingerprint(index, documents), previous)
    _write(path, state)
    return state


def load_catalog(settings: Settings) -> CatalogSearch:
    """The catalog search of the store the settings name, without opening anything else."""
    index = open_index(settings)
    return load_or_build(index, index.documents(), settings.store_dir).catalog.get()


def build(
    index: StructuredIndex,
    documents: list[DocumentHit],
    stamp: str = "",
    previous: WarmState | None = None,
    lexical: bool = True,
) -> WarmState:
    """Every structure from the index (seconds for a few documents, minutes for a thousand);
    `lexical=False` leaves the BM25 index to be built on first use.

    With `previous` (after another process changed a few documents) only what changed is redone:
    records it indexed keep their tokens (ids come from content, so the same id has the same text),
    and its catalog search is kept when the catalog entries are the same.
    """
    # Imported here: loading a saved state (the `catalog` command) needs none of the answer modules.
    from assistant.context import catalog_entries
    from assistant.plan.figures import sub_units
    from assistant.retrieval import tokens  # jieba loads its dictionary only when a state is built

    entries, records = catalog_entries(index)
    record_ids = {key: record.id for key, record in records.items()}
    texts = index.texts(LEXICAL_KINDS) if lexical else []
    known = previous.lexical.get().token_bags() if previous is not None and previous.lexical else {}
    bm25 = (
        Pickled(
            LexicalIndex(
                (rid, doc_id, known.get(rid) or tokens(text) or ["_"]) for rid, doc_id, text in texts
            )
        )
        if lexical
        else None
    )
    terms = sorted({re.sub(r"[*“”\"]", "", g.term) for g in index.glossary()}, key=len, reverse=True)
    same_catalog = previous is not None and previous.catalog.get().entries == entries
    catalog = previous.catalog if previous is not None and same_catalog else Pickled(CatalogSearch(entries))
    return WarmState(
        fingerprint=stamp,
        catalog=catalog,
        catalog_record_ids=record_ids,
        lexical=bm25,
        sub_units={doc.doc_id: sub_units(index, doc) for doc in documents},
        glossary_terms=terms,
    )


def _read(path: Path) -> WarmState | None:
    """The saved state, or None when the file is unreadable (a partial copy, another version's classes)."""
    try:
        with path.open("rb") as handle:
            state = pickle.load(handle)
    except Exception as exc:  # a broken cache is rebuilt, never a reason to fail a question
        log.warning("忽略无法读取的缓存 %s（%s），将重新构建", path, exc)
        return None
    return state if isinstance(state, WarmState) else None


def _write(path: Path, state: WarmState) -> None:
    """Write atomically (temporary file, then rename), so a reader never sees half a file."""
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb", dir=path.parent, prefix=".warm_state.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("无法保存缓存 %s（%s）：下次启动会重新构建；请检查存储目录是否可写", path, exc)
        if temporary is not None:
            temporary.unlink(missing_ok=True)
