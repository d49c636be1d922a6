"""Attribute answers: where a named line sits — 基本支出 or 项目支出 (表三), which funds and whether carried
over (表十二/表十三), its 科目编码.

In: an `AskContext`. Out: an `Answer` with its plan, or None.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.answer import Answer
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.plan.codes import codes_under
from assistant.plan.economic_class import economic_class
from assistant.plan.figures import is_class_total, is_total_row, is_unit_row
from assistant.plan.items import asked_items
from assistant.plan.model import Plan
from assistant.plan.slots import document_labels
from assistant.plan.statements import (
    finish,
    label_of,
    row_evidence,
    shown_amount,
)
from assistant.retrieval import bigrams, clean_label, main_cell
from assistant.wording import table_scope
from ingest.api import DocumentHit, RowHit, parse_number

# -------------------------------------------------------------------------------------- attribute


def attribute(context: AskContext) -> Answer | None:
    """Where a named line sits: 基本支出 or 项目支出 (表三), which funds (表十二/表十三), its 科目编码."""
    query = context.query
    if (economic := economic_class(context)) is not None:
        return economic  # 在经济科目表里归在哪一类: the class row 表六's arithmetic shows
    if (codes := codes_under(context)) is not None:
        return codes  # 分别记在哪些科目编码下: the lowest-level rows below the line
    doc = query.docs[0]
    quoted = re.search(r"[“\"]([^”\"]{2,40})[”\"]", query.plain)
    asked = asked_items(query.plain, document_labels(context))
    # the line is quoted, or the first item, or the topic the ask follows (X是…，还是由哪个单位实施)
    candidates = (
        [quoted.group(1)] if quoted else [*asked.items[:1], *([asked.context] if asked.context else [])]
    )
    stated = _stated_amount(query.question)
    row, item = None, ""
    for candidate in candidates:
        item = re.sub(r"(是|算是|属于|落在).*$", "", candidate) or candidate
        item = re.sub(r"^.*?(那笔|这笔|那项|这项)的?", "", item) or item
        row = _attribute_row(context, doc, item, stated)
        if row is not None:
            break
    if row is None:
        return None
    plan = Plan("attribute")
    value = main_cell(row.cells)[1]
    ev = row_evidence(row, value)
    plan.add("figure", shown_amount(ev), row.record, doc=doc.title, item=item, label=label_of(ev))
    filled = [(c.split("/")[-1], v) for c, v in row.cells.items() if v is not None and not c.endswith("合计")]
    filled = [(c, v) for c, v in filled if c != "合计"]
    parts = "，".join(f"{c}{fmt(v, row.unit)}" for c, v in filled)
    where = table_scope(row.table, row.table_title)
    sentences = [f"{doc.title}{where}中，“{clean_label(row.label)}”为{fmt(value, row.unit)}"]
    if parts:
        sentences[0] += f"，其中{parts}"
    kinds = [c for c, _ in filled]
    if row.table == "表三" and kinds:
        kind = "、".join(k for k in kinds if k in ("基本支出", "项目支出"))
        if kind:
            sentences.append(f"所以它属于{kind}")
            plan.add("attribute", kind, row.record, column="基本支出/项目支出")
    if row.table in ("表十二", "表十三"):
        source = "上年结转" if row.table == "表十三" else "本年预算（当年新安排）"
        funds = "、".join(kinds)
        sentences.append(f"它列在{row.table}，属于{source}" + (f"，资金来源为{funds}" if funds else ""))
        plan.add("attribute", source, row.record, column="表十二/表十三")
        unit = _unit_of(context, doc, row)
        if unit is not None:
            name = re.sub(r"\[.*?\]", "", clean_label(unit.label))
            own = name == doc.department or name.startswith(doc.department)
            sentences.append(
                f"它列在{'部门本级' if own else '“' + name + '”'}名下（由{'部门本级' if own else '该单位'}实施）"
            )
            plan.add("attribute", name, unit.record, column="单位")
    if row.code:
        sentences.append(f"科目编码为{row.code}")
        plan.add("attribute", row.code, row.record, column="科目编码")
    elif re.search(r"科目", query.question):
        path = " > ".join(row.path) if len(row.path) > 1 else ""
        sentences.append("表中没有列出它的科目编码" + (f"，所在科目层级为{path}" if path else ""))
    statements = [Statement(sentences[0], [row.record])]
    statements += [Statement(s) for s in sentences[1:]]
    return finish(context, plan, statements, [])


def _unit_of(context: AskContext, doc: DocumentHit, row: RowHit) -> RowHit | None:
    """The unit a project is listed under: the nearest unit subtotal row above it in its table."""
    every = [r for r in context.index.rows(doc_id=doc.doc_id, table=row.table) if not is_total_row(r)]
    values = [main_cell(r.cells)[1] for r in every]
    at = next((i for i, r in enumerate(every) if r.record.id == row.record.id), None)
    if at is None:
        return None
    for i in range(at - 1, -1, -1):
        if is_unit_row(every[i], doc, is_class_total(values, i, True)):
            return every[i]
    return None


def _stated_amount(question: str) -> Decimal | None:
    match = re.search(r"(\d+(?:\.\d+)?)\s*万元", question)
    return parse_number(match.group(1)) if match else None


def _attribute_row(context: AskContext, doc: DocumentHit, item: str, stated: Decimal | None) -> RowHit | None:
    """The row the question points at: its label names the item; a stated amount picks among rows."""
    tables = ("表三", "表十二", "表十三", "表二", "表六")
    flat = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", item)
    scored: list[tuple[float, int, RowHit]] = []
    for order, table in enumerate(tables):
        for row in context.index.rows(doc_id=doc.doc_id, table=table):
            value = main_cell(row.cells)[1]
            label = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", clean_label(row.label))
            if len(label) < 2 or value is None:
                continue
            if flat in label or label in flat:
                score = 2.0 + len(label) / 100
            else:  # a stated amount and shared words pick the row (1.20万元的计划生育支出 → 其他计划生育事务支出)
                shared = len(bigrams(flat) & bigrams(label))
                score = shared / max(1, len(bigrams(flat))) if stated is not None and value == stated else 0
            if stated is not None and value == stated:
                score += 1.0
            if score >= 0.5:
                scored.append((score, -order, row))
    if not scored:
        return None
    scored.sort(key=lambda t: (-t[0], -t[1], -len(t[2].path)))
    return scored[0][2]
