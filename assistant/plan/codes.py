"""The subject codes (科目编码) a figure is recorded under: the lowest-level rows below a named line,
read in the column the question names (上年结转 / 基本支出 / 项目支出 / 一般公共预算).

Tables 二, 三 and 五 print the functional classification as a tree (类 > 款 > 项, codes of 3, 5 and 7
digits); a class's figure is recorded on its 项 rows. In: an `AskContext` asking which codes (分别记在
哪些科目编码 / 哪几个科目) of a named line, optionally in a named column and with its amount. Out: each
lowest-level row with a figure in that column, its code, name and figure, cited; or None when the
question asks no codes of several rows or no line fits.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.answer import Answer
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.plan.items import normalise
from assistant.plan.model import Plan
from assistant.plan.statements import finish
from assistant.retrieval import clean_label
from assistant.wording import table_scope
from ingest.api import RowHit, parse_number

# Class: asking for several subject codes (分别记在哪些科目编码 / 哪几个科目 / 各是什么编码).
CODES_ASKED = re.compile(
    r"(哪些|哪几个|分别|各)[^，,。？?]{0,8}(科目|编码)|(科目|编码)[^，,。？?]{0,4}(哪些|分别|各)"
)
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*万元")
_TABLES = ("表三", "表二", "表五")  # spending, income by class, general public budget spending


def codes_under(context: AskContext) -> Answer | None:
    """The codes a named line's figure is recorded under (see the module docstring)."""
    query = context.query
    if not CODES_ASKED.search(query.question) or len(query.docs) != 1:
        return None
    doc = query.docs[0]
    stated = _AMOUNT.search(query.question)
    amount = parse_number(stated.group(1)) if stated else None
    asked = normalise(query.question)
    for explicit in (True, False):  # a column the question names (上年结转) first, then the row's 合计
        for table in _TABLES:
            rows = context.index.rows(doc_id=doc.doc_id, table=table)
            named = sorted(
                (
                    r
                    for r in rows
                    if r.code and len(clean_label(r.label)) >= 2 and clean_label(r.label) in asked
                ),
                key=lambda r: (len(r.path), -len(r.label)),
            )
            for parent in named:
                column = _column_named(parent, asked, explicit)
                value = parent.cells.get(column) if column else None
                if column is None or value is None or (amount is not None and value != amount):
                    continue
                leaves = _leaves(rows, parent, column)
                if leaves:
                    return _said(context, doc.title, parent, column, leaves)
    return None


def _column_named(row: RowHit, asked: str, explicit: bool) -> str | None:
    """The row's column the question names (its last header word); without `explicit`, its 合计."""
    if not explicit:
        return next((c for c in row.cells if c.split("/")[-1] == "合计"), None)
    for column in row.cells:
        name = column.split("/")[-1]
        if name != "合计" and len(name) >= 2 and name in asked:
            return column
    return None


def _leaves(rows: list[RowHit], parent: RowHit, column: str) -> list[tuple[RowHit, Decimal]]:
    """The lowest-level rows under `parent` with a figure in `column`."""
    depth = len(parent.path)
    below = [r for r in rows if len(r.path) > depth and tuple(r.path[:depth]) == tuple(parent.path)]
    out: list[tuple[RowHit, Decimal]] = []
    for row in below:
        has_children = any(
            len(r.path) > len(row.path) and tuple(r.path[: len(row.path)]) == tuple(row.path) for r in below
        )
        value = row.cells.get(column)
        if not has_children and value is not None and row.code:
            out.append((row, value))
    return out


def _said(
    context: AskContext, title: str, parent: RowHit, column: str, leaves: list[tuple[RowHit, Decimal]]
) -> Answer:
    plan = Plan("codes")
    name = column.split("/")[-1]
    where = table_scope(parent.table, parent.table_title)
    total = fmt(parent.cells.get(column), parent.unit)
    plan.add("figure", total, parent.record, doc=title, item=f"{clean_label(parent.label)}/{name}")
    statements = [
        Statement(
            f"{title}{where}中，“{clean_label(parent.label)}”的{name}{total}记在以下科目编码下",
            [parent.record],
        )
    ]
    for row, value in leaves:
        plan.add("attribute", row.code or "", row.record, column="科目编码", item=clean_label(row.label))
        statements.append(
            Statement(f"科目编码{row.code}（{clean_label(row.label)}）：{fmt(value, row.unit)}", [row.record])
        )
    return finish(context, plan, statements, [])
