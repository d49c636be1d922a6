"""The largest (or smallest) item of 表六's 人员经费 or 公用经费, each item the sum of the rows it is
printed on (福利费（办公经费） + 福利费（商品和服务支出））.

In: an `AskContext`, the document, the row set and its rows merged by item name. Out: an `Answer` whose
plan shows the rows, each summed item's rows and sum, and the argmax/argmin.
"""

from __future__ import annotations

import re

from assistant.answer import Answer, Calculation
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.plan.figures import RowSet
from assistant.plan.merged_items import MergedItem
from assistant.plan.model import Plan
from assistant.plan.shapes import numeral
from assistant.plan.statements import finish, label_of, record_calculation, row_evidence, shown_amount
from assistant.wording import table_scope
from ingest.api import DocumentHit, Record


def merged_superlative(
    context: AskContext, doc: DocumentHit, row_set: RowSet, items: list[MergedItem], most: bool
) -> Answer | None:
    if not items:
        return None
    best = (max if most else min)(item.value for item in items)
    winners = [item for item in items if item.value == best]
    plan = Plan("superlative")
    _rows_step(plan, doc, row_set, items)
    calculations: list[Calculation] = []
    said = []
    for item in winners:
        said.append(_said(context, plan, item, calculations))
        plan.add("argmax" if most else "argmin", _amount(item), item.rows[0][0].record, label=item.name)
    word = "最多" if most else "最少"
    lead = f"{doc.title}{_where(winners[0])}列出的{row_set.what}中，{word}的是" + "、".join(said)
    return finish(context, plan, [Statement(lead, _records(winners))], calculations)


def merged_ranked(
    context: AskContext,
    doc: DocumentHit,
    row_set: RowSet,
    items: list[MergedItem],
    rank: re.Match[str],
    most: bool,
) -> Answer | None:
    """The n-th largest item (第二大) or the top n (前三, a tie at the boundary included)."""
    ordered = sorted(items, key=lambda item: item.value, reverse=most)
    nth = rank.group("nth")
    count = numeral(nth or rank.group("top"))
    if count is None or count > len(ordered):
        return None
    chosen = [ordered[count - 1]] if nth else ordered[:count]
    while not nth and len(chosen) < len(ordered) and ordered[len(chosen)].value == chosen[-1].value:
        chosen.append(ordered[len(chosen)])
    plan = Plan("rank")
    _rows_step(plan, doc, row_set, items)
    plan.add("sort", "从大到小" if most else "从小到大", None, set=row_set.what)
    calculations: list[Calculation] = []
    said = []
    for item in chosen:
        said.append(_said(context, plan, item, calculations))
        plan.add("pick", _amount(item), item.rows[0][0].record, label=item.name)
    order = "从大到小" if most else "从小到大"
    where = f"{doc.title}{_where(chosen[0])}列出的{row_set.what}中，按金额{order}"
    if nth:
        lead = f"{where}排第{nth}的是{said[0]}"
    else:
        lead = f"{where}的前{rank.group('top')}项：" + "；".join(said)
    return finish(context, plan, [Statement(lead, _records(chosen))], calculations)


def _rows_step(plan: Plan, doc: DocumentHit, row_set: RowSet, items: list[MergedItem]) -> None:
    rows = sum(len(item.rows) for item in items)
    table = items[0].rows[0][0].table
    plan.add("rows", f"{rows}行（{len(items)}项）", None, doc=doc.title, table=table, set=row_set.what)


def _said(context: AskContext, plan: Plan, item: MergedItem, calculations: list[Calculation]) -> str:
    """The item's rows as figure steps, their sum by the calculator, and the words saying it."""
    for row, value in item.rows:
        ev = row_evidence(row, value)
        plan.add("figure", shown_amount(ev), row.record, item=item.name, label=label_of(ev))
    if item.total is None:
        return f"“{item.name}”，{_amount(item)}"
    calculations.append(record_calculation(context, item.total))  # the figure it is ranked by
    plan.add("sum", item.total.shown, None, item=item.name, expression=item.total.expression)
    lines = "、".join(f"{label_of(row_evidence(r, v))}{fmt(v, r.unit)}" for r, v in item.rows)
    return f"“{item.name}”，{item.total.shown}（分列于{lines}；{item.total.expression}）"


def _amount(item: MergedItem) -> str:
    return fmt(item.value, item.unit)


def _where(item: MergedItem) -> str:
    row = item.rows[0][0]
    return table_scope(row.table, row.table_title)


def _records(items: list[MergedItem]) -> list[Record]:
    return [row.record for item in items for row, _ in item.rows]
