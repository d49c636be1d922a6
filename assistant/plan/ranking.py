"""Documents ranked by one item: 哪个部门的三公经费最多 / 几家单位里谁的支出总计最少.

The same item is found in every document the question allows (the named ones, else all held), then
`argmax`/`argmin` over the documents that state it; documents that do not are named as such.
In: an `AskContext` whose question asks which body has the most or least of an item. Out: an `Answer`
with its plan, or None when fewer than two documents state the item.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant.answer import Answer, Calculation
from assistant.calculator import CalculationError, subtract
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.plan.figures import find_figure
from assistant.plan.items import asked_items
from assistant.plan.model import Plan
from assistant.plan.shapes import LEAST, MOST
from assistant.plan.slots import document_labels
from assistant.plan.statements import (
    figure_sentence,
    finish,
    label_of,
    operand,
    record_calculation,
    shown_amount,
)
from assistant.retrieval import Evidence, Scope
from ingest.api import DocumentHit

# Class: which body is asked for (哪个部门 / 哪家单位 / 哪一个局 / 谁家).
WHICH_BODY = re.compile(r"哪(个|一个|家|一家)?(部门|单位|局)|哪家|谁家|谁(?=[^，,。？?]{0,14}最)")
# Class: the spread asked after the first (跟最少的那家差多少 / 最多和最少相差多少): max − min.
_SPREAD = re.compile(
    r"[，,]?[^，,。？?]{0,4}最(多|高|大|少|低|小)的?(那家|那个|那一家|一家)?[^，,。？?]{0,4}(相差|差)(多少|几)[^，,。？?]*"
)
# Class: the set of documents named as a whole (这四个部门里 / 几家单位中 / 所有部门中).
_BODIES_SET = re.compile(
    r"(这|那)?(所有|全部|各个|[几两三四五六七八九十\d]+(个|家))(部门|单位|局)(里面|里|中|之中|当中)?的?"
)


def rank_documents(context: AskContext) -> Answer | None:
    query = context.query
    docs = query.docs if len(query.docs) >= 2 else context.documents
    if len(docs) < 2:
        return None
    context = replace(context, query=replace(query, docs=list(docs)))
    asked_first = _SPREAD.sub("", query.question)  # 谁最少？最多和最少差多少: the first ask decides
    most = bool(MOST.search(asked_first)) or not LEAST.search(asked_first)
    spread = _SPREAD.search(query.plain)
    plain = _SPREAD.sub("", query.plain)
    plain = _BODIES_SET.sub("", WHICH_BODY.sub("", plain))
    plain = re.sub(r"这一?(项|块|笔)|(安排|花|用|拿)得?(?=最)", "", plain)  # X这一项，谁安排得最多 asks X
    plain = re.sub(r"(的)?(最(大|多|高|少|小|低)|数额最大|金额最大)", "", plain)
    context = replace(context, query=replace(context.query, plain=plain))  # 几家: the bodies, not the unit
    asked = asked_items(plain, document_labels(context))
    if len(asked.items) != 1:
        return None
    item = asked.items[0]
    found: list[tuple[DocumentHit, Evidence]] = []
    missing: list[DocumentHit] = []
    for doc in docs:
        ev = find_figure(context, doc, item, asked.context)
        if ev is None:
            missing.append(doc)
        else:
            found.append((doc, ev))
    if len(found) < 2:
        return None
    plan = Plan("rank_documents")
    for doc, ev in found:
        plan.add("figure", shown_amount(ev), ev.record, doc=doc.title, item=item, label=label_of(ev))
    best_value = (max if most else min)(ev.value or Decimal(0) for _, ev in found)
    winners = [(doc, ev) for doc, ev in found if (ev.value or Decimal(0)) == best_value]
    op = "argmax" if most else "argmin"
    for doc, ev in winners:
        plan.add(op, shown_amount(ev), ev.record, doc=doc.title, label=label_of(ev))
    word = "最多" if most else "最少"
    names = "、".join(doc.title for doc, _ in winners)
    label = label_of(winners[0][1])
    where = "所问的几个部门中" if len(query.docs) >= 2 else "所收录的预算公开中"
    lead = f"{where}，{label}{word}的是{names}，{fmt(best_value, winners[0][1].unit)}"
    statements = [Statement(lead, [ev.record for _, ev in winners])]
    calculations: list[Calculation] = []
    if spread is not None:  # and how far the other end is: the largest minus the smallest
        _spread(context, plan, found, statements, calculations)
    previous: tuple[str, Scope | None] = ("", None)
    for doc, ev in sorted(found, key=lambda pair: pair[1].value or Decimal(0), reverse=most):
        statements.append(figure_sentence(doc, ev, previous, context))
        previous = (doc.doc_id, ev.scope)
    for doc in missing:
        plan.add("missing", doc=doc.title, item=item)
        statements.append(Statement(f"{doc.title}没有单列“{item}”的数额"))
    return finish(context, plan, statements, calculations)


def _spread(
    context: AskContext,
    plan: Plan,
    found: list[tuple[DocumentHit, Evidence]],
    statements: list[Statement],
    calculations: list[Calculation],
) -> None:
    """The largest figure minus the smallest, named by their documents (checked by the calculator)."""
    ordered = sorted(found, key=lambda pair: pair[1].value or Decimal(0))
    (low_doc, low), (high_doc, high) = ordered[0], ordered[-1]
    try:
        result = subtract(operand(high, high_doc), operand(low, low_doc))
    except CalculationError:
        return
    calculations.append(record_calculation(context, result))
    plan.add("difference", result.shown, None, larger=high_doc.department, smaller=low_doc.department)
    text = f"最多的{high_doc.department}比最少的{low_doc.department}多{result.shown}（{result.expression}）。"
    statements.insert(1, Statement(text))
