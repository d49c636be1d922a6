"""The planner: a question's shape → steps over the structured index → an answer stating every slot.

Shapes (each a class of question, recognised from its wording and the index, never from one question):
- superlative: 最大/最多/最少/哪一项最… over a row set (projects, function classes, a row's children,
  人员经费/公用经费 items) → `rows` + `argmax`/`argmin`;
- attribute: 是基本支出还是项目支出 / 哪类资金 / 科目编码 / 新批还是结转 → the row and its filled columns;
- slots: every document × every item asked (分别/各/、/和), each `figure` or `missing`; then `difference`
  (谁高、差多少, A比B多多少), `sum` (加起来/一共) over the found figures.
In: an `AskContext`. Out: an `Answer` with `plan` set, or None when no shape fits (the single-intent
handlers answer then). Every computed figure comes from the calculator and goes to `calc_results`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant import answers_figures, answers_text
from assistant.answer import Answer, Calculation
from assistant.calculator import (
    CalcResult,
    CalculationError,
    Operand,
    divide,
    subtract,
    sum_of,
    to_calculation,
)
from assistant.composer import Statement, compose, fmt
from assistant.context import AskContext
from assistant.plan.clauses import Clause, find_clause
from assistant.plan.figures import (
    MIN_SCORE,
    RowSet,
    children_of,
    economic_items,
    find_figure,
    function_classes,
    is_class_total,
    named_row,
    project_rows,
    unit_total,
)
from assistant.plan.items import AskedItems, asked_items, content_words, core, normalise
from assistant.plan.model import Plan, Step
from assistant.retrieval import Evidence, bigrams, clean_label, main_cell
from assistant.unit_fit import expected_unit
from assistant.wording import fact_label, table_scope
from ingest.index import DocumentHit, RowHit, to_decimal
from ingest.records import Record

# Class: superlative wordings (最大/最多/最高 → argmax; 最少/最小/最低 → argmin).
_MOST = re.compile(r"最(大|多|高)|数额最大|金额最大|花.{0,2}最多")
_LEAST = re.compile(r"最(少|小|低)")
# Class: attribute questions (which column, which class of funds, which subject code).
_ATTRIBUTE = re.compile(
    r"基本支出还是项目支出|项目支出还是基本支出|属于(哪|什么)|哪(类|种|一类|个科目|一级)|科目编码|什么科目|"
    r"新批.{0,8}还是.{0,6}结转|还是上年结转|结转.{0,6}还是|还是.{0,4}(今年|当年|本年)新"
)
# Class: comparison of the same item across documents or of two items (谁高/哪个多/差多少/A比B多多少).
_COMPARE = re.compile(
    r"谁|哪个(多|高|大|少|低)|哪家|差多少|相差|多多少|少多少|高多少|低多少|多出|差额|比.{1,12}(多|少|高|低)"
)
# Class: aggregation wordings (加起来/一共/合计/总共/之和).
_SUM = re.compile(r"加起来|加在一起|一共|总共|合计|之和|共计")
# Class: a change against another year (the document's own stated change answers it, changes.py).
_CHANGE = re.compile(r"比(上|去)年|比上一年|(比|跟|和|较)20\d\d年?|增加还是减少|增减|变化|怎么样|涨|降|同比")
# Class: counts and measures other than money (几个/多少人/几辆): the unit-aware look-up answers them.
_COUNT = re.compile(r"几个|多少个|多少人|几人|几辆|多少辆|面积|多大|几台|几笔|[两三四五六七八九]笔")
# Class: what a money item's name ends with (费/金/款/支出/经费/资金/收入/补助): worth naming as not listed.
_MONEY_ITEM = re.compile(r"(费|金|款|支出|经费|资金|收入|补助|补贴|拨款|保险|工资)$")
# Class: a threshold on amounts (500万元以上 / 超过50万元 / 不少于 / 以下 / 不到).
_THRESHOLD = re.compile(
    r"(?:超过|高于|大于|不少于|不低于|多于|低于|少于|不到|不足)\s*(\d+(?:\.\d+)?)\s*(万元|元)|"
    r"(\d+(?:\.\d+)?)\s*(万元|元)\s*(以上|及以上|或以上|以下|及以下|以内)"
)
# Class: what a total is made of (由哪几项组成/构成/包括哪些项/分成哪几块).
_PARTS = re.compile(
    r"由哪.{0,4}(组成|构成)|包括哪(几|些)(项|部分|科目|块)|分(成|为)哪(几|些)|(组成|构成)部分"
)
_BLANK_NOTE = "（表中该栏为空，即没有安排）"


def answer_with_plan(context: AskContext) -> Answer | None:
    """The plan's answer, or None when the question is not one of the planner's shapes."""
    query = context.query
    question = query.question
    if not query.docs or query.derived_year or query.codes or "目录" in question or query.language != "zh":
        return None  # English questions keep the handlers that write English sentences
    if _MOST.search(question) or _LEAST.search(question):
        return _superlative(context)
    if _PARTS.search(question):
        return _composition(context)
    if _THRESHOLD.search(question) and "项目" in question:
        return _projects_over(context)
    if re.search(r"结转", question) and re.search(r"项目", question) and re.search(r"哪些|什么", question):
        return _carried_over_projects(context)
    if _ATTRIBUTE.search(question):
        return _attribute(context)
    if query.intent == "glossary":
        return None
    if re.search(
        r"占|比例|比重|百分之|推算|增长|下降|为什么|为啥|原因|咋|怎么(少|多|涨|降|减|增)|有哪些|哪些|包括|包含|"
        r"指什么|什么意思|干什么|做什么|用途|负责|职责|什么工作",
        question,
    ):
        return None  # shares, derivations, reasons and lists keep their own handlers
    if _CHANGE.search(question) or _COUNT.search(question):
        return None
    return _slots(context)


# ------------------------------------------------------------------------------------------ slots


def _labels(context: AskContext) -> list[str]:
    labels: set[str] = set()
    for doc in context.query.docs:
        labels |= {clean_label(ev.label.split(".")[-1]) for ev in context.lookup.candidates(doc.doc_id)}
    return sorted(labels)


def _slots(context: AskContext) -> Answer | None:
    query = context.query
    asked = asked_items(query.plain, _labels(context))
    quoted = re.findall(r"[“\"]([^”\"]{4,40})[”\"]", query.plain)
    if len(quoted) == 1 and len(query.docs) == 1:  # a name given in quotes is the item (名字叫“X”的项目)
        asked = AskedItems(asked.context, quoted, asked.text)
    compare = bool(_COMPARE.search(query.question))
    total = bool(_SUM.search(query.question))
    pair = _two_items_compared(query.plain)
    if pair is not None:
        asked = AskedItems(asked.context, list(pair), asked.text)
    asked = _shared_head(asked)
    if not asked.items:
        return None
    if len(asked.items) == 1 and len(query.docs) == 1 and not total:
        return _single(context, query.docs[0], asked)
    if len(query.docs) == 1:
        columns = _row_columns(context, query.docs[0], asked)
        if columns is not None:
            return columns
    plan = Plan("slots")
    statements: list[Statement] = []
    found: list[tuple[DocumentHit, str, Evidence]] = []
    stated: list[tuple[DocumentHit, str, Clause]] = []  # items a description states word for word
    missing: list[tuple[DocumentHit, str]] = []
    for doc in query.docs:
        for item in asked.items:
            ev = unit_total(context, doc, item) or find_figure(context, doc, item, asked.context)
            clause = None
            if ev is None or normalise(core(item)) not in normalise(ev.label):
                clause = _exact_clause(context, doc, item)  # 驻京信访工作经费100万元, not 信访专项工作经费
            expected = expected_unit(query.plain or query.question)
            if ev is None and clause is None and expected is not None:  # a description that speaks of it
                clause = find_clause(context.index, doc.doc_id, content_words(item), expected)
            if clause is not None:
                plan.add("clause", clause.text, clause.record, doc=doc.title, item=item)
                stated.append((doc, item, clause))
            elif ev is not None:
                plan.add("figure", _shown(ev), ev.record, doc=doc.title, item=item, label=_label(ev))
                found.append((doc, item, ev))
            else:
                plan.add("missing", doc=doc.title, item=item)
                missing.append((doc, item))
    missing = [(doc, item) for doc, item in missing if _MONEY_ITEM.search(item)]
    answered = len(found) + len(stated)
    if (
        len(query.docs) == 1
        and len(found) == 1
        and not stated
        and not missing
        and (len(asked.items) == 1 or not total)
    ):
        return _single(context, query.docs[0], AskedItems(asked.context, [found[0][1]], asked.text))
    one_figure = len(query.docs) == 1 and answered < 2 and not stated
    if one_figure and not all(ev.value is None for _, _, ev in found):
        return None  # one figure of one document: the look-up handlers answer it with its scope notes
    if not answered:
        return None
    previous: tuple[str, str] = ("", "")
    for doc, _item, ev in found:
        statements.append(_figure_sentence(doc, ev, previous, context))
        previous = (doc.doc_id, ev.scope)
    for doc, _item, clause in stated:
        statements.append(_clause_statement(doc, clause))
    for doc, item in missing:
        statements.append(Statement(f"{doc.title}没有单列“{item}”的数额，文件没有说明"))
    calculations: list[Calculation] = []
    per = _per_unit(query.question)
    if per is not None:
        return _averages(context, plan, found, per, compare)
    if len(found) == 2 and (compare or pair is not None):
        _compare(context, plan, found, statements, calculations)
    elif total and len(found) >= 2:
        _total(context, plan, found, statements, calculations)
    return _finish(context, plan, statements, calculations)


# Class: per-unit averages (平均每辆/每辆车 → the vehicles held; 人均/平均每人 → the staff).
_PER_UNIT: list[tuple[re.Pattern[str], tuple[str, ...], str]] = [
    (re.compile(r"平均每辆|每辆车|每辆|一辆车平均|per (vehicle|car)"), ("车辆.实有", "车辆.编制"), "辆"),
    (
        re.compile(r"人均|平均每人|每人平均|每个人平均|per (person|head)"),
        ("实有人数", "在职人数", "编制人数"),
        "人",
    ),
]


def _per_unit(question: str) -> tuple[tuple[str, ...], str] | None:
    for pattern, names, unit in _PER_UNIT:
        if pattern.search(question):
            return names, unit
    return None


def _averages(
    context: AskContext,
    plan: Plan,
    found: list[tuple[DocumentHit, str, Evidence]],
    per: tuple[tuple[str, ...], str],
    compare: bool,
) -> Answer | None:
    """Each figure divided by its document's count (vehicles held, staff), then compared."""
    names, unit = per
    statements: list[Statement] = []
    calculations: list[Calculation] = []
    averages: list[tuple[DocumentHit, CalcResult]] = []
    for doc, item, ev in found:
        count = next(
            (
                c
                for name in names
                for c in context.lookup.candidates(doc.doc_id)
                if c.kind == "fact"
                and (c.label == name or c.label.endswith(name))
                and c.unit == unit
                and c.value
            ),
            None,
        )
        if count is None or ev.value is None:
            plan.add("missing", "", None, doc=doc.title, item=f"{unit}数")
            statements.append(
                Statement(f"{doc.title}没有可用于平均的{unit}数，无法计算平均每{unit}的{_label(ev)}")
            )
            continue
        try:
            # the count is a pure number here, so the average keeps the figure's unit (万元 per 辆)
            result = divide(_operand(ev), Operand(_label(count), count.value or Decimal(0), ""))
        except CalculationError:
            continue
        calculations.append(_calc(context, result))
        plan.add("figure", _shown(ev), ev.record, doc=doc.title, item=item, label=_label(ev))
        plan.add("figure", _shown(count), count.record, doc=doc.title, item=f"{unit}数", label=_label(count))
        plan.add("divide", result.shown, None, expression=result.expression)
        statements.append(
            Statement(
                f"{doc.title}：{_label(ev)}{_shown(ev)}，{_label(count)}{_shown(count)}，"
                f"平均每{unit}{result.shown}（{result.expression}）",
                [ev.record, count.record],
            )
        )
        averages.append((doc, result))
    if not averages:
        return None
    if compare and len(averages) == 2:
        (doc_a, a), (doc_b, b) = averages
        (high_doc, high), (low_doc, low) = (
            ((doc_a, a), (doc_b, b)) if a.value >= b.value else ((doc_b, b), (doc_a, a))
        )
        try:
            gap = subtract(
                Operand(f"{high_doc.department}平均", high.rounded, high.unit),
                Operand(f"{low_doc.department}平均", low.rounded, low.unit),
            )
        except CalculationError:
            gap = None
        if gap is not None:
            calculations.append(_calc(context, gap))
            plan.add("difference", gap.shown, None, expression=gap.expression)
            statements.insert(
                0, Statement(f"{high_doc.department}平均每{unit}更高，高{gap.shown}（{gap.expression}）。")
            )
    return _finish(context, plan, statements, calculations)


