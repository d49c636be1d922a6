"""Count steps: 有几个 / 多少位 / 几户 answered by a table or fact, else by the clause that states it.

A count the tables carry (公务用车, 实有人数) is the look-up's; a count only the text states (局长1名、
副局长2名; 绩效指标 审计项目数：≥4户; 培育品牌个数：≥6个) is a `clause` step said as the answer.
In: an `AskContext` whose question asks a count. Out: an `Answer` with its plan, or None.
"""

from __future__ import annotations

import re

from assistant import answers_figures
from assistant.answer import Answer
from assistant.context import AskContext
from assistant.lexicon import COUNT_ASKED
from assistant.plan.clauses import Clause, find_clause, headcount_clause
from assistant.plan.items import asked_items, content_words, normalise
from assistant.plan.model import Plan
from assistant.plan.statements import clause_statement, finish
from assistant.unit_fit import COUNT, ExpectedUnit, expected_unit
from assistant.wording import sub_unit
from ingest.api import DocumentHit

__all__ = ["COUNT_ASKED", "kind_count", "stated_count"]


def stated_count(context: AskContext) -> Answer | None:
    """The look-up's count when a table or fact carries it; otherwise the document's clause that
    states it; otherwise the look-up's own answer (a refusal naming what is disclosed), or None."""
    query = context.query
    looked = answers_figures.answer_lookup(context)
    if len(query.docs) != 1:
        return looked
    doc = query.docs[0]
    expected = expected_unit(query.plain or query.question)
    if expected is None or not expected.measured:
        expected = COUNT  # 资金要培育几个品牌: the count is asked, not the money its topic mentions
    asked = asked_items(query.plain, [])
    item = content_words("".join(asked.items)) or content_words(query.plain)  # a premise is not the item
    kind = _naming_kind(context, doc, asked.context, item, expected)  # X里，Y类的有几个: Y's own count
    looked_fits = looked is not None and not looked.refused
    if kind is None and looked_fits and not _another_units(context, doc):
        return looked
    clause: Clause | None = kind
    if clause is None and len(item) < 2 and "人" in expected.units:  # 有多少人: the department's headcount
        clause = headcount_clause(context.index, doc.doc_id)
    elif clause is None:
        clause = find_clause(context.index, doc.doc_id, f"{content_words(asked.context)}{item}", expected)
    if clause is None and asked.context:  # the topic may be a premise (不用给名单，…): the item alone
        clause = find_clause(context.index, doc.doc_id, item, expected)
    if clause is None:
        return looked
    if kind is None and looked_fits and not _names_department(clause, doc):
        return looked  # a sub-unit's count against a clause that is not the department's own either
    plan = Plan("count")
    plan.add("clause", clause.text, clause.record, doc=doc.title, item=item)
    return finish(context, plan, [clause_statement(doc, clause)], [])


def kind_count(context: AskContext) -> Answer | None:
    """X里，Y类的有几个 in one document: the clause naming the kind Y word for word, or None."""
    query = context.query
    if len(query.docs) != 1:
        return None
    doc = query.docs[0]
    expected = expected_unit(query.plain or query.question)
    if expected is None or not expected.measured:
        expected = COUNT
    asked = asked_items(query.plain, [])
    item = content_words("".join(asked.items))
    clause = _naming_kind(context, doc, asked.context, item, expected)
    if clause is None:
        return None
    plan = Plan("count")
    plan.add("clause", clause.text, clause.record, doc=doc.title, item=item)
    return finish(context, plan, [clause_statement(doc, clause)], [])


def _naming_kind(
    context: AskContext, doc: DocumentHit, topic: str, kind: str, expected: ExpectedUnit
) -> Clause | None:
    """X里，Y类的有几个: the clause naming the kind Y word for word (特定目标类项目0个), before any
    clause the topic's words match better (the topic's total: 二级项目28个)."""
    if not topic or len(kind) < 3:
        return None
    clause = find_clause(context.index, doc.doc_id, kind, expected)
    return clause if clause is not None and kind in normalise(clause.text) else None


def _another_units(context: AskContext, doc: DocumentHit) -> bool:
    """The look-up's count is stated under a sub-unit's heading the question does not name (城镇集体
    联合社机构设置: 编制人数6人 is that unit's, not the department's)."""
    query = context.query
    ev, _ = answers_figures.best_figure(
        context, doc, query.terms, expected_unit(query.plain or query.question)
    )
    heading = (
        sub_unit(str(ev.record.payload.get("scope", ""))) if ev is not None and ev.kind == "fact" else ""
    )
    return bool(heading) and not any(part in query.question for part in _names_in(heading))


def _names_in(heading: str) -> list[str]:
    name = re.sub(r"(机构设置|人员构成|职责|情况|本单位)+$", "", heading)
    return [name, name[:4]] if len(name) >= 4 else [name]


def _names_department(clause: Clause, doc: DocumentHit) -> bool:
    """The clause is the department's own (全局/局机关/本部门…), not a sub-unit's."""
    return bool(re.search(r"全局|局机关|本局|本部门|机关", clause.text)) or doc.department in clause.about
