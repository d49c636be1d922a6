"""Which economic class (经济分类的类) a line of 表六 sits under: 退休费 → 对个人和家庭的补助.

表六 (基本支出分经济科目表) prints its classes (工资福利支出, 商品和服务支出, 对个人和家庭的补助) as rows
whose figure is the sum of the item rows after them; the arithmetic, not the names, tells a class
from an item. In: an `AskContext` asking where a figure sits in the economic classification (by its
amount and/or its words). Out: the item, its class with the class's total, and the column it is
paid from (人员经费/公用经费), each cited; or None when the question names no economic classification
or no row of 表六 fits.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.answer import Answer
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.lexicon import expand
from assistant.plan.figures import is_class_total, is_total_row
from assistant.plan.items import content_words
from assistant.plan.model import Plan
from assistant.plan.statements import finish
from assistant.retrieval import bigrams, clean_label, main_cell
from assistant.wording import table_scope
from ingest.api import RowHit, parse_number

# Class: naming the economic classification (经济科目 / 经济分类 / 经济科目表 / 按经济性质).
ECONOMIC_NAMED = re.compile(r"经济(科目|分类|性质)")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*万元")


def economic_class(context: AskContext) -> Answer | None:
    """The 表六 item the question points at and the class it sits under (see the module docstring)."""
    query = context.query
    if not ECONOMIC_NAMED.search(query.question) or len(query.docs) != 1:
        return None
    doc = query.docs[0]
    rows = [r for r in context.index.rows(doc_id=doc.doc_id, table="表六") if not is_total_row(r)]
    values = [main_cell(r.cells)[1] for r in rows]
    classes = [is_class_total(values, i, "（" not in r.label) for i, r in enumerate(rows)]
    stated = _AMOUNT.search(query.question)
    amount = parse_number(stated.group(1)) if stated else None
    words = bigrams(expand(content_words(ECONOMIC_NAMED.sub("", query.plain))))
    best: tuple[float, int] | None = None
    for i, row in enumerate(rows):
        if classes[i] or values[i] is None:
            continue
        score = len(words & bigrams(clean_label(row.label))) / 4 + (
            2.0 if amount is not None and values[i] == amount else 0
        )
        if score >= 0.5 and (best is None or score > best[0]):
            best = (score, i)
    if best is None:
        return None
    at = best[1]
    item = rows[at]
    parent = next((rows[j] for j in range(at - 1, -1, -1) if classes[j]), None)
    if parent is None:
        return None
    return _said(context, doc.title, item, parent, values[at])


def _said(context: AskContext, title: str, item: RowHit, parent: RowHit, value: Decimal | None) -> Answer:
    plan = Plan("economic_class")
    shown = fmt(value, item.unit)
    plan.add("figure", shown, item.record, doc=title, item=clean_label(item.label))
    plan.add("attribute", clean_label(parent.label), parent.record, column="经济分类的类")
    paid = [c.split("/")[-1] for c, v in item.cells.items() if v is not None and not c.endswith("合计")]
    where = table_scope(item.table, item.table_title)
    statements = [
        Statement(f"{title}{where}中，“{clean_label(item.label)}”为{shown}", [item.record]),
        Statement(
            f"它归在“{clean_label(parent.label)}”类下（该类合计{fmt(main_cell(parent.cells)[1], parent.unit)}）",
            [parent.record],
        ),
    ]
    if paid:
        statements.append(Statement(f"列在{'、'.join(paid)}中"))
    return finish(context, plan, statements, [])
