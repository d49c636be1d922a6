"""Retrieval over the bundled corpus: structured look-up ranks the right figure; hybrid BM25 + dense."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assistant.retrieval import NARRATIVE, HybridRetriever, Scope, StructuredLookup, figure_of, main_cell
from ingest.stores.embeddings import make_embedder
from ingest.stores.index import DocumentHit, StructuredIndex
from ingest.stores.store import VectorStore


@pytest.fixture(scope="module")
def index(corpus_store: Any) -> StructuredIndex:
    return StructuredIndex(corpus_store.store_dir)


@pytest.fixture(scope="module")
def docs(index: StructuredIndex) -> dict[str, DocumentHit]:
    return {d.department: d for d in index.documents()}


@pytest.fixture(scope="module")
def hybrid(index: StructuredIndex, corpus_store: Any) -> HybridRetriever:
    store = VectorStore.from_settings(corpus_store.settings, make_embedder("hash"))
    retriever = HybridRetriever(index, store)
    retriever.warm_up()
    return retriever


def test_lookup_ranks_the_table_row_first(index: StructuredIndex, docs: dict[str, DocumentHit]) -> None:
    ranked = StructuredLookup(index).rank(docs["柳林县工业和信息化局"].doc_id, "公务接待费", k=3)
    top = ranked[0]
    assert (top.label, top.value, top.kind) == ("公务接待费", Decimal("0.20"), "row")
    assert top.scope.table == "表十" and top.scope.title == "2024年财政拨款安排“三公”经费支出预算表"
    assert ranked[1].label == "三公经费.公务接待费" and ranked[1].kind == "fact"
    assert top.score > ranked[2].score


def test_lookup_total_row_columns(index: StructuredIndex, docs: dict[str, DocumentHit]) -> None:
    """基本支出 is a column of 表三's 合计 row: 445.45万元 for 工信局."""
    top = StructuredLookup(index).rank(docs["柳林县工业和信息化局"].doc_id, "预算支出总表 基本支出", k=1)[0]
    assert (top.label, top.value, top.kind) == ("基本支出", Decimal("445.45"), "column")
    assert top.scope.table == "表三"


def test_lookup_named_table_wins(index: StructuredIndex, docs: dict[str, DocumentHit]) -> None:
    top = StructuredLookup(index).rank(docs["柳林县工业和信息化局"].doc_id, "表六 基本支出", k=1)[0]
    assert top.scope.table == "表六" and top.value == Decimal("158.45")


def test_lookup_facts(index: StructuredIndex, docs: dict[str, DocumentHit]) -> None:
    top = StructuredLookup(index).rank(docs["孝义市财政局"].doc_id, "办公用房面积", k=1)[0]
    assert top.kind == "fact" and top.value == Decimal("962") and top.unit == "平方米"


def test_main_cell_prefers_the_total_column() -> None:
    cells: dict[str, Decimal | None] = {
        "基本支出": Decimal("1"),
        "合计": Decimal("3"),
        "项目支出": Decimal("2"),
    }
    assert main_cell(cells) == ("合计", Decimal("3"))
    assert main_cell({"a": None, "b": Decimal("5")}) == ("b", Decimal("5"))


def test_hybrid_is_filtered_by_document(hybrid: HybridRetriever, docs: dict[str, DocumentHit]) -> None:
    doc_id = docs["柳林县工业和信息化局"].doc_id
    records = hybrid.retrieve("机关运行经费 下降 原因", [doc_id], k=5)
    assert records and all(r.doc_id == doc_id for r in records)
    assert any("去年有3人退休" in r.text for r in records[:2])
    other = docs["孝义市财政局"].doc_id
    assert all(r.doc_id == other for r in hybrid.retrieve("机关运行经费 下降 原因", [other], k=5))


def test_hybrid_fuses_lexical_and_dense(hybrid: HybridRetriever, docs: dict[str, DocumentHit]) -> None:
    doc_id = docs["柳林县医疗保障局"].doc_id
    text = "离休干部医疗费"
    lexical = hybrid.lexical(text, [doc_id], 24)
    dense = hybrid.dense(text, [doc_id], 24)
    assert lexical and dense
    fused = hybrid.retrieve(text, [doc_id], k=8)
    expected: dict[str, float] = {}
    for ranking in (lexical, dense):  # reciprocal rank fusion, k = 60
        for rank, record in enumerate(ranking):
            if record.kind in HybridRetriever.KINDS:
                expected[record.id] = expected.get(record.id, 0.0) + 1.0 / (60 + rank + 1)
    assert [r.id for r in fused] == sorted(expected, key=lambda rid: -expected[rid])[:8]
    assert any("离休" in r.text for r in fused[:3])


def test_hybrid_without_a_store_is_lexical(index: StructuredIndex, docs: dict[str, DocumentHit]) -> None:
    retriever = HybridRetriever(index, None)
    doc_id = docs["晋城市信访局"].doc_id
    assert retriever.dense("信访", [doc_id], 5) == []
    assert [r.id for r in retriever.retrieve("信访专项工作经费", [doc_id], k=3)] == [
        r.id for r in retriever.lexical("信访专项工作经费", [doc_id], 9)[:3]
    ]


def test_runnable_interface(hybrid: HybridRetriever, docs: dict[str, DocumentHit]) -> None:
    doc_id = docs["柳林县工业和信息化局"].doc_id
    runnable = hybrid.as_runnable()
    via_runnable = runnable.invoke({"text": "公务接待费", "doc_ids": [doc_id], "k": 4})
    assert [r.id for r in via_runnable] == [r.id for r in hybrid.retrieve("公务接待费", [doc_id], k=4)]
    batch = runnable.batch([{"text": "公务接待费", "doc_ids": [doc_id]}, {"text": "三公经费"}])
    assert len(batch) == 2 and len(batch[0]) == 8


def test_figure_of_rows_and_facts(index: StructuredIndex, docs: dict[str, DocumentHit]) -> None:
    top = StructuredLookup(index).rank(docs["柳林县工业和信息化局"].doc_id, "公务接待费", k=2)
    assert [figure_of(ev.record) for ev in top] == [Decimal("0.20"), Decimal("0.20")]


def test_scope_is_typed_and_reads_as_its_words() -> None:
    """A figure's place is a table number and title, kept apart; its words are matched as one text."""
    scope = Scope("表十", "2024年财政拨款安排“三公”经费支出预算表")
    assert str(scope) == "表十 2024年财政拨款安排“三公”经费支出预算表"
    assert (scope.table, scope.title, scope.narrative) == (
        "表十",
        "2024年财政拨款安排“三公”经费支出预算表",
        False,
    )
    assert str(Scope("表十")) == "表十 "  # a table printed without a title keeps its place
    assert (str(NARRATIVE), NARRATIVE.table, NARRATIVE.narrative) == ("文字说明", "文字说明", True)
