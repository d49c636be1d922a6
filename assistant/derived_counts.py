"""A count before a stated movement: the stock the text states now and the movement it states
(2025年公务用车调出三辆，2026年年初本单位公务用车数量为一辆 → before the move: 1 + 3 辆).

In: an `AskContext` whose question asks a count (几辆/多少人/几台) for a time before the document's
(之前/原来/上年). Out: an `Answer` citing the sentence and stating the calculator's expression, or None
when no sentence of the document states both a stock and a movement in the unit asked. Stated changes
of money never answer a count: `asks_count_not_money` tells the caller not to use them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.answer import Answer
from assistant.calculator import CalcResult, CalculationError, Operand, subtract, sum_of, to_calculation
from assistant.composer import Statement, compose
from assistant.context import AskContext
from assistant.unit_fit import MONEY, expected_unit
from ingest.api import (
    CLAUSE_STOPS,
    CN_NUMERAL,
    DocumentHit,
    Record,
    chinese_numeral,
    parse_number,
    split_sentences,
)

_COUNT = rf"(\d+|[{CN_NUMERAL}]+)"
_UNITS = "辆|台|套|人|名|个|家"
# Class: things leaving a stock (调出/调走/划出/划转/移交/报废/处置/拍卖/减少 N 辆).
_OUT = re.compile(rf"(?:调出|调走|划出|划转出?|移交|报废|处置|拍卖|减少)了?{_COUNT}\s*({_UNITS})")
# Class: things joining a stock (调入/划入/新购/购置/购入/新增/增加 N 辆).
_IN = re.compile(rf"(?:调入|划入|新购|购置|购入|新增|增加)了?{_COUNT}\s*({_UNITS})")
# Class: a stock stated as it stands (数量为一辆 / 实有2辆 / 现有 / 共有 / 保有 / 剩 / 还有).
_STOCK = re.compile(rf"(?:数量为|数量是|实有|现有|共有|保有|剩余?|还有)了?{_COUNT}\s*({_UNITS})")
# Class: the time asked is before the movement (之前/以前/原来/原有/调走前/上年/去年).
BEFORE_ASKED = re.compile(r"之前|以前|原来|原先|原有|本来|(调|划|报废|处置)[^，,。？?]{0,6}前")


def _number(text: str) -> Decimal:
    return parse_number(text) if text[0].isdigit() else chinese_numeral(text)


def asks_count_not_money(question: str) -> bool:
    """Whether the question names a measure other than money (几辆/多少人次/几台): a stated change of
    an amount of money cannot give it."""
    expected = expected_unit(question)
    return expected is not None and expected.measured and expected.units != MONEY.units


def count_before_movement(context: AskContext, doc: DocumentHit) -> Answer | None:
    """The count before the stated movement, from the first sentence stating both a stock and a
    movement in the asked unit: stock + out − in, by the calculator; None when no sentence does."""
    expected = expected_unit(context.query.question)
    if expected is None or not BEFORE_ASKED.search(context.query.question):
        return None
    for sentence, record in _movement_sentences(context, doc):
        stock = _STOCK.search(sentence)
        if stock is None or stock.group(2) not in expected.units:
            continue
        moved_out = [m for m in _OUT.finditer(sentence) if m.group(2) == stock.group(2)]
        moved_in = [m for m in _IN.finditer(sentence) if m.group(2) == stock.group(2)]
        if not moved_out and not moved_in:
            continue
        try:
            result = _before(stock, moved_out, moved_in)
        except CalculationError:
            continue
        return _answer(context, sentence, record, result)
    return None


def _movement_sentences(context: AskContext, doc: DocumentHit) -> list[tuple[str, Record]]:
    words = ("调出", "调走", "划出", "划转", "移交", "报废", "处置", "拍卖", "调入", "划入", "新购", "购入")
    out: list[tuple[str, Record]] = []
    for kind in ("paragraph", "fact"):
        for record in context.index.records_mentioning(doc.doc_id, kind, words):
            text = str(record.payload.get("quote") or record.text)
            out += [(s, record) for s in split_sentences(text, CLAUSE_STOPS) if any(w in s for w in words)]
    return out


def _before(
    stock: re.Match[str], moved_out: list[re.Match[str]], moved_in: list[re.Match[str]]
) -> CalcResult:
    """stock + what left − what joined (one joining movement at most: the first stated)."""
    unit = stock.group(2)
    now = Operand("现有数", _number(stock.group(1)), unit)
    if not moved_out:
        return subtract(now, Operand("调入数", _number(moved_in[0].group(1)), unit))
    added = sum_of([now, *[Operand("调出数", _number(m.group(1)), unit) for m in moved_out]])
    if not moved_in:
        return added
    return subtract(
        Operand("加回调出数后", added.value, unit), Operand("调入数", _number(moved_in[0].group(1)), unit)
    )


def _answer(context: AskContext, sentence: str, record: Record, result: CalcResult) -> Answer:
    context.calc_results.append(result)
    statements = [
        Statement(f"按文件所述的数量变动推算，变动之前为{result.shown}（{result.expression}）。"),
        Statement(f"文件原文：「{sentence.rstrip('。；;')}」", [record]),
    ]
    query = context.query
    return compose(statements, [to_calculation(result)], intent=query.intent, language=query.language)
