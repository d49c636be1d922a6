"""Two-phase ingest: the structured index is committed first (figures answerable at once), vectors
follow; `docs --json` shows each document's vector state; a rerun finishes missing vectors. While
vectors are missing, retrieval is lexical and answers stay true."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import CORPUS, YIBAO

from assistant.service import Assistant
from ingest.pipeline import Ingestor
from ingest.settings import load_settings
from ingest.stores.store import VectorStore
from ui.cli import main


class DownStore(VectorStore):
    """A vector store whose writes fail, as a Chroma server that went away does."""

    def upsert(self, records: object) -> int:
        raise ConnectionError("Chroma 服务没有响应")


def test_figures_answer_before_vectors_exist_and_a_rerun_finishes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(store_dir=tmp_path, embedder="hash")
    down = DownStore.from_settings(settings)
    summary = Ingestor(settings, store=down).ingest([CORPUS / YIBAO])
    assert [f.status for f in summary.files] == ["ingested"]
    assert "ConnectionError" in summary.vector_error and "再运行一次 ingest 会补全向量" in summary.render()

    bot = Assistant.from_settings(settings)
    assert bot.store is not None and bot.store.count() == 0
    (doc,) = bot.index.documents()
    (row,) = [r for r in bot.index.rows(doc_id=doc.doc_id, table="表十") if r.label == "公务接待费"]
    answer = bot.ask("柳林县医疗保障局2025年公务接待费是多少？")
    assert f"{row.cell('2025年预算数/合计')}万元" in answer.answer and not answer.refused
    assert answer.citations and answer.citations[0].doc == doc.title
    narrative = bot.ask("柳林县医疗保障局的职责是什么？")  # text retrieval: lexical alone for now
    assert narrative.intent == "narrative" and not narrative.refused and narrative.citations
    texts = [r.text for r in bot.index.records(doc_id=doc.doc_id, kind="paragraph")]
    assert all(c.doc == doc.title and any(c.quote in t for t in texts) for c in narrative.citations)

    assert main(["docs", "--json", "--store", str(tmp_path), "--embedder", "hash"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    pending = listed["vectors"]["pending"]
    assert listed["vectors"]["complete"] is False and pending > 50  # paragraphs, facts, catalog entries

    assert main(["ingest", str(CORPUS / YIBAO), "--store", str(tmp_path), "--embedder", "hash"]) == 0
    out = capsys.readouterr().out
    assert "未变 1" in out and f"向量 {pending} 条已写入" in out
    assert main(["docs", "--json", "--store", str(tmp_path), "--embedder", "hash"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["vectors"] == {"complete": True, "pending": 0}
    assert VectorStore.from_settings(settings).count() == pending
