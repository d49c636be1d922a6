"""Ingest pipeline: idempotent re-ingest, replacement of changed files, bad files reported, batch goes on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ingest.stores.index as index_module
from ingest.pipeline import Ingestor
from ingest.settings import load_settings
from ingest.stores.index import StructuredIndex
from ingest.stores.opening import open_index
from ingest.to_records import STRUCTURED_ONLY, form_line, has_figures
from ui.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
GONGXIN = "2024_柳林县工业和信息化局_部门预算.txt"
CAIZHENG = "2026_孝义市财政局_部门预算.txt"


@pytest.fixture()
def ingestor(tmp_path: Path) -> Ingestor:
    return Ingestor(load_settings(store_dir=tmp_path / "store", embedder="hash"))


def test_reingest_is_a_no_op_and_a_changed_file_replaces_its_records(
    ingestor: Ingestor, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(CORPUS / GONGXIN, folder / GONGXIN)
    first = ingestor.ingest([folder])
    assert [f.status for f in first.files] == ["ingested"]
    count_store, count_index = ingestor.store.count(), ingestor.index.count()
    catalog = len(ingestor.index.catalog())
    facts = ingestor.index.count("fact")
    blank_rows = len([r for r in ingestor.index.records(kind="row") if not has_figures(r)])
    structured = sum(ingestor.index.count(kind) for kind in STRUCTURED_ONLY)
    form_lines = {r.id for r in ingestor.index.records(kind="paragraph") if form_line(r)}
    glossary = {r.id for r in ingestor.index.records(kind="glossary")}
    glossary_paragraphs = {
        r.id for r in ingestor.index.records(kind="paragraph") if "名词解释" in str(r.payload["heading_path"])
    }
    # Catalog entries are embedded only with embed_catalog; table rows, tables, facts, performance-form
    # lines and paragraphs that only repeat a glossary entry never (the structured and lexical indexes
    # and the glossary's own vectors answer them).
    assert count_index == count_store + catalog + structured + len(form_lines) + len(glossary_paragraphs)
    assert facts > 20 and blank_rows > 50 and structured > 250 and len(form_lines) > 100
    assert len(glossary_paragraphs) == len(glossary) == 12
    assert count_store > 50 and catalog > 1000
    assert not (form_lines | glossary_paragraphs) & ingestor.store.ids()
    assert glossary <= ingestor.store.ids()

    again = ingestor.ingest([folder])
    assert [f.status for f in again.files] == ["unchanged"]
    assert (ingestor.store.count(), ingestor.index.count()) == (count_store, count_index)

    text = (
        (folder / GONGXIN)
        .read_text(encoding="utf-8")
        .replace("公务接待费\t0.20\t0.20", "公务接待费\t0.30\t0.30")
    )
    (folder / GONGXIN).write_text(text, encoding="utf-8")
    changed = ingestor.ingest([folder])
    assert [f.status for f in changed.files] == ["replaced"]
    assert (ingestor.store.count(), ingestor.index.count()) == (count_store, count_index)
    documents = ingestor.index.documents()
    assert len(documents) == 1 and documents[0].doc_id == changed.files[0].doc_id
    values = {
        str(value)
        for r in ingestor.index.rows(doc_id=documents[0].doc_id, table="表十")
        if r.label == "公务接待费"
        for value in r.cells.values()
    }
    assert "0.30" in values and "0.20" not in values


def test_bad_files_are_reported_and_the_batch_goes_on(ingestor: Ingestor, tmp_path: Path) -> None:
    ingestor.ingest([CORPUS / CAIZHENG])
    before = ingestor.index.count()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    unrelated = tmp_path / "菜谱.txt"
    unrelated.write_text("红烧肉做法：五花肉500克，冰糖30克。\n" * 20, encoding="utf-8")
    fake_pdf = tmp_path / "broken.pdf"
    fake_pdf.write_bytes(b"not a pdf at all")
    odd = tmp_path / "table.xlsx"
    odd.write_bytes(b"PK")
    summary = ingestor.ingest([empty, unrelated, fake_pdf, odd, CORPUS / GONGXIN])
    status = {f.path.name: f for f in summary.files}
    assert status[GONGXIN].status == "ingested"
    assert "empty.txt" in status["empty.txt"].error and "空" in status["empty.txt"].error
    assert "不像是部门预算公开文件" in status["菜谱.txt"].error
    assert "PDF" in status["broken.pdf"].error
    assert "不支持的文件类型" in status["table.xlsx"].error
    assert ingestor.index.count() > before
    assert {d.department for d in ingestor.index.documents()} == {"孝义市财政局", "柳林县工业和信息化局"}
    assert "失败 4" in summary.render()


def test_a_catalog_version_printed_in_two_documents_is_stored_once(ingestor: Ingestor) -> None:
    """Both documents print 晋财综〔2024〕37号, each with some pages missing: the version is stored once,
    one entry per department and code, and the two prints complete each other."""
    ingestor.ingest([CORPUS / CAIZHENG])
    first = {(h.department, h.code) for h in ingestor.index.catalog(version="晋财综〔2024〕37号")}
    ingestor.ingest([CORPUS / "2025_柳林县医疗保障局_部门预算.txt"])
    merged = [(h.department, h.code) for h in ingestor.index.catalog(version="晋财综〔2024〕37号")]
    assert len(merged) == len(set(merged))
    assert first < set(merged) and len(first) > 1800
    assert ingestor.index.catalog(version="晋财综〔2024〕37号", department="人民法院", code="A150201")


def test_cli_ingest_and_docs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    assert main(["ingest", str(CORPUS / GONGXIN), "--store", store, "--embedder", "hash"]) == 0
    out = capsys.readouterr().out
    assert "新导入 1" in out and "13 张表" in out
    assert main(["docs", "--store", store, "--embedder", "hash"]) == 0
    out = capsys.readouterr().out
    assert "柳林县工业和信息化局2024年度部门预算" in out and "晋财综〔2023〕43号" in out
    assert main(["docs", "--store", str(tmp_path / "nothing")]) == 2
    assert "请先运行：budgetqa ingest" in capsys.readouterr().err


def test_catalog_entries_can_be_embedded_too(tmp_path: Path) -> None:
    ingestor = Ingestor(load_settings(store_dir=tmp_path, embedder="hash", embed_catalog=True))
    ingestor.ingest([CORPUS / GONGXIN])
    structured = sum(ingestor.index.count(kind) for kind in STRUCTURED_ONLY)
    form_lines = sum(form_line(r) for r in ingestor.index.records(kind="paragraph"))
    glossary = ingestor.index.count("glossary")  # and as many paragraphs repeating its entries
    assert ingestor.store.count() == ingestor.index.count() - structured - form_lines - glossary
    hits = ingestor.store.query("法院宣传服务", k=5, where={"kind": "catalog"})
    assert any(r.payload["code"] == "A150201" and r.payload["department"] == "人民法院" for r, _ in hits)


def test_a_schema_change_refills_the_index_from_the_kept_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Embedded Chroma does not hold every record: the index is refilled from `<store>/sources/`."""
    settings = load_settings(store_dir=tmp_path / "store", embedder="hash")
    first = Ingestor(settings)
    first.ingest([CORPUS / GONGXIN], vectors=False)
    before = (first.index.count(), first.index.count("row"), len(first.index.catalog()))
    title = first.index.documents()[0].title
    first.index.close()

    monkeypatch.setattr(index_module, "SCHEMA_VERSION", index_module.SCHEMA_VERSION + 1)
    emptied = StructuredIndex(settings.store_dir)
    assert emptied.outdated_schema == index_module.SCHEMA_VERSION - 1 and emptied.count() == 0
    emptied.close()

    said: list[str] = []
    monkeypatch.setattr(index_module, "SCHEMA_VERSION", index_module.SCHEMA_VERSION + 1)
    refilled = open_index(settings, said.append)
    assert (refilled.count(), refilled.count("row"), len(refilled.catalog())) == before
    assert [d.title for d in refilled.documents()] == [title]
    assert refilled.outdated_schema is None
    assert "正在从" in said[0] and "sources" in said[0] and "1 个文件" in said[0]
    assert said[1] == "索引已重建：1 个文件已重新导入"
    refilled.close()
    again = open_index(settings, said.append)  # the new schema is kept: nothing more to do
    assert again.count() == before[0] and len(said) == 2
