"""The largest (or smallest) item of 表六's 人员经费 or 公用经费, each item the sum of the rows it is
printed on (福利费（办公经费） + 福利费（商品和服务支出））.

In: an `AskContext`, the document, the row set and its rows merged by item name. Out: an `Answer` whose
plan shows the rows, each summed item's rows and sum, and the argmax/argmin.
"""

from __future__ import annotations

from assistant.answer import Answer, Calculation
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.plan.figures import RowSet
from assistant.plan.merged_items import MergedItem
from assistant.plan.model import Plan
from assistant.plan.statements import finish, label_of, record_calculation, row_evidence, shown_amount
from assistant.wording import table_scope
from ingest.api import DocumentHit


def merged_superlative(
    context: AskContext, doc: DocumentHit, row_set: RowSet, items: list[MergedItem], most: bool
) -> Answer | None:
    if not items:
        return None
    best = (max if most else min)(item.value for item in items)
    winners = [item for item in items if item.value == best]
    plan = Plan("superlative")
    first_row = winners[0].rows[0][0]
    rows = sum(len(item.rows) for item in items)
    plan.add(
        "rows", f"{rows}行（{len(items)}项）", None, doc=doc.title, table=first_row.table, set=row_set.what
    )
    calculations: list[Calculation] = []
    said: list[str] = []
    for item in winners:
        for row, value in item.rows:
            ev = row_evidence(row, value)
            plan.add("figure", shown_amount(ev), row.record, item=item.name, label=label_of(ev))
        if item.total is not None:  # the item's rows summed: the figure it is ranked by
            calculations.append(record_calculation(context, item.total))
            plan.add("sum", item.total.shown, None, item=item.name, expression=item.total.expression)
            lines = "、".join(f"{label_of(row_evidence(r, v))}{fmt(v, r.unit)}" for r, v in item.rows)
            said.append(f"“{item.name}”，{item.total.shown}（分列于{lines}；{item.total.expression}）")
        else:
            said.append(f"“{item.name}”，{fmt(item.value, item.unit)}")
        plan.add(
            "argmax" if most else "argmin",
            fmt(item.value, item.unit),
            item.rows[0][0].record,
            label=item.name,
        )
    word = "最多" if most else "最少"
    where = table_scope(first_row.table, first_row.table_title)
    lead = f"{doc.title}{where}列出的{row_set.what}中，{word}的是" + "、".join(said)
    records = [row.record for item in winners for row, _ in item.rows]
    return finish(context, plan, [Statement(lead, records)], calculations)
