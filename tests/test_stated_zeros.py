"""A 0 the disclosure states (a blank cell or a stated 0) asked in plain words: the 0 is the answer.

Wordings are the team's own (not from any eval set): vehicles named by who rides them, a unit's own
money, buying a vehicle; a yes/no question gets "no" first. Each test pins the figure, its line and
its citation.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _figure(answer: Any) -> dict[str, Any]:
    return next(s for s in answer.plan if s["op"] == "figure")


def test_a_vehicle_named_by_who_rides_it_is_the_template_kind(assistant: Assistant) -> None:
    none = assistant.ask("柳林县医保局2025年有给领导坐的车吗？")
    assert none.answer.startswith("没有。") and "领导用车为0辆" in none.answer
    assert _figure(none)["inputs"]["label"] == "领导用车"
    assert "领导用车0辆" in none.citations[0].quote
    one = assistant.ask("柳林县工信局2024年有几辆领导用的车？")
    assert "领导用车为1辆" in one.answer and not one.answer.startswith("没有")


def test_buying_a_vehicle_asks_the_purchase_line_not_the_vehicles_held(assistant: Assistant) -> None:
    plan = assistant.ask("孝义市财政局2026年准备买公车吗？")
    assert plan.answer.startswith("没有安排。") and "公务用车购置费为0万元" in plan.answer
    assert _figure(plan)["inputs"]["label"] == "公务用车购置费" and "实有" not in plan.answer
    fee = assistant.ask("柳林县医保局2025年的购车费是多少？")  # 购车费 is buying, not running (4.00)
    assert "公务用车购置费为0万元" in fee.answer and "4.00" not in fee.answer
    both = assistant.ask("柳林县医保局今年买车养车花多少钱？")  # buying and running: the joint line
    assert "公务用车购置及运行费为4.00万元" in both.answer


def test_a_units_own_money_in_everyday_words_is_its_own_funds_line(assistant: Assistant) -> None:
    own = assistant.ask("柳林县医保局2025年单位自有资金有多少？")
    assert "单位资金为0万元" in own.answer and _figure(own)["inputs"]["label"] == "单位资金"
    assert own.citations[0].locator.startswith("表一")
    asked = assistant.ask("孝义市财政局2026年部门自己的收入有多少？")
    assert "单位资金为0万元" in asked.answer and not asked.refused
