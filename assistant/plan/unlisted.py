"""A functional class (类) the spending table does not list: an implied 0, shown by the table's own sum.

Department budgets list in 表三 (预算支出总表) only the classes of the national functional classification
that carry money. When the listed classes add up to the table's total (checked by the calculator), a
class that is not listed has nothing budgeted: 医保局的一般公共服务支出 → 0万元, with the sum as evidence.
In: an item asked and a document. Out: the statement, its plan step and the checked sum, or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assistant.answer import Calculation
from assistant.calculator import CalculationError, Operand, subtract, sum_of
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.plan.figures import function_classes, is_total_row
from assistant.plan.items import core, normalise
from assistant.plan.model import Plan
from assistant.plan.statements import record_calculation
from assistant.retrieval import clean_label, main_cell
from assistant.wording import table_scope
from ingest.api import DocumentHit

# The classes (类) of the national government expenditure functional classification (支出功能分类科目),
# the names every department's 表三 uses for its top-level rows.
FUNCTION_CLASSES = (
    "一般公共服务支出",
    "外交支出",
    "国防支出",
    "公共安全支出",
    "教育支出",
    "科学技术支出",
    "文化旅游体育与传媒支出",
    "社会保障和就业支出",
    "卫生健康支出",
    "节能环保支出",
    "城乡社区支出",
    "农林水支出",
    "交通运输支出",
    "资源勘探工业信息等支出",
    "商业服务业等支出",
    "金融支出",
    "援助其他地区支出",
    "自然资源海洋气象等支出",
    "住房保障支出",
    "粮油物资储备支出",
    "灾害防治及应急管理支出",
    "预备费",
    "其他支出",
    "债务付息支出",
    "债务发行费用支出",
)


@dataclass
class Unlisted:
    statement: Statement
    calculation: Calculation


_BY_CORE = {core(name): name for name in FUNCTION_CLASSES}  # 教育 → 教育支出, computed once


def function_class_named(item: str) -> str | None:
    """The functional class the item names (教育 / 教育支出 / 教育方面 → 教育支出), or None."""
    return _BY_CORE.get(core(item))


def unlisted_class(context: AskContext, doc: DocumentHit, item: str, plan: Plan) -> Unlisted | None:
    """The implied 0 of a class the document's 表三 does not list, when its listed classes add up to
    its total; None when the item is no class, the class is listed, or the sum does not hold."""
    name = function_class_named(item)
    if name is None:
        return None
    classes = function_classes(context, doc).rows
    if not classes or any(normalise(clean_label(r.label)) == normalise(name) for r in classes):
        return None
    rows = context.index.rows(doc_id=doc.doc_id, table="表三")
    total = next((r for r in rows if is_total_row(r)), None)
    total_value = main_cell(total.cells)[1] if total is not None else None
    if total is None or total_value is None:
        return None
    try:
        checked = sum_of(
            [Operand(clean_label(r.label), main_cell(r.cells)[1] or Decimal(0), r.unit) for r in classes]
        )
    except CalculationError:
        return None
    if checked.value != total_value:
        return None  # the listed classes do not make the total: a row may be unread, say nothing
    rest = subtract(
        Operand("支出合计", total_value, total.unit), Operand("列出的各类之和", checked.value, total.unit)
    )
    where = table_scope(total.table, total.table_title)
    listed = "、".join(clean_label(r.label) for r in classes)
    plan.add("unlisted", rest.shown, total.record, doc=doc.title, item=name, listed=listed)
    text = (
        f"{doc.title}{where}没有列出“{name}”，即这一类安排为{rest.shown}（{rest.expression}）：表中列出的类是"
        f"{listed}，合计{checked.shown}，等于支出合计{fmt(total_value, total.unit)}"
    )
    record_calculation(context, checked)
    return Unlisted(Statement(text, [total.record]), record_calculation(context, rest))
