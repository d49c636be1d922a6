"""Figures the documents computed themselves are re-checked by the calculator (real corpus cases)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assistant.self_check import checks_in
from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    bot = Assistant.from_settings(corpus_store.settings)
    bot.warm_up()
    return bot


def test_gongxin_operating_costs_disagree_with_their_own_rate(assistant: Assistant) -> None:
    """工信局 机关运行经费27.40万元，比2023年预算减少1.34万元，下降4.6%: the figures give 4.66%."""
    answer = assistant.ask("柳林县工信局2024年机关运行经费比上年减少多少？")
    assert "文件写作下降4.6%，按文件数字核算为下降4.66%" in answer.answer
    checked = [c for c in answer.calculations if c.check]
    assert [c.expression for c in checked] == ["(27.40 − 28.74) ÷ 28.74 × 100% = -4.66%"]
    assert checked[0].check == "文件所列 4.6%，按所引数据核算为 4.66%"
    assert "27.40 + 1.34 = 28.74" in [c.expression for c in answer.calculations]
    cited = {int(i["citation"]) for c in answer.calculations for i in c.inputs if i["citation"]}
    assert all("下降4.6%" in answer.citations[n - 1].quote for n in cited)
    assert not answer.notes, "the verifier accepts the chained calculation"


def test_xiaoyi_operating_costs_divided_by_this_year(assistant: Assistant) -> None:
    """孝义市财政局 70.51万元，比2025年减少4.35万元，下降6.17% — 4.35 ÷ 74.86 is 5.81%."""
    answer = assistant.ask("孝义市财政局2026年机关运行经费比上年变化多少？")
    assert "文件写作下降6.17%，按文件数字核算为下降5.81%" in answer.answer
    checks = [c.check for c in answer.calculations if c.check]
    assert checks == ["文件所列 6.17%，按所引数据核算为 5.81%"]


def test_agreeing_shares_are_checked_silently(assistant: Assistant) -> None:
    # "支出预算中" names the whole: without it the pick between the 表三 row and the narrative sentence
    # hung on BM25 statistics, which moved when ingest stopped making junk rows of repeated titles.
    answer = assistant.ask("柳林县医保局2025年支出预算中基本支出占多少？")
    expressions = {c.expression: c.check for c in answer.calculations}
    assert expressions["530.13 ÷ 2658.32 × 100% = 19.94%"] == ""
    assert "核对" not in answer.answer
    assert answer.answer.startswith("柳林县医疗保障局2025年度部门预算")  # the share asked, said first


def test_agreeing_growth_rate_has_no_sentence(assistant: Assistant) -> None:
    """医保局 8.06万元 比2024年预算增加0.45万元，增长6%: 5.91% rounds to the printed 6%."""
    answer = assistant.ask("柳林县医保局2025年机关运行经费比上年增加多少？")
    checked = [c for c in answer.calculations if c.expression.endswith("= 5.91%")]
    assert checked and checked[0].check == ""
    assert "核对" not in answer.answer


def test_checks_in_reads_the_sentence_whole_and_parts() -> None:
    quote = (
        "2024年度柳林县工业和信息化局[部门]预算收入17,944.67万元，主要包括一般公共预算拨款收入"
        "17,464.07万元，占97.32%；国有资本经营预算拨款收入22.00万元，占0.12%。"
    )
    checks = checks_in(quote, 3)
    assert [c.result.expression for c in checks] == [
        "17464.07 ÷ 17944.67 × 100% = 97.32%",
        "22.00 ÷ 17944.67 × 100% = 0.12%",
    ]
    assert [c.stated for c in checks] == [Decimal("97.32"), Decimal("0.12")]
    assert all(o.citation == 3 for c in checks for o in c.result.inputs)
    assert not any(c.disagrees for c in checks)


def test_renamed_and_doubled_document_is_checked_the_same() -> None:
    """No bundled name or figure is special: another department with doubled figures, same rate."""
    quote = "太谷区教育局本级2024年机关运行经费54.80万元，比2023年预算减少2.68万元，下降4.6%。"
    (check,) = checks_in(quote, 1)
    assert check.note == "文件所列 4.6%，按所引数据核算为 4.66%"
    assert check.word == "下降"
