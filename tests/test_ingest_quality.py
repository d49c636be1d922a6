"""No silent failure: a table with figures but no rows read is a warning (never ✓, never 无数据), a
document with fewer than half its tables read needs attention (exit code 3), a partial disclosure is
ingested with what it has, and `docs --json` carries the quality record."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from mutations import _PRINTED, split

from ingest.parsing.layout import TABLE_KEYS
from ingest.parsing.parse import parse_document
from ingest.parsing.quality import table_status_text
from ingest.parsing.text_loader import load_text_file
from ingest.summary import DocumentSummary
from ui.cli import EXIT_NEEDS_ATTENTION, EXIT_OK, main

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
SPACED = "2024_晋城市信访局_部门预算.txt"  # space-separated tables: figures placed by the template
TABBED = "2025_柳林县医疗保障局_部门预算.txt"


def whole_yuan(text: str) -> str:
    """Every table figure printed as whole 元 without decimals (9527.11 → 95271100): the
    space-separated reader only takes figures with decimals, so no row can be read."""
    doc = split(text)

    def integer(match: re.Match[str]) -> str:
        value = str(int(Decimal(match.group("a").replace(",", "")) * 10000))
        return value * 2 if match.group("twice") else value

    for i in doc.table_lines():
        doc.lines[i] = _PRINTED.sub(integer, doc.lines[i])
    return doc.text()


def first_tables(text: str, keep: int) -> str:
    """The disclosure with only its first `keep` tables (the narrative and catalog kept)."""
    doc = split(text)
    titles = [
        i for i in doc.titles() if re.match(r"^\s*(表[一二三四五六七八九十]+)?\s*\d{4}年", doc.lines[i])
    ]
    starts = []
    for i in titles:  # one start per table: a title repeated under its 表N line is the same table
        if not starts or i - starts[-1] > 12:
            starts.append(i)
    cut = starts[keep]
    return "\n".join(doc.lines[:cut] + doc.lines[doc.end :]) + "\n"


def ingest(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str) -> tuple[int, str]:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    store = ["--store", str(tmp_path / "store"), "--embedder", "hash"]
    code = main(["ingest", str(source), *store])
    return code, capsys.readouterr().out


def docs_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    main(["docs", "--json", "--store", str(tmp_path / "store"), "--embedder", "hash"])
    return json.loads(capsys.readouterr().out)


def test_unreadable_tables_warn_and_need_attention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = whole_yuan((CORPUS / SPACED).read_text(encoding="utf-8"))
    code, out = ingest(tmp_path, capsys, "整数元.txt", text)
    assert code == EXIT_NEEDS_ATTENTION
    assert "✓" not in out
    assert "⚠ 整数元.txt" in out and "需要人工检查" in out
    assert "未能解析：表一、表二、表三、表四、表五、表六、表十一、表十二" in out
    [summary] = docs_json(tmp_path, capsys)
    quality = summary["quality"]
    assert quality["status"] == "needs_attention"
    assert quality["tables_unparsed"] == ["表一", "表二", "表三", "表四", "表五", "表六", "表十一", "表十二"]
    # 本表无数据 only where the document says so
    assert quality["tables_empty"] == ["表七", "表八", "表九", "表十", "表十三"]
    assert quality["numeric_lines"] > 0 and quality["numeric_lines_placed"] == 0
    status = table_status_text(DocumentSummary.from_payload(summary))
    assert "未能解析 8 张" in status and "无数据 5 张" in status and "需要人工检查" in status


def test_unparsed_table_is_not_called_empty() -> None:
    doc = parse_document(load_text_file(CORPUS / SPACED))
    assert {t.key: t.status for t in doc.tables if t.kind == "standard"}["表七"] == "empty"
    assert doc.quality["status"] == "ok" and doc.quality["tables_unparsed"] == []


def test_bundled_document_is_ok_with_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = ingest(tmp_path, capsys, TABBED, (CORPUS / TABBED).read_text(encoding="utf-8"))
    assert code == EXIT_OK
    assert f"✓ {TABBED}" in out and "⚠" not in out
    [summary] = docs_json(tmp_path, capsys)
    quality = summary["quality"]
    assert quality["status"] == "ok"
    assert quality["tables_found"] == 13 and quality["tables_parsed"] == 9
    assert quality["arithmetic_checks"] == 239 and quality["arithmetic_passed"] == 227
    assert quality["numeric_lines"] == quality["numeric_lines_placed"] == 124


@pytest.mark.parametrize("keep", [1, 3])
def test_partial_disclosure_is_ingested_with_a_warning(
    keep: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = first_tables((CORPUS / TABBED).read_text(encoding="utf-8"), keep)
    code, out = ingest(tmp_path, capsys, "部分.txt", text)
    assert code == EXIT_NEEDS_ATTENTION  # read, but fewer than half of the 13 tables
    assert "✗" not in out and "✓" not in out
    assert "文件中没有找到：" in out
    [summary] = docs_json(tmp_path, capsys)
    quality = summary["quality"]
    assert quality["tables_found"] == keep and quality["tables_parsed"] == keep
    assert quality["tables_absent"] == TABLE_KEYS[keep:]
    assert summary["counts"]["tables"] == keep
    assert summary["department"] == "柳林县医疗保障局"


def test_a_file_without_any_table_is_kept_for_its_text_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15: a disclosure whose tables follow neither template is never refused when it has text."""
    source = tmp_path / "说明.txt"
    source.write_text("第一部分 概况\n一、主要职责\n负责本县的有关工作。\n", encoding="utf-8")
    code = main(["ingest", str(source), "--store", str(tmp_path / "store"), "--embedder", "hash"])
    out = capsys.readouterr().out
    assert code == EXIT_NEEDS_ATTENTION
    assert "✗" not in out and "没有认出任何预算公开报表" in out and "只导入了文字部分" in out


