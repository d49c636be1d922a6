"""Row-set answers: argmax/argmin over a set of rows, projects over or under an amount, no carried-over
projects, and what a total is made of (checked by the calculator against the printed total).

In: an `AskContext`. Out: an `Answer` with its plan, or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from assistant.answer import Answer, Calculation
from assistant.calculator import (
    CalculationError,
    Operand,
    sum_of,
)
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.plan.figures import (
    RowSet,
    children_of,
    class_items,
    economic_items,
    function_classes,
    is_class_total,
    named_row,
    project_rows,
)
from assistant.plan.items import normalise
from assistant.plan.merged_items import merge_by_item
from assistant.plan.model import Plan
from assistant.plan.ranked_items import merged_ranked, merged_superlative
from assistant.plan.shapes import (
    LEAST,
    LEFT_OUT,
    MOST,
    RANK,
    SUM,
    THRESHOLD,
    numeral,
)
from assistant.plan.statements import (
    figure_sentence,
    finish,
    label_of,
    record_calculation,
    row_evidence,
    shown_amount,
)
from assistant.plan.winner_share import winner_share
from assistant.retrieval import clean_label, main_cell
from assistant.wording import table_scope
from ingest.api import DocumentHit, Record, RowHit, parse_number

# ------------------------------------------------------------------------------------ superlative


def _row_set(context: AskContext, doc: DocumentHit) -> RowSet | None:
    question = context.query.question
    if re.search(r"功能分类|功能类|功能科目|哪一?类|几大类|大类", question):
        return function_classes(context, doc)
    for column in ("公用经费", "人员经费"):
        if column in question:
            return economic_items(context, doc, column)
    parent = named_row(context, doc, re.sub(r"（\d*）|\(\d*\)", "", context.query.plain))
    if parent is not None and re.search(r"下|里|中", question):
        return children_of(context, doc, parent)
    if (
        re.search(r"下|里|中", question)
        and (items := class_items(context, doc, context.query.plain)) is not None
    ):
        return items  # 工资福利支出里哪项最少: a class of a flat 表六, its items by the table's sums
    if "项目" in question or "表十二" in question or "表十三" in question:
        return project_rows(context, doc, bool(re.search(r"结转|表十三", question)))
    return None


def _left_out(row: RowHit, question: str) -> bool:
    """Whether the question leaves the row out of the ranking (除了办公费以外: both 办公费 rows)."""
    match = LEFT_OUT.search(question)
    if match is None:
        return False
    left = normalise(match.group("left") or match.group("left_after"))
    label = normalise(re.sub(r"（[^）]*）$", "", clean_label(row.label)))
    return len(left) >= 2 and (left in label or label in left)


def superlative(context: AskContext) -> Answer | None:
    doc = context.query.docs[0]
    row_set = _row_set(context, doc)
    if row_set is None or not row_set.rows:
        return None
    question = context.query.question
    most = bool(MOST.search(question)) or not LEAST.search(question)
    valued = [(row, value) for row in row_set.rows if (value := row_set.value(row)) is not None]
    valued = [(row, value) for row, value in valued if not _left_out(row, context.query.plain)]
    if not valued:
        return None
    rank = RANK.search(question)
    if row_set.by_item:  # 表六's items: one item printed under two classes is ranked by its sum
        items = merge_by_item(valued)
        if rank is not None:
            return merged_ranked(context, doc, row_set, items, rank, most)
        return merged_superlative(context, doc, row_set, items, most)
    if rank is not None:
        return _ranked(context, doc, row_set, valued, rank, most)
    best_value = (max if most else min)(value for _, value in valued)
    winners = [row for row, value in valued if value == best_value]
    plan = Plan("superlative")
    table = row_set.rows[0].table
    plan.add("rows", f"{len(valued)}行", None, doc=doc.title, table=table, set=row_set.what)
    op = "argmax" if most else "argmin"
    statements: list[Statement] = []
    for row in winners:
        ev = row_evidence(row, best_value)
        plan.add(op, shown_amount(ev), row.record, label=label_of(ev))
    names = "、".join(f"“{clean_label(r.label)}”" for r in winners)
    word = "最多" if most else "最少"
    unit = winners[0].unit
    where = table_scope(table, winners[0].table_title)
    lead = f"{doc.title}{where}列出的{row_set.what}中，{word}的是{names}，{fmt(best_value, unit)}"
    statements.append(Statement(lead, [r.record for r in winners]))
    calculations: list[Calculation] = []
    if len(winners) == 1:  # 这一类占一般公共预算当年支出的多少: the share of the one found
        winner_share(context, plan, doc, row_evidence(winners[0], best_value), statements, calculations)
    return finish(context, plan, statements, calculations)


def _ranked(
    context: AskContext,
    doc: DocumentHit,
    row_set: RowSet,
    valued: list[tuple[RowHit, Decimal]],
    rank: re.Match[str],
    most: bool,
) -> Answer | None:
    """The n-th largest (第二大) or the top n (前三, with any tie at the boundary) of a row set."""
    ordered = sorted(valued, key=lambda pair: pair[1], reverse=most)
    nth = rank.group("nth")
    count = numeral(nth or rank.group("top"))
    if count is None or count > len(ordered):
        return None
    chosen = [ordered[count - 1]] if nth else ordered[:count]
    while not nth and len(chosen) < len(ordered) and ordered[len(chosen)][1] == chosen[-1][1]:
        chosen.append(ordered[len(chosen)])  # a tie at the boundary: both are among the top n
    plan = Plan("rank")
    table = row_set.rows[0].table
    plan.add("rows", f"{len(valued)}行", None, doc=doc.title, table=table, set=row_set.what)
    plan.add("sort", "从大到小" if most else "从小到大", None, set=row_set.what)
    where = table_scope(table, row_set.rows[0].table_title)
    word = "大" if most else "小"
    if nth:
        row, value = chosen[0]
        ev = row_evidence(row, value)
        plan.add("pick", shown_amount(ev), row.record, label=label_of(ev), rank=str(count))
        lead = f"{doc.title}{where}列出的{row_set.what}中，按金额从{word}到{'小' if most else '大'}排第{nth}的是“{label_of(ev)}”，{shown_amount(ev)}"
        return finish(context, plan, [Statement(lead, [row.record])], [])
    statements = [
        Statement(
            f"{doc.title}{where}列出的{row_set.what}中，按金额从{word}到{'小' if most else '大'}的前{rank.group('top')}项："
        )
    ]
    for row, value in chosen:
        ev = row_evidence(row, value)
        plan.add("pick", shown_amount(ev), row.record, label=label_of(ev))
        statements.append(Statement(f"{label_of(ev)}：{shown_amount(ev)}", [row.record]))
    return finish(context, plan, statements, [])


# ------------------------------------------------------------------------------------------ lists


def projects_over(context: AskContext) -> Answer | None:
    """The projects whose amount passes the threshold asked (500万元以上), largest first."""
    query = context.query
    doc = query.docs[0]
    match = THRESHOLD.search(query.question)
    if match is None:
        return None
    exact = match.group(6) is not None  # 正好是100万元: equal to it
    if exact:
        number, unit, word = match.group(6), match.group(7), ""
    else:
        number, unit, word = (match.group(1), match.group(2), "") if match.group(1) else match.group(3, 4, 5)
    bound = parse_number(number) / (Decimal(10000) if unit == "元" else 1)
    below = bool(re.search(r"低于|少于|不到|不足|以下|以内", match.group(0)))
    strict = bool(re.search(r"超过|高于|大于|多于|低于|少于|不到|不足", match.group(0))) and word == ""
    row_set = project_rows(context, doc, bool(re.search(r"结转|表十三", query.question)))
    chosen = []
    for row in row_set.rows:
        value = row_set.value(row)
        if value is None:
            continue
        if exact:
            passes = value == bound
        elif below:
            passes = value < bound or (value == bound and not strict)
        else:
            passes = value > bound or (value == bound and not strict)
        if passes:
            chosen.append((row, value))
    chosen.sort(key=lambda item: item[1], reverse=not below)
    plan = Plan("filter")
    table = row_set.rows[0].table if row_set.rows else "表十二"
    plan.add("rows", f"{len(row_set.rows)}行", None, doc=doc.title, table=table, set=row_set.what)
    plan.add("filter", f"{len(chosen)}项", None, condition=match.group(0))
    where = table_scope(table, row_set.rows[0].table_title) if row_set.rows else table
    if not chosen:
        statements = [
            Statement(f"{doc.title}{where}中没有{match.group(0)}的项目", [r.record for r in row_set.rows[:1]])
        ]
        return finish(context, plan, statements, [])
    lead = f"金额正好为{number}{unit}" if exact else ("不到所问金额" if below else "达到所问金额")
    statements = [Statement(f"{doc.title}{where}中，{lead}的项目如下（按金额排列）：")]
    for row, value in chosen:
        ev = row_evidence(row, value)
        plan.add("figure", shown_amount(ev), row.record, label=label_of(ev))
        statements.append(Statement(f"{label_of(ev)}：{shown_amount(ev)}", [row.record]))
    calculations: list[Calculation] = []
    if len(chosen) >= 2 and SUM.search(query.question):  # 合计多少: their sum, by the calculator
        try:
            result = sum_of([Operand(clean_label(r.label), v, r.unit) for r, v in chosen])
        except CalculationError:
            return finish(context, plan, statements, calculations)
        calculations.append(record_calculation(context, result))
        plan.add("sum", result.shown, None, expression=result.expression)
        statements.append(Statement(f"以上合计{result.shown}（{result.expression}）。"))
    return finish(context, plan, statements, calculations)


# Class: projects named by a topic (医疗救助相关的项目 / 有关信访的项目 / 关于培训的项目).
ABOUT_TOPIC = re.compile(
    r"(?:和|与|跟)?(?P<topic>[\u4e00-\u9fff]{2,8}?)(?:相关|有关|方面|类)的?项目|(?:关于|涉及|有关)(?P<after>[\u4e00-\u9fff]{2,8}?)的项目"
)


# Class: projects asked by their exact name (名叫“X”的 / 叫X的项目 / 名称为X的), often printed once per unit.
NAMED_PROJECTS = re.compile(
    r"(?:名叫|叫做|名为|名字叫|名称为|名称是|叫)[“\"「]?(?P<name>[^”\"」，,？?]{2,20}?)[”\"」]?的"
)


def projects_about(context: AskContext) -> Answer | None:
    """The projects whose names carry a topic's words (医疗救助相关的项目), or are exactly the name
    asked (名叫“补充业务费”的, printed once per unit), each with its figure, and their total checked by
    the calculator; None when no project fits (the look-up answers then)."""
    query = context.query
    doc = query.docs[0]
    named = NAMED_PROJECTS.search(query.plain)
    match = named or ABOUT_TOPIC.search(query.plain)
    if match is None:
        return None
    topic = match.group("name") if named is not None else (match.group("topic") or match.group("after"))
    row_set = project_rows(context, doc, bool(re.search(r"结转|表十三", query.question)))
    chosen = [
        (r, v)
        for r in row_set.rows
        if (clean_label(r.label) == topic if named is not None else topic in clean_label(r.label))
        and (v := row_set.value(r)) is not None
    ]
    if not chosen:
        return None
    condition = f"名称为“{topic}”" if named is not None else f"名称含“{topic}”"
    plan = Plan("filter")
    table = chosen[0][0].table
    plan.add("rows", f"{len(row_set.rows)}行", None, doc=doc.title, table=table, set=row_set.what)
    plan.add("filter", f"{len(chosen)}项", None, condition=condition)
    where = table_scope(table, chosen[0][0].table_title)
    return listed_projects(context, plan, f"{doc.title}{where}中，{condition}的项目", chosen)


def listed_projects(
    context: AskContext,
    plan: Plan,
    head: str,
    chosen: list[tuple[RowHit, Decimal]],
    check: Callable[[Decimal], str] | None = None,
    records: Sequence[Record] = (),
) -> Answer:
    """Each chosen project row with its figure under a lead line (`head`如下), and for two or more
    their total from the calculator in the lead; `check` adds a note on that total (how it compares
    with a printed subtotal), `records` what the lead line cites."""
    items: list[Statement] = []
    for row, value in chosen:
        ev = row_evidence(row, value)
        plan.add("figure", shown_amount(ev), row.record, label=label_of(ev))
        items.append(Statement(f"{label_of(ev)}：{shown_amount(ev)}", [row.record]))
    calculations: list[Calculation] = []
    lead = f"{head}如下："
    if len(chosen) >= 2:
        try:
            result = sum_of([Operand(clean_label(r.label), v, r.unit) for r, v in chosen])
        except CalculationError:
            result = None
        if result is not None:
            calculations.append(record_calculation(context, result))
            plan.add("sum", result.shown, None, expression=result.expression)
            note = check(result.rounded) if check is not None else ""
            lead = f"{head}合计{result.shown}（{result.expression}）{note}，如下："
    return finish(context, plan, [Statement(lead, list(records)), *items], calculations)


def carried_over_projects(context: AskContext) -> Answer | None:
    """上年结转的项目: listed by the look-up when 表十三 has projects; when it has none, the stated 0 of
    上年结转 in 表一 answers (nothing was carried over)."""
    doc = context.query.docs[0]
    if project_rows(context, doc, carried_over=True).rows:
        return None
    carried = next(
        (
            r
            for r in context.index.rows(doc_id=doc.doc_id, table="表一")
            if clean_label(r.label) == "上年结转"
        ),
        None,
    )
    if carried is None:
        return None
    value = main_cell(carried.cells)[1]
    if value not in (None, Decimal(0)):
        return None
    ev = row_evidence(carried, value)
    plan = Plan("stated_zero")
    plan.add("rows", "0行", None, doc=doc.title, table="表十三", set="上年结转项目")
    plan.add("figure", shown_amount(ev), carried.record, label="上年结转")
    sentence = figure_sentence(doc, ev, ("", None), context)
    statements = [sentence, Statement("表十三（上年结转项目支出）没有列出项目：没有上年结转的项目")]
    return finish(context, plan, statements, [])


# ------------------------------------------------------------------------------------ composition


def composition(context: AskContext) -> Answer | None:
    """The parts of a named total with their figures, and the calculator's check that they add up."""
    query = context.query
    doc = query.docs[0]
    whole = re.split(r"由|包括|分(成|为)|是由|的组成|的构成|的?各项|的?每一?项", query.plain)[0]
    whole = re.sub(r"[\d.]+\s*万元|^的", "", whole).strip("的 ，,：:")
    found = parts_of(context, doc, whole)
    if found is None:
        return None
    total, parts, where = found
    plan = Plan("composition")
    plan.add("rows", f"{len(parts)}项", None, doc=doc.title, whole=whole, table=where)
    statements: list[Statement] = []
    shown = []
    for row, value in parts:
        ev = row_evidence(row, value)
        if value is None:
            context.blank_records.add(row.record.id)
        plan.add("figure", shown_amount(ev), row.record, label=label_of(ev))
        shown.append(Statement(f"{label_of(ev)}{shown_amount(ev)}", [row.record]))
    calculations: list[Calculation] = []
    lead = f"{doc.title}{where}中，{whole}由以下各项组成"
    if total is not None:
        values = [v for _, v in parts]
        leaves = [(r, v) for i, (r, v) in enumerate(parts) if not is_class_total(values, i, True)]
        operands = [Operand(label_of(row_evidence(r, v)), v or Decimal(0), r.unit) for r, v in leaves]
        try:
            result = sum_of(operands)
            calculations.append(record_calculation(context, result))
            plan.add("sum", result.shown, None, expression=result.expression)
            check = "与合计相符" if result.value == total[1] else f"与合计{fmt(total[1], total[0].unit)}不符"
            lead += f"，合计{fmt(total[1], total[0].unit)}（{result.expression}，{check}）"
        except CalculationError:
            pass
    statements.append(Statement(lead + "：", [total[0].record] if total is not None else []))
    statements += shown
    return finish(context, plan, statements, calculations)


