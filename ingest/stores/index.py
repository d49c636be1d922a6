"""The structured index: exact look-ups over records, in one SQLite file (`<store_dir>/index.sqlite`).

Records go in (`commit`, `add`, `delete_document`); typed look-up results come out, each holding
the `Record` it came from so callers can cite it. Each record kind has one writer (`_WRITERS`).

Source of truth. On one machine (embedded Chroma) this file is the truth for records, and the files
kept in `<store>/sources/` are the truth it is made from: Chroma holds vectors only for the records a
dense search needs (no blank rows, no catalog entries unless asked), so the index cannot be rebuilt
from it. An index of an older schema version is therefore never emptied silently: it is emptied and
flagged (`outdated_schema`), and `ingest.pipeline.open_index` re-ingests the kept sources, with a
message. With a Chroma server, the server receives every record and is the shared truth other app
processes follow (`sync_from`, `ingest.stores.follow.catch_up`).

Payloads read, by record kind:
- row: table, table_title, unit, row_label, row_code, row_path, cells {column: "4.70" | None}
- catalog: version, version_title, kind, department, code, levels, uncertain, flags
- fact: name, value, unit, scope
- glossary: term, definition
- document: the document summary (title, department, year, …)
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import orjson

from ingest.crash import crash_point
from ingest.figures import parse_figure
from ingest.model import CatalogEntry, Locator
from ingest.records import Record, StoredVersion
from ingest.summary import DocumentSummary

INDEX_FILE = "index.sqlite"
SCHEMA_VERSION = 2  # 2: the per-cell table is gone (rows hold their cells)
# Parsed records kept in memory: about 3.5 KB each, so some 70 MB; enough for the rows of the ~60
# documents a server's questions touch at once (the lookup caches as many documents' figures).
CACHE_LIMIT = 20_000
POINT_READS = 100  # a catalog read of at most this many entries is a look-up worth keeping

_SCHEMA = """
CREATE TABLE records (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
    metadata TEXT NOT NULL, payload TEXT NOT NULL, line_start INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX records_doc ON records (doc_id, kind);
CREATE TABLE rows (
    record_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, table_key TEXT NOT NULL, table_title TEXT NOT NULL,
    unit TEXT NOT NULL, row_label TEXT NOT NULL, row_code TEXT, row_path TEXT NOT NULL, cells TEXT NOT NULL,
    line_start INTEGER NOT NULL
);
CREATE INDEX rows_label ON rows (row_label);
CREATE INDEX rows_code ON rows (row_code);
CREATE INDEX rows_doc_table ON rows (doc_id, table_key);
CREATE TABLE catalog (
    record_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, version TEXT NOT NULL, version_title TEXT NOT NULL,
    kind TEXT NOT NULL, department TEXT NOT NULL, code TEXT NOT NULL, levels TEXT NOT NULL,
    uncertain INTEGER NOT NULL, flags TEXT NOT NULL
);
CREATE INDEX catalog_code ON catalog (code, department);
CREATE INDEX catalog_department ON catalog (department, version);
CREATE INDEX catalog_version ON catalog (version);
CREATE TABLE facts (
    record_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT, unit TEXT NOT NULL,
    scope TEXT NOT NULL, line_start INTEGER NOT NULL
);
CREATE INDEX facts_name ON facts (name);
CREATE INDEX facts_doc ON facts (doc_id, name);
CREATE TABLE glossary (
    record_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, term TEXT NOT NULL, definition TEXT NOT NULL
);
CREATE INDEX glossary_term ON glossary (term);
CREATE TABLE documents (
    record_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, title TEXT NOT NULL, department TEXT NOT NULL,
    year INTEGER, summary TEXT NOT NULL
);
CREATE INDEX documents_doc ON documents (doc_id);
"""
# Ingest bookkeeping, kept across rebuilds (added to older index files as they are opened).
_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS vector_outbox (
    record_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, action TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS vector_outbox_doc ON vector_outbox (doc_id);
CREATE TABLE IF NOT EXISTS copies (sha256 TEXT PRIMARY KEY, doc_id TEXT NOT NULL, file TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_sha256 ON documents (json_extract(summary, '$.sha256'));
CREATE INDEX IF NOT EXISTS documents_file ON documents (json_extract(summary, '$.file'));
CREATE INDEX IF NOT EXISTS documents_same_text ON documents (json_extract(summary, '$.identity.text'));
CREATE INDEX IF NOT EXISTS documents_same_tables ON documents (json_extract(summary, '$.identity.tables'));
"""
# Every file ingested is looked up by its bytes, its name and its identity (`ingest.parsing.identity`) among the
# documents held: indexed, so the thousandth file costs what the first did. A key not listed here is
# looked up by scanning.
_IDENTITY_PATHS = {"text": "$.identity.text", "tables": "$.identity.tables"}
_DERIVED = ("rows", "catalog", "facts", "glossary", "documents")
CATALOG_OWNER = "catalog:"  # doc_id prefix of catalog versions' records (`to_records.catalog_doc_id`)
PUT, DELETE = "put", "delete"  # vector_outbox actions: embed this record / drop its vector


# ------------------------------------------------------------------------------------- look-up results


@dataclass(frozen=True)
class RowHit:
    """One table row with all its cells."""

    record: Record
    doc_id: str
    table: str
    table_title: str
    unit: str
    label: str
    code: str | None
    path: tuple[str, ...]
    cells: dict[str, Decimal | None] = field(hash=False)

    def cell(self, column: str) -> Decimal | None:
        return self.cells.get(column)


@dataclass(frozen=True)
class CatalogHit:
    """One catalog code of one department in one catalog version (目录版本 by 文号)."""

    record: Record
    doc_id: str
    version: str  # 晋财综〔2023〕43号
    version_title: str
    kind: str  # A or B
    department: str
    code: str
    levels: tuple[str, ...]  # 一级…四级目录
    uncertain: bool
    flags: tuple[str, ...]

    @property
    def service(self) -> str:
        """The most specific level: the service's own name."""
        return self.levels[-1] if self.levels else ""

    def entry(self, section: str = "") -> CatalogEntry:
        """This stored entry as the parser's `CatalogEntry` (what catalog merging and search take), its
        locator read back from the record; `section` names where the catalog sits in the document.
        The other way, `to_records.catalog_records` makes the record of an entry."""
        meta = self.record.metadata
        locator = Locator(
            file=str(meta.get("file", "")),
            line_start=int(meta.get("line_start", 0) or 0),
            line_end=int(meta.get("line_end", 0) or 0),
            section=section,
        )
        return CatalogEntry(
            self.version, self.department, self.code, self.levels, locator, self.uncertain, list(self.flags)
        )


@dataclass(frozen=True)
class CatalogVersionInfo:
    """A catalog version present in the index, with how many departments and codes it holds."""

    version: str
    title: str
    kind: str
    departments: int
    entries: int


@dataclass(frozen=True)
class FactHit:
    """A named figure from the narrative (三公经费.公务接待费 = 0.20 万元)."""

    record: Record
    doc_id: str
    name: str
    value: Decimal | None
    raw: str | None
    unit: str
    scope: str


@dataclass(frozen=True)
class GlossaryHit:
    """A 名词解释 entry."""

    record: Record
    doc_id: str
    term: str
    definition: str


@dataclass(frozen=True)
class DocumentHit:
    """One ingested document and its summary (title, department, year, adopted catalogs, counts…)."""

    record: Record
    doc_id: str
    title: str
    department: str
    year: int | None
    summary: DocumentSummary = field(hash=False)


@dataclass
class DocumentCommit:
    """Everything one ingested document changes in the index, applied in one transaction.

    `records` become the document's whole content; `catalog_add`/`catalog_remove` are its merge into
    the shared catalog versions; `retire` lists the stored documents it replaces (other doc_ids);
    `embed` names the ids (among `records` and `catalog_add`) that get a vector in phase two.
    """

    doc_id: str
    records: list[Record]
    embed: set[str]
    catalog_add: list[Record] = field(default_factory=list)
    catalog_remove: list[Record] = field(default_factory=list)
    retire: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OutboxItem:
    """A vector change the structured index has committed and the vector store has not yet applied."""

    record_id: str
    doc_id: str
    action: str  # PUT or DELETE


# ---------------------------------------------------------------------------------------------- index


def _json(value: object) -> str:
    """JSON keeping key order (a row's cells are in column order)."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _loads(text: str) -> Any:
    """`json.loads`, by orjson (a question about a document read for the first time decodes its
    thousand records: half the time); what orjson refuses (NaN written by `json.dumps`) by json."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _line_start(record: Record) -> int:
    value = record.metadata.get("line_start", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _like(fragment: str) -> str:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class RecordSource(Protocol):
    """A Chroma server's records (`ingest.stores.store.VectorStore`), which a server-mode index follows."""

    def document_ids(self) -> dict[str, str]: ...

    def complete_documents(self) -> set[str]: ...

    def all_records(self, doc_id: str | None = None) -> list[Record]: ...


class StructuredIndex:
    """Exact look-ups (cells, rows, catalog codes, facts, glossary, documents) over records in SQLite."""

    def __init__(self, store_dir: Path | str, filename: str = INDEX_FILE) -> None:
        self.path = Path(store_dir) / filename
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        # Parsed records by id. Ids come from content, so an entry never goes stale; hits are always
        # chosen by SQL, so a deleted record is never returned from here.
        self._cache: dict[str, Record] = {}
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._commits = 0  # transactions this connection committed (data_version does not count them)
        self.outdated_schema: int | None = None  # the schema version of an index emptied on opening
        self._ensure_schema()

    def _ensure_schema(self) -> None:
        """Create the tables. An index of another schema version is emptied and `outdated_schema` says
        which version it was: whoever opened it must refill it (`ingest.pipeline.open_index` re-ingests
        the files kept in `<store>/sources/`)."""
        with self._transaction() as db:
            found = int(db.execute("PRAGMA user_version").fetchone()[0])
            if found != SCHEMA_VERSION:
                held = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'records'").fetchone()
                self.outdated_schema = found if held else None
                for table in (*_DERIVED, "records"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            for statement in _BOOKKEEPING.split(";"):
                if statement.strip():
                    db.execute(statement)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self._commits += 1
            # Parsed records of a replaced or removed version would stay cached until CACHE_LIMIT
            # (each admin upload of a new version kept ~4 MB); writes are rare, re-reading is cheap.
            self._cache.clear()

    def change_token(self) -> tuple[int, int]:
        """A token that moves whenever anyone commits to the index: SQLite's `data_version` (commits of
        other connections, other processes included) with this connection's own commit count. One
        pragma and no table read, so it can be checked before every question."""
        with self._lock:
            version = self._db.execute("PRAGMA data_version").fetchone()[0]
            return int(version), self._commits

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def document_ids(self) -> dict[str, str]:
        """Every indexed doc_id with the sha256 its records carry ('' if none)."""
        rows = self._query(
            "SELECT doc_id, MAX(COALESCE(json_extract(metadata, '$.sha256'), '')) FROM records GROUP BY doc_id"
        )
        return {r[0]: str(r[1]) for r in rows}

    def document_versions(self, doc_ids: Sequence[str] | None = None) -> dict[str, StoredVersion]:
        """Every indexed doc_id's version (sha256, record count, whether its `document` record is here),
        or only those of `doc_ids`."""
        where, params = "", list(doc_ids or [])
        if doc_ids is not None:
            where = f"WHERE doc_id IN ({','.join('?' * len(params))}) " if params else "WHERE 0 "
        rows = self._query(
            "SELECT doc_id, MAX(COALESCE(json_extract(metadata, '$.sha256'), '')), COUNT(*),"
            f" MAX(kind = 'document') FROM records {where}GROUP BY doc_id",
            params,
        )
        return {r[0]: StoredVersion(str(r[1]), int(r[2]), bool(r[3])) for r in rows}

    def sync_from(self, source: RecordSource) -> bool:
        """Rebuild from `source` when it holds other documents (or other versions); True if rebuilt.

        An app process in Chroma server mode calls this at start, so its local index matches the server.
        An index with vectors still to send is ahead of the server (an ingest wrote it): it is kept.
        A document whose `document` record has not reached the server yet (it is sent last) is left
        out, so a half-sent document is never answered from.
        """
        if self.pending_vectors():
            return False
        complete = source.complete_documents()
        wanted = {
            d: sha for d, sha in source.document_ids().items() if d in complete or d.startswith(CATALOG_OWNER)
        }
        if self.document_ids() == wanted:
            return False
        self.rebuild(r for r in source.all_records() if r.doc_id in wanted)
        return True

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ----------------------------------------------------------------------------------- writing

    def add(self, records: Iterable[Record]) -> int:
        """Insert or replace records (by id) and everything derived from them; returns how many."""
        batch = list({r.id: r for r in records}.values())
        with self._transaction() as db:
            self._remove_ids(db, [r.id for r in batch])
            for record in batch:
                self._insert(db, record)
        return len(batch)

    def rebuild(self, records: Iterable[Record]) -> int:
        """Empty the index and fill it from `records` (e.g. `VectorStore.all_records()`)."""
        batch = list({r.id: r for r in records}.values())
        with self._transaction() as db:
            for table in (*_DERIVED, "records"):
                db.execute(f"DELETE FROM {table}")
            for record in batch:
                self._insert(db, record)
        return len(batch)

    def replace_document(self, doc_id: str, records: Iterable[Record]) -> int:
        """Make `records` the whole content of `doc_id`, in one transaction; returns how many now."""
        batch = list({r.id: r for r in records}.values())
        with self._transaction() as db:
            self._delete_document(db, doc_id)
            self._remove_ids(db, [r.id for r in batch])
            for record in batch:
                self._insert(db, record)
        return len(batch)

    def commit(self, change: DocumentCommit) -> None:
        """Apply one document's change and queue its vector changes, all in one transaction.

        Whatever happens to the process, the index then holds the old document or the new one, never
        a part of either; the queued vector changes (`outbox`) say what the vector store still lacks.
        """
        batch = list({r.id: r for r in change.records}.values())
        new_ids = {r.id for r in batch}
        with self._transaction() as db:
            gone: list[tuple[str, str]] = []
            for retired in (d for d in change.retire if d != change.doc_id):
                gone += [(i, retired) for i in self._ids_of(db, retired)]
                self._delete_document(db, retired)
                db.execute("DELETE FROM copies WHERE doc_id = ?", (retired,))
            gone += [(i, change.doc_id) for i in self._ids_of(db, change.doc_id) if i not in new_ids]
            self._delete_document(db, change.doc_id)
            self._remove_ids(db, list(new_ids))
            for record in batch:
                self._insert(db, record)
            self._remove_ids(db, [r.id for r in change.catalog_remove])
            gone += [(r.id, r.doc_id) for r in change.catalog_remove]
            self._remove_ids(db, [r.id for r in change.catalog_add])
            for record in change.catalog_add:
                self._insert(db, record)
            db.executemany(
                "INSERT OR REPLACE INTO vector_outbox VALUES (?, ?, ?)",
                [(record_id, doc_id, DELETE) for record_id, doc_id in gone],
            )
            db.executemany(
                "INSERT OR REPLACE INTO vector_outbox VALUES (?, ?, ?)",
                [(r.id, r.doc_id, PUT) for r in [*batch, *change.catalog_add] if r.id in change.embed],
            )
            crash_point("index-commit")  # everything written, COMMIT not yet: a kill rolls it all back

    @staticmethod
    def _ids_of(db: sqlite3.Connection, doc_id: str) -> list[str]:
        return [r[0] for r in db.execute("SELECT id FROM records WHERE doc_id = ?", (doc_id,))]

    def _delete_document(self, db: sqlite3.Connection, doc_id: str) -> int:
        """Remove a document's records and what was derived from them; returns how many records."""
        removed = db.execute("DELETE FROM records WHERE doc_id = ?", (doc_id,)).rowcount
        for table in _DERIVED:
            db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        return int(removed)

    # ------------------------------------------------------------------------------- vector outbox

    def outbox(self) -> list[OutboxItem]:
        """Queued vector changes: removals first, then additions by document, its `document` record last
        (on a Chroma server that record is what tells other processes the document is complete)."""
        rows = self._query(
            "SELECT o.record_id, o.doc_id, o.action FROM vector_outbox o"
            " LEFT JOIN records r ON r.id = o.record_id"
            " ORDER BY o.action = 'put', o.doc_id, COALESCE(r.kind = 'document', 0), o.record_id"
        )
        return [OutboxItem(r[0], r[1], r[2]) for r in rows]

    def outbox_done(self, record_ids: Sequence[str]) -> None:
        """The vector store now holds these changes: forget them (for a document, its last one done is
        the marker that its vectors are complete)."""
        with self._transaction() as db:
            for start in range(0, len(record_ids), 500):
                chunk = list(record_ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                db.execute(f"DELETE FROM vector_outbox WHERE record_id IN ({marks})", chunk)

    def pending_vectors(self) -> dict[str, int]:
        """doc_id → how many of its records still wait for their vector (empty: every vector is there)."""
        rows = self._query("SELECT doc_id, COUNT(*) FROM vector_outbox GROUP BY doc_id")
        return {r[0]: int(r[1]) for r in rows}

    def record_ids(self) -> set[str]:
        """Every record id the index holds."""
        return {r[0] for r in self._query("SELECT id FROM records")}

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of `ids` the index holds (a vector hit not among them belongs to no committed document)."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self._query(f"SELECT id FROM records WHERE id IN ({marks})", chunk))
        return found

    # ------------------------------------------------------------------------------- identity

    def stored_content(self, sha256: str) -> tuple[str, str] | None:
        """(doc_id, file name) of the stored document these exact bytes are, or are a known copy of."""
        rows = self._query(
            "SELECT doc_id, json_extract(summary, '$.file') FROM documents"
            " WHERE json_extract(summary, '$.sha256') = ?",
            (sha256,),
        ) or self._query(
            "SELECT c.doc_id, json_extract(d.summary, '$.file') FROM copies c"
            " JOIN documents d ON d.doc_id = c.doc_id WHERE c.sha256 = ?",
            (sha256,),
        )
        return (rows[0][0], str(rows[0][1])) if rows else None

    def add_copy(self, sha256: str, doc_id: str, file: str) -> None:
        """Remember that a file with these bytes is the same disclosure as a stored document."""
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO copies VALUES (?, ?, ?)", (sha256, doc_id, file))

    def same_disclosure(self, identity: dict[str, str]) -> DocumentHit | None:
        """The stored document with the same normalised text, or the same department, year, kind and
        tables (`ingest.parsing.identity`); None when there is none."""
        for key, value in identity.items():
            if not value:
                continue
            path = _IDENTITY_PATHS.get(key)
            if path is not None:  # the path written out, so SQLite uses its index
                sql = (
                    f"SELECT doc_id FROM documents WHERE json_extract(summary, '{path}') = ? ORDER BY doc_id"
                )
                rows = self._query(sql, (value,))
            else:
                rows = self._query(
                    "SELECT doc_id FROM documents WHERE json_extract(summary, ?) = ? ORDER BY doc_id",
                    (f"$.identity.{key}", value),
                )
            if rows:
                return self.document(rows[0][0])
        return None

    def document(self, doc_id: str) -> DocumentHit | None:
        """One ingested document by doc_id."""
        return next(iter(self._documents("WHERE doc_id = ?", (doc_id,))), None)

    def document_by_file(self, file: str) -> DocumentHit | None:
        """The ingested document stored under this file name, if any."""
        return next(iter(self._documents("WHERE json_extract(summary, '$.file') = ?", (file,))), None)

    def delete_document(self, doc_id: str) -> int:
        """Remove every record of one document; returns how many records were removed."""
        with self._transaction() as db:
            return self._delete_document(db, doc_id)

    def delete_ids(self, ids: Iterable[str]) -> None:
        """Remove the given records and what was derived from them."""
        with self._transaction() as db:
            self._remove_ids(db, list(ids))

    def _remove_ids(self, db: sqlite3.Connection, ids: list[str]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            db.execute(f"DELETE FROM records WHERE id IN ({marks})", chunk)
            for table in _DERIVED:
                db.execute(f"DELETE FROM {table} WHERE record_id IN ({marks})", chunk)

    def _insert(self, db: sqlite3.Connection, record: Record) -> None:
        """The record itself, then its kind's look-up row (kinds without one, e.g. paragraph, stop here)."""
        db.execute(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                record.doc_id,
                record.kind,
                record.text,
                _json(record.metadata),
                _json(record.payload),
                _line_start(record),
            ),
        )
        writer = _WRITERS.get(record.kind)
        if writer is not None:
            writer(db, record)

    # ----------------------------------------------------------------------------------- records

    def record(self, record_id: str) -> Record:
        """The record with this id; KeyError when the index does not hold it."""
        rows = self._query("SELECT * FROM records WHERE id = ?", (record_id,))
        if not rows:
            raise KeyError(f"索引中没有记录 {record_id}：请重新导入文件或运行重建索引")
        return self._record(rows[0])

    def records(self, doc_id: str | None = None, kind: str | None = None) -> list[Record]:
        """Records filtered by document and kind, in line order."""
        sql, params = self._where("SELECT * FROM records", [("doc_id", doc_id), ("kind", kind)])
        return [self._record(r) for r in self._query(sql + " ORDER BY doc_id, line_start, id", params)]

    def records_mentioning(self, doc_id: str, kind: str, words: Sequence[str]) -> list[Record]:
        """A document's records of `kind` whose text or payload (its quote) holds any of `words`, in
        line order: SQLite picks the few, so the rest are never decoded."""
        if not words:
            return []
        holds = " OR ".join("instr(text, ?) > 0 OR instr(payload, ?) > 0" for _ in words)
        sql = f"SELECT * FROM records WHERE doc_id = ? AND kind = ? AND ({holds}) ORDER BY line_start, id"
        params = [doc_id, kind, *(w for word in words for w in (word, word))]
        return [self._record(r) for r in self._query(sql, params)]

    def texts(self, kinds: Sequence[str]) -> list[tuple[str, str, str]]:
        """(id, doc_id, text) of every record of these kinds, in `records` order, kind by kind: what a
        text index needs, without decoding a thousand documents' metadata into `Record`s."""
        out: list[tuple[str, str, str]] = []
        for kind in kinds:
            rows = self._query(
                "SELECT id, doc_id, text FROM records WHERE kind = ? ORDER BY doc_id, line_start, id", (kind,)
            )
            out += [(str(r[0]), str(r[1]), str(r[2])) for r in rows]
        return out

    def count(self, kind: str | None = None) -> int:
        sql, params = self._where("SELECT COUNT(*) FROM records", [("kind", kind)])
        return int(self._query(sql, params)[0][0])

    @staticmethod
    def _record(row: sqlite3.Row) -> Record:
        return Record(
            id=row["id"],
            doc_id=row["doc_id"],
            kind=row["kind"],
            text=row["text"],
            metadata=_loads(row["metadata"]),
            payload=_loads(row["payload"]),
        )

    def records_by_id(self, ids: Iterable[str]) -> dict[str, Record]:
        """The records the index holds among `ids`, by id."""
        return self._records_for(ids)

    def _records_for(self, ids: Iterable[str], keep: bool = True) -> dict[str, Record]:
        """The records of `ids`, parsed once and kept while `keep` (a whole-kind scan, such as the
        catalog's thousands of entries read to build its search, is not kept: its reader keeps its own
        structure, and keeping it here made every upload's reload grow the server by ~50 MB)."""
        wanted = list(dict.fromkeys(ids))
        found = {i: self._cache[i] for i in wanted if i in self._cache}
        missing = [i for i in wanted if i not in found]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._query(f"SELECT * FROM records WHERE id IN ({marks})", chunk):
                found[row["id"]] = self._record(row)
        if missing and keep:
            if len(self._cache) + len(missing) > CACHE_LIMIT:
                self._cache.clear()
            self._cache.update((i, found[i]) for i in missing if i in found)
        return found

    @staticmethod
    def _where(sql: str, filters: list[tuple[str, object]]) -> tuple[str, list[object]]:
        clauses = [f"{column} = ?" for column, value in filters if value is not None]
        params = [value for _, value in filters if value is not None]
        return (sql + (" WHERE " + " AND ".join(clauses) if clauses else "")), params

    # ----------------------------------------------------------------------------------- tables

    def rows(self, doc_id: str | None = None, table: str | None = None) -> list[RowHit]:
        """Every row of a table (or of a document, or all), in line order."""
        sql, params = self._where("SELECT * FROM rows", [("doc_id", doc_id), ("table_key", table)])
        return self._rows(self._query(sql + " ORDER BY doc_id, line_start, record_id", params))

    def _rows(self, hits: list[sqlite3.Row]) -> list[RowHit]:
        records = self._records_for(h["record_id"] for h in hits)
        return [
            RowHit(
                record=records[h["record_id"]],
                doc_id=h["doc_id"],
                table=h["table_key"],
                table_title=h["table_title"],
                unit=h["unit"],
                label=h["row_label"],
                code=h["row_code"],
                path=tuple(records[h["record_id"]].payload.get("row_path") or ()),
                cells={
                    str(k): parse_figure(v)
                    for k, v in (records[h["record_id"]].payload.get("cells") or {}).items()
                },
            )
            for h in hits
        ]

    # ----------------------------------------------------------------------------------- catalog

    def catalog(
        self, version: str | None = None, department: str | None = None, code: str | None = None
    ) -> list[CatalogHit]:
        """Catalog entries matching every filter given (exact version 文号, exact department, code)."""
        sql, params = self._where(
            "SELECT * FROM catalog",
            [("version", version), ("department", department), ("code", code.upper() if code else None)],
        )
        hits = self._query(sql + " ORDER BY version, department, code", params)
        records = self._records_for((h["record_id"] for h in hits), keep=len(hits) <= POINT_READS)
        return [
            CatalogHit(
                record=records[h["record_id"]],
                doc_id=h["doc_id"],
                version=h["version"],
                version_title=h["version_title"],
                kind=h["kind"],
                department=h["department"],
                code=h["code"],
                levels=tuple(records[h["record_id"]].payload.get("levels") or ()),
                uncertain=bool(h["uncertain"]),
                flags=tuple(records[h["record_id"]].payload.get("flags") or ()),
            )
            for h in hits
        ]

    def catalog_versions(self) -> list[CatalogVersionInfo]:
        """Every catalog version in the index, ordered by 文号."""
        rows = self._query(
            "SELECT version, MAX(version_title) AS title, MIN(kind) AS kind,"
            " COUNT(DISTINCT department) AS departments, COUNT(*) AS entries"
            " FROM catalog GROUP BY version ORDER BY version"
        )
        return [
            CatalogVersionInfo(r["version"], r["title"], r["kind"], int(r["departments"]), int(r["entries"]))
            for r in rows
        ]

    # ----------------------------------------------------------------------------------- facts etc.

    def facts(self, doc_id: str | None = None, name_prefix: str | None = None) -> list[FactHit]:
        """Named figures of a document (or all), optionally only names starting with `name_prefix`."""
        clauses: list[str] = []
        params: list[object] = []
        if doc_id is not None:
            clauses.append("doc_id = ?")
            params.append(doc_id)
        if name_prefix:
            clauses.append("substr(name, 1, ?) = ?")
            params.extend([len(name_prefix), name_prefix])
        sql = (
            "SELECT * FROM facts"
            + (" WHERE " + " AND ".join(clauses) if clauses else "")
            + " ORDER BY doc_id, line_start, name"
        )
        hits = self._query(sql, params)
        records = self._records_for(h["record_id"] for h in hits)
        return [
            FactHit(
                record=records[h["record_id"]],
                doc_id=h["doc_id"],
                name=h["name"],
                value=parse_figure(h["value"]),
                raw=h["value"],
                unit=h["unit"],
                scope=h["scope"],
            )
            for h in hits
        ]

    def glossary(self, term: str | None = None, doc_id: str | None = None) -> list[GlossaryHit]:
        """名词解释 entries: all, or exactly this term; a term not found falls back to `contains`."""
        sql, params = self._where("SELECT * FROM glossary", [("term", term), ("doc_id", doc_id)])
        hits = self._query(sql + " ORDER BY term, doc_id", params)
        if not hits and term:
            extra, more = self._where("", [("doc_id", doc_id)])
            hits = self._query(
                "SELECT * FROM glossary WHERE term LIKE ? ESCAPE '\\'"
                + extra.replace(" WHERE ", " AND ")
                + " ORDER BY length(term), term, doc_id",
                [_like(term), *more],
            )
        records = self._records_for(h["record_id"] for h in hits)
        return [GlossaryHit(records[h["record_id"]], h["doc_id"], h["term"], h["definition"]) for h in hits]

    def documents(self) -> list[DocumentHit]:
        """Every ingested document, by year then title."""
        return self._documents()

    def document_id_list(self) -> list[str]:
        """Every document's id, sorted: one read of one column (no summary decoded). An id carries the
        file's sha256, so any add, replace or removal changes this list."""
        return [str(r[0]) for r in self._query("SELECT doc_id FROM documents ORDER BY doc_id")]

    def _documents(self, where: str = "", params: Sequence[object] = ()) -> list[DocumentHit]:
        hits = self._query(f"SELECT * FROM documents {where} ORDER BY year, title, doc_id", params)
        records = self._records_for(h["record_id"] for h in hits)
        return [
            DocumentHit(
                record=records[h["record_id"]],
                doc_id=h["doc_id"],
                title=h["title"],
                department=h["department"],
                year=h["year"],
                summary=DocumentSummary.from_payload(records[h["record_id"]].payload),
            )
            for h in hits
        ]


# ------------------------------------------------------------------------------ one writer per kind


def _write_row(db: sqlite3.Connection, record: Record) -> None:
    p = record.payload
    db.execute(
        "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.id,
            record.doc_id,
            _text(p.get("table")),
            _text(p.get("table_title")),
            _text(p.get("unit")),
            _text(p.get("row_label")),
            _text(p.get("row_code")) or None,
            _json(list(p.get("row_path") or [])),
            _json(p.get("cells") or {}),
            _line_start(record),
        ),
    )


def _write_catalog(db: sqlite3.Connection, record: Record) -> None:
    p = record.payload
    db.execute(
        "INSERT INTO catalog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.id,
            record.doc_id,
            _text(p.get("version")),
            _text(p.get("version_title")),
            _text(p.get("kind")) or "A",
            _text(p.get("department")),
            _text(p.get("code")).upper(),
            _json(list(p.get("levels") or [])),
            int(bool(p.get("uncertain"))),
            _json(list(p.get("flags") or [])),
        ),
    )


def _write_fact(db: sqlite3.Connection, record: Record) -> None:
    p = record.payload
    value = p.get("value")
    db.execute(
        "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            record.id,
            record.doc_id,
            _text(p.get("name")),
            None if value is None else str(value),
            _text(p.get("unit")),
            _text(p.get("scope")),
            _line_start(record),
        ),
    )


def _write_glossary(db: sqlite3.Connection, record: Record) -> None:
    p = record.payload
    db.execute(
        "INSERT INTO glossary VALUES (?, ?, ?, ?)",
        (record.id, record.doc_id, _text(p.get("term")), _text(p.get("definition"))),
    )


def _write_document(db: sqlite3.Connection, record: Record) -> None:
    p = record.payload
    year = p.get("year", record.metadata.get("year"))
    db.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
        (
            record.id,
            record.doc_id,
            _text(p.get("title")),
            _text(p.get("department")),
            int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
            _json(p),
        ),
    )


# The look-up table each record kind fills besides `records` (a paragraph has none).
_WRITERS: dict[str, Callable[[sqlite3.Connection, Record], None]] = {
    "row": _write_row,
    "catalog": _write_catalog,
    "fact": _write_fact,
    "glossary": _write_glossary,
    "document": _write_document,
}
