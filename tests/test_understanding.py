"""Understanding questions against the bundled documents: intent, department, year, words, language."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.lexicon import expand, is_english, undisclosed_topic
from assistant.understanding import classify, resolve_documents, understand
from ingest.stores.index import DocumentHit, StructuredIndex


@pytest.fixture(scope="module")
def documents(corpus_store: Any) -> list[DocumentHit]:
    return StructuredIndex(corpus_store.store_dir).documents()


@pytest.fixture(scope="module")
def glossary_terms(corpus_store: Any) -> list[str]:
    return [g.term for g in StructuredIndex(corpus_store.store_dir).glossary()]


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("医保局2025年请客吃饭花了多少？", "lookup"),
        ("柳林县工信局2024年三公经费比上年变化多少？", "comparison"),
        ("柳林县工信局2024年公务用车运行维护费和公务接待费加起来是多少？", "arithmetic"),
        ("孝义市财政局2026年机关运行经费为什么减少？", "narrative"),
        ("晋城市信访局2024年都有哪些项目？", "listing"),
        ("晋财综〔2023〕43号目录中，人民法院部门的A150201是什么服务？", "catalog"),
        ("法院请外面的团队做宣传，代码是什么？", "catalog"),
    ],
)
def test_intent(question: str, intent: str, documents: list[DocumentHit]) -> None:
    assert understand(question, documents).intent == intent


def test_glossary_intent_needs_a_defined_term(glossary_terms: list[str]) -> None:
    assert "机关运行经费" in glossary_terms
    assert classify("机关运行经费是什么意思？", "", has_glossary_term=True) == "glossary"
    assert classify("机关运行经费是什么意思？", "", has_glossary_term=False) == "lookup"


@pytest.mark.parametrize(
    ("question", "department"),
    [
        ("柳林县工业和信息化局2024年收入总计是多少？", "柳林县工业和信息化局"),  # full name
        ("工信局有多少人？", "柳林县工业和信息化局"),  # short form from the document's aliases
        ("孝义财政局办公室多大？", "孝义市财政局"),  # region without 市
        ("医保局请客吃饭花了多少？", "柳林县医疗保障局"),
        ("柳林县医疗保彰局2025年公务接待费是多少？", "柳林县医疗保障局"),  # one-character typo (孟县 style)
    ],
)
def test_department_from_names_aliases_and_typos(
    question: str, department: str, documents: list[DocumentHit]
) -> None:
    assert [d.department for d in resolve_documents(question, documents)] == [department]


def test_other_region_is_not_our_department(documents: list[DocumentHit]) -> None:
    assert resolve_documents("太原市财政局2026年收入总计是多少？", documents) == []
    query = understand("柳林县教育局2024年三公经费是多少？", documents)
    assert query.docs == [] and query.unknown_department == "柳林县教育局"


def test_two_departments_in_mention_order(documents: list[DocumentHit]) -> None:
    docs = resolve_documents("基本支出：柳林县医保局2025年和孝义市财政局2026年哪个高？", documents)
    assert [d.department for d in docs] == ["柳林县医疗保障局", "孝义市财政局"]


def test_years(documents: list[DocumentHit]) -> None:
    same = understand("柳林县工信局2024年三公经费是多少？", documents)
    assert same.target_year == 2024 and not same.derived_year and same.missing_year is None
    previous = understand("工信局2023年的三公经费是多少？", documents)
    assert previous.target_year == 2023 and previous.derived_year and previous.intent == "arithmetic"
    missing = understand("晋城市信访局2025年的预算总额是多少？", documents)
    assert missing.missing_year == 2025 and missing.target_year is None
    default = understand("孝义市财政局办公室多大？", documents)
    assert default.target_year == 2026


def test_everyday_words_become_budget_terms(documents: list[DocumentHit]) -> None:
    assert "公务用车购置及运行费" in expand("买车养车花多少钱")
    assert "公务接待费" in expand("请客吃饭花了多少")
    assert "办公用房面积" in expand("办公室多大")
    assert "机关运行经费" in expand("日常运转花多少")
    query = understand("医保局2025年请客吃饭花了多少？", documents)
    assert "公务接待费" in query.terms and "医保局" not in query.terms and "2025" not in query.terms


def test_undisclosed_topics() -> None:
    assert undisclosed_topic("工信局的公车是什么牌子的？") == "品牌型号"
    assert undisclosed_topic("局长一个月工资多少？") == "个人或人均工资"
    assert undisclosed_topic("工信局三公经费是多少？") is None


def test_english_detection(documents: list[DocumentHit]) -> None:
    question = "What were the official reception expenses of 柳林县医疗保障局 in 2025?"
    assert is_english(question)
    assert not is_english("柳林县医保局2025年公务接待费是多少？")
    assert not is_english("A150201 是什么服务？")
    query = understand(question, documents)
    assert query.language == "en" and "公务接待费" in query.expanded
    assert [d.department for d in query.docs] == ["柳林县医疗保障局"]