def parts_of(
    context: AskContext, doc: DocumentHit, whole: str
) -> tuple[tuple[RowHit, Decimal] | None, list[tuple[RowHit, Decimal | None]], str] | None:
    """The total row, the part rows with their figures, and the table, for a whole named by a table's
    title (“三公”经费 → 表十), a column of 表三's total (基本支出 → its leaf rows), or a row with children."""
    flat = re.sub(r"[“”\"'（）()]", "", whole)
    for table in ("表十", "表十一"):
        rows = context.index.rows(doc_id=doc.doc_id, table=table)
        if rows and flat and flat in re.sub(r"[“”\"'（）()]", "", rows[0].table_title):
            totals = [r for r in rows if clean_label(r.label) in ("合计", "总计")]
            parts = [
                (r, main_cell(r.cells)[1]) for r in rows if r not in totals and len(clean_label(r.label)) >= 2
            ]
            parts = [(r, v) for r, v in parts if not re.fullmatch(r"\d{4}年.*表", clean_label(r.label))]
            total = (totals[0], main_cell(totals[0].cells)[1]) if totals else None
            return (
                (total if total and total[1] is not None else None),
                parts,
                table_scope(table, rows[0].table_title),
            )  # type: ignore[return-value]
    rows = context.index.rows(doc_id=doc.doc_id, table="表三")
    total_rows = [r for r in rows if clean_label(r.label) == "合计"]
    for column in ("基本支出", "项目支出"):
        if column in flat and total_rows:

            def cell(r: RowHit, column: str = column) -> Decimal | None:
                return next((v for c, v in r.cells.items() if c.endswith(column)), None)

            leaves = [
                r
                for r in rows
                if r.code
                and cell(r) is not None
                and not any(len(o.path) > len(r.path) and o.path[: len(r.path)] == r.path for o in rows)
            ]
            total_value = cell(total_rows[0])
            total = (total_rows[0], total_value) if total_value is not None else None
            return total, [(r, cell(r)) for r in leaves], table_scope("表三", rows[0].table_title)
    flat_parts = _parts_by_arithmetic(context, doc, flat)
    if flat_parts is not None:
        return flat_parts
    parent = named_row(context, doc, flat)
    if parent is not None:
        children = children_of(context, doc, parent)
        value = main_cell(parent.cells)[1]
        total = (parent, value) if value is not None else None
        return (
            total,
            [(r, children.value(r)) for r in children.rows],
            table_scope(parent.table, parent.table_title),
        )
    return None


_ROUNDING = Decimal("0.005")  # half a cent of 万元 per printed part


def _parts_by_arithmetic(
    context: AskContext, doc: DocumentHit, flat: str
) -> tuple[tuple[RowHit, Decimal], list[tuple[RowHit, Decimal | None]], str] | None:
    """A class row of a flat 表六 (商品和服务支出 followed by 办公费, 福利费 …): its parts are the rows after
    it that add up to it exactly; the template's arithmetic tells where the class ends, not names."""
    rows = context.index.rows(doc_id=doc.doc_id, table="表六")
    for i, row in enumerate(rows):
        label = clean_label(row.label)
        value = main_cell(row.cells)[1]
        if len(label) < 2 or label not in flat or value is None or row.code:
            continue
        total, parts = Decimal(0), []
        for other in rows[i + 1 :]:
            part = main_cell(other.cells)[1]
            total += part or Decimal(0)
            parts.append((other, part))
            if total >= value - _ROUNDING * len(parts):
                break
        if abs(total - value) <= _ROUNDING * len(parts) and len(parts) >= 2:  # each part rounded to 0.01
            return (row, value), parts, table_scope("表六", row.table_title)
    return None