def _shared_head(asked: AskedItems) -> AskedItems:
    """A和B的X / A、B，X加起来: the last item is the money item the others (units, bodies) share."""
    items = asked.items
    if (
        len(items) >= 3
        and _MONEY_ITEM.search(items[-1])
        and not any(_MONEY_ITEM.search(i) for i in items[:-1])
    ):
        return AskedItems(asked.context, [f"{i}{items[-1]}" for i in items[:-1]], asked.text)
    return asked


def _row_columns(context: AskContext, doc: DocumentHit, asked: AskedItems) -> Answer | None:
    """Several columns of one row (一般公共服务支出：当年预算安排和上年结转安排各多少; X的基本支出和项目支出):
    the row is named by the context or the first item, the other items name its columns."""
    candidates = [(asked.context, asked.items)] if asked.context else []
    candidates.append((asked.items[0], asked.items[1:]))
    for row_words, column_words in candidates:
        if not row_words or len(column_words) < 2:
            continue
        for ev in context.lookup.rank(doc.doc_id, row_words, k=8):
            if ev.kind != "row" or normalise(clean_label(ev.label)) not in normalise(row_words):
                continue
            cells = ev.record.payload.get("cells") or {}
            picked = [_column_named(word, cells) for word in column_words]
            if any(p is None for p in picked):
                continue
            plan = Plan("row_columns")
            where = table_scope(*_table_and_title(ev))
            statements = [Statement(f"{doc.title}{where}中，“{_label(ev)}”一行", [])]
            for word, (column, raw) in zip(column_words, picked, strict=True):  # type: ignore[misc]
                amount = fmt(to_decimal(raw), ev.unit)
                if raw is None:
                    context.blank_records.add(ev.record.id)
                plan.add(
                    "figure", amount, ev.record, doc=doc.title, item=word, label=f"{_label(ev)}/{column}"
                )
                statements.append(Statement(f"{column.split('/')[-1]}为{amount}", [ev.record]))
            statements[0] = Statement(
                statements[0].text + "：" + "，".join(s.text for s in statements[1:]), [ev.record]
            )
            return _finish(context, plan, statements[:1], [])
    return None


