"""Elliptical follow-ups (A…？B呢？): split, asked about B, merged with citations renumbered."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer import Answer, Calculation, Citation
from assistant.followups import merge, split_follow_up
from assistant.service import Assistant


def test_split_keeps_a_closing_aside_for_the_first_question() -> None:
    assert split_follow_up("甲局有几个股室？乙中心呢？（2025年）") == ("甲局有几个股室？（2025年）", "乙中心")
    assert split_follow_up("甲局办公费多少？那乙局的呢") == ("甲局办公费多少？", "乙局")
    assert split_follow_up("甲局办公费多少？") is None
    assert split_follow_up("为什么呢？") is None


def test_merge_renumbers_the_second_answers_citations_and_steps() -> None:
    def cite(n: int) -> Citation:
        return Citation(number=n, doc=f"d{n}", locator="表一", quote="1.00")

    first = Answer("甲为1.00万元[1]。", [cite(1)], plan=[{"op": "figure", "citation": 1}])
    second = Answer(
        "乙为2.00万元[1]，合计3.00万元[2]。",
        [cite(1), cite(2)],
        [
            Calculation(
                "1.00 + 2.00 = 3.00", "3.00", "万元", [{"name": "乙", "value": "2.00", "citation": "1"}]
            )
        ],
        plan=[{"op": "figure", "citation": 1}, {"op": "sum"}],
    )
    merged = merge(first, second)
    assert merged.answer == "甲为1.00万元[1]。乙为2.00万元[2]，合计3.00万元[3]。"
    assert [c.number for c in merged.citations] == [1, 2, 3]
    assert [s.get("citation") for s in merged.plan] == [1, 2, None]
    assert merged.calculations[0].inputs[0]["citation"] == "2"


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def test_a_follow_up_about_a_sub_unit_stays_in_the_same_document(assistant: Assistant) -> None:
    # 县医疗保障局设4个内设机构；县医疗保险服务中心设11个内设机构
    answer = assistant.ask("柳林县医保局2025年内设机构有几个？医疗保险服务中心呢？")
    first, second = answer.answer.split("。")[:2]
    assert "4个" in first and "11个" in second
    assert {c.doc for c in answer.citations} == {"柳林县医疗保障局2025年度部门预算"}


def test_a_follow_up_about_another_department_reads_its_document(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年公务接待费多少？晋城市信访局呢？")
    assert "0.20万元" in answer.answer.split("。")[0]
    assert "晋城市信访局2024年度部门预算" in {c.doc for c in answer.citations}
