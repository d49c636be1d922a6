"""Differences of two counts the documents state (多几个 / 少几辆 / 差几个): the two stated figures and
the calculator's difference, in the count's own unit. Wordings are the team's own."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _calculation(answer: Any) -> tuple[str, str]:
    (calc,) = answer.calculations
    return calc.expression, calc.unit


@pytest.mark.parametrize(
    "question",
    [
        "柳林县医疗保障局的公务用车编制比晋城市信访局多几辆？",
        "晋城市信访局的公务用车编制比柳林县医疗保障局少几辆？",
    ],
)
def test_a_difference_of_two_stated_vehicle_counts(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert _calculation(answer) == ("2 − 0 = 2", "辆")
    assert answer.answer.startswith("柳林县医疗保障局更多，比晋城市信访局多2辆（2 − 0 = 2）")
    assert {c.doc for c in answer.citations} == {
        "柳林县医疗保障局2025年度部门预算",
        "晋城市信访局2024年度部门预算",
    }


def test_a_difference_of_two_stated_project_counts(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年纳入绩效目标管理的二级项目比孝义市财政局2026年少几个？")
    assert _calculation(answer) == ("28 − 22 = 6", "个")
    assert "多6个（28 − 22 = 6）" in answer.answer
    assert "二级项目28个" in answer.answer and "二级项目22个" in answer.answer
