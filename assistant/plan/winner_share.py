"""The share of what a superlative found, when the question asks it too (哪一大类最多？这一类占一般公共
预算当年支出的多少): the found figure over the whole the question names, by the calculator.

In: an `AskContext`, the plan so far, the document and the found figure. Out: a `share` step, its
sentence and calculation appended; nothing when no share is asked or the whole is not found.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.answer import Calculation
from assistant.calculator import CalculationError, share_percent
from assistant.composer import Statement
from assistant.context import AskContext
from assistant.plan.model import Plan
from assistant.plan.shapes import SHARE_OF
from assistant.plan.slots import whole_figure
from assistant.plan.statements import label_of, operand, record_calculation, shown_amount
from assistant.retrieval import Evidence
from ingest.api import DocumentHit


def winner_share(
    context: AskContext,
    plan: Plan,
    doc: DocumentHit,
    found: Evidence,
    statements: list[Statement],
    calculations: list[Calculation],
) -> None:
    asked = SHARE_OF.search(context.query.plain)
    if asked is None:
        return
    # the whole is a money figure: the share's own words (百分之几) do not set the unit looked for
    plain = SHARE_OF.sub("", context.query.plain)
    asking_whole = replace(context, query=replace(context.query, plain=plain))
    whole = whole_figure(asking_whole, doc, asked.group("whole"), found)
    if whole is None or whole.value is None or whole.record.id == found.record.id:
        return
    try:
        result = share_percent(operand(found), operand(whole))
    except CalculationError:
        return
    if result.value > 100:  # not a part of the named whole: no share said
        return
    calculations.append(record_calculation(context, result))
    plan.add("share", result.shown, whole.record, doc=doc.title, part=label_of(found), whole=label_of(whole))
    statements.append(
        Statement(
            f"{label_of(found)}占{label_of(whole)}（{shown_amount(whole)}）的{result.shown}（{result.expression}）",
            [whole.record],
        )
    )
