"""Number extraction and comparison, on lines taken from the bundled disclosures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.numbers import extract_figures, extract_numbers, is_figure, same_figure
from ingest.figures import parse_number

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
GONGXIN = CORPUS / "2024_柳林县工业和信息化局_部门预算.txt"
XINFANG = CORPUS / "2024_晋城市信访局_部门预算.txt"


def corpus_line(path: Path, needle: str) -> str:
    """The first line of a corpus file containing `needle`."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if needle in line:
            return line
    raise AssertionError(f"{needle!r} not in {path.name}")


def values(text: str) -> list[tuple[Decimal, str | None]]:
    return [(m.value, m.unit) for m in extract_figures(text)]


def test_income_narrative_figures_units_and_separators():
    line = corpus_line(GONGXIN, "主要包括一般公共预算拨款收入")
    figures = extract_figures(line)
    assert [(str(m.value), m.unit) for m in figures][:4] == [
        ("17944.67", "万元"),
        ("17464.07", "万元"),
        ("97.32", "%"),
        ("0", "万元"),
    ]
    assert (Decimal("22.00"), "万元") in values(line)
    assert (Decimal("0.12"), "%") in values(line)
    assert (Decimal("458.60"), "万元") in values(line)
    assert (Decimal("2.56"), "%") in values(line)
    # 2024年度 is a year, not a figure
    assert [m.raw for m in extract_numbers(line) if not is_figure(m)] == ["2024"]


def test_raw_and_span_point_back_into_the_text():
    line = corpus_line(GONGXIN, "主要包括一般公共预算拨款收入")
    for m in extract_numbers(line):
        assert line[m.span[0] : m.span[1]] == m.raw
    first = extract_figures(line)[0]
    assert first.raw == "17,944.67万元"
    assert first.number_text == "17,944.67"


def test_trailing_zeros_are_equal_but_precision_is_kept():
    (m,) = extract_figures("合计4.70万元")
    assert m.value == Decimal("4.7")
    assert m.value.as_tuple().exponent == -2


def test_full_width_digits_and_separators():
    assert values("预算收入１７，９４４．６７万元，占９７．３２％") == [
        (Decimal("17944.67"), "万元"),
        (Decimal("97.32"), "%"),
    ]


def test_dates_years_and_counts_in_the_asset_section():
    line = corpus_line(GONGXIN, "共有公务用车编制")
    kinds = [(m.raw, m.kind) for m in extract_numbers(line)]
    assert kinds[:3] == [("2023", "year"), ("12", "date"), ("31", "date")]
    figures = extract_figures(line)
    assert figures[0].raw == "2辆"
    assert {m.unit for m in figures} == {"辆"}
    area = corpus_line(GONGXIN, "使用的办公用房建筑总面积")
    assert values(area) == [(Decimal("290"), "平方米")]


def test_subject_codes_in_table_rows_are_not_figures():
    row = corpus_line(GONGXIN, "2230105\t国有企业退休人员社会化管理补助支出")
    assert values(row) == [(Decimal("22.00"), None)] * 3
    kinds = {m.raw: m.kind for m in extract_numbers(row)}
    assert kinds["2230105"] == "subject_code"
    row = corpus_line(GONGXIN, "22301\t解决历史遗留问题及改革成本支出")
    assert kinds_of(row)["22301"] == "subject_code"
    assert values(row) == [(Decimal("22.00"), None)] * 3


def kinds_of(text: str) -> dict[str, str]:
    return {m.raw: m.kind for m in extract_numbers(text)}


def test_catalog_codes_document_numbers_and_table_numbers():
    assert extract_figures(corpus_line(XINFANG, "A150201")) == []
    assert kinds_of("A150201 网格化管理服务")["A150201"] == "catalog_code"
    line = corpus_line(GONGXIN, "（晋财综〔2023〕43号）")
    assert extract_figures(line) == []
    assert kinds_of(line) == {"2023": "year", "43": "document_number"}
    assert kinds_of("预算公开表10") == {"10": "table_number"}
    assert kinds_of("见表十第446行、第3页") == {"446": "ordinal", "3": "ordinal"}
    assert kinds_of("第441–446行") == {"441": "ordinal", "446": "ordinal"}


def test_list_markers():
    assert extract_figures("1、整体绩效目标") == []
    assert extract_figures("（2）项目绩效目标") == []
    assert extract_figures("2. 项目绩效目标") == []
    # a decimal at line start is still a figure
    assert values("2.56%的上年结转") == [(Decimal("2.56"), "%")]


def test_performance_table_in_yuan_and_timestamp():
    row = corpus_line(GONGXIN, "项目资金(元)	实施期资金总额:")
    assert values(row) == [(Decimal("642000"), None)] * 2
    stamp = corpus_line(GONGXIN, "填报日期:")
    assert kinds_of(stamp)["20240508085158"] == "identifier"
    assert values("年度资金总额642,000元") == [(Decimal("642000"), "元")]


