"""Items, lists and superlatives over the bundled corpus: one economic item printed under several classes
of 表六 counted as one item, rows named in part or in everyday words, the largest functional class, and
project lists filtered by words in their names or by unit.

Wordings are the team's own (not from any eval set). Each test pins the figures stated as the answer,
the plan step that produced them and, for computed figures, the calculator's expression.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _steps(answer: Any, op: str) -> list[dict[str, Any]]:
    return [s for s in answer.plan if s["op"] == op]


# ------------------------------------------------------------- one item under several classes of 表六


def test_the_largest_staff_item_is_ranked_by_the_sum_of_its_rows(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年的人员经费，哪一个科目花得最多？")
    (argmax,) = _steps(answer, "argmax")
    assert argmax["inputs"]["label"] == "基本工资" and argmax["result"] == "538.77万元"
    assert _steps(answer, "sum")[0]["inputs"]["expression"] == "101.61 + 437.16 = 538.77"
    assert "最多的是“基本工资”，538.77万元" in answer.answer and "101.61 + 437.16 = 538.77" in answer.answer
    assert not answer.notes  # every figure said is cited or computed: the verifier removed nothing


def test_the_largest_office_item_adds_its_rows_under_both_classes(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年公用经费各科目中金额最大的是哪个？")
    (argmax,) = _steps(answer, "argmax")
    assert argmax["inputs"]["label"] == "办公费" and argmax["result"] == "6.35万元"
    assert "3.75 + 2.60 = 6.35" in answer.answer


def test_the_smallest_item_is_the_sum_of_its_rows_too(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年公用经费里哪个科目的钱最少？")
    (argmin,) = _steps(answer, "argmin")
    assert argmin["inputs"]["label"] == "公务接待费" and argmin["result"] == "0.23万元"
    assert "0.03 + 0.20 = 0.23" in answer.answer


def test_a_comparison_across_documents_adds_an_items_rows(assistant: Assistant) -> None:
    answer = assistant.ask("办公费预算，柳林县工信局2024年比晋城市信访局2024年少多少？")
    (difference,) = _steps(answer, "difference")
    assert difference["inputs"]["expression"] == "31.13 − 6.35 = 24.78"
    assert difference["inputs"]["smaller"] == "柳林县工业和信息化局"
    assert "3.75 + 2.60 = 6.35" in answer.answer


def test_who_has_more_of_an_item_printed_on_two_rows_in_both(assistant: Assistant) -> None:
    answer = assistant.ask("工会经费，晋城市信访局2024年和柳林县工信局2024年谁多？差多少？")
    (difference,) = _steps(answer, "difference")
    assert difference["inputs"]["expression"] == "5.05 − 1.18 = 3.87"
    assert "3.35 + 1.70 = 5.05" in answer.answer and "0.44 + 0.74 = 1.18" in answer.answer


# ------------------------------------------------------------------- the largest functional class


def test_where_most_of_the_money_goes_is_the_largest_class(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年的钱主要用在哪一大类？")
    (argmax,) = _steps(answer, "argmax")
    assert argmax["inputs"]["label"] == "卫生健康支出" and argmax["result"] == "2560.32万元"
    assert _steps(answer, "rows")[0]["inputs"]["set"] == "支出功能分类的类"


def test_the_largest_class_and_its_share_of_the_named_whole(assistant: Assistant) -> None:
    answer = assistant.ask(
        "孝义市财政局2026年的钱大部分花在哪一类支出上？这一类占一般公共预算当年支出的百分之几？"
    )
    (argmax,) = _steps(answer, "argmax")
    assert argmax["inputs"]["label"] == "一般公共服务支出" and argmax["result"] == "1948.41万元"
    (share,) = _steps(answer, "share")
    assert share["result"] == "82.73%" and share["inputs"]["whole"] == "一般公共预算当年支出"
    assert "1948.41 ÷ 2355.13 × 100% = 82.73%" in answer.answer
