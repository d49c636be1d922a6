"""The bundled disclosures parse into the template's 13 tables with the figures as printed."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from ingest.model import Disclosure
from ingest.parsing.arithmetic import check_table
from ingest.parsing.layout import TABLE_KEYS
from ingest.parsing.parse import parse_document
from ingest.parsing.text_loader import load_text_file

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
GONGXIN = "2024_柳林县工业和信息化局_部门预算.txt"
XINFANG = "2024_晋城市信访局_部门预算.txt"
YIBAO = "2025_柳林县医疗保障局_部门预算.txt"
CAIZHENG = "2026_孝义市财政局_部门预算.txt"
ALL = [GONGXIN, XINFANG, YIBAO, CAIZHENG]

EXPECTED = {  # file → (department, year, tables marked 本表无数据)
    GONGXIN: ("柳林县工业和信息化局", 2024, {"表七", "表八"}),
    XINFANG: ("晋城市信访局", 2024, {"表七", "表八", "表九", "表十", "表十三"}),
    YIBAO: ("柳林县医疗保障局", 2025, {"表七", "表八", "表九", "表十三"}),
    CAIZHENG: ("孝义市财政局", 2026, {"表七", "表八", "表九", "表十三"}),
}


@cache
def parsed(name: str) -> Disclosure:
    return parse_document(load_text_file(CORPUS / name))


def cell(
    doc: Disclosure, table: str, label: str, column_suffix: str, side: str | None = None
) -> Decimal | None:
    found = doc.table(table)
    assert found is not None, table
    for row in found.rows:
        if row.label == label and (side is None or row.side == side):
            for column, value in row.cells.items():
                if column.endswith(column_suffix):
                    return value
    raise AssertionError(f"{table} {label} {column_suffix} not found")


@pytest.mark.parametrize("name", ALL)
def test_all_thirteen_tables_with_titles_units_and_empty_flags(name: str) -> None:
    doc = parsed(name)
    department, year, empty = EXPECTED[name]
    assert doc.department.name == department
    assert doc.year == year
    standard = [t for t in doc.tables if t.kind == "standard"]
    assert [t.key for t in standard] == TABLE_KEYS
    assert all(t.title.startswith(f"{year}年") for t in standard)
    assert all(t.unit == "万元" for t in standard)
    assert {t.key for t in standard if t.empty} == empty
    assert all(t.rows for t in standard if not t.empty)


@pytest.mark.parametrize("name", ALL)
def test_table_arithmetic_holds_except_the_documents_own_rounding(name: str) -> None:
    """Every failing check is listed with its locator and is a 0.01 rounding difference printed by the
    document itself (e.g. 82.59 + 14.53 printed as 97.13); nothing else fails."""
    doc = parsed(name)
    results = [check_table(t) for t in doc.tables]
    checked = sum(r.checked for r in results)
    failed = [f for r in results for f in r.findings]
    assert checked > 200
    assert failed == doc.findings
    assert 1 - len(failed) / checked >= 0.94  # the raw rate; all failures are the document's own rounding
    for finding in failed:
        assert abs(finding.expected - finding.actual) <= Decimal("0.01"), finding
        assert finding.locator.line_start > 0 and finding.locator.table == finding.table


def test_gongxin_table_one_and_sangong_as_printed() -> None:
    doc = parsed(GONGXIN)
    assert cell(doc, "表一", "一、一般公共预算", "2024年", side="收入") == Decimal("17464.07")
    assert cell(doc, "表一", "收入总计", "2024年", side="收入") == Decimal("17944.67")
    assert cell(doc, "表一", "十六、商业服务业等支出", "上年结转安排", side="支出") == Decimal("408.60")
    assert cell(doc, "表一", "本年支出合计", "当年预算安排", side="支出") == Decimal("17486.07")
    assert cell(doc, "表十", "合计", "合计") == Decimal("4.70")
    assert cell(doc, "表十", "公务接待费", "一般公共预算") == Decimal("0.20")
    assert cell(doc, "表十", "②公务用车运行维护费", "合计") == Decimal("4.50")


def test_same_label_different_tables_keep_their_own_scope() -> None:
    doc = parsed(GONGXIN)
    assert cell(doc, "表三", "合计", "基本支出") == Decimal("445.45")
    assert cell(doc, "表六", "合计", "合计") == Decimal("158.45")


def test_collapsed_columns_of_the_space_separated_export_are_put_back() -> None:
    """信访局: doubled bold text and blank columns collapsed; arithmetic decides 基本 vs 项目支出."""
    doc = parsed(XINFANG)
    assert cell(doc, "表一", "收入总计", "2024年", side="收入") == Decimal("9527.11")
    assert cell(doc, "表一", "一、一般公共服务支出", "当年预算安排", side="支出") == Decimal("9400.94")
    assert cell(doc, "表三", "信访业务", "项目支出") == Decimal("9050.78")
    assert cell(doc, "表三", "信访业务", "基本支出") is None
    assert cell(doc, "表三", "行政运行", "基本支出") == Decimal("350.16")
    assert cell(doc, "表三", "合计", "基本支出") == Decimal("476.33")
    assert cell(doc, "表六", "办公费（办公经费）", "公用经费") == Decimal("31.13")
    assert cell(doc, "表六", "奖金（工资奖金津补贴）", "人员经费") == Decimal("44.03")
    assert cell(doc, "表十一", "晋城市信访局", "一般公共预算") == Decimal("63.65")
    assert cell(doc, "表十二", "大和能源信访事项化解专项经费", "合计") == Decimal("8620.78")
    assert doc.table("表十") is not None and doc.table("表十").empty  # type: ignore[union-attr]


def test_tab_row_that_lost_a_blank_cell_is_realigned() -> None:
    """工信局 表二: `216 商业服务业等支出 1735.43 1735.43 … 408.60` has one tab too few; 408.60 is 上年结转."""
    doc = parsed(GONGXIN)
    assert cell(doc, "表二", "商业服务业等支出", "上年结转") == Decimal("408.60")
    assert cell(doc, "表二", "商业服务业等支出", "单位资金") is None
    row = doc.table("表二").row("216")  # type: ignore[union-attr]
    assert row is not None and row.placed and row.parent_code is None
    child = doc.table("表二").row("2160299")  # type: ignore[union-attr]
    assert child is not None and child.path == ("商业服务业等支出", "商业流通事务", "其他商业流通事务支出")


def test_narrative_facts_with_quotes() -> None:
    facts = {f.name: f for f in parsed(GONGXIN).facts}
    assert facts["三公经费.合计"].value == Decimal("4.70")
    assert facts["车辆.编制"].value == 2 and facts["车辆.实有"].value == 2
    assert facts["房屋.办公用房面积"].value == 290
    assert "办公用房" in facts["房屋.办公用房面积"].quote
    assert facts["人员.编制"].value == 8 and facts["人员.在职"].value == 4
    xinfang = {f.name: f.value for f in parsed(XINFANG).facts}
    assert xinfang["房屋.办公用房面积"] == Decimal("383.53")  # a hard-wrapped sentence rejoined
    assert xinfang["政府采购.总额"] == Decimal("60.74")


@pytest.mark.parametrize("name", ALL)
def test_glossary_terms(name: str) -> None:
    terms = {g.term: g.definition for g in parsed(name).glossary}
    assert set(terms) == {
        "基本支出", "项目支出", "三公经费", "机关运行经费", "政府购买服务", "财政专户管理资金",
        "单位资金", "上年结转", "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政拨款",
    }  # fmt: skip
    assert terms["国有资本经营预算"] == "是对国有资本收益作出支出安排的收支预算。"
    assert "三公经费" in terms and "因公出国（境）" in terms["三公经费"]
    assert terms["基本支出"].startswith("指为保障机构正常运转")


def test_paragraphs_keep_heading_path_and_line_locators() -> None:
    doc = parsed(GONGXIN)
    para = next(p for p in doc.paragraphs if "“三公”经费预算4.70万元" in p.text)
    assert any("三公" in h for h in para.heading_path)
    assert para.locator.line_start > 0 and para.locator.file == GONGXIN


def test_department_aliases() -> None:
    assert "工信局" in parsed(GONGXIN).department.aliases
    assert "医保局" in parsed(YIBAO).department.aliases
    assert parsed(GONGXIN).department.region == "柳林县"


def test_another_department_in_the_same_template_needs_no_code_change(tmp_path: Path) -> None:
    """A disclosure we never saw: another department's name and every amount doubled."""
    import re

    source = (CORPUS / CAIZHENG).read_text(encoding="utf-8")
    text = source.replace("孝义市财政局", "平遥县民政局")
    text = re.sub(r"(?<![\d.])(\d+\.\d{2})(?![\d])", lambda m: f"{Decimal(m.group(1)) * 2:.2f}", text)
    path = tmp_path / "平遥县民政局2026.txt"
    path.write_bytes(text.encode("gb18030"))  # and another encoding
    doc = parse_document(load_text_file(path))
    assert doc.department.name == "平遥县民政局" and "民政局" in doc.department.aliases
    assert cell(doc, "表一", "收入总计", "2026年", side="收入") == Decimal("4710.26")
    assert cell(doc, "表十", "合计", "合计") == Decimal("3.20")
    assert [t.key for t in doc.tables if t.empty] == ["表七", "表八", "表九", "表十三"]