def _column_named(word: str, cells: dict[str, object]) -> tuple[str, object] | None:
    flat = normalise(word)
    for column, raw in cells.items():
        name = normalise(column.split("/")[-1])
        if len(name) >= 2 and (flat in name or name in flat):
            return column, raw
    return None


def _two_items_compared(plain: str) -> tuple[str, str] | None:
    """A比B多多少 inside one document: the two items either side of 比."""
    plain = re.sub(r"\s+", "", plain)
    match = re.search(
        r"([\u4e00-\u9fff（）()“”]{2,20})比([\u4e00-\u9fff（）()“”]{2,20}?)(多|少|高|低)", plain
    )
    if match is None:
        return None
    return match.group(1).strip("的"), match.group(2).strip("的")


def _single(context: AskContext, doc: DocumentHit, asked: AskedItems) -> Answer | None:
    """One item in one document: a stated 0 (blank cell) is answered here; an item no figure's label
    names is refused from the evidence, pointing without figures at the nearest lines that are disclosed;
    any other single figure is left to the look-up handlers (they add scope notes and stated changes)."""
    item = asked.items[0]
    ev = find_figure(context, doc, item, asked.context)
    named_elsewhere = ev is not None and normalise(core(item)) not in normalise(ev.label)
    per_person = bool(_PER_PERSON.search(context.query.question))
    if ev is None or per_person or named_elsewhere:
        stated = _clause_answer(context, doc, item, exact=ev is not None and not per_person)
        if stated is not None:
            return stated
    if ev is not None and ev.value is not None and ev.value != 0:
        summed = _same_item_rows(context, doc, item, ev)
        if summed is not None:
            return summed
        if context.query.intent == "lookup":
            looked = answers_figures.answer_lookup(context)
            if (
                looked is not None
                and not looked.refused
                and any(c.record_id == ev.record.id for c in looked.citations)
            ):
                return looked  # the look-up agrees and adds scope notes and the stated change
        plan = Plan("figure")  # 一共/合计 of one item: the item's own figure is the total asked
        plan.add("figure", _shown(ev), ev.record, doc=doc.title, item=item, label=_label(ev))
        return _finish(context, plan, [_figure_sentence(doc, ev, ("", ""), context)], [])
    plan = Plan("stated_zero" if ev is not None else "not_disclosed")
    if ev is None:
        if context.query.intent != "lookup" or context.query.language != "zh":
            return None
        plan.add("missing", "", None, doc=doc.title, item=item)
        nearby = [e.record for e in context.lookup.rank(doc.doc_id, item, k=2) if e.score >= MIN_SCORE]
        department = re.sub(r"\[.*?\]", "", doc.department)
        text = f"{department}的预算公开没有单列“{item}”的数额，文件中找不到这个问题的答案。"
        answer = answers_text.refuse(context, text, nearby[:2])
        answer.plan = plan_json(plan.steps, answer)
        return answer
    plan.add("figure", _shown(ev), ev.record, doc=doc.title, item=item, label=_label(ev))
    return _finish(context, plan, [_figure_sentence(doc, ev, ("", ""), context)], [])


