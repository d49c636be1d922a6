"""VectorStore over embedded Chroma with the hash embedder: upsert, query, filters, delete, paging."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.records import Record, StoredVersion, stable_id
from ingest.settings import Settings
from ingest.stores.embeddings import HashEmbedder, make_embedder
from ingest.stores.store import (
    MANIFEST_SUFFIX,
    PAYLOAD_KEY,
    StoreError,
    VectorStore,
    collection_name,
    open_client,
)

LIULIN = "2024_柳林县工业和信息化局_部门预算"
XIAOYI = "2026_孝义市财政局_部门预算"


def row(
    doc_id: str, department: str, year: int, line: int, label: str, cells: dict[str, str | None]
) -> Record:
    text = f"表十 · {label}\t" + "\t".join(v or "" for v in cells.values())
    locator = f"表十 · {label} · 第{line}行"
    return Record(
        id=stable_id(doc_id, "row", locator, text),
        doc_id=doc_id,
        kind="row",
        text=text,
        metadata={
            "doc_id": doc_id,
            "kind": "row",
            "department": department,
            "year": year,
            "file": f"{doc_id}.txt",
            "locator": locator,
            "line_start": line,
            "line_end": line,
            "sha256": f"sha-{doc_id}",
            "table": "表十",
            "row_code": None,  # type: ignore[dict-item]  # None must be dropped before Chroma
        },
        payload={"table": "表十", "unit": "万元", "row_label": label, "row_code": None, "cells": cells},
    )


def paragraph(doc_id: str, department: str, year: int, line: int, text: str) -> Record:
    locator = f"第三部分 · 第{line}行"
    return Record(
        id=stable_id(doc_id, "paragraph", locator, text),
        doc_id=doc_id,
        kind="paragraph",
        text=text,
        metadata={
            "doc_id": doc_id,
            "kind": "paragraph",
            "department": department,
            "year": year,
            "file": f"{doc_id}.txt",
            "locator": locator,
            "line_start": line,
            "line_end": line,
            "sha256": f"sha-{doc_id}",
        },
        payload={"heading_path": ["第三部分", "七、“三公”经费增减变动原因说明"]},
    )


def sample_records() -> list[Record]:
    liulin = "柳林县工业和信息化局"
    xiaoyi = "孝义市财政局"
    cols = ("合计", "一般公共预算")
    return [
        row(LIULIN, liulin, 2024, 450, "公务接待费", dict(zip(cols, ("0.20", "0.20"), strict=True))),
        row(
            LIULIN, liulin, 2024, 451, "公务用车购置及运行费", dict(zip(cols, ("4.50", "4.50"), strict=True))
        ),
        row(LIULIN, liulin, 2024, 454, "合计", dict(zip(cols, ("4.70", "4.70"), strict=True))),
        paragraph(
            LIULIN,
            liulin,
            2024,
            569,
            "2024年柳林县工业和信息化局[部门]财政拨款安排的“三公”经费预算4.70万元比2023年减少0.03万元，"
            "主要原因是公务接待费减少0.03万元。",
        ),
        row(XIAOYI, xiaoyi, 2026, 439, "公务接待费", {"合计": None, "一般公共预算": None}),
        paragraph(
            XIAOYI,
            xiaoyi,
            2026,
            555,
            "公务用车购置及运行费1.60万元，与上年相比预算数减少4.80万元，主要原因是2025年公务用车调出三辆。",
        ),
    ]


@pytest.fixture
def store(tmp_path: Path) -> VectorStore:
    return VectorStore(tmp_path, HashEmbedder())


def test_collection_name_carries_embedder_and_dimension() -> None:
    assert collection_name("budgetqa", HashEmbedder()) == "budgetqa__hash_256"
    assert collection_name("budgetqa", make_embedder("hash:64")) == "budgetqa__hash_64"
    assert collection_name("预算", HashEmbedder()).isascii()


def test_upsert_is_idempotent_and_round_trips_records(store: VectorStore) -> None:
    records = sample_records()
    assert store.upsert(records) == 6
    assert store.count() == 6
    assert store.upsert(records) == 6  # same ids → replaced, not added
    assert store.count() == 6
    back = {r.id: r for r in store.all_records()}
    original = records[0]
    stored = back[original.id]
    assert stored.text == original.text
    assert stored.payload == {
        "table": "表十",
        "unit": "万元",
        "row_label": "公务接待费",
        "row_code": None,
        "cells": {"合计": "0.20", "一般公共预算": "0.20"},
    }
    assert stored.metadata["locator"] == "表十 · 公务接待费 · 第450行"
    assert stored.metadata["line_start"] == 450 and stored.metadata["year"] == 2024
    assert list(back[records[4].id].payload["cells"]) == ["合计", "一般公共预算"]  # column order kept
    assert "row_code" not in stored.metadata  # None dropped
    assert PAYLOAD_KEY not in stored.metadata


def test_query_ranks_the_matching_row_first_and_filters(store: VectorStore) -> None:
    store.upsert(sample_records())
    hits = store.query("柳林县工信局公务接待费是多少", k=3)
    assert len(hits) == 3
    best, score = hits[0]
    assert best.payload["row_label"] == "公务接待费"
    assert 0.0 < score <= 1.0
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)

    only_xiaoyi = store.query("公务接待费", k=5, where={"department": "孝义市财政局"})
    assert {r.doc_id for r, _ in only_xiaoyi} == {XIAOYI}
    assert only_xiaoyi[0][0].payload["cells"] == {"合计": None, "一般公共预算": None}

    by_ids = store.query("三公经费", k=10, where={"doc_id": {"$in": [LIULIN]}})
    assert len(by_ids) == 4 and {r.doc_id for r, _ in by_ids} == {LIULIN}

    combined = store.query("经费", k=10, where={"$and": [{"kind": "paragraph"}, {"year": 2026}]})
    assert [r.metadata["line_start"] for r, _ in combined] == [555]


def test_document_ids_delete_and_paging(store: VectorStore) -> None:
    store.upsert(sample_records())
    assert store.document_ids() == {LIULIN: f"sha-{LIULIN}", XIAOYI: f"sha-{XIAOYI}"}
    lines = [r.metadata["line_start"] for r in store.all_records(LIULIN)]
    assert lines == [450, 451, 454, 569]
    assert store.delete_document(XIAOYI) == 2
    assert store.count() == 4
    assert store.document_ids() == {LIULIN: f"sha-{LIULIN}"}
    assert store.query("公务接待费", k=5, where={"department": "孝义市财政局"}) == []
    assert store.delete_document("no-such-document") == 0


def test_store_persists_and_embedders_do_not_mix(tmp_path: Path) -> None:
    VectorStore(tmp_path, HashEmbedder()).upsert(sample_records())
    reopened = VectorStore(tmp_path, HashEmbedder())
    assert reopened.count() == 6
    other = VectorStore(tmp_path, make_embedder("hash:64"))
    assert other.name == "budgetqa__hash_64"
    assert other.count() == 0
    assert (tmp_path / "chroma").is_dir()


def test_many_records_page_and_batch(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, make_embedder("hash:32"), batch_size=100)
    records = [
        paragraph(LIULIN, "柳林县工业和信息化局", 2024, line, f"第{line}行 文字 {line}")
        for line in range(1, 2011)
    ]
    assert store.upsert(records) == 2010
    assert store.count() == 2010
    assert len(store.all_records()) == 2010  # three pages: 1000 + 1000 + 10
    assert store.get([records[5].id, "missing", records[0].id]) == [records[5], records[0]]


def test_from_settings_and_bad_server_url(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path, embedder="hash", collection="bqa")
    store = VectorStore.from_settings(settings)
    assert store.name == "bqa__hash_256"
    with pytest.raises(StoreError, match="BUDGETQA_CHROMA_URL"):
        open_client(tmp_path, "ftp://127.0.0.1:8000")


def test_unreachable_server_says_what_to_do(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StoreError, match="chroma run") as err:
        VectorStore(None, HashEmbedder(), server_url=f"http://127.0.0.1:{port}")
    assert "BUDGETQA_CHROMA_URL" in str(err.value)


def test_collection_opened_without_our_function_rebuilds_it_not_chromas_default(store: VectorStore) -> None:
    store.upsert(sample_records())
    plain = store.client.get_collection(store.name)  # as another tool would open it
    result = plain.query(query_texts=["公务接待费"], n_results=1, where={"department": "孝义市财政局"})
    assert result["ids"][0] == [sample_records()[4].id]
    function = plain.configuration.get("embedding_function")  # used instead of the default placeholder
    assert function is not None and function.name() == "budgetqa"
    assert function.get_config() == {"spec": "hash"}


def test_replace_document_drops_records_a_changed_file_no_longer_has(store: VectorStore) -> None:
    records = sample_records()
    store.upsert(records)
    changed = [r for r in records if r.doc_id == LIULIN][:2]  # the new version lost two records
    assert store.replace_document(LIULIN, changed) == 2
    assert {r.id for r in store.all_records(LIULIN)} == {r.id for r in changed}
    assert store.count() == 4


class CountingEmbedder(HashEmbedder):
    """The hash embedder, counting the texts it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def test_unchanged_texts_are_not_embedded_again(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    store = VectorStore(tmp_path, embedder)
    records = sample_records()
    store.upsert(records)
    assert embedder.embedded == 6 and store.last_embedded == 6
    store.upsert(records)
    assert embedder.embedded == 6 and store.last_embedded == 0
    # A new file version: same texts, new sha256, one key gone → metadata updated in place, no embedding.
    first = records[0]
    meta = {k: v for k, v in first.metadata.items() if k != "table"} | {"sha256": "sha-new"}
    changed = Record(first.id, first.doc_id, first.kind, first.text, meta, first.payload)
    store.upsert([changed])
    assert embedder.embedded == 6
    (back,) = store.get([first.id])
    assert back.metadata["sha256"] == "sha-new" and "table" not in back.metadata
    assert store.query(first.text, k=1)[0][0].id == first.id  # the vector is still there


def test_delete_ids_removes_only_those(store: VectorStore) -> None:
    records = sample_records()
    store.upsert(records)
    assert store.delete_ids([records[0].id, "unknown-id"]) >= 1
    assert store.count() == 5
    assert store.get([records[0].id]) == []


def test_the_manifest_keeps_one_entry_per_document_and_drops_a_removed_one(store: VectorStore) -> None:
    records = sample_records()
    store.upsert(records)
    assert store.manifest() == {}  # a new collection starts with a whole, empty manifest
    marker = store.change_marker()
    store.publish({LIULIN: StoredVersion("sha-a", 4, True), XIAOYI: StoredVersion("sha-b", 2, True)})
    assert store.change_marker() != marker
    store.publish({LIULIN: StoredVersion("sha-c", 3, True)})  # the other entry is left as it was
    assert store.manifest() == {
        LIULIN: StoredVersion("sha-c", 3, True),
        XIAOYI: StoredVersion("sha-b", 2, True),
    }
    store.delete_document(XIAOYI)
    assert store.manifest() == {LIULIN: StoredVersion("sha-c", 3, True)}
    store.clear()
    assert store.manifest() == {}


def older_store(tmp_path: Path, metadata: dict[str, object]) -> VectorStore:
    """A store as an older version left it: no manifest collection, `metadata` on the records' collection."""
    store = VectorStore(tmp_path, HashEmbedder())
    store.upsert(sample_records())
    store.client.delete_collection(f"{store.name}{MANIFEST_SUFFIX}")
    store.client.get_collection(store.name).modify(metadata={"dim": store.embedder.dim, **metadata})  # type: ignore[dict-item]
    return VectorStore(tmp_path, HashEmbedder(), client=store.client)


def test_a_manifest_kept_in_the_collection_metadata_is_moved_on_open(tmp_path: Path) -> None:
    """Stores written before the manifest had its own collection stay readable, with their manifest."""
    store = older_store(tmp_path, {"manifest": True, f"doc:{LIULIN}": "sha-a|4|1", "changed": "t0"})
    assert store.manifest() == {LIULIN: StoredVersion("sha-a", 4, True)}
    metadata = store.client.get_collection(store.name).metadata or {}
    assert not [key for key in metadata if key.startswith("doc:") or key == "manifest"]
    assert metadata["dim"] == store.embedder.dim and metadata["changed"] != "t0"  # readers notice the move


def test_a_store_written_before_any_manifest_is_listed_on_its_first_publish(tmp_path: Path) -> None:
    store = older_store(tmp_path, {})
    assert store.manifest() is None  # not listed yet: readers scan the records meanwhile
    title = paragraph(LIULIN, "柳林县工业和信息化局", 2024, 1, "柳林县工业和信息化局2024年部门预算")
    store.upsert([Record("doc-1", LIULIN, "document", title.text, {**title.metadata, "kind": "document"})])
    store.publish({})
    # The document whose `document` record is stored is listed; the other, not yet whole, is not.
    assert store.manifest() == {LIULIN: StoredVersion(f"sha-{LIULIN}", 5, True)}
