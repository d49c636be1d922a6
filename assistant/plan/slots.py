"""Slot answers: every document × every item asked, each a figure, a stated clause or named as missing;
then the difference (谁高、差多少), the sum (加起来) or per-unit averages (平均每辆) over them; a single
item's stated 0, refusal from evidence, and one item printed under two classes.

In: an `AskContext`. Out: an `Answer` with its plan, or None for the look-up handlers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant import answers_figures, answers_text
from assistant.answer import Answer, Calculation
from assistant.calculator import (
    CalcResult,
    CalculationError,
    Operand,
    divide,
    percentage_points,
    share_percent,
    subtract,
    sum_of,
)
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.plan.clauses import Clause, find_clause, states_per_person
from assistant.plan.figures import (
    MIN_SCORE,
    find_figure,
    unit_total,
)
from assistant.plan.items import (
    AskedItems,
    asked_items,
    content_words,
    core,
    everyday_terms,
    normalise,
    total_line,
)
from assistant.plan.model import Plan
from assistant.plan.shapes import (
    ALTERNATIVES,
    COMPARE,
    MONEY_ITEM,
    RATIO,
    SHARE_BARE,
    SHARE_OF,
    SHARE_WITHIN,
    SUM,
)
from assistant.plan.statements import (
    clause_statement,
    figure_sentence,
    finish,
    label_of,
    operand,
    plan_json,
    record_calculation,
    row_evidence,
    shown_amount,
    table_and_title,
)
from assistant.plan.unlisted import Unlisted, unlisted_class
from assistant.plan.zeros import zero_lead
from assistant.retrieval import NARRATIVE, Evidence, Scope, clean_label, main_cell
from assistant.unit_fit import MONEY, expected_unit
from assistant.wording import table_scope
from ingest.api import DocumentHit, parse_figure

# ------------------------------------------------------------------------------------------ slots


def document_labels(context: AskContext) -> list[str]:
    labels: set[str] = set()
    for doc in context.query.docs:
        labels |= {clean_label(ev.label.split(".")[-1]) for ev in context.lookup.candidates(doc.doc_id)}
    return sorted(labels)


def slots(context: AskContext) -> Answer | None:
    query = context.query
    share = SHARE_OF.search(query.plain)
    whole_words: str | None = share.group("whole") if share is not None else None
    inside = _SHARE_INSIDE.search(query.plain)  # A在B里占多少: B is the whole
    if share is None and inside is not None:
        whole_words = inside.group("whole")
    within = SHARE_WITHIN.search(query.plain) if share is None else None  # A在B里的比重: B is the whole
    if within is not None and whole_words is None:
        whole_words = within.group("whole")
    bare = share is None and (bool(SHARE_BARE.search(query.plain)) or within is not None)
    shares = share is not None or bare
    if shares:  # 各占本部门支出的百分之几: a step over each figure, not an item or its unit
        plain = query.plain.replace(inside.group(0), "") if inside is not None else query.plain
        plain = plain.replace(within.group(0), "") if within is not None else plain
        plain = SHARE_OF.sub("", plain) if share is not None else SHARE_BARE.sub("", plain)
        context = replace(context, query=replace(query, plain=plain))
        query = context.query
    per = _per_unit(query.question)
    plain = query.plain
    ratio = RATIO.search(plain)
    multiple = _MULTIPLE.search(plain)
    if ratio is not None:  # A是B的几倍 / A和B之比: the two figures, then a ÷ b
        plain = RATIO.sub("", plain) if multiple is None else f"{multiple.group('a')}和{multiple.group('b')}"
    if per is not None:  # 平均每辆车 is the step, not a part of the item: X平均每辆车多少 asks X
        plain = next(p for p, _n, _u in _PER_UNIT if p.search(query.question)).sub("", plain)
        context = replace(context, query=replace(query, plain=plain))  # the item's unit: not 人/辆
        query = context.query
    asked = asked_items(plain, document_labels(context))
    quoted = re.findall(r"[“\"]([^”\"]{4,40})[”\"]", query.question)
    if len(quoted) == 1 and len(query.docs) == 1 and len(asked.items) >= 2 and quoted[0] in asked.context:
        asked = AskedItems(quoted[0], asked.items, asked.text)  # “X”这一类，A和B各多少: X's columns A, B
    elif len(quoted) == 1 and len(query.docs) == 1:  # a name given in quotes is the item (名字叫“X”的项目)
        asked = AskedItems(asked.context, quoted, asked.text)
    compare = bool(COMPARE.search(query.question))
    total = bool(SUM.search(query.question))
    pair = _two_items_compared(plain) if ratio is None else None
    if pair is not None:
        asked = AskedItems(asked.context, list(pair), asked.text)
    asked = _shared_head(asked)
    if not asked.items:
        return None
    if total and len(query.docs) == 1 and _PER_PERSON.search(query.question):
        both = _standard_and_total(context, query.docs[0], asked)
        if both is not None:
            return both
    if len(asked.items) == 1 and len(query.docs) == 1 and not total and not shares:
        single = _single(context, query.docs[0], asked)
        standard = single is not None and any(
            step["op"] == "clause" and states_per_person(str(step["result"])) for step in single.plan
        )
        if per is None or standard:  # 人均补贴 the document states is its answer, before any division
            return single
    if len(query.docs) == 1:
        columns = _row_columns(context, query.docs[0], asked)
        if columns is not None:
            return columns
    plan = Plan("slots")
    statements: list[Statement] = []
    found: list[tuple[DocumentHit, str, Evidence]] = []
    stated: list[tuple[DocumentHit, str, Clause]] = []  # items a description states word for word
    missing: list[tuple[DocumentHit, str]] = []
    implied: list[Unlisted] = []
    for doc in query.docs:
        for item in asked.items:
            ev = unit_total(context, doc, item) or find_figure(context, doc, item, asked.context)
            clause = None
            if ev is None or normalise(core(item)) not in normalise(ev.label):
                # 某某工作经费30万元 names it; a broader 专项工作经费 row does not
                clause = _exact_clause(context, doc, item)
            expected = expected_unit(query.plain or query.question)
            if ev is None and clause is None and expected is not None:  # a description that speaks of it
                clause = find_clause(context.index, doc.doc_id, content_words(item), expected)
            if clause is not None and _only_as_a_use(clause.text, item):
                clause = None  # 某经费100万元主要用于差旅费: the 100 is the fund's, not the item's
            if clause is not None:
                plan.add("clause", clause.text, clause.record, doc=doc.title, item=item)
                if not any(c.text == clause.text and d is doc for d, _, c in stated):
                    stated.append((doc, item, clause))  # 设备和系统，共需12万元: one clause, two items
            elif ev is not None and any(
                d is doc and e.record.id == ev.record.id and e.label == ev.label for d, _, e in found
            ):
                continue  # two words for one line (网费、邮电费): said once
            elif ev is not None:
                plan.add("figure", shown_amount(ev), ev.record, doc=doc.title, item=item, label=label_of(ev))
                found.append((doc, item, ev))
            elif (zero := unlisted_class(context, doc, item, plan)) is not None:
                implied.append(zero)  # a class 表三 does not list while its classes make the total: 0
            else:
                plan.add("missing", doc=doc.title, item=item)
                missing.append((doc, item))
    # A part not found is said, never dropped: a money item, or a line listed beside lines found
    # (行政运行、一般行政管理事务和X各多少 when the document prints no 一般行政管理事务); an aside in
    # another clause (不管品牌，…) is no part.
    missing = [
        (doc, item)
        for doc, item in missing
        if MONEY_ITEM.search(item) or (found and _coordinated(item, query.plain))
    ]
    answered = len(found) + len(stated) + len(implied)
    if (
        len(query.docs) == 1
        and len(found) == 1
        and not stated
        and not missing
        and (len(asked.items) == 1 or not total)
        and not shares
        and per is None
    ):
        return _single(context, query.docs[0], AskedItems(asked.context, [found[0][1]], asked.text))
    one_figure = len(query.docs) == 1 and answered < 2 and not stated and not implied
    if (
        one_figure
        and not missing
        and not shares
        and per is None
        and not all(ev.value is None for _, _, ev in found)
    ):
        return None  # one figure of one document: the look-up handlers answer it with its scope notes
    if not answered:
        return None
    previous: tuple[str, Scope | None] = ("", None)
    if ALTERNATIVES.search(query.plain):
        statements += _which_alternative(found)
    for n, (doc, item, ev) in enumerate(found):
        several = len(asked.items) >= 2 or len(query.docs) >= 2  # one item, rows under two classes
        parts = _class_rows(context, doc, item, ev) if several else []
        summed = _summed(context, plan, doc, ev, parts) if parts else None
        if summed is None:
            statements.append(figure_sentence(doc, ev, previous, context))
        else:  # 基本工资 printed under two classes: both rows and their sum, the sum used from here on
            statements += summed[1]
            found[n] = (doc, item, summed[0])
        previous = (doc.doc_id, ev.scope)
    for doc, _item, clause in stated:
        statements.append(clause_statement(doc, clause))
    statements += [zero.statement for zero in implied]
    calculations: list[Calculation] = [zero.calculation for zero in implied]
    for doc, item in missing:
        statements.append(Statement(f"{doc.title}没有单列“{item}”的数额，文件没有说明"))
    if per is not None:
        return _averages(context, plan, found, per, compare)
    if shares:
        if whole_words is None and asked.context:  # 收入中上年结转占多少 / 采购里货物、服务各占多少: of it
            whole_words = asked.context
        said = _shares(context, plan, found, whole_words, statements, calculations)
        if compare and len(said) == 2 and ("多少" not in query.plain or within is not None):
            # only the shares asked (or 在B里的比重…各是多少，哪个更大: the shares are what 多少 asks)
            _compare_shares(context, plan, said, statements, calculations)
            return finish(context, plan, statements, calculations)
    measured = expected_unit(query.plain or query.question)
    units = measured.units if measured is not None and measured.measured else MONEY.units
    two = _operands(found, stated, units) if len(found) + len(stated) == 2 else None
    if ratio is not None and two is not None:
        _ratio(context, plan, two, statements, calculations)
        return finish(context, plan, statements, calculations)
    if two is not None and (compare or pair is not None):
        _compare(context, plan, two, statements, calculations)
    elif total and len(found) + len(stated) >= 2:
        _total(context, plan, found, stated, statements, calculations)
    return finish(context, plan, statements, calculations)


# Class: the whole named before the share (A在B里占多少 / A在B中所占比例).
_SHARE_INSIDE = re.compile(r"在(?P<whole>[^，,。？?在占]{2,14}?)(?:里面|里|中|当中)(?=(?:所)?占)")


def _shares(
    context: AskContext,
    plan: Plan,
    found: list[tuple[DocumentHit, str, Evidence]],
    whole_words: str | None,
    statements: list[Statement],
    calculations: list[Calculation],
) -> list[tuple[DocumentHit, Evidence, CalcResult]]:
    """Each found figure's share of the whole the question names in its own document (占本部门支出的
    百分之几 → the document's 支出总计), or of its own table's total when none is named (占多少比例);
    the denominator is the named total, never the nearest figure. A part larger than its whole means
    the two are not part and whole: no share is said then. Returns the shares said."""
    said: list[tuple[DocumentHit, Evidence, CalcResult]] = []
    for doc, _item, ev in found:
        whole = _whole(context, doc, whole_words, ev)
        if (
            whole is None
            or whole.value is None
            or (whole.record.id == ev.record.id and whole.label == ev.label)
        ):
            continue
        try:
            result = share_percent(operand(ev), operand(whole))
        except CalculationError:
            continue
        if result.value > 100:
            plan.add("not_part", doc=doc.title, part=label_of(ev), whole=label_of(whole))
            statements.append(
                Statement(
                    f"{label_of(ev)}（{shown_amount(ev)}）比{label_of(whole)}（{shown_amount(whole)}）还大，"
                    f"不是它的一部分，谈不上占它的比例",
                    [ev.record, whole.record],
                )
            )
            continue
        calculations.append(record_calculation(context, result))
        plan.add("share", result.shown, whole.record, doc=doc.title, part=label_of(ev), whole=label_of(whole))
        statements.append(
            Statement(
                f"{doc.department}的{label_of(ev)}占{label_of(whole)}（{shown_amount(whole)}）的"
                f"{result.shown}（{result.expression}）",
                [whole.record],
            )
        )
        said.append((doc, ev, result))
    return said


def _compare_shares(
    context: AskContext,
    plan: Plan,
    said: list[tuple[DocumentHit, Evidence, CalcResult]],
    statements: list[Statement],
    calculations: list[Calculation],
) -> None:
    """Two shares compared (占比哪个更高): the higher one first, the gap in percentage points."""
    (doc_a, ev_a, a), (doc_b, ev_b, b) = sorted(said, key=lambda s: s[2].rounded, reverse=True)
    same_doc = doc_a.doc_id == doc_b.doc_id
    name_a = label_of(ev_a) if same_doc else doc_a.department
    name_b = label_of(ev_b) if same_doc else doc_b.department
    try:
        gap = percentage_points(
            Operand(f"{name_a}占比", a.rounded, "%"), Operand(f"{name_b}占比", b.rounded, "%")
        )
    except CalculationError:
        return
    calculations.append(record_calculation(context, gap))
    plan.add("difference", gap.shown, None, larger=name_a, smaller=name_b, expression=gap.expression)
    if gap.value == 0:
        text = f"两者占比相同，都是{a.shown}。"
    else:
        text = f"{name_a}的占比更高，高{fmt(gap.rounded, '')}个百分点（{gap.expression}）。"
    statements.insert(0, Statement(text))


def _whole(context: AskContext, doc: DocumentHit, whole_words: str | None, part: Evidence) -> Evidence | None:
    """The named whole as a figure: a table's row or fact whose label names it, else a clause of the
    text stating it word for word (一般公共预算当年支出1,234.56万元); unnamed, the part's table total."""
    if whole_words is None:
        return _table_total(context, doc, part)
    named = (everyday_terms(whole_words) or [whole_words])[0]  # 本部门支出 → 支出总计
    named = total_line(named) or named  # 支出预算 / 预算收入: the document's total line
    whole = find_figure(context, doc, named)
    if whole is not None and normalise(core(named)) in normalise(whole.label):
        return whole
    clause = _exact_clause(context, doc, named)
    amount = clause.amount() if clause is not None else None
    if clause is not None and amount is not None:
        return Evidence(clause.record, named, amount[0], amount[1], NARRATIVE, "clause")
    return whole