# Class: per-person and per-period standards (每人/人均/一人/每月/标准): a description states them.
_PER_PERSON = re.compile(r"每人|人均|一人|每名|每位|每户|每月|标准")


def _clause_answer(context: AskContext, doc: DocumentHit, item: str, exact: bool = False) -> Answer | None:
    """A figure a project's description or performance indicator states (每人每年60元); with `exact`,
    only a clause that names the item word for word (a table row already answers it otherwise)."""
    expected = expected_unit(context.query.plain or context.query.question)
    clause = None
    if _PER_PERSON.search(context.query.question):  # 每人每年交多少: a per-person clause of the project
        clause = find_clause(context.index, doc.doc_id, content_words(context.query.plain), expected, True)
    if clause is None:
        clause = _exact_clause(context, doc, item)
    if clause is None and not exact and expected is not None:
        clause = find_clause(context.index, doc.doc_id, content_words(item), expected)
    if clause is None:
        return None
    plan = Plan("clause")
    plan.add("clause", clause.text, clause.record, doc=doc.title, item=item)
    return _finish(context, plan, [_clause_statement(doc, clause)], [])


def _clause_statement(doc: DocumentHit, clause: Clause) -> Statement:
    return Statement(f"{doc.title}{_section_name(clause.record)}写明：{clause.text}", [clause.record])


