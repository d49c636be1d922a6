"""Citizens' hedges, remarks and checks around the figure asked (我觉得…人多钱也多，可是X好像比Y还少，
是不是真的？), and amounts stated for a fund whose uses name the item (某经费100万元主要用于差旅费):
neither is the item's figure. Wordings are the team's own."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.plan.items import asked_items
from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


@pytest.mark.parametrize(
    ("plain", "items"),
    [
        ("我觉得 人多钱也多，可是福利费好像比 还少，是不是真的？少多少？", ["福利费"]),
        ("听说 的差旅费比 多，对吗？多多少？", ["差旅费"]),
        ("据说 钱不多，但印刷费似乎比 更高，高出多少？", ["印刷费"]),
    ],
)
def test_hedges_remarks_and_the_comparison_frame_are_not_items(plain: str, items: list[str]) -> None:
    assert asked_items(plain, []).items == items


def test_a_hedged_comparison_answers_the_item_in_both_documents(assistant: Assistant) -> None:
    answer = assistant.ask("我觉得工信局人多钱也多，可是福利费好像比孝义财政局还少，是不是真的？少多少？")
    assert "福利费共3.44万元（1.28 + 2.16 = 3.44" in answer.answer
    assert "孝义市财政局2026年度部门预算没有单列“福利费”的数额" in answer.answer


def test_a_fund_whose_uses_name_the_item_is_not_the_items_figure(assistant: Assistant) -> None:
    answer = assistant.ask("医保局的差旅费比信访局多多少？")
    assert "晋城市信访局2024年度部门预算没有单列“差旅费”的数额" in answer.answer
    assert "100" not in answer.answer  # 驻京信访工作经费100万元主要用于差旅费、住宿费
