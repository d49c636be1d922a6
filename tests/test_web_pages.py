"""The page contents behind the web app: question checks, what is held, findings, 表一, catalog labels."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.answer import Citation
from assistant.catalog_search import Hit
from ingest.model import CatalogEntry, Locator
from ingest.stores.index import StructuredIndex
from ingest.summary import DocumentSummary
from ui.web import catalog_page, chat, documents, sources
from ui.web.render import render_sources

YIBAO = "柳林县医疗保障局2025年度部门预算"
GONGXIN = "柳林县工业和信息化局2024年度部门预算"


def test_empty_and_over_long_questions_get_a_hint_instead_of_an_answer() -> None:
    assert chat.check_question("  三公经费是什么？ ", 500) == ("三公经费是什么？", "")
    assert chat.check_question("   ", 500) == ("", chat.EMPTY_HINT)
    assert chat.check_question(None, 500)[1] == chat.EMPTY_HINT
    text, hint = chat.check_question("问" * 501, 500)
    assert text == "" and hint == "问题太长：最多 500 个字，现在 501 个字。请删短后再发送。"
    assert chat.check_question("问" * 500, 500)[1] == ""


def test_a_refused_question_stays_in_the_box_and_nothing_is_asked() -> None:
    asked: list[str] = []

    def ask(text: str, ids: list[str] | None) -> object:
        asked.append(text)
        raise AssertionError("must not be asked")

    turns = list(chat.chat_turn(ask, "问" * 600, [], None, 500))  # type: ignore[arg-type]
    assert turns == [([], "问" * 600, "问题太长：最多 500 个字，现在 600 个字。请删短后再发送。")]
    assert list(chat.chat_turn(ask, "", [], None, 500)) == [([], "", chat.EMPTY_HINT)]  # type: ignore[arg-type]
    assert asked == []


def test_rounding_differences_are_told_apart_from_real_inconsistencies() -> None:
    findings = [
        {"locator": "表三 · 215 · 第257行", "row": "a", "expected": "97.12", "actual": "97.13", "rule": "r"},
        {
            "locator": "表三 · 216 · 第258行",
            "row": "b",
            "expected": "1,000.00",
            "actual": "999.99",
            "rule": "r",
        },
        {"locator": "表五 · 合计 · 第300行", "row": "c", "expected": "12.50", "actual": "12.30", "rule": "r"},
    ]
    split = documents.split_findings(findings)
    assert [f["row"] for f in split.rounding] == ["a", "b"] and [f["row"] for f in split.real] == ["c"]
    text = documents.document_markdown("某局预算", DocumentSummary(findings=findings), [])
    assert "**表内算术不符 1 处**" in text and "尾数差异（四舍五入）2 处" in text
    assert text.count("应为") == 3  # every finding listed, none cut off
    assert "表内算术全部核对一致" in documents.document_markdown("某局预算", DocumentSummary(), [])


def entry(code: str, levels: tuple[str, ...], department: str = "司法") -> CatalogEntry:
    return CatalogEntry("晋财综〔2023〕43号", department, code, levels, Locator("其他部门的预算.txt", 9, 9))


def test_match_labels_mean_what_they_say() -> None:
    legal = entry("A100102", ("公共服务", "社会治理服务", "城乡社区治理服务", "村（居）法律顾问服务"))
    assert catalog_page.match_label("A100102", Hit(legal, 2.0, "exact")) == "精确"
    assert catalog_page.match_label("a100102", Hit(legal, 2.0, "exact")) == "精确"
    assert catalog_page.match_label("村（居）法律顾问服务", Hit(legal, 1.2, "fuzzy")) == "精确"
    assert catalog_page.match_label("法律顾问", Hit(legal, 0.8, "fuzzy")) == "相近"
    hotline = entry("A180701", ("公共服务", "司法服务", "诉讼服务", "12368诉讼热线服务"), "人民法院")
    assert catalog_page.match_label("打官司", Hit(hotline, 0.5, "fuzzy")) == "同义"


# ------------------------------------------------------------------------------------ over the corpus


@pytest.fixture(scope="module")
def index(corpus_store) -> StructuredIndex:  # type: ignore[no-untyped-def]
    return StructuredIndex(corpus_store.store_dir)


def document(index: StructuredIndex, title: str):  # type: ignore[no-untyped-def]
    return next(d for d in index.documents() if d.title == title)


@pytest.mark.slow
def test_first_screen_lists_each_department_with_its_years(index: StructuredIndex) -> None:
    text = chat.held_documents(index)
    assert text.startswith("**已收录 4 个部门的预算公开：**")
    for line in ("- 晋城市信访局（2024年）", "- 柳林县医疗保障局（2025年）", "- 孝义市财政局（2026年）"):
        assert line in text


@pytest.mark.slow
def test_bundled_document_lists_rounding_differences_apart(index: StructuredIndex) -> None:
    yibao = document(index, YIBAO)
    findings = yibao.summary.findings
    split = documents.split_findings(findings)
    assert len(split.rounding) + len(split.real) == len(findings) == 12
    text = documents.document_markdown(yibao.title, yibao.summary, [])
    assert f"尾数差异（四舍五入）{len(split.rounding)} 处" in text
    if split.real:
        assert f"表内算术不符 {len(split.real)} 处" in text
    else:
        assert "表内算术不符" not in text
    assert text.count("应为") == 12  # all listed, not the first 10


@pytest.mark.slow
def test_table_one_shows_income_and_spending_side_by_side(index: StructuredIndex) -> None:
    gongxin = document(index, GONGXIN)
    frame = documents.table_frame(index.rows(gongxin.doc_id, "表一"))
    assert list(frame.columns) == [
        "收入项目",
        "收入：2024年",
        "支出项目",
        "支出：2024年合计",
        "支出：当年预算安排",
        "支出：上年结转安排",
    ]
    rows = {r["收入项目"]: r for r in frame.to_dict("records") if r["收入项目"]}
    assert rows["一、一般公共预算"]["收入：2024年"] == "17464.07"
    assert rows["一、一般公共预算"]["支出项目"] == "一、一般公共服务支出"  # printed on the same line
    assert rows["收入总计"]["支出项目"] == "支出总计"
    assert rows["收入总计"]["支出：2024年合计"] == "17944.67"
    spending = [r for r in frame["支出项目"] if r]
    assert len(spending) == len(set(spending)) and "二十二、国有资本经营预算支出" in spending
    assert all(not (row["收入项目"] and row["收入项目"].endswith("支出")) for row in frame.to_dict("records"))
    assert Decimal(rows["收入总计"]["收入：2024年"]) == Decimal("17944.67")


@pytest.mark.slow
def test_catalog_source_is_the_catalog_and_the_documents_that_adopt_it(index: StructuredIndex) -> None:
    titles = {v.version: v.title for v in index.catalog_versions()}
    docs = index.documents()
    legal = entry("A100102", ("公共服务", "社会治理服务", "城乡社区治理服务", "村（居）法律顾问服务"))
    source = catalog_page.catalog_source(legal, titles, docs)
    assert source == f"山西省部门政府购买服务指导性目录（晋财综〔2023〕43号）；采用此版本的文档：{GONGXIN}"
    html = catalog_page.hits_html("A100102", [Hit(legal, 2.0, "exact")], titles, docs)
    assert ".txt" not in html and "其他部门的预算" not in html
    assert html.startswith('<div class="bqa-scroll"><table class="bqa-table bqa-hits">')


@pytest.mark.slow
def test_a_citation_opens_the_cited_lines_of_the_source(index: StructuredIndex, corpus_store) -> None:  # type: ignore[no-untyped-def]
    gongxin = document(index, GONGXIN)
    message = render_sources(
        [Citation(1, GONGXIN, "表十 · 合计 · 第454行", "合计 4.70", doc_id=gongxin.doc_id, line_start=454)]
    )
    assert sources.cited(message) == [(1, gongxin.doc_id, 454, 454, f"{GONGXIN} · 表十 · 合计")]
    view = sources.render_source_view(message, index, corpus_store.store_dir)
    cited_lines = [line for line in view.split('<div class="bqa-src-line') if line.startswith(' bqa-cited"')]
    assert len(cited_lines) == 1
    assert '<span class="bqa-src-no">454</span>' in cited_lines[0] and "4.70" in cited_lines[0]
    assert '<span class="bqa-src-no">451</span>' in view and '<span class="bqa-src-no">458</span>' not in view
    assert ".txt" not in view
    assert "这条消息没有引用原文" in sources.render_source_view(
        "没有来源的回答", index, corpus_store.store_dir
    )
