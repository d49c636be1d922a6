"""Questions that sound answerable but the documents do not state: a refusal, never the figure of
another quantity (a count asked, money answered; a part of a project asked, the whole answered).

Wordings are the team's own (not from any eval set).
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def test_visits_counted_per_person_are_never_answered_with_money(assistant: Assistant) -> None:
    for question in (
        "柳林县医保局2024年接待了多少人次的参保群众？",
        "晋城市信访局2023年一共接待了多少人次？",
    ):
        answer = assistant.ask(question)
        assert answer.refused, question
        assert "万元" not in answer.answer and not answer.calculations  # not 公务接待费 derived


def test_a_headcount_of_several_units_is_never_a_sum_of_money(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局局机关加上下属两个事业单位，总共有多少在编在岗的人员？")
    assert answer.refused and "万元" not in answer.answer and not answer.calculations
    money = assistant.ask("柳林县工信局2024年公务接待费和差旅费加起来多少？")  # money asked: still summed
    assert "合计2.50万元（0.20 + 2.30 = 2.50）" in money.answer
