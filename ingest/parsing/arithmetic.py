"""Checks every table against its own arithmetic; failures become `Finding`s (kept, never fixed).

Rules: a row's total equals the sum of its parts (合计 = 基本支出 + 项目支出 …, from the table's
template), a 科目编码 parent equals the sum of its children, the 合计 row equals the sum of the top-level
rows, and the template's row sums by label (收入总计 = 一、… + 二、…; 一、财政拨款收入 = 1. + 2. + 3.).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.model import BudgetTable, Finding, TableRow
from ingest.parsing.table_schema import TEMPLATE, Side
from ingest.parsing.templates import BY_NAME, RowSum

ZERO = Decimal(0)


@dataclass
class CheckResult:
    """How many arithmetic checks ran on a table and which failed."""

    checked: int
    findings: list[Finding]


def _value(row: TableRow, column: str) -> Decimal:
    return row.cells.get(column) or ZERO


def _row_rules(table: BudgetTable, row: TableRow) -> list[tuple[str, list[str]]]:
    """(total column, part columns) pairs that apply to this row, by the template's side rules."""
    numeric = [c for c in row.cells]
    side = _side_of(table, row, len(numeric))
    if side is None or not side.total_of:
        return []
    if len(numeric) < len(side.numbers):
        return []
    names = numeric[: len(side.numbers)]
    return [(names[0], [names[i] for i in side.total_of])]


def _side_of(table: BudgetTable, row: TableRow, width: int) -> Side | None:
    template = BY_NAME.get(table.template)
    spec = template.spec(table.key) if template is not None and table.template != "shanxi13" else None
    if spec is None:
        sides = TEMPLATE.get(table.number, ())
        return next((s for s in sides if (s.name or None) == row.side), sides[0] if len(sides) == 1 else None)
    # the template's side named like the printed one (本年收入 ⊃ 收入), with as many number columns
    fitting = [
        s for s in spec.sides if (not s.name or s.name in (row.side or "")) and len(s.numbers) == width
    ]
    return fitting[0] if fitting else None


def _row_sums(table: BudgetTable) -> list[tuple[TableRow, list[TableRow], str]]:
    """(total row, part rows, rule) for the template's row sums by label."""
    template = BY_NAME.get(table.template)
    spec = template.spec(table.key) if template is not None else None
    out: list[tuple[TableRow, list[TableRow], str]] = []
    for rule in spec.row_sums if spec is not None else ():
        for side in dict.fromkeys(r.side for r in table.rows):
            rows = [r for r in table.rows if r.side == side]
            for k, total in enumerate(rows):
                if re.search(rule.total, total.label):
                    parts = _parts(rows, k, rule)
                    if parts:
                        out.append((total, parts, f"{total.label} = {' + '.join(p.label for p in parts)}"))
    return out


def _parts(rows: list[TableRow], k: int, rule: RowSum) -> list[TableRow]:
    if rule.scope == "side":
        return [r for i, r in enumerate(rows) if i != k and re.search(rule.parts, r.label)]
    parts = []
    for row in rows[k + 1 :]:  # the numbered rows right below the total, up to the next total
        if not re.search(rule.parts, row.label):
            break
        parts.append(row)
    return parts


def check_table(table: BudgetTable) -> CheckResult:
    findings: list[Finding] = []
    checked = 0
    for row in table.rows:
        if not any(v is not None for v in row.cells.values()):
            continue
        for total, parts in _row_rules(table, row):
            checked += 1
            expected = sum((_value(row, p) for p in parts), ZERO)
            if expected != _value(row, total):
                findings.append(
                    Finding(
                        table.key,
                        row.label,
                        expected,
                        _value(row, total),
                        f"{total} = {' + '.join(parts)}",
                        row.locator,
                    )
                )
    for sum_row, part_rows, rule in _row_sums(table):
        for column in sum_row.cells:
            if sum_row.cells[column] is None and all(p.cells.get(column) is None for p in part_rows):
                continue
            checked += 1
            expected = sum((_value(p, column) for p in part_rows), ZERO)
            if expected != _value(sum_row, column):
                findings.append(
                    Finding(
                        table.key, sum_row.label, expected, _value(sum_row, column), rule, sum_row.locator
                    )
                )
    for parent in table.rows:
        children = _children(table, parent)
        if not children:
            continue
        for column in parent.cells:
            checked += 1
            expected = sum((_value(c, column) for c in children), ZERO)
            if expected != _value(parent, column):
                rule = f"{parent.label} = 下级科目之和（{column}）"
                findings.append(
                    Finding(table.key, parent.label, expected, _value(parent, column), rule, parent.locator)
                )
    return CheckResult(checked=checked, findings=findings)


def _children(table: BudgetTable, parent: TableRow) -> list[TableRow]:
    rows = [r for r in table.rows if r.side == parent.side]
    if parent.code:
        n = len(parent.code) + 2
        return [r for r in rows if r.code and len(r.code) == n and r.code.startswith(parent.code)]
    if parent.label == "合计" and any(r.code for r in rows):
        return [r for r in rows if r.code and len(r.code) == 3]
    return []
