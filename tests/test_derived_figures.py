"""Derived and implied figures over the bundled corpus: last year's figure from a stated change asked
after a premise, a count before a stated movement, and a count never taken from a change of money.

Wordings are the team's own (not from any eval set). Each test pins the figure, its expression and
the sentence it is computed from.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _expressions(answer: Any) -> list[str]:
    return [c.expression for c in answer.calculations]


# ------------------------------------------------------------------ last year's figure after a premise


def test_a_premise_then_the_year_before_asked_adds_back_a_stated_decrease(assistant: Assistant) -> None:
    answer = assistant.ask(
        "工信局2024年一般公共预算当年支出比上年减少了2537.61万元，那么2023年的一般公共预算当年支出应为多少？"
    )
    assert not answer.refused
    assert "17464.07 + 2537.61 = 20001.68" in _expressions(answer)
    assert "2023年" in answer.answer and "20001.68万元" in answer.answer


def test_a_premise_then_the_year_before_asked_takes_away_a_stated_increase(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年机关运行经费比2023年多了2.93万元，2023年的机关运行经费是多少？")
    assert not answer.refused
    assert "63.65 − 2.93 = 60.72" in _expressions(answer)
    assert "60.72万元" in answer.answer


# ------------------------------------------------------------------ a count before a stated movement


@pytest.mark.parametrize(
    "question",
    ["孝义财政局2025年公务用车调出以前有几辆车？", "孝义市财政局2025年原有公务用车多少辆？"],
)
def test_a_count_before_a_stated_transfer_adds_back_what_left(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert not answer.refused
    assert _expressions(answer) == ["1 + 3 = 4"]
    assert "4辆" in answer.answer and "调出三辆" in answer.answer
    assert "万元" not in answer.answer.split("文件原文")[0]  # no amount of money answers a count


def test_a_count_asked_for_last_year_is_never_a_change_of_money(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2023年一共来了多少人次上访？")
    assert answer.refused
    assert not answer.calculations


def test_a_count_stated_for_the_end_of_last_year_is_still_quoted(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2024年有几辆公务用车？")
    assert not answer.refused and not answer.calculations
    assert "截至2024年12月31日" in answer.answer and "实有2辆" in answer.answer


# ------------------------------------------------------------------ averages over stated counts


def test_an_average_per_project_divides_the_stated_amount_by_the_stated_count(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局纳入绩效目标管理的二级项目，每个项目平均多少万元？")
    assert _expressions(answer) == ["9050.78 ÷ 5 = 1810.16"]
    assert "1810.16万元" in answer.answer


def test_an_average_per_project_of_one_kind_uses_that_kind_s_count(assistant: Assistant) -> None:
    answer = assistant.ask("医保局2025年其他运转类项目平均每个项目多少钱？")
    assert _expressions(answer) == ["60.00 ÷ 2 = 30.00"]
    assert "其他运转类项目2个" in answer.answer and "30.00万元" in answer.answer


@pytest.mark.parametrize(
    ("question", "expression"),
    [
        ("柳林县医保局离休干部医疗费，按离休干部人数算人均多少元？", "1120000 ÷ 14 = 80000.00"),
        ("孝义财政局2026年遗属补助平均每人多少钱？", "22776 ÷ 3 = 7592.00"),
    ],
)
def test_a_per_person_amount_of_a_project_uses_its_form_s_head_count(
    assistant: Assistant, question: str, expression: str
) -> None:
    answer = assistant.ask(question)
    assert _expressions(answer) == [expression]
    assert "年度资金总额" in answer.answer and "项目支出绩效目标表" in answer.answer


def test_a_per_person_amount_of_no_named_project_keeps_the_staff_average(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年人均人员经费是多少？")
    assert "项目支出绩效目标表" not in answer.answer


# ------------------------------------------------------------------ a row's total and its split


@pytest.mark.parametrize(
    ("question", "figures"),
    [
        (
            "柳林县工信局2024年商业服务业等支出总额多少，其中当年安排、上年结转各多少？",
            ["2144.03万元", "1735.43万元", "408.60万元"],
        ),
        (
            "工信局2024年一般公共服务支出一共多少，当年预算安排和上年结转安排各是多少？",
            ["2353.19万元", "2325.19万元", "28.00万元"],
        ),
    ],
)
def test_a_row_s_total_and_its_current_and_carried_over_parts(
    assistant: Assistant, question: str, figures: list[str]
) -> None:
    answer = assistant.ask(question)
    said = [s["result"] for s in answer.plan if s["op"] == "figure"]
    assert said == figures
    assert "表一" in answer.answer and "合计为" + figures[0] in answer.answer


# ------------------------------------------------------------------ several labelled counts


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "晋城市信访局驻京信访工作人数和驻省信访工作人数各是多少？",
            "驻京信访工作人数6人，驻省信访工作人数2人",
        ),
        ("晋城市信访局在编人员数、其他人员数分别是多少人？", "在编人员数25人，其他人员数0人"),
    ],
)
def test_several_counts_are_each_read_from_their_own_label(
    assistant: Assistant, question: str, said: str
) -> None:
    answer = assistant.ask(question)
    assert not answer.refused and said in answer.answer
    assert [s["op"] for s in answer.plan] == ["clause", "clause"]


# ------------------------------------------------------------------ a share named as 在B里的比重


def test_a_share_within_a_named_whole_across_two_documents_is_compared(assistant: Assistant) -> None:
    answer = assistant.ask(
        "社会保障和就业支出在一般公共预算当年支出中的比例，医保局和信访局各是多少？哪个更高？"
    )
    shares = [s["result"] for s in answer.plan if s["op"] == "share"]
    assert shares == ["1.99%", "0.62%"]
    assert answer.answer.startswith("柳林县医疗保障局的占比更高，高1.37个百分点")
    assert "59.01 ÷ 9527.11 × 100% = 0.62%" in _expressions(answer)


def test_a_share_within_a_named_whole_in_one_document(assistant: Assistant) -> None:
    answer = assistant.ask("工信局2024年城乡社区支出在一般公共预算当年支出里的比重是多少？")
    assert "10200.00 ÷ 17464.07 × 100% = 58.41%" in _expressions(answer)
    assert [s["result"] for s in answer.plan if s["op"] == "share"] == ["58.41%"]


# ------------------------------------------------------------------ the count of one kind within a topic


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("晋城市信访局纳入绩效目标管理的二级项目中，特定目标类的有几个？", "特定目标类项目1个"),
        ("工信局2024年纳入绩效目标管理的项目里，其他运转类的有几个？", "其他运转类项目11个"),
    ],
)
def test_the_count_of_one_kind_is_the_clause_naming_that_kind(
    assistant: Assistant, question: str, said: str
) -> None:
    answer = assistant.ask(question)
    assert said in answer.answer
    assert "二级项目" not in answer.answer  # the topic's total is not the kind's count