def _exact_clause(context: AskContext, doc: DocumentHit, item: str) -> Clause | None:
    """A clause stating a figure that names the item word for word (its core, at least 4 characters)."""
    name = normalise(core(item))
    if len(name) < 4:
        return None
    expected = expected_unit(context.query.plain or context.query.question)
    clause = find_clause(context.index, doc.doc_id, content_words(item), expected)
    return clause if clause is not None and name in normalise(clause.text) else None


def _section_name(record: Record) -> str:
    section = str(record.metadata.get("section", "")).split(" > ")[-1]
    return f"“{section}”中" if section else ""


def _same_item_rows(context: AskContext, doc: DocumentHit, item: str, ev: Evidence) -> Answer | None:
    """One item printed on several rows of a table under different classes (差旅费（办公经费） and
    差旅费（商品和服务支出）): each row and their sum; None when the item has a single row."""
    if ev.kind != "row":
        return None
    base = re.sub(r"（[^）]*）", "", ev.label)
    if base == ev.label or normalise(ev.label) in normalise(item):
        return None  # no class in brackets, or the question names the class itself
    table = ev.scope.split(" ")[0]
    rows = [
        r
        for r in context.index.rows(doc_id=doc.doc_id, table=table)
        if re.sub(r"（[^）]*）", "", clean_label(r.label)) == base and main_cell(r.cells)[1] is not None
    ]
    if len(rows) < 2:
        return None
    plan = Plan("same_item_rows")
    parts = [_row_evidence(r, main_cell(r.cells)[1]) for r in rows]
    for part in parts:
        plan.add("figure", _shown(part), part.record, doc=doc.title, item=item, label=_label(part))
    result = sum_of([_operand(p) for p in parts])
    calculations = [_calc(context, result)]
    plan.add("sum", result.shown, None, expression=result.expression)
    where = table_scope(*_table_and_title(ev))
    statements = [
        Statement(f"{doc.title}{where}中，{base}共{result.shown}（{result.expression}），分列在以下各行")
    ]
    statements += [Statement(f"{_label(p)}为{_shown(p)}", [p.record]) for p in parts]
    return _finish(context, plan, statements, calculations)


