"""One economic item printed on several rows of 表六 is one item for a reader.

The template prints an item once per government class it falls under (福利费（办公经费） and 福利费（商品和
服务支出）; 基本工资（工资奖金津补贴） and 基本工资（工资福利支出）), so "which item is largest" ranges over
the item names, each the calculator's sum of its rows.
In: the valued rows of a row set. Out: `MergedItem`s, one per item name, in first-printed order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assistant.calculator import CalcResult, CalculationError, Operand, sum_of
from assistant.retrieval import clean_label
from ingest.api import RowHit


def item_name(label: str) -> str:
    """The item a 表六 row prints, without the class in its closing brackets: 福利费（办公经费） → 福利费;
    brackets inside the name stay (因公出国（境）费用（因公出国（境）费用） → 因公出国（境）费用)."""
    text = clean_label(label).replace("(", "（").replace(")", "）")
    if not text.endswith("）"):
        return text
    depth = 0
    for i in range(len(text) - 1, -1, -1):  # back to the bracket that opens the closing group
        depth += {"）": 1, "（": -1}.get(text[i], 0)
        if depth == 0:
            return text[:i].strip() or text
    return text


@dataclass(frozen=True)
class MergedItem:
    """An item name, its rows with their figures, and their sum when it has several rows."""

    name: str
    rows: tuple[tuple[RowHit, Decimal], ...]
    total: CalcResult | None

    @property
    def value(self) -> Decimal:
        return self.total.rounded if self.total is not None else self.rows[0][1]

    @property
    def unit(self) -> str:
        return self.rows[0][0].unit


def merge_by_item(valued: list[tuple[RowHit, Decimal]]) -> list[MergedItem]:
    """Rows grouped by item name; an item on two or more rows gets their sum from the calculator."""
    groups: dict[str, list[tuple[RowHit, Decimal]]] = {}
    for row, value in valued:
        groups.setdefault(item_name(row.label), []).append((row, value))
    merged: list[MergedItem] = []
    for name, rows in groups.items():
        total = None
        if len(rows) >= 2:
            try:
                total = sum_of([Operand(clean_label(r.label), v, r.unit) for r, v in rows])
            except CalculationError:  # rows in different units: not one item's figure
                merged += [MergedItem(clean_label(r.label), ((r, v),), None) for r, v in rows]
                continue
        merged.append(MergedItem(name, tuple(rows), total))
    return merged
