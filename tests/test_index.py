"""StructuredIndex: exact look-ups over hand-made records carrying real values from the corpus."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.records import Record, stable_id
from ingest.stores.embeddings import HashEmbedder
from ingest.stores.index import RowHit, StructuredIndex
from ingest.stores.store import VectorStore
from ingest.summary import DocumentSummary

LIULIN = "2024_柳林县工业和信息化局_部门预算"
YIBAO = "2025_柳林县医疗保障局_部门预算"
V2023 = "晋财综〔2023〕43号"
V2023_TITLE = "山西省财政厅关于印发《山西省部门政府购买服务指导性目录》的通知"


def make(doc_id: str, kind: str, line: int, text: str, payload: dict[str, object], **meta: object) -> Record:
    department = "柳林县医疗保障局" if doc_id == YIBAO else "柳林县工业和信息化局"
    locator = str(meta.pop("locator", f"第{line}行"))
    metadata = {
        "doc_id": doc_id,
        "kind": kind,
        "department": department,
        "year": int(doc_id[:4]),
        "file": f"{doc_id}.txt",
        "locator": locator,
        "line_start": line,
        "line_end": line,
        "sha256": f"sha-{doc_id}",
        **meta,
    }
    return Record(
        id=stable_id(doc_id, kind, locator, text),
        doc_id=doc_id,
        kind=kind,
        text=text,
        metadata=metadata,  # type: ignore[arg-type]
        payload=payload,
    )


SANGONG_COLUMNS = ("2024年预算数/合计", "2024年预算数/一般公共预算", "2024年预算数/政府性基金预算")
INCOME_COLUMNS = ("本年收入/合计", "本年收入/一般公共预算", "上年结转")


def sangong_row(label: str, values: tuple[str | None, ...], line: int) -> Record:
    cells = dict(zip(SANGONG_COLUMNS, values, strict=True))
    return make(
        LIULIN,
        "row",
        line,
        f"表十 2024年财政拨款安排“三公”经费支出预算表 · {label}\t" + "\t".join(v or "" for v in values),
        {
            "table": "表十",
            "table_title": "2024年财政拨款安排“三公”经费支出预算表",
            "unit": "万元",
            "row_label": label,
            "row_code": None,
            "row_path": [label],
            "cells": cells,
        },
        locator=f"表十 · {label} · 第{line}行",
    )


def catalog_entry(doc_id: str, line: int, department: str, code: str, levels: list[str]) -> Record:
    return make(
        doc_id,
        "catalog",
        line,
        f"{V2023} {department} {code} " + " > ".join(levels),
        {
            "version": V2023,
            "version_title": V2023_TITLE,
            "kind": "A",
            "department": department,
            "code": code,
            "levels": levels,
            "uncertain": False,
            "flags": [],
        },
    )


def sample_records() -> list[Record]:
    court = ["公共服务", "公共信息与宣传服务", "公共公益宣传服务", "法院宣传服务"]
    return [
        make(
            LIULIN,
            "document",
            1,
            "柳林县工业和信息化局2024年度部门预算",
            {
                "doc_id": LIULIN,
                "title": "柳林县工业和信息化局2024年度部门预算",
                "department": "柳林县工业和信息化局",
                "aliases": ["工信局", "柳林县工信局"],
                "region": "柳林县",
                "year": 2024,
                "kind": "部门预算",
                "file": f"{LIULIN}.txt",
                "sha256": f"sha-{LIULIN}",
                "adopted_catalogs": [V2023],
                "counts": {"row": 6},
                "warnings": [],
            },
        ),
        make(
            LIULIN,
            "row",
            196,
            "表二 2024年预算收入总表 · 2011301 行政运行\t256.53\t256.53",
            {
                "table": "表二",
                "table_title": "2024年预算收入总表",
                "unit": "万元",
                "row_label": "行政运行",
                "row_code": "2011301",
                "row_path": ["一般公共服务支出", "商贸事务", "行政运行"],
                "cells": dict(zip(INCOME_COLUMNS, ("256.53", "256.53", None), strict=True)),
            },
        ),
        make(
            LIULIN,
            "row",
            198,
            "表二 2024年预算收入总表 · 2011399 其他商贸事务支出\t2068.66\t2068.66\t28.00",
            {
                "table": "表二",
                "table_title": "2024年预算收入总表",
                "unit": "万元",
                "row_label": "其他商贸事务支出",
                "row_code": "2011399",
                "row_path": ["一般公共服务支出", "商贸事务", "其他商贸事务支出"],
                "cells": dict(zip(INCOME_COLUMNS, ("2068.66", "2068.66", "28.00"), strict=True)),
            },
        ),
        sangong_row("因公出国（境）费", (None, None, None), 449),
        sangong_row("公务接待费", ("0.20", "0.20", None), 450),
        sangong_row("公务用车购置及运行费", ("4.50", "4.50", None), 451),
        sangong_row("合计", ("4.70", "4.70", None), 454),
        make(
            LIULIN,
            "fact",
            571,
            "其中：因公出国（境）费0万元，与上年预算数相同；公务接待费0.20万元",
            {"name": "三公经费.公务接待费", "value": "0.20", "unit": "万元", "scope": "本年预算"},
        ),
        make(
            LIULIN,
            "fact",
            569,
            "“三公”经费预算4.70万元比2023年减少0.03万元",
            {"name": "三公经费.合计", "value": "4.70", "unit": "万元", "scope": "本年预算"},
        ),
        make(
            LIULIN,
            "glossary",
            3243,
            "三、“三公”经费：指省直部门用财政拨款安排的因公出国（境）费用、公务用车购置及运行费和公务接待费。",
            {
                "term": "“三公”经费",
                "definition": (
                    "指省直部门用财政拨款安排的因公出国（境）费用、公务用车购置及运行费和公务接待费。"
                ),
            },
        ),
        catalog_entry(LIULIN, 1248, "人民法院", "A150201", court),
        catalog_entry(
            LIULIN,
            1245,
            "人民法院",
            "A100601",
            ["公共服务", "公共法律服务", "司法辅助服务", "公证参与司法辅助服务"],
        ),
        make(
            YIBAO,
            "fact",
            494,
            "其中:因公出国(境)费0万元,与上年预算数相同;公务接待费0.23万元",
            {"name": "三公经费.公务接待费", "value": "0.23", "unit": "万元", "scope": "本年预算"},
        ),
        make(
            YIBAO,
            "paragraph",
            492,
            "2025年柳林县医疗保障局[部门]财政拨款安排的“三公”经费预算4.23万元比2024年减少0.02万元",
            {"heading_path": ["第三部分", "七、“三公”经费增减变动原因说明"]},
        ),
    ]


@pytest.fixture
def index(tmp_path: Path) -> StructuredIndex:
    built = StructuredIndex(tmp_path)
    built.add(sample_records())
    return built


def row(index: StructuredIndex, label_or_code: str, **where: str) -> RowHit:
    """The one row with this label or 科目编码 (among `index.rows(**where)`)."""
    (hit,) = [r for r in index.rows(**where) if label_or_code in (r.label, r.code)]
    return hit


def test_row_lookup_returns_the_figures_with_their_record(index: StructuredIndex) -> None:
    hit = row(index, "公务接待费", doc_id=LIULIN, table="表十")
    assert hit.cell("2024年预算数/合计") == Decimal("0.20") and hit.unit == "万元"
    assert hit.table_title == "2024年财政拨款安排“三公”经费支出预算表"
    assert hit.record.metadata["locator"] == "表十 · 公务接待费 · 第450行"
    assert hit.record.metadata["line_start"] == 450
    assert list(hit.cells.items()) == [
        ("2024年预算数/合计", Decimal("0.20")),
        ("2024年预算数/一般公共预算", Decimal("0.20")),
        ("2024年预算数/政府性基金预算", None),
    ]
    by_code = row(index, "2011301")
    assert (by_code.label, by_code.cell("本年收入/合计")) == ("行政运行", Decimal("256.53"))
    assert [(r.code, r.path[-1]) for r in index.rows() if r.code == "2011399"] == [
        ("2011399", "其他商贸事务支出")
    ]


def test_rows_of_a_table_in_line_order(index: StructuredIndex) -> None:
    total = row(index, "合计", table="表十")
    assert total.cell("2024年预算数/合计") == Decimal("4.70")
    assert total.cells["2024年预算数/政府性基金预算"] is None
    assert [r.label for r in index.rows(table="表十")] == [
        "因公出国（境）费",
        "公务接待费",
        "公务用车购置及运行费",
        "合计",
    ]


def test_catalog_lookups(index: StructuredIndex) -> None:
    hits = index.catalog(department="人民法院", code="A150201")
    assert len(hits) == 1
    entry = hits[0]
    assert entry.version == V2023 and entry.kind == "A"
    assert entry.levels == ("公共服务", "公共信息与宣传服务", "公共公益宣传服务", "法院宣传服务")
    assert entry.service == "法院宣传服务"
    assert entry.record.metadata["line_start"] == 1248
    assert index.catalog(code="a150201")[0].code == "A150201"
    assert [e.code for e in index.catalog(version=V2023)] == ["A100601", "A150201"]
    assert index.catalog(department="法院") == []  # departments match exactly
    assert index.catalog(version="晋财综〔2024〕37号") == []
    (version,) = index.catalog_versions()
    assert (version.version, version.title, version.kind, version.departments, version.entries) == (
        V2023,
        V2023_TITLE,
        "A",
        1,
        2,
    )
    assert {hit.department for hit in index.catalog()} == {"人民法院"}


def test_facts_glossary_documents_and_records(index: StructuredIndex) -> None:
    facts = index.facts(name_prefix="三公经费.公务接待费")
    assert [(f.doc_id, f.value, f.unit) for f in facts] == [
        (LIULIN, Decimal("0.20"), "万元"),
        (YIBAO, Decimal("0.23"), "万元"),
    ]
    liulin = index.facts(doc_id=LIULIN)
    assert [f.name for f in liulin] == ["三公经费.合计", "三公经费.公务接待费"]  # line order
    assert index.facts(name_prefix="三公经费_") == []

    (term,) = index.glossary("“三公”经费")
    assert term.definition.startswith("指省直部门用财政拨款安排的因公出国（境）费用")
    assert [g.term for g in index.glossary("三公")] == ["“三公”经费"]  # contains fallback
    assert len(index.glossary()) == 1

    (document,) = index.documents()
    assert (document.title, document.department, document.year) == (
        "柳林县工业和信息化局2024年度部门预算",
        "柳林县工业和信息化局",
        2024,
    )
    assert document.summary.adopted_catalogs == [V2023]

    record = index.record(facts[0].record.id)
    assert record.payload["value"] == "0.20" and record.metadata["line_start"] == 571
    with pytest.raises(KeyError):
        index.record("no-such-id")
    assert index.count() == 14 and index.count("row") == 6
    assert [r.kind for r in index.records(doc_id=YIBAO)] == ["paragraph", "fact"]


def test_add_replaces_and_delete_document_removes_everything(index: StructuredIndex) -> None:
    index.add(sample_records())  # same ids again: nothing doubles
    assert index.count() == 14
    assert [r.label for r in index.rows(table="表十")].count("公务接待费") == 1
    assert index.delete_document(LIULIN) == 12
    assert index.count() == 2
    assert index.rows() == [] and index.catalog() == [] and index.documents() == []
    assert [f.value for f in index.facts()] == [Decimal("0.23")]


def test_rebuild_from_the_vector_store_gives_the_same_answers(tmp_path: Path, index: StructuredIndex) -> None:
    store = VectorStore(tmp_path / "store", HashEmbedder())
    store.upsert(sample_records())
    rebuilt = StructuredIndex(tmp_path / "rebuilt")
    rebuilt.add([sample_records()[0]])  # stale content must vanish
    assert rebuilt.rebuild(store.all_records()) == 14

    def answers(ix: StructuredIndex) -> tuple[object, ...]:
        return (
            [(r.record.id, r.label, r.cells) for r in ix.rows()],
            [(e.record.id, e.code, e.levels) for e in ix.catalog()],
            ix.catalog_versions(),
            [(f.record.id, f.name, f.value) for f in ix.facts()],
            [(g.record.id, g.definition) for g in ix.glossary()],
            [(d.record.id, d.summary) for d in ix.documents()],
            ix.records(),
        )

    assert answers(rebuilt) == answers(index)


def test_index_survives_reopening_and_resets_on_schema_change(tmp_path: Path) -> None:
    first = StructuredIndex(tmp_path)
    first.add(sample_records())
    first.close()
    assert StructuredIndex(tmp_path).count() == 14
    with sqlite3.connect(tmp_path / "index.sqlite") as db:
        db.execute("PRAGMA user_version = 999")
    assert StructuredIndex(tmp_path).count() == 0  # a cache of another schema is emptied, to be rebuilt


def test_code_lookup_over_a_large_catalog(tmp_path: Path) -> None:
    """Right answers among 9,000 entries; speed is measured by scripts/bench_catalog.py, not asserted
    here (shared machines make timed tests flaky)."""
    index = StructuredIndex(tmp_path)
    records = sample_records()
    departments = [f"部门{i}" for i in range(60)]
    for department in departments:  # 60 departments x 150 codes = 9,000 catalog entries
        records.extend(
            catalog_entry(LIULIN, 2000 + n, department, f"A{n:06d}", ["公共服务", "二级", "三级", f"服务{n}"])
            for n in range(150)
        )
    index.add(records)
    (hit,) = index.catalog(department="人民法院", code="A150201")
    assert hit.service == "法院宣传服务"
    assert len(index.catalog(code="A000042")) == 60
    assert {h.department for h in index.catalog(code="A000042")} == set(departments)
    # A scan of the whole catalog (what an app's reload reads to build its search) is not kept among
    # the parsed records; a look-up of a few entries is. (Before: every reload kept all 9,000.)
    index._cache.clear()
    assert len(index.catalog()) == 9_002
    assert len(index._cache) == 0
    index.catalog(code="A000042")
    assert len(index._cache) == 60


def test_sync_from_the_store_rebuilds_only_when_documents_differ(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, HashEmbedder())
    # Ingest sends a document's `document` record last: without it a document is not complete yet.
    store.upsert([*sample_records(), make(YIBAO, "document", 1, "医保局", {"doc_id": YIBAO})])
    index = StructuredIndex(tmp_path)
    assert index.sync_from(store) is True
    assert index.document_ids() == {LIULIN: f"sha-{LIULIN}", YIBAO: f"sha-{YIBAO}"}
    assert row(index, "公务接待费").cell("2024年预算数/合计") == Decimal("0.20")
    assert index.sync_from(store) is False  # already in step
    store.delete_document(YIBAO)
    assert index.sync_from(store) is True
    assert [f.value for f in index.facts(name_prefix="三公经费.公务接待费")] == [Decimal("0.20")]


def test_replace_document_keeps_only_the_new_records(index: StructuredIndex) -> None:
    new = [r for r in sample_records() if r.doc_id == LIULIN and r.kind == "fact"]
    assert index.replace_document(LIULIN, new) == 2
    assert [r.kind for r in index.records(doc_id=LIULIN)] == ["fact", "fact"]
    assert index.rows(doc_id=LIULIN) == [] and index.catalog() == []
    assert len(index.facts(doc_id=YIBAO)) == 1


def test_delete_ids_removes_derived_rows(index: StructuredIndex) -> None:
    (hit,) = index.catalog(department="人民法院", code="A150201")
    index.delete_ids([hit.record.id, "unknown-id"])
    assert index.catalog(code="A150201") == []
    assert index.count() == 13
    with pytest.raises(KeyError):
        index.record(hit.record.id)


def test_a_write_forgets_the_parsed_records_of_a_replaced_version(tmp_path: Path) -> None:
    index = StructuredIndex(tmp_path)
    old = [Record(f"old-{n}", "doc", "paragraph", f"旧文本{n}", {"doc_id": "doc"}, {}) for n in range(3)]
    new = [Record(f"new-{n}", "doc", "paragraph", f"新文本{n}", {"doc_id": "doc"}, {}) for n in range(3)]
    index.replace_document("doc", old)
    assert sorted(index.records_by_id([r.id for r in old])) == ["old-0", "old-1", "old-2"]
    index.replace_document("doc", new)
    assert index.records_by_id([r.id for r in old]) == {}
    assert set(index._cache) <= index.record_ids()  # nothing of the old version kept in memory


def test_document_summary_round_trips_through_its_payload(index: StructuredIndex) -> None:
    (document,) = [d for d in index.documents() if d.doc_id == LIULIN]
    summary = document.summary
    assert summary == DocumentSummary.from_payload(summary.to_payload())
    assert summary.adopted_catalogs == [V2023] and summary.year == 2024
    older = DocumentSummary.from_payload({"title": "某局", "year": "2025", "unknown": 1, "region": None})
    assert (older.title, older.year, older.region, older.counts) == ("某局", 2025, "", {})


def test_a_catalog_hit_converts_to_the_parsers_entry(index: StructuredIndex) -> None:
    (hit,) = index.catalog(department="人民法院", code="A150201")
    entry = hit.entry("十二、其他说明 > 政府购买服务指导性目录")
    assert (entry.version, entry.department, entry.code, entry.name) == (
        V2023,
        "人民法院",
        "A150201",
        "法院宣传服务",
    )
    assert entry.levels == hit.levels and entry.flags == list(hit.flags) and entry.uncertain is hit.uncertain
    assert entry.locator.line_start == hit.record.metadata["line_start"]
    assert (
        entry.locator.section == "十二、其他说明 > 政府购买服务指导性目录"
        and hit.entry().locator.section == ""
    )