def test_citation_markers_and_department_code():
    assert kinds_of("合计4.70万元[1][2, 3]") == {
        "4.70万元": "figure",
        "1": "citation_marker",
        "2": "citation_marker",
        "3": "citation_marker",
    }
    line = corpus_line(GONGXIN, "主管部门及代码")
    assert extract_figures(line) == []


def test_default_unit_for_table_cells():
    assert values_default("公务接待费\t0.20\t0.20", "万元") == [(Decimal("0.20"), "万元")] * 2


def values_default(text: str, unit: str) -> list[tuple[Decimal, str | None]]:
    return [(m.value, m.unit) for m in extract_figures(text, default_unit=unit)]


def test_yi_yuan_and_percentage_points():
    assert values("形成每年2亿元规模") == [(Decimal("20000"), "万元")]
    assert values("下降3.5个百分点") == [(Decimal("3.5"), "百分点")]
    assert values("设备11台（套）") == [(Decimal("11"), "台")]


def test_english_text():
    text = (
        "In 2024 the 三公 budget was 4.70 ten thousand yuan (RMB 47,000), 97.32 percent [1]; "
        "see Table 10, line 446."
    )
    assert values(text) == [
        (Decimal("4.70"), "万元"),
        (Decimal("47000"), "元"),
        (Decimal("97.32"), "%"),
    ]
    assert values("2 vehicles and 3 million yuan") == [(Decimal("2"), "辆"), (Decimal("300"), "万元")]


@pytest.mark.parametrize(
    ("a", "unit_a", "b", "unit_b", "same"),
    [
        ("4.70", "万元", "47000", "元", True),
        ("47,000", "元", "4.7", "万元", True),
        ("4.71", "万元", "47123", "元", True),  # 47123 元 prints as 4.71 万元
        ("4.70", "万元", "4700", "元", False),
        ("0.12", "%", "0.1234", "%", True),
        ("97.32", "%", "97.3218", "%", True),
        ("97", "%", "97.32", "%", True),
        ("97.31", "%", "97.3218", "%", False),
        ("85", "%", "87", "%", False),
        ("0", "%", "0.12", "%", False),  # a coarse zero is not a rounded 0.12
        ("0", "万元", "0.00", "万元", True),
        ("5.00", "万元", "4.70", "万元", False),  # printed precision is kept
        ("4.70", "%", "4.70", "万元", False),
        ("0.20", None, "2000", "元", True),  # a table cell in 万元
        ("17944.67", None, "17944.67", "万元", True),
        ("2", "辆", "2", "人", False),
    ],
)
def test_same_figure(a, unit_a, b, unit_b, same):
    assert same_figure(parse_number(a), unit_a, parse_number(b), unit_b) is same
    assert same_figure(parse_number(b), unit_b, parse_number(a), unit_a) is same


def test_every_mention_in_the_corpus_is_consistent():
    """Whole corpus (fast): spans hold, no 7-digit code or year slips through as a figure."""
    total = 0
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for m in extract_numbers(text):
            total += 1
            assert text[m.span[0] : m.span[1]] == m.raw
            if is_figure(m) and m.unit is None and not set(".,") & set(m.number_text):
                assert len(m.number_text) != 7, (path.name, m)
                assert not m.raw.startswith(("2023", "2024", "2025", "2026")) or len(m.raw) != 4
    assert total > 5000


def test_chinese_numeral_counts_and_shares():
    line = corpus_line(CORPUS / "2026_孝义市财政局_部门预算.txt", "公务用车调出三辆")
    assert (Decimal("3"), "辆") in values(line)
    assert (Decimal("1"), "辆") in values(line)  # 公务用车数量为一辆
    assert values("内设十四个职能股室，减少了四名参公人员") == [(Decimal("14"), "个"), (Decimal("4"), "人")]
    assert values("百分之九十七点三二") == [(Decimal("97.32"), "%")]
    # not counts: 一次性项目, 第一次, 三公, 统一, 一般
    assert values("一次性项目(1年结束)，第一次会议，三公经费，统一个别，一般公共预算") == [
        (Decimal("1"), None)
    ]
    assert same_figure(Decimal("2"), "辆", values("实有两辆")[0][0], "辆")


def test_seven_and_eight_digit_cells_of_a_table_in_yuan_are_amounts() -> None:
    quote = "绩效目标表3（单位：元）省级财政资金：实施期 10000000；年度 1000000 [2101550]"
    values = [m.value for m in extract_figures(quote, default_unit="元")]
    assert values == [Decimal("10000000"), Decimal("1000000")]  # the bracketed 科目编码 is not an amount
    assert extract_figures("科目 2101550 合计 12.00", default_unit="万元")[0].value == Decimal("12.00")
