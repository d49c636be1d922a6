"""Functional classes asked by their short names (社保就业, 卫健, 城乡社区 …): the class's printed row
answers, and shares of it are computed from that row. Wordings are the team's own."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.lexicon import expand
from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _figures(answer: Any) -> list[tuple[str, str]]:
    return [(s["inputs"]["label"], s["result"]) for s in answer.plan if s["op"] == "figure"]


def test_two_classes_by_their_short_names(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局社保就业和卫健各安排了多少？")
    assert _figures(answer) == [("社会保障和就业支出", "59.01万元"), ("卫生健康支出", "27.67万元")]


def test_a_share_of_a_class_named_short(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年的社保就业支出占一般公共预算当年支出的百分之几？")
    assert "185.87 ÷ 2355.13 × 100% = 7.89%" in [c.expression for c in answer.calculations]
    assert "社会保障和就业支出为185.87万元" in answer.answer


def test_a_short_name_does_not_turn_an_office_into_a_class() -> None:
    assert "科学技术支出" in expand("科技支出有多少")
    assert "科学技术支出" not in expand("科技局的预算")
    assert "社会保障和就业支出" not in expand("社保缴费多少")  # an insurance contribution, not the class