def whole_figure(context: AskContext, doc: DocumentHit, whole_words: str, part: Evidence) -> Evidence | None:
    """The whole a question names (占一般公共预算当年支出的多少) as a figure, for steps outside the slots."""
    return _whole(context, doc, whole_words, part)


def _table_total(context: AskContext, doc: DocumentHit, part: Evidence) -> Evidence | None:
    """The 合计 (or 总计) row of the table the part's row sits in, read in the part's own column."""
    if part.kind not in ("row", "column"):
        return None
    rows = context.index.rows(doc_id=doc.doc_id, table=part.scope.table)
    own = next((r for r in rows if r.record.id == part.record.id), None)
    if own is not None and part.kind == "column":  # 基本支出, a column of the total row: its group's 合计
        column = next((c for c in own.cells if c.split("/")[-1] == part.label), "")
        group = column.rsplit("/", 1)[0] + "/" if "/" in column else ""
        total_column = next(
            (
                c
                for c in own.cells
                if c != column
                and c.startswith(group)
                and "/" not in c[len(group) :]
                and c.endswith(("合计", "总计"))
            ),
            None,
        )
        value = own.cells.get(total_column) if total_column else None
        if (
            value is None
        ):  # no column totals it in this table (上年结转 beside 本年收入): the document's total
            named = "收入总计" if "收入" in own.table_title else "支出总计"
            return find_figure(context, doc, named)
        total = row_evidence(own, value)
        return replace(total, label=f"{_table_subject(own.table_title)}{clean_label(own.label)}")
    totals = [
        r for r in rows if re.fullmatch(r"(本年支出|支出|收入|本年收入)?(合计|总计)", clean_label(r.label))
    ]
    totals.sort(key=lambda r: not clean_label(r.label).endswith("总计"))  # 收入总计 holds 本年收入合计 too
    if own is None:
        return None
    column = main_cell(own.cells)[0]
    for row in totals:
        value = row.cells.get(column)
        if row is not own and value is not None:
            total = row_evidence(row, value)
            label = clean_label(row.label)
            if label in ("合计", "总计"):  # a bare 合计 is named by what its table totals
                label = f"{_table_subject(own.table_title)}{label}"
            return replace(total, label=label)
    return None