def _operand(ev: Evidence, doc: DocumentHit | None = None) -> Operand:
    name = _label(ev) if doc is None else f"{doc.department}{_label(ev)}"
    return Operand(name, ev.value or Decimal(0), ev.unit)


def _compare(
    context: AskContext,
    plan: Plan,
    found: list[tuple[DocumentHit, str, Evidence]],
    statements: list[Statement],
    calculations: list[Calculation],
) -> None:
    (doc_a, _, a), (doc_b, _, b) = found
    same_doc = doc_a.doc_id == doc_b.doc_id
    high, low = ((doc_a, a), (doc_b, b)) if (a.value or 0) >= (b.value or 0) else ((doc_b, b), (doc_a, a))
    try:
        result = subtract(
            _operand(high[1], None if same_doc else high[0]), _operand(low[1], None if same_doc else low[0])
        )
    except CalculationError:
        return
    calculations.append(_calc(context, result))
    name_high = _label(high[1]) if same_doc else high[0].department
    name_low = _label(low[1]) if same_doc else low[0].department
    plan.add(
        "difference", result.shown, None, larger=name_high, smaller=name_low, expression=result.expression
    )
    if result.value == 0:
        text = f"两者相同，都是{fmt(high[1].value, high[1].unit)}。"
    else:
        text = f"{name_high}更多，比{name_low}多{result.shown}（{result.expression}）。"
    statements.insert(0, Statement(text))


def _total(
    context: AskContext,
    plan: Plan,
    found: list[tuple[DocumentHit, str, Evidence]],
    statements: list[Statement],
    calculations: list[Calculation],
) -> None:
    operands = [
        _operand(ev, doc if len({d.doc_id for d, _, _ in found}) > 1 else None) for doc, _, ev in found
    ]
    try:
        result = sum_of(operands)
    except CalculationError:
        return
    calculations.append(_calc(context, result))
    plan.add("sum", result.shown, None, expression=result.expression)
    statements.insert(0, Statement(f"合计{result.shown}（{result.expression}）。"))


# ------------------------------------------------------------------------------------ superlative


def _row_set(context: AskContext, doc: DocumentHit) -> RowSet | None:
    question = context.query.question
    if re.search(r"功能分类|哪一?类|几大类|大类", question):
        return function_classes(context, doc)
    for column in ("公用经费", "人员经费"):
        if column in question:
            return economic_items(context, doc, column)
    parent = named_row(context, doc, re.sub(r"（\d*）|\(\d*\)", "", context.query.plain))
    if parent is not None and re.search(r"下|里|中", question):
        return children_of(context, doc, parent)
    if "项目" in question or "表十二" in question or "表十三" in question:
        return project_rows(context, doc, bool(re.search(r"结转|表十三", question)))
    return None


def _superlative(context: AskContext) -> Answer | None:
    doc = context.query.docs[0]
    row_set = _row_set(context, doc)
    if row_set is None or not row_set.rows:
        return None
    most = bool(_MOST.search(context.query.question))
    valued = [(row, value) for row in row_set.rows if (value := row_set.value(row)) is not None]
    if not valued:
        return None
    best_value = (max if most else min)(value for _, value in valued)
    winners = [row for row, value in valued if value == best_value]
    plan = Plan("superlative")
    table = row_set.rows[0].table
    plan.add("rows", f"{len(valued)}行", None, doc=doc.title, table=table, set=row_set.what)
    op = "argmax" if most else "argmin"
    statements: list[Statement] = []
    for row in winners:
        ev = _row_evidence(row, best_value)
        plan.add(op, _shown(ev), row.record, label=_label(ev))
    names = "、".join(f"“{clean_label(r.label)}”" for r in winners)
    word = "最多" if most else "最少"
    unit = winners[0].unit
    where = table_scope(table, winners[0].table_title)
    lead = f"{doc.title}{where}列出的{row_set.what}中，{word}的是{names}，{fmt(best_value, unit)}"
    statements.append(Statement(lead, [r.record for r in winners]))
    return _finish(context, plan, statements, [])


def _row_evidence(row: RowHit, value: Decimal | None) -> Evidence:
    return Evidence(
        row.record, clean_label(row.label), value, row.unit, f"{row.table} {row.table_title}", "row"
    )


# ------------------------------------------------------------------------------------------ lists


