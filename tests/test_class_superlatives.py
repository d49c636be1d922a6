"""Superlatives within one economic class of 表六 (工资福利支出里 / 商品和服务支出下), whose items a flat
layout tells apart only by the table's sums, and superlatives with items left out (除了X以外 / X除外).
Wordings are the team's own; each test pins the figure said as the answer and its plan step."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _step(answer: Any, op: str) -> dict[str, Any]:
    (step,) = [s for s in answer.plan if s["op"] == op]
    return step


def test_the_largest_item_of_a_class_adds_the_rows_it_is_printed_in(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医疗保障局2025年工资福利支出中，哪个科目最多？")
    step = _step(answer, "argmax")
    assert (step["inputs"]["label"], step["result"]) == ("基本工资", "186.56万元")
    assert "“工资福利支出”下的科目中，最多的是“基本工资”，186.56万元" in answer.answer
    assert "24.89 + 161.67 = 186.56" in answer.answer


def test_the_smallest_item_of_a_class_is_one_of_its_own_rows(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局表六商品和服务支出下面，金额最少的是哪一项？")
    step = _step(answer, "argmin")
    assert (step["inputs"]["label"], step["result"]) == ("公务用车运行维护费", "1.60万元")
    assert "“商品和服务支出”下的科目中，最少的是“公务用车运行维护费”，1.60万元" in answer.answer


@pytest.mark.parametrize(
    ("question", "label", "figure"),
    [
        ("孝义市财政局的商品和服务支出里，除了办公费以外哪一项最多？", "其他交通费用", "14.82万元"),
        ("晋城市信访局公用经费各科目中，办公费除外，最多的是哪项？", "其他交通费用", "13.86万元"),
    ],
)
def test_an_item_left_out_is_not_ranked(assistant: Assistant, question: str, label: str, figure: str) -> None:
    answer = assistant.ask(question)
    step = _step(answer, "argmax")
    assert (step["inputs"]["label"], step["result"]) == (label, figure)
    assert "最多的是“办公费”" not in answer.answer