def _table_subject(title: str) -> str:
    """What a table totals, from its title: 2026年一般公共预算支出预算表（不含上年结转） → 一般公共预算支出."""
    subject = re.sub(r"^\d{4}年度?|[（(][^）)]*[）)]", "", title)
    return re.sub(r"(预算)?(总表|预算表|表)$", "", subject)


def _which_alternative(found: list[tuple[DocumentHit, str, Evidence]]) -> list[Statement]:
    """A还是B (是省里还是县里出的): the alternatives that hold an amount, named first, when the others
    are 0; nothing when all or none hold one (the figures then speak for themselves)."""
    held = [ev for _doc, _item, ev in found if ev.value]
    if not held or len(held) == len(found) or len({doc.doc_id for doc, _i, _e in found}) != 1:
        return []
    named = "、".join(f"{label_of(ev)}（{shown_amount(ev)}）" for ev in held)
    zero = "、".join(label_of(ev) for _doc, _item, ev in found if not ev.value)
    return [Statement(f"有安排的是{named}，{zero}为0", [ev.record for _doc, _item, ev in found])]


# Class: per-unit averages (平均每辆/每辆车 → the vehicles held; 人均/平均每人 → the staff).
_PER_UNIT: list[tuple[re.Pattern[str], tuple[str, ...], str]] = [
    (
        re.compile(r"平均(每|一)辆(公?车)?|每辆(公?车)?|一辆车平均|per (vehicle|car)"),
        ("车辆.实有", "车辆.编制"),
        "辆",
    ),
    # a per-person average over the headcount kind the question names (按在职人数平均 / 按编制人数平均)
    (re.compile(r"按[^，,。？?]{0,4}在职人数平均(下来|到)?(每人|每个人)?"), ("在职", "实有"), "人"),
    (re.compile(r"按[^，,。？?]{0,4}编制人数平均(下来|到)?(每人|每个人)?"), ("编制",), "人"),
    (
        re.compile(
            r"人均|平均每人|每人平均|每个人平均|平均(下来|到)每(个)?人|按[^，,。？?]{0,4}人数?平均(下来|到)?(每人)?|"
            r"平均每(个|位|名)?(职工|员工|干部|工作人员)|per (person|head)"
        ),
        ("实有", "在职", "编制"),  # the index's staff facts: 人员.实有 / 人员.在职 / 人员.编制
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
                Statement(f"{doc.title}没有可用于平均的{unit}数，无法计算平均每{unit}的{label_of(ev)}")
            )
            continue
        try:
            # the count is a pure number here, so the average keeps the figure's unit (万元 per 辆)
            result = divide(operand(ev), Operand(label_of(count), count.value or Decimal(0), ""))
        except CalculationError:
            continue
        calculations.append(record_calculation(context, result))
        plan.add("figure", shown_amount(ev), ev.record, doc=doc.title, item=item, label=label_of(ev))
        plan.add(
            "figure",
            shown_amount(count),
            count.record,
            doc=doc.title,
            item=f"{unit}数",
            label=label_of(count),
        )
        plan.add("divide", result.shown, None, expression=result.expression)
        statements.append(
            Statement(
                f"{doc.title}：{label_of(ev)}{shown_amount(ev)}，{label_of(count)}{shown_amount(count)}，"
                f"平均每{unit}{result.shown}（{result.expression}）",
                [ev.record, count.record],
            )
        )
        averages.append((doc, result))
    if not averages and not statements:
        return None
    if not averages:  # no count to divide by: the figure asked, and why no average can be given
        figures = [figure_sentence(doc, ev, ("", None), context) for doc, _item, ev in found]
        return finish(context, plan, statements + figures, calculations)
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
            calculations.append(record_calculation(context, gap))
            plan.add("difference", gap.shown, None, expression=gap.expression)
            statements.insert(
                0, Statement(f"{high_doc.department}平均每{unit}更高，高{gap.shown}（{gap.expression}）。")
            )
    return finish(context, plan, statements, calculations)


def _coordinated(item: str, plain: str) -> bool:
    """Whether the question lists the item with others (A、B和C / A与B / A及B)."""
    escaped = re.escape(item)
    return bool(re.search(f"[、和与及]{escaped}|{escaped}[、和与及]", plain))


# Class: names of bodies (units, offices, the department's own level) — what can share a money item.
_BODY = re.compile(r"(局|中心|站|所|队|院|办|办公室|社|会|委|本级|单位|部门|机关|学校)$")


def _shared_head(asked: AskedItems) -> AskedItems:
    """A和B的X / A、B，X加起来: the last item is the money item the others share, when the others are
    bodies (units, offices); 行政单位医疗、事业单位医疗和公务员医疗补助 are three lines, not two units."""
    items = asked.items
    if (
        len(items) >= 3
        and MONEY_ITEM.search(items[-1])
        and all(_BODY.search(i) and not MONEY_ITEM.search(i) for i in items[:-1])
    ):
        return AskedItems(asked.context, [f"{i}{items[-1]}" for i in items[:-1]], asked.text)
    return asked


# Class: what a stated amount is spent on (X N万元主要用于A、B / 用来 / 用在): A is a use, not X.
_USED_FOR = re.compile(r"(?:主要)?(?:用于|用来|用在|用作)")


def _only_as_a_use(text: str, item: str) -> bool:
    """Whether the item is named in the clause only among the uses of an amount stated before them."""
    head = core(item)
    at = text.find(head)
    use = _USED_FOR.search(text)
    return at >= 0 and use is not None and at > use.start() and head not in text[: use.start()]


def _row_columns(context: AskContext, doc: DocumentHit, asked: AskedItems) -> Answer | None:
    """Several columns of one row (一般公共服务支出：当年预算安排和上年结转安排各多少; X的基本支出和项目支出):
    the row is named by the context or the first item, the other items name its columns."""
    candidates = [(asked.context, asked.items)] if asked.context else []
    candidates.append((asked.items[0], asked.items[1:]))
    if "的" in asked.items[0]:  # X的A和B: the row before 的, its first column after it
        row_words, first = asked.items[0].rsplit("的", 1)
        candidates.append((row_words, [first, *asked.items[1:]]))
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
            own_clause = next(
                (c for c in re.split(r"[，,；;？?。]", context.query.plain) if row_words in c), row_words
            )
            total = _total_column(own_clause, cells, picked)  # X的总额，其中A和B各多少: the total first
            if total is not None:
                column_words, picked = ["合计", *column_words], [total, *picked]
            plan = Plan("row_columns")
            where = table_scope(*table_and_title(ev))
            statements = [Statement(f"{doc.title}{where}中，“{label_of(ev)}”一行", [])]
            for word, (column, raw) in zip(column_words, picked, strict=True):  # type: ignore[misc]
                amount = fmt(parse_figure(raw), ev.unit)
                if raw is None:
                    context.blank_records.add(ev.record.id)
                plan.add(
                    "figure", amount, ev.record, doc=doc.title, item=word, label=f"{label_of(ev)}/{column}"
                )
                statements.append(Statement(f"{column.split('/')[-1]}为{amount}", [ev.record]))
            statements[0] = Statement(
                statements[0].text + "：" + "，".join(s.text for s in statements[1:]), [ev.record]
            )
            return finish(context, plan, statements[:1], [])
    return None


def _column_named(word: str, cells: dict[str, object]) -> tuple[str, object] | None:
    flat = normalise(word)
    for column, raw in cells.items():
        name = normalise(column.split("/")[-1])
        if len(name) >= 2 and (flat in name or name in flat):
            return column, raw
    for column, raw in cells.items():  # 当年安排 names 当年预算安排: the asked characters in order
        if len(flat) >= 4 and _in_order(flat, normalise(column.split("/")[-1])):
            return column, raw
    return None


def _in_order(word: str, name: str) -> bool:
    rest = iter(name)
    return name[:1] == word[:1] and all(ch in rest for ch in word)


# Class: the row's own total asked beside its parts (X的总额/总数/合计，其中A和B各多少).
_ROW_TOTAL = re.compile(r"总额|总数|合计|总计|一共|总共")


def _total_column(
    row_words: str, cells: dict[str, object], picked: list[tuple[str, object] | None]
) -> tuple[str, object] | None:
    """The row's total column (合计/总计) when the row's words ask its total and no part named it."""
    if not _ROW_TOTAL.search(row_words):
        return None
    chosen = {p[0] for p in picked if p is not None}
    total = next(((c, v) for c, v in cells.items() if re.search(r"合计|总计", c.split("/")[-1])), None)
    return total if total is not None and total[0] not in chosen else None


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
    if ev is None or normalise(core(item)) not in normalise(ev.label):
        plan = Plan("unlisted")
        zero = unlisted_class(context, doc, item, plan)
        if zero is not None:
            return finish(context, plan, [zero.statement], [zero.calculation])
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
        plan.add("figure", shown_amount(ev), ev.record, doc=doc.title, item=item, label=label_of(ev))
        return finish(context, plan, [figure_sentence(doc, ev, ("", None), context)], [])
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
    plan.add("figure", shown_amount(ev), ev.record, doc=doc.title, item=item, label=label_of(ev))
    lead = zero_lead(context.query.question, ev)  # 有没有X: "no" first, then the cited 0
    sentence = figure_sentence(doc, ev, ("", None), context)
    return finish(context, plan, [lead, sentence] if lead is not None else [sentence], [])


def _standard_and_total(context: AskContext, doc: DocumentHit, asked: AskedItems) -> Answer | None:
    """每人交多少、总共多少: the per-person standard its description states and the item's own figure."""
    things = [_PER_PERSON.sub("", i) for i in asked.items]
    things = [t for t in things if len(t) >= 2]
    if not things:
        return None
    thing = max(things, key=len)
    ev = find_figure(context, doc, thing, asked.context)
    clause = find_clause(context.index, doc.doc_id, content_words(thing), MONEY, per_person=True)
    if ev is None or ev.value is None or clause is None or clause.amount() is None:
        return None
    plan = Plan("standard_and_total")
    plan.add("clause", clause.text, clause.record, doc=doc.title, item=f"{thing}（每人）")
    plan.add("figure", shown_amount(ev), ev.record, doc=doc.title, item=thing, label=label_of(ev))
    return finish(
        context, plan, [clause_statement(doc, clause), figure_sentence(doc, ev, ("", None), context)], []
    )


# Class: per-person and per-period standards (每人/人均/一人/每月/标准): a description states them.
# Class: per-person wordings (每人/人均/一人/每户/标准, and 每个X for a kind of person: 每个参保群众).
_PER_PERSON = re.compile(
    r"每人|每个人|人均|一人|每名|每位|每户|每月|标准|每(个|一个|位|名)[^，,。？?]{0,6}(人|群众|居民|职工|对象|学生|家庭|患者)"
)


def _clause_answer(context: AskContext, doc: DocumentHit, item: str, exact: bool = False) -> Answer | None:
    """A figure a project's description or performance indicator states (每人每年50元); with `exact`,
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
    return finish(context, plan, [clause_statement(doc, clause)], [])


def _exact_clause(context: AskContext, doc: DocumentHit, item: str) -> Clause | None:
    """A clause stating a figure that names the item word for word (its core, at least 4 characters)."""
    name = normalise(core(item))
    if len(name) < 4:
        return None
    expected = expected_unit(context.query.plain or context.query.question)
    clause = find_clause(context.index, doc.doc_id, content_words(item), expected)
    return clause if clause is not None and name in normalise(clause.text) else None


def _class_rows(context: AskContext, doc: DocumentHit, item: str, ev: Evidence) -> list[Evidence]:
    """The rows one item is printed on under different classes (差旅费（办公经费） and 差旅费（商品和服务
    支出）), or [] when it has a single row or the question names the class itself."""
    if ev.kind != "row":
        return []
    base = re.sub(r"（[^）]*）", "", ev.label)
    if base == ev.label or normalise(ev.label) in normalise(item):
        return []
    table = ev.scope.table
    rows = [
        r
        for r in context.index.rows(doc_id=doc.doc_id, table=table)
        if re.sub(r"（[^）]*）", "", clean_label(r.label)) == base and main_cell(r.cells)[1] is not None
    ]
    return [row_evidence(r, main_cell(r.cells)[1]) for r in rows] if len(rows) >= 2 else []


def _summed(
    context: AskContext, plan: Plan, doc: DocumentHit, ev: Evidence, parts: list[Evidence]
) -> tuple[Evidence, list[Statement]] | None:
    """One item's rows summed by the calculator: the sum as evidence, and the sentences saying it."""
    try:
        result = sum_of([operand(p) for p in parts])
    except CalculationError:
        return None
    record_calculation(context, result)
    base = re.sub(r"（[^）]*）", "", ev.label)
    for part in parts:
        plan.add("figure", shown_amount(part), part.record, doc=doc.title, item=base, label=label_of(part))
    plan.add("sum", result.shown, None, expression=result.expression)
    where = table_scope(*table_and_title(ev))
    lines = "；".join(f"{label_of(p)}{shown_amount(p)}" for p in parts)
    said = [
        Statement(
            f"{doc.title}{where}中，{base}共{result.shown}（{result.expression}：{lines}）",
            [p.record for p in parts],
        )
    ]
    return replace(ev, label=base, value=result.rounded), said


def _same_item_rows(context: AskContext, doc: DocumentHit, item: str, ev: Evidence) -> Answer | None:
    """One item printed on several rows of a table under different classes (差旅费（办公经费） and
    差旅费（商品和服务支出）): each row and their sum; None when the item has a single row."""
    parts = _class_rows(context, doc, item, ev)
    if not parts:
        return None
    base = re.sub(r"（[^）]*）", "", ev.label)
    plan = Plan("same_item_rows")
    for part in parts:
        plan.add("figure", shown_amount(part), part.record, doc=doc.title, item=item, label=label_of(part))
    result = sum_of([operand(p) for p in parts])
    calculations = [record_calculation(context, result)]
    plan.add("sum", result.shown, None, expression=result.expression)
    where = table_scope(*table_and_title(ev))
    statements = [
        Statement(f"{doc.title}{where}中，{base}共{result.shown}（{result.expression}），分列在以下各行")
    ]
    statements += [Statement(f"{label_of(p)}为{shown_amount(p)}", [p.record]) for p in parts]
    return finish(context, plan, statements, calculations)


# Class: a multiple asked with its base (A是B的多少倍 / A是B的几倍).
_MULTIPLE = re.compile(r"(?P<a>[^，,。？?是]{2,20}?)是(?P<b>[^，,。？?]{2,20}?)的(多少|几)倍")


def _operands(
    found: list[tuple[DocumentHit, str, Evidence]],
    stated: list[tuple[DocumentHit, str, Clause]],
    units: tuple[str, ...],
) -> list[tuple[DocumentHit, str, Operand]] | None:
    """Each figure as a named operand, in the order asked: a table figure by its label, a figure the text
    states (预算收入总计1,234.56万元; 二级项目22个 when a count is asked) by the item asked; None when a
    clause states no single figure in the asked units."""
    ordered: list[tuple[DocumentHit, str, Operand]] = [
        (doc, label_of(ev), Operand(label_of(ev), ev.value or Decimal(0), ev.unit)) for doc, _, ev in found
    ]
    for doc, item, clause in stated:
        amount = clause.amount(units)
        if amount is None:
            return None
        ordered.append((doc, item, Operand(item, *amount)))
    return ordered


def _named(doc: DocumentHit, name: str, operand: Operand, same_doc: bool) -> Operand:
    return operand if same_doc else Operand(f"{doc.department}{name}", operand.value, operand.unit)


def _ratio(
    context: AskContext,
    plan: Plan,
    operands: list[tuple[DocumentHit, str, Operand]],
    statements: list[Statement],
    calculations: list[Calculation],
) -> None:
    """The first figure divided by the second, said as a multiple (A是B的x倍)."""
    (doc_a, name_a, a), (doc_b, name_b, b) = operands
    same_doc = doc_a.doc_id == doc_b.doc_id
    try:
        result = divide(_named(doc_a, name_a, a, same_doc), _named(doc_b, name_b, b, same_doc), places=2)
    except CalculationError:
        return
    calculations.append(record_calculation(context, result))
    said_a = name_a if same_doc else f"{doc_a.department}的{name_a}"
    said_b = name_b if same_doc else f"{doc_b.department}的{name_b}"
    plan.add("divide", result.shown, None, expression=result.expression)
    statements.insert(0, Statement(f"{said_a}是{said_b}的{result.shown}倍（{result.expression}）。"))


def _compare(
    context: AskContext,
    plan: Plan,
    operands: list[tuple[DocumentHit, str, Operand]],
    statements: list[Statement],
    calculations: list[Calculation],
) -> None:
    (doc_a, name_a, a), (doc_b, name_b, b) = operands
    same_doc = doc_a.doc_id == doc_b.doc_id
    first, second = (doc_a, name_a, a), (doc_b, name_b, b)
    high, low = (first, second) if a.value >= b.value else (second, first)
    try:
        result = subtract(_named(*high, same_doc), _named(*low, same_doc))
    except CalculationError:
        return
    calculations.append(record_calculation(context, result))
    name_high = high[1] if same_doc else high[0].department
    name_low = low[1] if same_doc else low[0].department
    plan.add(
        "difference", result.shown, None, larger=name_high, smaller=name_low, expression=result.expression
    )
    if result.value == 0:
        text = f"两者相同，都是{fmt(high[2].value, high[2].unit)}。"
    else:
        text = f"{name_high}更{'大' if high[2].unit in _AREA_UNITS else '多'}，比{name_low}多{result.shown}（{result.expression}）。"
    statements.insert(0, Statement(text))


_AREA_UNITS = ("平方米", "平米")


def _total(
    context: AskContext,
    plan: Plan,
    found: list[tuple[DocumentHit, str, Evidence]],
    stated: list[tuple[DocumentHit, str, Clause]],
    statements: list[Statement],
    calculations: list[Calculation],
) -> None:
    """The sum of the found figures and of the amounts the stated clauses give (a clause counts only
    when it states exactly one amount of money)."""
    several = len({d.doc_id for d, _, _ in found} | {d.doc_id for d, _, _ in stated}) > 1
    operands = [operand(ev, doc if several else None) for doc, _, ev in found]
    for doc, item, clause in stated:
        amount = clause.amount()
        if amount is None:
            return
        operands.append(Operand(f"{doc.department}{item}" if several else item, *amount))
    try:
        result = sum_of(operands)
    except CalculationError:
        return
    calculations.append(record_calculation(context, result))
    plan.add("sum", result.shown, None, expression=result.expression)
    statements.insert(0, Statement(f"合计{result.shown}（{result.expression}）。"))