def _projects_over(context: AskContext) -> Answer | None:
    """The projects whose amount passes the threshold asked (500万元以上), largest first."""
    query = context.query
    doc = query.docs[0]
    match = _THRESHOLD.search(query.question)
    if match is None:
        return None
    number, unit, word = (match.group(1), match.group(2), "") if match.group(1) else match.group(3, 4, 5)
    bound = Decimal(number) / (Decimal(10000) if unit == "元" else 1)
    below = bool(re.search(r"低于|少于|不到|不足|以下|以内", match.group(0)))
    strict = bool(re.search(r"超过|高于|大于|多于|低于|少于|不到|不足", match.group(0))) and word == ""
    row_set = project_rows(context, doc, bool(re.search(r"结转|表十三", query.question)))
    chosen = []
    for row in row_set.rows:
        value = row_set.value(row)
        if value is None:
            continue
        passes = (
            (value < bound or (value == bound and not strict))
            if below
            else (value > bound or (value == bound and not strict))
        )
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
        return _finish(context, plan, statements, [])
    lead = "不到所问金额" if below else "达到所问金额"
    statements = [Statement(f"{doc.title}{where}中，{lead}的项目如下（按金额排列）：")]
    for row, value in chosen:
        ev = _row_evidence(row, value)
        plan.add("figure", _shown(ev), row.record, label=_label(ev))
        statements.append(Statement(f"{_label(ev)}：{_shown(ev)}", [row.record]))
    return _finish(context, plan, statements, [])


def _carried_over_projects(context: AskContext) -> Answer | None:
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
    ev = _row_evidence(carried, value)
    plan = Plan("stated_zero")
    plan.add("rows", "0行", None, doc=doc.title, table="表十三", set="上年结转项目")
    plan.add("figure", _shown(ev), carried.record, label="上年结转")
    sentence = _figure_sentence(doc, ev, ("", ""), context)
    statements = [sentence, Statement("表十三（上年结转项目支出）没有列出项目：没有上年结转的项目")]
    return _finish(context, plan, statements, [])


# ------------------------------------------------------------------------------------ composition


def _composition(context: AskContext) -> Answer | None:
    """The parts of a named total with their figures, and the calculator's check that they add up."""
    query = context.query
    doc = query.docs[0]
    whole = re.split(r"由|包括|分(成|为)|是由|的组成|的构成", query.plain)[0]
    whole = re.sub(r"[\d.]+\s*万元|^的", "", whole).strip("的 ")
    found = parts_of(context, doc, whole)
    if found is None:
        return None
    total, parts, where = found
    plan = Plan("composition")
    plan.add("rows", f"{len(parts)}项", None, doc=doc.title, whole=whole, table=where)
    statements: list[Statement] = []
    shown = []
    for row, value in parts:
        ev = _row_evidence(row, value)
        if value is None:
            context.blank_records.add(row.record.id)
        plan.add("figure", _shown(ev), row.record, label=_label(ev))
        shown.append(Statement(f"{_label(ev)}{_shown(ev)}", [row.record]))
    calculations: list[Calculation] = []
    lead = f"{doc.title}{where}中，{whole}由以下各项组成"
    if total is not None:
        values = [v for _, v in parts]
        leaves = [(r, v) for i, (r, v) in enumerate(parts) if not is_class_total(values, i, True)]
        operands = [Operand(_label(_row_evidence(r, v)), v or Decimal(0), r.unit) for r, v in leaves]
        try:
            result = sum_of(operands)
            calculations.append(_calc(context, result))
            plan.add("sum", result.shown, None, expression=result.expression)
            check = "与合计相符" if result.value == total[1] else f"与合计{fmt(total[1], total[0].unit)}不符"
            lead += f"，合计{fmt(total[1], total[0].unit)}（{result.expression}，{check}）"
        except CalculationError:
            pass
    statements.append(Statement(lead + "：", [total[0].record] if total is not None else []))
    statements += shown
    return _finish(context, plan, statements, calculations)


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


# -------------------------------------------------------------------------------------- attribute