def test_a_file_that_is_not_about_a_budget_is_refused_saying_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "菜谱.txt"
    source.write_text("红烧肉做法：五花肉500克，冰糖30克。\n", encoding="utf-8")
    code = main(["ingest", str(source), "--store", str(tmp_path / "store"), "--embedder", "hash"])
    out = capsys.readouterr().out
    assert code == 1
    assert "✗ 菜谱.txt" in out and "没有找到任何预算公开报表" in out and "单位名称：" in out


def test_web_document_page_says_unparsed_not_empty() -> None:
    from ui.web.documents import document_markdown

    summary = {
        "department": "某县生态环境局",
        "year": 2026,
        "file": "x.txt",
        "counts": {"tables": 13, "empty_tables": 4, "rows": 10},
        "quality": {
            "status": "needs_attention",
            "tables_unparsed": ["表二", "表三"],
            "tables_absent": ["表九"],
        },
    }
    markdown = document_markdown("某县生态环境局2026年度单位预算", DocumentSummary.from_payload(summary), [])
    assert "表 13 张（无数据 4 张，未能解析 2 张：表二、表三，缺失 1 张：表九）" in markdown
    assert "需要人工检查" in markdown


def test_web_upload_of_a_one_table_disclosure_is_ingested_with_a_warning(tmp_path: Path) -> None:
    import gradio as gr

    from ingest.pipeline import Ingestor
    from ingest.settings import load_settings
    from ui.web.app import Views, build_app, load_assistant

    settings = load_settings(store_dir=tmp_path / "store", embedder="hash", admin_password="口令")
    Ingestor(settings).ingest([CORPUS / SPACED])
    assistant = load_assistant(settings)
    partial = tmp_path / "只有表一.txt"
    partial.write_text(first_tables((CORPUS / TABBED).read_text(encoding="utf-8"), 1), encoding="utf-8")
    summary, frame = Views(settings, assistant).upload([str(partial)], "口令")
    row = frame.iloc[0]
    assert row["结果"] == "⚠ 已导入，部分表需检查" and row["表"] == 1
    assert "文件中没有找到：表二" in row["说明"]
    assert "⚠ 只有表一.txt" in summary and "需要人工检查" in summary
    app = build_app(settings, assistant)
    texts = [str(block.value) for block in app.blocks.values() if isinstance(block, gr.Markdown)]
    assert any("文件要求" in t and "单位名称：" in t and "千元" in t for t in texts)
