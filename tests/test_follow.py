"""catch_up: an app process's index follows a shared store, and never copies a half-sent document."""

from __future__ import annotations

from pathlib import Path

from ingest.records import Record, StoredVersion, stable_id
from ingest.stores.follow import catch_up
from ingest.stores.index import StructuredIndex

DOC = "2024_晋城市信访局_部门预算"


def record(
    kind: str, text: str, sha: str, payload: dict[str, object] | None = None, doc: str = DOC
) -> Record:
    metadata = {"doc_id": doc, "kind": kind, "department": "晋城市信访局", "year": 2024, "sha256": sha}
    return Record(stable_id(doc, kind, text, sha), doc, kind, text, metadata, payload or {})  # type: ignore[arg-type]


def version(sha: str, total: str) -> list[Record]:
    """One document's records, its `document` record last (the order ingest sends them in)."""
    return [
        record("paragraph", f"支出预算合计{total}万元。", sha),
        record("document", "晋城市信访局2024年度部门预算", sha, {"title": "晋城市信访局2024年度部门预算"}),
    ]


class FakeServer:
    """The two reads `catch_up` makes of a Chroma server, over a list of records."""

    def __init__(self, records: list[Record]) -> None:
        self.records = records

    def document_versions(self) -> dict[str, StoredVersion]:
        found: dict[str, StoredVersion] = {}
        for r in self.records:
            sha, count, complete = found.get(r.doc_id, StoredVersion("", 0, False))
            sha = max(sha, str(r.metadata["sha256"]))
            found[r.doc_id] = StoredVersion(sha, count + 1, complete or r.kind == "document")
        return found

    def all_records(self, doc_id: str | None = None) -> list[Record]:
        return [r for r in self.records if doc_id is None or r.doc_id == doc_id]

    def manifest(self) -> dict[str, StoredVersion] | None:
        return None  # a collection no writer has published a manifest to: read the records


class ManifestServer(FakeServer):
    """A server whose writers keep a manifest: `catch_up` must read it, never every record."""

    def __init__(self, records: list[Record], listed: dict[str, StoredVersion]) -> None:
        super().__init__(records)
        self.listed = listed

    def document_versions(self) -> dict[str, StoredVersion]:
        raise AssertionError("a collection with a manifest is never scanned")

    def manifest(self) -> dict[str, StoredVersion] | None:
        return dict(self.listed)


def paragraphs(index: StructuredIndex) -> list[str]:
    return sorted(r.text for r in index.records(DOC, "paragraph"))


def test_a_replacement_is_copied_only_once_its_document_record_arrived(tmp_path: Path) -> None:
    index = StructuredIndex(tmp_path)
    server = FakeServer(version("sha-old", "9527.11"))
    assert catch_up(index, server) == [DOC]
    assert paragraphs(index) == ["支出预算合计9527.11万元。"]

    new = version("sha-new", "9627.11")
    server.records = new[:1]  # old records removed, the new document record not sent yet
    assert catch_up(index, server) == []
    assert paragraphs(index) == ["支出预算合计9527.11万元。"]  # the old version stays whole meanwhile
    assert [d.doc_id for d in index.documents()] == [DOC]

    server.records = new  # the send finished: the next catch-up copies the whole new version
    assert catch_up(index, server) == [DOC]
    assert paragraphs(index) == ["支出预算合计9627.11万元。"]
    assert [d.doc_id for d in index.documents()] == [DOC]


def test_a_document_removed_from_the_server_is_dropped(tmp_path: Path) -> None:
    index = StructuredIndex(tmp_path)
    server = FakeServer(version("sha-old", "9527.11"))
    catch_up(index, server)
    server.records = []
    assert catch_up(index, server) == [DOC]
    assert index.documents() == []


def test_a_half_copied_catalog_version_is_completed_by_the_next_catch_up(tmp_path: Path) -> None:
    catalog = "catalog:晋财综〔2023〕43号"
    entries = [record("catalog", f"A0{n} 服务{n}", "sha-cat", doc=catalog) for n in range(3)]
    index = StructuredIndex(tmp_path)
    server = FakeServer(entries[:1])  # the sender is half-way through the version
    assert catch_up(index, server) == [catalog]
    server.records = entries  # same sha256, more records
    assert catch_up(index, server) == [catalog]
    assert len(index.records(catalog)) == 3
    assert catch_up(index, server) == []  # caught up: nothing more is read


def test_the_manifest_is_read_and_records_that_do_not_match_it_are_not_copied(tmp_path: Path) -> None:
    index = StructuredIndex(tmp_path)
    old = version("sha-old", "9527.11")
    server = ManifestServer(old, FakeServer(old).document_versions())
    assert catch_up(index, server) == [DOC]
    new = version("sha-new", "9627.11")
    server.listed = FakeServer(new).document_versions()  # listed, but another writer is re-sending it
    server.records = new[:1] + old[1:]  # the new paragraph is there, the old document record still
    assert catch_up(index, server) == []
    assert paragraphs(index) == ["支出预算合计9527.11万元。"]
    server.records = new
    assert catch_up(index, server) == [DOC]
    assert paragraphs(index) == ["支出预算合计9627.11万元。"]
    server.listed = {}  # dropped from the manifest (its vectors go next): dropped here at once
    assert catch_up(index, server) == [DOC]
    assert index.documents() == []


def test_clauses_are_read_again_after_the_document_is_replaced(tmp_path: Path) -> None:
    """A replaced document keeps its doc_id: what was cached for the old text must not answer."""
    from assistant.plan.clauses import find_clause
    from assistant.unit_fit import MONEY

    index = StructuredIndex(tmp_path)
    catch_up(index, FakeServer(version("sha-old", "9527.11")))
    assert find_clause(index, DOC, "支出预算合计", MONEY).text == "支出预算合计9527.11万元"  # type: ignore[union-attr]
    catch_up(index, FakeServer(version("sha-new", "9627.11")))
    assert find_clause(index, DOC, "支出预算合计", MONEY).text == "支出预算合计9627.11万元"  # type: ignore[union-attr]
