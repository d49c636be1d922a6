"""Figure steps: the figure a document gives for an asked item, and the row sets other steps range over.

In: an `AskContext`, a document, an item phrase and the context phrase it sits in. Out: `Evidence`
(a blank table cell comes back with value None: the table states no amount, which reads 0) or None when
no figure's label names the item. Row sets: a table's projects (表十二/表十三 without the unit subtotal
rows), the top-level function classes of 表三, the children of a named row, the economic items of 表六
under 人员经费 or 公用经费.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.context import AskContext
from assistant.lexicon import expand
from assistant.plan.items import core, everyday_terms, names_item, normalise
from assistant.retrieval import Evidence, Scope, bigrams, clean_label, main_cell
from assistant.unit_fit import expected_unit, fits
from ingest.api import DocumentHit, RowHit, StructuredIndex

MIN_SCORE = 0.5  # below this the best label shares too little with the item to be its figure
_TOTAL = re.compile(r"^(合计|总计|部门合计|本年收入合计|本年支出合计|收入总计|支出总计)$")
# Unit subtotal rows of the project tables (class: names of government bodies and their units).
_UNIT_NAME = re.compile(
    r"(局|厅|委员会|委|办公室|办|中心|站|所|院|队|馆|社|会|处|室|部)(\[部门\]|（部门）|\(部门\))?$"
)
_PROJECT_WORD = re.compile(r"资金|经费|项目|工程|费|款|补助|补贴|保险|支出|建设")


def find_figure(context: AskContext, doc: DocumentHit, item: str, hint: str = "") -> Evidence | None:
    """The figure whose label names `item` best, preferring rows under or titled by `hint`; only figures
    in a unit the question can mean (多少钱 is never answered with 辆)."""
    expected = expected_unit(context.query.plain or context.query.question)
    ranked = context.lookup.rank(doc.doc_id, expand(f"{hint} {item}" if hint else item), k=40)
    asked = bigrams(f"{hint}{item}") | bigrams("".join(everyday_terms(item)))
    ranked = sorted(
        ranked,
        key=lambda ev: (
            -(
                ev.score
                + _hint_bonus(ev, hint)
                + 0.3 * _explained(ev, asked)
                + _flow_bonus(ev, item)
                + _part_of_name_bonus(ev, item)
            )
        ),
    )
    for ev in ranked:
        if ev.score + (0.5 if ev.value is None else 0) < MIN_SCORE:
            break
        if names_item(item, ev.label) and (expected is None or fits(ev.unit, expected)):
            return ev
    return None


def _explained(ev: Evidence, asked: set[str]) -> float:
    """The share of the label's words the question accounts for (总额/合计 need no asking): 政府采购预算
    is 政府采购.总额, not 政府采购.服务."""
    own = bigrams(re.sub(r"总额|合计|总计|（[^）]*）", "", ev.label.replace(".", "")))
    return len(own & asked) / len(own) if own else 1.0


def _part_of_name_bonus(ev: Evidence, item: str) -> float:
    """A label that prints the item's words unbroken (预算一体化 in 预算一体化2.0…服务费) is the line the
    question names in part, ahead of lines sharing only some of its words (国库一体化…)."""
    words = normalise(core(item))
    return 0.5 if len(words) >= 4 and words in normalise(ev.label) else 0.0


def _flow_bonus(ev: Evidence, item: str) -> float:
    """An income line asked (一般公共预算拨款 / 上年结转收入) is read where income is tabled (收入 or 收支
    in the table's title), not from a spending table's funding column of the same name."""
    if not re.search(r"(拨款|收入)$", item):
        return 0.0
    return 0.5 if re.search(r"收入|收支", str(ev.scope)) else 0.0


def _hint_bonus(ev: Evidence, hint: str) -> float:
    if not hint:
        return 0.0
    """Rows whose parents, table title or columns share words with the context phrase come first."""
    path = "".join(str(p) for p in ev.record.payload.get("row_path") or [])
    columns = "".join(str(c) for c in (ev.record.payload.get("cells") or {}))
    where = f"{path}{ev.scope}{columns}"
    if normalise(hint) and normalise(hint) in normalise(path):
        return 1.0
    return 0.1 * len(bigrams(hint) & bigrams(where))


@dataclass(frozen=True)
class RowSet:
    """Rows a superlative or listing ranges over, the column read and what the set is, in words."""

    rows: list[RowHit]
    column: str  # "" = the row's headline figure
    what: str  # 项目 / 支出功能分类 / 公用经费支出科目
    by_item: bool = False  # 表六's items: one item printed under two classes (基本工资) is ranked as one

    def value(self, row: RowHit) -> Decimal | None:
        if self.column:
            return next((v for c, v in row.cells.items() if c.endswith(self.column)), None)
        return main_cell(row.cells)[1]


def is_total_row(row: RowHit) -> bool:
    return bool(_TOTAL.match(clean_label(row.label))) or row.label.endswith("合计")


def is_unit_row(row: RowHit, doc: DocumentHit, subtotal: bool = False) -> bool:
    """A unit's subtotal in a project table: the department, or a body's name that is not a project's,
    or a body's name whose figure is the sum of the rows after it (`subtotal`)."""
    label = re.sub(r"\[.*?\]", "", row.label)
    if label == doc.department or label.startswith(doc.department):
        return True
    if not _UNIT_NAME.search(row.label):
        return False
    return subtotal or not _PROJECT_WORD.search(label)


def sub_units(index: StructuredIndex, doc: DocumentHit) -> list[str]:
    """The units a document's project tables list with their subtotals (柳林县城镇集体联合社)."""
    names: list[str] = []
    for table in ("表十二", "表十三"):
        every = [r for r in index.rows(doc_id=doc.doc_id, table=table) if not is_total_row(r)]
        values = [main_cell(r.cells)[1] for r in every]
        for i, row in enumerate(every):
            label = re.sub(r"\[.*?\]", "", clean_label(row.label))
            if label != doc.department and is_unit_row(row, doc, is_class_total(values, i, True)):
                names.append(label)
    return sorted(set(names), key=len, reverse=True)


def project_rows(context: AskContext, doc: DocumentHit, carried_over: bool = False) -> RowSet:
    """The projects of 表十二 (本年预算) or 表十三 (上年结转), unit subtotals left out."""
    table = "表十三" if carried_over else "表十二"
    every = [r for r in context.index.rows(doc_id=doc.doc_id, table=table) if not is_total_row(r)]
    values = [main_cell(r.cells)[1] for r in every]
    rows = [
        r
        for i, r in enumerate(every)
        if values[i] is not None and not is_unit_row(r, doc, is_class_total(values, i, True))
    ]
    return RowSet(rows, "", "上年结转项目" if carried_over else "项目")


def function_classes(context: AskContext, doc: DocumentHit) -> RowSet:
    """The top-level classes (类) of 表三's functional classification that carry a figure."""
    rows = [
        r
        for r in context.index.rows(doc_id=doc.doc_id, table="表三")
        if len(r.path) == 1 and not is_total_row(r) and main_cell(r.cells)[1] is not None
    ]
    return RowSet(rows, "", "支出功能分类的类")


def children_of(context: AskContext, doc: DocumentHit, parent: RowHit) -> RowSet:
    """The rows directly under `parent` in its own table."""
    depth = len(parent.path)
    rows = [
        r
        for r in context.index.rows(doc_id=doc.doc_id, table=parent.table)
        if len(r.path) == depth + 1 and tuple(r.path[:depth]) == tuple(parent.path)
    ]
    return RowSet([r for r in rows if main_cell(r.cells)[1] is not None], "", f"{parent.label}下的科目")


def named_row(context: AskContext, doc: DocumentHit, text: str) -> RowHit | None:
    """The row of 表三 (else 表二, 表五, 表六) whose label the text names, longest label first, with children
    (表六: the economic classes of a layout that prints them as a tree, 302 商品和服务支出 > 30229 福利费)."""
    flat = normalise(text)
    for table in ("表三", "表二", "表五", "表六"):
        rows = context.index.rows(doc_id=doc.doc_id, table=table)
        named = [r for r in rows if len(clean_label(r.label)) >= 2 and clean_label(r.label) in flat]
        named.sort(key=lambda r: -len(r.label))
        for row in named:
            if any(len(r.path) == len(row.path) + 1 and r.path[: len(row.path)] == row.path for r in rows):
                return row
    return None


def class_items(context: AskContext, doc: DocumentHit, text: str) -> RowSet | None:
    """The items of the 表六 class the text names (工资福利支出下 / 商品和服务支出里), in a layout that
    prints its classes flat: the rows after the class row whose figures add up to it (the template's
    arithmetic, not its names, tells a class from an item). None when the text names no class."""
    rows = [r for r in context.index.rows(doc_id=doc.doc_id, table="表六") if not is_total_row(r)]
    values = [main_cell(r.cells)[1] for r in rows]
    flat = normalise(text)
    named = [
        i
        for i, row in enumerate(rows)
        if len(clean_label(row.label)) >= 2
        and clean_label(row.label) in flat
        and is_class_total(values, i, "（" not in row.label)
    ]
    if not named:
        return None
    at = max(named, key=lambda i: len(clean_label(rows[i].label)))
    target, total = values[at], Decimal(0)
    items: list[RowHit] = []
    for row, value in zip(rows[at + 1 :], values[at + 1 :], strict=True):
        if target is None or total >= target - Decimal("0.01") * max(len(items), 1):
            break
        items.append(row)
        total += value or Decimal(0)
    valued = [r for r in items if main_cell(r.cells)[1] is not None]
    return RowSet(valued, "", f"“{clean_label(rows[at].label)}”下的科目", by_item=True) if valued else None


def economic_items(context: AskContext, doc: DocumentHit, column: str) -> RowSet:
    """The economic items of 表六 under `column` (人员经费 or 公用经费), class totals left out.

    A class total (商品和服务支出) is a row equal to the sum of the rows after it up to the next class:
    the template's arithmetic, not its names, tells them apart.
    """
    rows = [r for r in context.index.rows(doc_id=doc.doc_id, table="表六") if not is_total_row(r)]
    values = [next((v for c, v in r.cells.items() if c.endswith(column)), None) for r in rows]
    keep: list[RowHit] = []
    for i, row in enumerate(rows):
        value = values[i]
        if value is None:
            continue
        single_ok = "（" not in row.label  # an item names its class in brackets: 印刷费（办公经费）
        if not is_class_total(values, i, single_ok):
            keep.append(row)
    return RowSet(keep, column, f"{column}的支出科目", by_item=True)


def is_class_total(values: list[Decimal | None], i: int, single_ok: bool) -> bool:
    target = values[i]
    if target is None:
        return False
    total = Decimal(0)
    count = 0
    for value in values[i + 1 :]:
        if value is None:
            count += 1  # a blank part (①公务用车购置费 with no amount) is a part of 0
            continue
        total += value
        count += 1
        if abs(total - target) <= Decimal("0.01") * count:
            return count >= 2 or (single_ok and total == target)
        if total > target:
            return False
    return False


def unit_total(context: AskContext, doc: DocumentHit, item: str) -> Evidence | None:
    """A unit's project spending (its subtotal row in 表十二): 医疗保险服务中心的项目支出, or 本级 — the
    department's own unit, whose row carries the department's name without [部门]."""
    if "本级" not in item and "项目" not in item:
        return None
    rows = context.index.rows(doc_id=doc.doc_id, table="表十二")
    for row in rows:
        label = clean_label(row.label)
        bare = re.sub(r"^" + re.escape(doc.summary.region), "", label)
        named = ("本级" in item and label == doc.department) or (
            label != doc.department and "[" not in label and len(bare) >= 4 and bare in item
        )
        value = main_cell(row.cells)[1]
        if named and value is not None and is_unit_row(row, doc, True):
            what = f"{'本级' if '本级' in item else label}项目支出"
            return Evidence(row.record, what, value, row.unit, Scope.of_row(row), "row")
    return None
