"""Catalog parsing over the bundled disclosures: versions, adopted 文号, counts, names, rebuilt pages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.model import CatalogEntry
from ingest.parsing.catalog import (
    SECTION,
    CatalogParse,
    align_fragments,
    find_doc_numbers,
    merge_catalogs,
    normalise_doc_number,
    parse_catalogs,
)
from ingest.parsing.text_loader import load_text_file

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
XINFANG = "2024_晋城市信访局_部门预算.txt"
GONGXIN = "2024_柳林县工业和信息化局_部门预算.txt"
YIBAO = "2025_柳林县医疗保障局_部门预算.txt"
CAIZHENG = "2026_孝义市财政局_部门预算.txt"
V63, V43, V37, V47 = "晋财综〔2021〕63号", "晋财综〔2023〕43号", "晋财综〔2024〕37号", "晋财综〔2023〕47号"


@pytest.fixture(scope="module")
def parses() -> dict[str, CatalogParse]:
    return {
        name: parse_catalogs(load_text_file(CORPUS / name).lines, name)
        for name in (XINFANG, GONGXIN, YIBAO, CAIZHENG)
    }


def _entry(parse: CatalogParse, version: str, department: str, code: str) -> CatalogEntry:
    found = [e for e in parse.entries if (e.version, e.department, e.code) == (version, department, code)]
    assert len(found) == 1, (version, department, code, found)
    return found[0]


def _counts(parse: CatalogParse) -> Counter[tuple[str, str]]:
    return Counter((e.version, e.department) for e in parse.entries)


def test_doc_numbers_are_normalised() -> None:
    assert normalise_doc_number("晋财综【2021】 63号") == V63
    assert normalise_doc_number("(晋财综[2023]43号)") == V43
    assert find_doc_numbers("…（晋财综〔2024〕37号）+政府购买服务B类 晋财综【2023】47号。") == [V37, V47]
    assert find_doc_numbers("现将《…》（吕财综【2023】28号）") == ["吕财综〔2023〕28号"]


def test_versions_and_adopted_per_document(parses: dict[str, CatalogParse]) -> None:
    assert [(v.doc_number, v.kind) for v in parses[XINFANG].versions] == [(V63, "A")]
    assert "第一批" in parses[XINFANG].versions[0].title
    assert [(v.doc_number, v.kind) for v in parses[GONGXIN].versions] == [(V43, "A")]
    assert [(v.doc_number, v.kind) for v in parses[YIBAO].versions] == [(V37, "A"), (V47, "B")]
    assert [(v.doc_number, v.kind) for v in parses[CAIZHENG].versions] == [(V37, "A"), (V47, "B")]
    # 信访局 names 63号 directly (晋财综【2021】 63号); 工信局 names 柳财综〔2023〕482号, which forwards
    # 吕财综〔2023〕28号, which forwards 43号; 孝义 names 37号 + B类 47号; 医保局 names none.
    assert parses[XINFANG].adopted == [V63]
    assert parses[GONGXIN].adopted == [V43]
    assert parses[CAIZHENG].adopted == [V37, V47]
    assert parses[YIBAO].adopted == [V37, V47]
    assert any("未写明所依据的目录文号" in w for w in parses[YIBAO].warnings)


@pytest.mark.parametrize(
    ("name", "version", "expected"),
    [
        (
            GONGXIN,
            V43,
            {"人民法院": 22, "人民检察院": 27, "宣传部": 5, "政法委员会": 19, "财政": 27, "信访": 14},
        ),
        (
            CAIZHENG,
            V37,
            {"人民法院": 22, "人民检察院": 27, "宣传部": 5, "政法委员会": 19, "民政": 92, "财政": 27},
        ),
        (YIBAO, V37, {"人民法院": 22, "人民检察院": 27, "生态环境": 107, "民政": 92}),
        (
            XINFANG,
            V63,
            {"宣传部": 5, "政法委员会": 4, "人民法院": 19, "人民检察院": 27, "信访": 10, "财政": 20},
        ),
        (CAIZHENG, V47, {"": 57}),
    ],
)
def test_entry_counts_per_department(
    parses: dict[str, CatalogParse], name: str, version: str, expected: dict[str, int]
) -> None:
    counts = _counts(parses[name])
    assert {d: counts[(version, d)] for d in expected} == expected


def test_total_entries_per_printing(parses: dict[str, CatalogParse]) -> None:
    assert Counter(e.version for e in parses[GONGXIN].entries) == {V43: 1835}
    assert Counter(e.version for e in parses[CAIZHENG].entries) == {V37: 1875, V47: 57}
    assert Counter(e.version for e in parses[XINFANG].entries) == {V63: 1027}


@pytest.mark.parametrize(
    ("name", "version", "department", "code", "levels"),
    [
        (
            GONGXIN,
            V43,
            "人民法院",
            "A150201",
            ("公共服务", "公共信息与宣传服务", "公共公益宣传服务", "法院宣传服务"),
        ),
        (
            GONGXIN,
            V43,
            "人民代表大会常务委员会办公厅（室）",
            "A150201",
            ("公共服务", "公共信息与宣传服务", "公共公益宣传服务", "人大宣传服务"),
        ),
        (
            GONGXIN,
            V43,
            "生态环境",
            "A150201",
            ("公共服务", "公共信息与宣传服务", "公共公益宣传服务", "全国低碳日宣传服务"),
        ),
        (
            GONGXIN,
            V43,
            "人民法院",
            "A180701",
            ("公共服务", "其他公共服务", "政务热线服务", "12368 诉讼热线服务"),
        ),
        (
            GONGXIN,
            V43,
            "政法委员会",
            "A100101",
            ("公共服务", "社区治理服务", "城乡社区治理服务", "网格化管理服务"),
        ),
        (
            CAIZHENG,
            V37,
            "人民法院",
            "A150201",
            ("公共服务", "公共信息与宣传服务", "公共公益宣传服务", "法院宣传服务"),
        ),
        (
            CAIZHENG,
            V37,
            "公安",
            "A150102",
            ("公共服务", "公共信息与宣传服务", "公共信息服务", "居民身份证制作服务"),
        ),
        (
            CAIZHENG,
            V37,
            "医疗保障",
            "A180701",
            ("公共服务", "其他公共服务", "政务热线服务", "医疗保障投诉处理热线服务"),
        ),
        (CAIZHENG, V47, "", "B0101", ("政府履职辅助性服务", "法律服务", "法律顾问服务")),
        (YIBAO, V47, "", "B1210", ("政府履职辅助性服务", "其他辅助性服务", "罚没物品公开拍卖服务")),
    ],
)
def test_code_to_levels(
    parses: dict[str, CatalogParse],
    name: str,
    version: str,
    department: str,
    code: str,
    levels: tuple[str, ...],
) -> None:
    entry = _entry(parses[name], version, department, code)
    assert entry.levels == levels
    assert not entry.uncertain


def test_entries_carry_locators(parses: dict[str, CatalogParse]) -> None:
    entry = _entry(parses[GONGXIN], V43, "人民法院", "A150201")
    assert entry.locator.file == GONGXIN
    assert entry.locator.line_start == entry.locator.line_end == 1248
    assert entry.locator.section == SECTION and entry.locator.table is None


def test_column_by_column_pages_are_rebuilt(parses: dict[str, CatalogParse]) -> None:
    parse = parses[XINFANG]
    assert _entry(parse, V63, "宣传部", "A150201").levels == (
        "公共服务",
        "公共信息与宣传服务",
        "公共公益宣传服务",
        "党的路线、方针、政策的宣传服务",  # printed as 党的路线、方针、政策 / 的宣传服务
    )
    assert _entry(parse, V63, "网络安全和信息化委员会办公室", "A010402").name == "网络安全应急演练服务"
    # a code continued on the next page keeps its department
    assert _entry(parse, V63, "网络安全和信息化委员会办公室", "A100501").name == "网信文明志愿者活动管理服务"
    assert _entry(parse, V63, "信访", "A040701").name == "对信访人的法律政策咨询服务"
    assert _entry(parse, V63, "人民法院", "A180701").name == "12368诉讼热线服务"
    # two names printed on one line are separated; a wrapped 12328… line is rejoined
    assert _entry(parse, V63, "水利", "A060701").name == "河道（湖）生态补水服务"
    assert _entry(parse, V63, "水利", "A070101").name == "水利项目技术研究与推广服务"
    assert _entry(parse, V63, "交通运输", "A180701").name == "12328 交通运输服务监督热线服务"
    # page furniture is not a department
    assert "晋城市信访局2024年部门预算公开报告" not in {e.department for e in parse.entries}


def test_unalignable_page_is_uncertain_with_empty_names(parses: dict[str, CatalogParse]) -> None:
    uncertain = [e for e in parses[XINFANG].entries if e.uncertain]
    assert len(uncertain) == 40
    assert all(e.levels == ("", "", "", "") for e in uncertain)
    entry = _entry(parses[XINFANG], V63, "人力资源和社会保障", "A170301")
    assert entry.uncertain and entry.name == "" and entry.locator.line_start == 3323
    assert any("无法把名称与代码对齐" in w or "对齐结果与其他页" in w for w in parses[XINFANG].warnings)


def test_wrong_prefix_is_kept_and_flagged(parses: dict[str, CatalogParse]) -> None:
    entry = _entry(parses[XINFANG], V63, "信访", "B150201")
    assert entry.name == "信访专题节目采访制作服务"
    assert entry.flags == ["前缀与上级不符：印作B150201，上级为A1502（按原文保留）"]


def test_code_without_letter_is_kept_and_flagged(parses: dict[str, CatalogParse]) -> None:
    entry = _entry(parses[GONGXIN], V43, "住房和城乡建设", "160601")
    assert entry.name == "住建行业标准制修订辅助服务"
    assert "代码缺少字母前缀：印作160601（按原文保留）" in entry.flags


def test_lost_pages_make_department_unknown(parses: dict[str, CatalogParse]) -> None:
    # The 医保局 printing of 37号 lost the page that named 广播电视: its codes follow 商务's A18.
    lost = [e for e in parses[YIBAO].entries if e.version == V37 and e.department == ""]
    assert len(lost) == 33 and all(e.uncertain for e in lost)
    assert lost[0].code == "A08" and "疑似缺页" in lost[0].flags[0]


def test_merge_takes_each_department_from_its_fullest_printing(parses: dict[str, CatalogParse]) -> None:
    versions, entries = merge_catalogs(list(parses.values()))
    assert [v.doc_number for v in versions] == [V63, V43, V37, V47]
    counts = Counter((e.version, e.department) for e in entries)
    assert counts[(V37, "生态环境")] == 107  # from the 医保局 printing (孝义's lost a page: 78)
    assert counts[(V37, "市场监督管理")] > 0  # only in the 孝义 printing
    assert counts[(V37, "")] == 0  # lost-page entries dropped: another printing exists
    assert counts[(V47, "")] == 57  # B类 once, not twice


def test_align_fragments() -> None:
    assert align_fragments(["公共服务", "公共信息与宣", "传服务", "公共安全服务"], 3) == [
        ("公共服务", 0),
        ("公共信息与宣传服务", 2),
        ("公共安全服务", 3),
    ]
    assert align_fragments(["技术评审鉴定评估服务对外合作与交流服务", "舆情监控服务"], 3) == [
        ("技术评审鉴定评估服务", 0),
        ("对外合作与交流服务", 0),
        ("舆情监控服务", 1),
    ]
    assert align_fragments(["公共服务"], 2) is None
