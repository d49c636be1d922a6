"""A figure answers only in the unit the question asks for; English questions about departments not held are refused."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.numbers import extract_figures
from assistant.service import Assistant
from assistant.understanding import understand
from assistant.unit_fit import expected_unit, fits


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    bot = Assistant.from_settings(corpus_store.settings)
    bot.warm_up()
    return bot


@pytest.mark.parametrize(
    ("question", "units"),
    [
        ("柳林县医保局2025年有多少人？", ("人",)),
        ("有几个人在职", ("人",)),
        ("人员编制是多少", ("人",)),
        ("公务用车编制是多少", ("辆",)),
        ("有几辆车", ("辆",)),
        ("办公室多大", ("平方米",)),
        ("车辆运行维护费多少钱", ("万元", "元")),
        ("人员经费是多少", ("万元", "元")),
        ("有多少个项目", ("个",)),
        ("基本支出占比多少", ("%",)),
        ("How many people work there?", ("人",)),
        ("How many vehicles does it hold?", ("辆",)),
        ("How big is the office?", ("平方米",)),
        ("How much are the staff costs?", ("万元", "元")),
    ],
)
def test_expected_unit_from_the_wording(question: str, units: tuple[str, ...]) -> None:
    expected = expected_unit(question)
    assert expected is not None and expected.units == units


def test_no_expected_unit_when_the_wording_does_not_say() -> None:
    assert expected_unit("表三的合计是多少") is None
    assert fits("辆", None)
    assert fits("台（套）", expected_unit("有几台设备"))
    assert not fits("辆", expected_unit("有多少人"))


def test_people_asked_vehicles_disclosed_is_refused(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年有多少人？")
    assert answer.refused
    assert (
        answer.answer == "文件没有披露柳林县医疗保障局的人数。文件披露了公务用车的编制数和实有数（见[1]）。"
    )
    assert "辆" not in answer.answer and extract_figures(answer.answer) == []
    assert len(answer.citations) == 1
    citation = answer.citations[0]
    assert citation.doc == "柳林县医疗保障局2025年度部门预算"
    assert "公务用车编制2辆，实有2辆" in citation.quote and citation.line_start == 854


def test_people_asked_in_english_is_refused_the_same_way(assistant: Assistant) -> None:
    answer = assistant.ask("How many people work at the healthcare security bureau in 2025?")
    assert answer.refused
    assert answer.answer.startswith(
        "The budget disclosure of 柳林县医疗保障局 does not give the number of people."
    )
    assert "公务用车的编制数和实有数 (see [1])" in answer.answer
    assert extract_figures(answer.answer) == []


def test_people_asked_with_people_disclosed_is_answered(assistant: Assistant) -> None:
    answer = assistant.ask("工信局2024年有多少人")
    assert not answer.refused
    # the bureau's own headcount; 编制人数8人 is stated under a sub-unit's heading (城镇集体联合社)
    assert answer.answer == (
        "柳林县工业和信息化局2024年度部门预算“(二) 工信局人员构成”中写明：全局机关现有干部职工29人[1]。"
    )
    assert (
        answer.citations[0].quote.startswith("领导班子现有成员8名")
        and "全局机关现有干部职工29人" in answer.citations[0].quote
    )


def test_office_area_is_answered_in_square_metres(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年办公室多大")
    assert not answer.refused
    assert answer.answer == "孝义市财政局2026年度部门预算文字说明中，办公用房面积为962平方米[1]。"
    assert "962平方米" in answer.citations[0].quote


def test_a_count_in_its_own_unit_is_found(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年有多少个项目")
    assert answer.answer == (
        "柳林县医疗保障局2025年度部门预算文字说明中，纳入绩效目标管理的二级项目数为10个[1]。"
    )


def test_english_department_not_held_is_refused(assistant: Assistant) -> None:
    question = "How much did the education bureau of Liulin spend on official receptions in 2024?"
    query = understand(question, assistant.index.documents())
    assert query.docs == [] and query.unknown_department == "the education bureau of Liulin"
    answer = assistant.ask(question)
    assert answer.refused and answer.citations == []
    assert answer.answer.startswith(
        "The collection holds no budget disclosure of the education bureau of Liulin; it holds: "
    )
    chinese = assistant.ask("柳林县教育局2024年公务接待费是多少？")
    assert chinese.refused and chinese.answer.startswith("所收录的文件中没有“柳林县教育局”的预算公开")


def test_english_department_held_is_still_answered(assistant: Assistant) -> None:
    question = "How much did the Liulin county industry bureau budget for the three public expenses in 2024?"
    query = understand(question, assistant.index.documents())
    assert query.unknown_department is None and [d.department for d in query.docs] == ["柳林县工业和信息化局"]
    assert "4.70万元" in assistant.ask(question).answer