@pytest.mark.parametrize(("name", "forms"), [(GONGXIN, 16), (XINFANG, 5), (YIBAO, 10), (CAIZHENG, 27)])
def test_project_performance_forms_in_yuan(name: str, forms: int) -> None:
    tables = [t for t in parsed(name).tables if t.kind == "performance"]
    assert len(tables) == forms
    assert all(t.unit == "元" and t.project for t in tables)


def test_performance_form_funds_and_indicators() -> None:
    doc = parsed(GONGXIN)
    form = next(t for t in doc.tables if t.project == "李家湾园区招商引资项目")  # name printed as a label
    assert form.row("资金总额").cells == {"实施期": Decimal("10000000"), "年度": Decimal("10000000")}  # type: ignore[union-attr]
    indicators = [
        p.text
        for p in doc.paragraphs
        if p.heading_path[-1:] == ("项目支出绩效目标表：乡村e镇项目建设培育资金",)
    ]
    assert any("效益指标 > 社会效益指标 > 吸纳就业人数：≥2000人" in text for text in indicators)
    xinfang = next(t for t in parsed(XINFANG).tables if t.project == "大和能源信访事项化解专项经费")
    assert xinfang.row("资金总额").cells == {"实施期": Decimal("86208400"), "年度": Decimal("86207800")}  # type: ignore[union-attr]
