"""Attributes of a line: a project's term from its performance form (same-named projects told apart
by amount), the economic class a figure sits under, the subject codes a figure is recorded under.

Wordings are the team's own (not from any eval set). Each test pins the attribute, the figure it is
tied to and the records cited.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _ops(answer: Any, op: str) -> list[dict[str, Any]]:
    return [s for s in answer.plan if s["op"] == op]


def test_a_projects_term_is_read_from_its_performance_form(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年的资产评估经费是一次性项目吗？")
    assert answer.answer.startswith("不是。")  # asked as yes/no: the answer first
    assert "100.00万元的“资产评估经费”：项目属性为经常性项目（长期开展），项目期99年" in answer.answer
    assert [s["result"] for s in _ops(answer, "attribute")] == ["经常性项目（长期开展）"]
    assert any("项目属性 经常性项目" in c.quote for c in answer.citations)
    lasting = assistant.ask("晋城市信访局的信访场所标准化建设项目要持续几年？")
    assert "项目期99年" in lasting.answer and "100.00万元" in lasting.answer


def test_same_named_projects_are_told_apart_by_their_amounts(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年两笔信访专项工作经费里，哪一笔是一次性的？")
    assert [s["result"] for s in _ops(answer, "figure")] == [
        "50.00万元",
        "180.00万元",
    ]  # the asked kind first
    assert [s["result"] for s in _ops(answer, "attribute")] == [
        "一次性项目（1年结束）",
        "经常性项目（长期开展）",
    ]
    assert (
        "50.00万元的“信访专项工作经费”（绩效目标表年度资金500000元）：项目属性为一次性项目" in answer.answer
    )


def test_the_economic_class_of_a_line_is_the_class_row_its_table_sums_it_into(assistant: Assistant) -> None:
    fund = assistant.ask("晋城市信访局2024年的住房公积金在经济科目表里归在哪一类？")
    assert (
        "“住房公积金”为39.49万元" in fund.answer
        and "归在“工资福利支出”类下（该类合计393.89万元）" in fund.answer
    )
    assert [s["result"] for s in _ops(fund, "attribute")] == ["工资福利支出"] and "人员经费" in fund.answer
    reward = assistant.ask("孝义市财政局2026年的奖励金在经济分类中属于哪类支出？")
    assert "归在“对个人和家庭的补助”类下" in reward.answer and "0.06万元" in reward.answer
    assert all(c.locator.startswith("表六") for c in reward.citations)


def test_the_codes_a_lines_figure_is_recorded_under_in_the_column_named(assistant: Assistant) -> None:
    carried = assistant.ask("柳林县工信局2024年一般公共服务支出的上年结转分别记在哪些科目编码下？")
    assert "“一般公共服务支出”的上年结转28.00万元" in carried.answer  # 表二's column, not 表三's 合计
    assert [s["result"] for s in _ops(carried, "attribute")] == [
        "2011399"
    ] and "2011301" not in carried.answer
    projects = assistant.ask("柳林县医保局2025年卫生健康支出的项目支出分别记在哪些科目编码下？")
    assert [s["result"] for s in _ops(projects, "attribute")] == ["2101301", "2101506", "2101599"]
    assert (
        "科目编码2101301（城乡医疗救助）：1733.24万元" in projects.answer
        and "项目支出2128.19万元" in projects.answer
    )
