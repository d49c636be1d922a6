"""Templates as data (ingest/parsing/templates.py): which layout a document follows, from its tables' titles;
a file that follows neither is kept for its text with a warning; 元 figures read as 万元（元）."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from assistant.composer import fmt
from ingest.parsing.parse import parse_document
from ingest.parsing.quality import NOT_RECOGNISED
from ingest.parsing.templates import BY_NAME, MIXED, NATIONAL, NONE, SHANXI, recognise
from ingest.parsing.text_loader import load_text_file

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def test_recognised_from_the_titles_a_document_prints() -> None:
    national = ["2026年部门财务收支预算总表", "2026年部门一般公共预算支出功能分类预算表"]
    shanxi = ["2024年预算收支总表", "2024年财政拨款安排“三公”经费支出预算表"]
    assert recognise(national) == NATIONAL
    assert recognise(shanxi) == SHANXI
    assert recognise([national[0], shanxi[1]]) == MIXED
    assert recognise(["2025年某某情况表"]) == NONE and recognise([]) == NONE


def test_the_two_templates_as_data() -> None:
    shanxi, national = BY_NAME[SHANXI], BY_NAME[NATIONAL]
    assert len(shanxi.tables) == 13 and len(national.tables) == 9
    assert national.keys == ["表一", "表二", "表三", "表四", "表五", "表八", "表九", "表六", "表十"]
    assert {t.unit for t in national.tables if t.key != "表十"} == {"元"}
    assert national.spec("表十").unit == "万元"  # type: ignore[union-attr]
    assert national.spec("表三").sides[0].total_of == (1, 2)  # type: ignore[union-attr]  # 合计 = 基本 + 项目
    assert national.sections is not None and national.sections.match("其他相关情况说明")


def test_bundled_shanxi_documents_follow_the_shanxi_template() -> None:
    doc = parse_document(load_text_file(CORPUS / "2025_柳林县医疗保障局_部门预算.txt"))
    assert doc.template == SHANXI and doc.quality["tables_expected"] == 13


def test_a_file_with_text_but_no_known_table_is_kept_for_its_text(tmp_path: Path) -> None:
    path = tmp_path / "2025_某某县文化馆_工作说明.txt"
    path.write_text(
        "某某县文化馆2025年度部门预算说明\n\n一、主要职能\n负责全县群众文化活动的组织和辅导。\n\n"
        "二、机构设置\n本馆设办公室、活动部两个内设机构。\n",
        encoding="utf-8",
    )
    doc = parse_document(load_text_file(path))
    assert doc.template == NONE and doc.tables == []
    assert NOT_RECOGNISED in doc.warnings
    assert doc.quality["status"] == "needs_attention"
    assert doc.department.name == "某某县文化馆" and doc.year == 2025
    assert any("群众文化活动" in p.text for p in doc.paragraphs)


def test_figures_printed_in_yuan_read_as_wan_with_the_printed_yuan() -> None:
    assert fmt(Decimal("9628.221344"), "万元") == "9,628.22万元（96,282,213.44元）"
    assert fmt(Decimal("2211.8861"), "万元") == "2,211.89万元（22,118,861.00元）"
    assert fmt(Decimal("4.70"), "万元") == "4.70万元"  # printed in 万元: as printed
    assert fmt(Decimal("3"), "辆") == "3辆"
