"""Vectors trail the structured index during ingest: neither a half-sent document on a shared
store nor a vector whose record is gone may reach an answer."""

from __future__ import annotations

from pathlib import Path

from helpers import CORPUS, YIBAO

from assistant.retrieval import HybridRetriever
from ingest.pipeline import Ingestor
from ingest.records import Record, stable_id
from ingest.settings import load_settings
from ingest.stores.embeddings import HashEmbedder
from ingest.stores.index import StructuredIndex
from ingest.stores.store import VectorStore


def record(doc_id: str, kind: str, text: str) -> Record:
    meta = {
        "doc_id": doc_id,
        "kind": kind,
        "file": f"{doc_id}.txt",
        "sha256": f"sha-{doc_id}",
        "line_start": 1,
    }
    payload = {"title": doc_id, "department": doc_id, "file": f"{doc_id}.txt"} if kind == "document" else {}
    return Record(stable_id(doc_id, kind, text), doc_id, kind, text, meta, payload)  # type: ignore[arg-type]


def test_a_document_whose_document_record_is_not_sent_yet_is_not_synced(tmp_path: Path) -> None:
    store = VectorStore(tmp_path / "shared", HashEmbedder())
    store.upsert(
        [
            record("2024-complete", "document", "完整的文件"),
            record("2024-complete", "paragraph", "办公用房面积为100平方米。"),
            record("2025-halfway", "paragraph", "公务接待费为0.5万元。"),  # its `document` record comes last
        ]
    )
    index = StructuredIndex(tmp_path / "app")
    assert index.sync_from(store) is True
    assert [d.doc_id for d in index.documents()] == ["2024-complete"]
    assert {r.doc_id for r in index.records()} == {"2024-complete"}
    assert index.sync_from(store) is False  # in step with what is complete: no rebuild on every call
    store.upsert([record("2025-halfway", "document", "后到的文件")])
    assert index.sync_from(store) is True
    assert {d.doc_id for d in index.documents()} == {"2024-complete", "2025-halfway"}


def test_dense_hits_the_index_does_not_hold_are_dropped(tmp_path: Path) -> None:
    ingestor = Ingestor(load_settings(store_dir=tmp_path, embedder="hash"))
    ingestor.ingest([CORPUS / YIBAO])
    (doc,) = ingestor.index.documents()
    # A vector left by a replaced version, not yet removed: same words, a record the index dropped.
    stale = record(doc.doc_id, "paragraph", "柳林县医疗保障局 公务接待费 旧版本的说法")
    ingestor.store.upsert([stale])
    hits = ingestor.store.query("柳林县医疗保障局 公务接待费 旧版本的说法", k=3)
    assert hits[0][0].id == stale.id
    retriever = HybridRetriever(ingestor.index, ingestor.store)
    dense = retriever.dense("柳林县医疗保障局 公务接待费 旧版本的说法", None, 3)
    assert dense and stale.id not in {r.id for r in dense}
    assert all(r.doc_id == doc.doc_id for r in dense)


def test_an_interrupted_run_leaves_nothing_the_next_run_does_not_clean(tmp_path: Path) -> None:
    ingestor = Ingestor(load_settings(store_dir=tmp_path, embedder="hash"))
    ingestor.ingest([CORPUS / YIBAO])
    vectors = ingestor.store.count()
    # What a run killed by an older version could leave: a vector no record owns, a staged copy, a
    # copy of a file never committed, and its marker (the pid of a process that is gone).
    ingestor.store.upsert([record("2025-orphan", "paragraph", "没有提交的文件的一段话")])
    (tmp_path / "incoming").mkdir(exist_ok=True)
    (tmp_path / "incoming" / "未提交.txt").write_text("半截", encoding="utf-8")
    (tmp_path / "sources" / "未提交.txt").write_text("半截", encoding="utf-8")
    (tmp_path / "ingest.running").write_text("999999999")
    summary = Ingestor(load_settings(store_dir=tmp_path, embedder="hash")).ingest([CORPUS / YIBAO])
    assert [f.status for f in summary.files] == ["unchanged"]
    assert summary.repaired == 3 and "上次中断的导入已修复 3 处" in summary.render()
    assert ingestor.store.count() == vectors
    assert sorted(p.name for p in (tmp_path / "sources").iterdir()) == [YIBAO]
    assert not list((tmp_path / "incoming").iterdir()) and not (tmp_path / "ingest.running").exists()
