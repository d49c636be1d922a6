"""Checks every table against its own arithmetic; failures become `Finding`s (kept, never fixed).

Rules: a row's total equals the sum of its parts (合计 = 基本支出 + 项目支出 …, from the template),
a 科目编码 parent equals the sum of its children, the 合计 row equals the sum of the top-level rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ingest.model import BudgetTable, Finding, TableRow
from ingest.table_schema import TEMPLATE

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
    sides = TEMPLATE.get(table.number, ())
    side = next((s for s in sides if (s.name or None) == row.side), sides[0] if len(sides) == 1 else None)
    if side is None or not side.total_of:
        return []
    numeric = [c for c in row.cells]
    if len(numeric) < len(side.numbers):
        return []
    names = numeric[: len(side.numbers)]
    return [(names[0], [names[i] for i in side.total_of])]


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