def _attribute(context: AskContext) -> Answer | None:
    """Where a named line sits: 基本支出 or 项目支出 (表三), which funds (表十二/表十三), its 科目编码."""
    query = context.query
    doc = query.docs[0]
    quoted = re.search(r"[“\"]([^”\"]{2,40})[”\"]", query.plain)
    asked = asked_items(query.plain, _labels(context))
    item = quoted.group(1) if quoted else (asked.items[0] if asked.items else "")
    if not item:
        return None
    item = re.sub(r"(是|算是|属于|落在).*$", "", item) or item
    item = re.sub(r"^.*?(那笔|这笔|那项|这项)的?", "", item) or item
    stated = _stated_amount(query.question)
    row = _attribute_row(context, doc, item, stated)
    if row is None:
        return None
    plan = Plan("attribute")
    value = main_cell(row.cells)[1]
    ev = _row_evidence(row, value)
    plan.add("figure", _shown(ev), row.record, doc=doc.title, item=item, label=_label(ev))
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
    if row.code:
        sentences.append(f"科目编码为{row.code}")
        plan.add("attribute", row.code, row.record, column="科目编码")
    elif re.search(r"科目", query.question):
        path = " > ".join(row.path) if len(row.path) > 1 else ""
        sentences.append("表中没有列出它的科目编码" + (f"，所在科目层级为{path}" if path else ""))
    statements = [Statement(sentences[0], [row.record])]
    statements += [Statement(s) for s in sentences[1:]]
    return _finish(context, plan, statements, [])


def _stated_amount(question: str) -> Decimal | None:
    match = re.search(r"(\d+(?:\.\d+)?)\s*万元", question)
    return Decimal(match.group(1)) if match else None


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
            else:  # a stated amount and shared words pick the row (0.18万元的计划生育支出 → 其他计划生育事务支出)
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


# ------------------------------------------------------------------------------------------ shared


def _label(ev: Evidence) -> str:
    if ev.kind == "fact":
        return fact_label(ev.label)
    if ev.kind == "title":
        return f"{ev.label}合计"
    return re.sub(r"^(.+)（\1）$", r"\1", clean_label(ev.label))  # 公务接待费（公务接待费） reads once


def _shown(ev: Evidence) -> str:
    return fmt(ev.value, ev.unit)


def _figure_sentence(
    doc: DocumentHit, ev: Evidence, previous: tuple[str, str], context: AskContext
) -> Statement:
    """`<document><where>中，<label>为<figure>`, shorter when the previous figure had the same document
    (and place); a blank cell reads 0 with a note and is marked for the verifier as a stated 0."""
    where = "文字说明" if ev.kind == "fact" else table_scope(*_table_and_title(ev))
    amount = _shown(ev)
    if ev.value is None:
        context.blank_records.add(ev.record.id)
        amount += _BLANK_NOTE
    if previous == (doc.doc_id, ev.scope):
        return Statement(f"{_label(ev)}为{amount}", [ev.record])
    lead = f"{where}中" if previous[0] == doc.doc_id else f"{doc.title}{where}中"
    return Statement(f"{lead}，{_label(ev)}为{amount}", [ev.record])


def _table_and_title(ev: Evidence) -> tuple[str, str]:
    table, _, title = ev.scope.partition(" ")
    return table, title.strip()


def _calc(context: AskContext, result: CalcResult) -> Calculation:
    context.calc_results.append(result)
    return to_calculation(result)


def _finish(
    context: AskContext, plan: Plan, statements: list[Statement], calculations: list[Calculation]
) -> Answer:
    query = context.query
    answer = compose(statements, calculations, intent=query.intent, language=query.language)
    answer.plan = plan_json(plan.steps, answer)
    return answer


def plan_json(steps: list[Step], answer: Answer) -> list[dict[str, object]]:
    """The steps as `ask --json` shows them, each with the citation number of its record."""
    numbers = {c.record_id: c.number for c in answer.citations}
    return [s.to_json(numbers.get(s.record.id) if s.record is not None else None) for s in steps]


def steps_of(answer: Answer) -> list[dict[str, object]]:
    """The plan of an answer the single-intent handlers composed: each cited source a `quote` step,
    each calculation a `calculate` step with its cited inputs; a refusal is one `refuse` step."""
    if answer.refused:
        return [{"op": "refuse", "inputs": {}, "result": answer.answer}]
    steps: list[dict[str, object]] = [
        {"op": "quote", "inputs": {"doc": c.doc, "locator": c.locator}, "result": "", "citation": c.number}
        for c in answer.citations
    ]
    for calculation in answer.calculations:
        inputs = {
            str(i.get("name", "")): f"{i.get('value', '')}{i.get('unit', '')}" for i in calculation.inputs
        }
        steps.append(
            {
                "op": "calculate",
                "inputs": inputs,
                "result": f"{calculation.result}{calculation.unit}",
                "expression": calculation.expression,
            }
        )
    return steps
