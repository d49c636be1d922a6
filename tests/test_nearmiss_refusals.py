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


def test_a_part_of_a_line_printed_only_as_a_whole_is_not_disclosed(assistant: Assistant) -> None:
    for question, part in (
        ("柳林县工信局“商贾改制六户企业生活费、养老金、医保等”这个项目里，光是养老金有多少？", "养老金"),
        ("孝义市财政局“单据、文件、资料印刷费”中，单是资料印刷费是多少？", "资料印刷费"),
        ("孝义市财政局“机房搬迁及网络安全整改费”里，网络安全整改费多少？", "网络安全整改费"),
    ):
        answer = assistant.ask(question)
        assert answer.refused and f"没有单列其中“{part}”的数额" in answer.answer, question
        assert "万元" not in answer.answer and answer.citations[0].locator.startswith("表十二")
        assert [s["op"] for s in answer.plan] == ["missing"]
    whole = assistant.ask("柳林县工信局“商贾改制六户企业生活费、养老金、医保等”这个项目有多少钱？")
    assert not whole.refused and "万元" in whole.answer  # the whole asked: its figure


def test_a_cap_per_person_is_refused_when_no_cap_is_stated(assistant: Assistant) -> None:
    for question, topic in (
        ("柳林县医保局2025年门诊医疗救助每人最高能报多少？", "门诊医疗救助"),
        ("孝义市财政局2026年的全市财政干部职工培训，每人最多能报销多少培训费？", "全市财政干部职工培训"),
    ):
        answer = assistant.ask(question)
        assert answer.refused and f"没有写明“{topic}”每人最多能得到多少" in answer.answer, question
        assert "万元" not in answer.answer and not answer.calculations
    ranked = assistant.ask("柳林县医保局2025年哪个项目钱最多？")  # a ranking, not a cap: still answered
    assert not ranked.refused and "883.33万元" in ranked.answer
