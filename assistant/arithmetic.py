"""Arithmetic answers: sums, differences, shares and last year's figure from the stated change.

In: an `AskContext` whose query asks for a computation. Out: an `Answer` stating each cited input and
the calculator's expression, or None when the inputs cannot be found (the service then falls back).
Every `CalcResult` goes to `context.calc_results`, so the verifier can trust exactly these.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant import changes, derived_counts
from assistant.answer import Answer, Calculation
from assistant.calculator import (
    CalcResult,
    CalculationError,
    Operand,
    add,
    check_stated,
    difference,
    growth_percent,
    share_percent,
    subtract,
    sum_of,
    to_calculation,
)
from assistant.composer import Statement, compose
from assistant.context import AskContext
from assistant.lexicon import expand
from assistant.retrieval import Evidence, bigrams
from assistant.unit_fit import expected_unit, fits
from ingest.api import DocumentHit

_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
_SUM = re.compile(r"加起来|合计|一共|总共|之和|sum|total")
_DIFF = re.compile(r"差多少|相差|多多少|少多少|差额|difference")


def _operand(ev: Evidence, citation: int | None = None) -> Operand:
    return Operand(ev.label.replace(".", "·"), ev.value or Decimal(0), ev.unit, citation)


def _finish(
    context: AskContext, inputs: list[tuple[DocumentHit, Evidence]], result: CalcResult, lead: str
) -> Answer:
    from assistant.answers_figures import figure_statement

    context.calc_results.append(result)
    calculation: Calculation = to_calculation(result)
    statements = [figure_statement(doc, ev, context.en()) for doc, ev in inputs]
    statements.append(Statement(f"{lead}{result.expression}"))
    query = context.query
    return compose(statements, [calculation], intent=query.intent, language=query.language)


def _best(context: AskContext, doc: DocumentHit, terms: str) -> Evidence | None:
    from assistant.answers_figures import best_figure

    return best_figure(context, doc, terms)[0]


def answer(context: AskContext) -> Answer | None:
    """The computation asked, or None when its result is not in the unit the question names (多少人
    answered by a sum of 万元 would answer another question)."""
    computed = _dispatch(context)
    expected = expected_unit(context.query.question)
    if computed is None or expected is None or not expected.measured:
        return computed
    if any(c.unit and not fits(c.unit, expected) for c in computed.calculations):
        return None
    return computed


def _dispatch(context: AskContext) -> Answer | None:
    """Dispatch on the wording: previous year, share, difference, sum."""
    query = context.query
    if not query.docs:
        return None
    try:
        if query.derived_year:
            return _previous_year(context)
        if _GROWTH.search(query.question) and len(query.docs) == 1:
            return _growth(context)
        if "占" in query.question or re.search(r"share|proportion", query.question):
            return _share(context)
        if len(query.docs) >= 2:
            return _across(context)
        if _DIFF.search(query.question) or re.search(r"比.+多", query.question):
            return _pair(context, difference, "相差：")
        if _SUM.search(query.question):
            return _sum_within(context)
    except CalculationError:
        return None
    return None


# Class: a rate of change asked (增长了百分之几/增长率/增幅/下降了百分之几/变化率).
_GROWTH = re.compile(
    r"(增长|下降|减少|增加)了?(百分之几|多少%|几个百分点)|增长率|增幅|降幅|变化率|growth rate"
)


def _growth(context: AskContext) -> Answer | None:
    """The rate of change from this year's figure and the change the document states for it:
    last year = this year ∓ change, then (this − last) ÷ last × 100%, both by the calculator."""
    doc = context.query.docs[0]
    asked = re.sub(r"比(上|去)年|比20\d\d年?|实际|增长|下降|百分之几|了|（[^）]*）", "", context.query.plain)
    change = changes.best_change(context, doc, None, context.query.terms, asked)
    subject = changes.subject_of(change) if change is not None else None
    if change is None or subject is None or change.amount is None:
        return None
    current = Operand(subject[0] or "本年", subject[1], subject[2], 1)
    stated = Operand("比上年变动", change.amount, change.unit or current.unit, 1)
    previous = subtract(current, stated) if change.direction == "增加" else add(current, stated)
    rate = growth_percent(current, Operand("上年", previous.rounded, previous.unit))
    context.calc_results += [previous, rate]
    word = "增长" if rate.value >= 0 else "下降"
    shown = f"{abs(rate.rounded):f}%"
    statements = [
        Statement(
            f"按文件所列数字核算，{subject[0]}{word}{shown}：上年为{previous.expression}，"
            f"变化率为{rate.expression}。"
        ),
        Statement(f"文件原文：「{change.sentence.rstrip('。')}」", [change.record]),
    ]
    calculations = [
        to_calculation(previous),
        to_calculation(rate, check_stated(change.percent, rate) if change.percent is not None else ""),
    ]
    return compose(statements, calculations, intent=context.query.intent, language=context.query.language)


def _previous_year(context: AskContext) -> Answer | None:
    """Last year's figure from this year's and the change the document states for it. The change
    sentence that best names what is asked wins; its own figure is used when it names the item better
    than the best table figure (一般公共预算当年支出 is not 一般公共服务支出)."""
    doc = context.query.docs[0]
    if derived_counts.asks_count_not_money(context.query.question):
        # 原来有几辆车 / 接待了多少人次: a count, which no stated change of money gives; without a stated
        # movement the other handlers answer (a count dated 截至上年末) or say it is not disclosed
        return derived_counts.count_before_movement(context, doc)
    terms = context.query.terms
    ev = _best(context, doc, terms)
    change = changes.stated_change(context, doc, ev, terms) if ev is not None else None
    by_words = changes.stated_change(context, doc, None, terms)
    subject = changes.subject_of(by_words) if by_words is not None else None
    asked = bigrams(re.sub(r"是多少|多少|大概|大约|能从.*$", "", context.query.plain))
    if (
        subject is not None
        and by_words is not None
        and (ev is None or len(bigrams(subject[0]) & asked) > len(bigrams(ev.label) & asked))
    ):
        change = by_words
        current = Operand(subject[0] or "本年", subject[1], subject[2], 1)
        lead_statements = [
            Statement(f"文件原文：「{change.sentence.rstrip('。')}」", [change.record]),
        ]
    elif ev is not None and ev.value is not None and change is not None:
        from assistant.answers_figures import figure_statement

        current = _operand(ev)
        lead_statements = [
            figure_statement(doc, ev, context.en()),
            Statement(f"文件原文：「{change.sentence.rstrip('。')}」", [change.record]),
        ]
    else:
        return None
    if change.amount is None:
        return None
    stated = Operand("比上年变动", change.amount, change.unit or current.unit)
    result = subtract(current, stated) if change.direction == "增加" else add(current, stated)
    context.calc_results.append(result)
    year = context.query.target_year
    when = f"{year}年" if year else "上一年"
    name = current.name if current.name != "本年" else "该项"
    statements = [
        Statement(f"按文件所述的比上年变动推算，{when}的{name}为{result.shown}（{result.expression}）。"),
        *lead_statements,
    ]
    return compose(
        statements, [to_calculation(result)], intent=context.query.intent, language=context.query.language
    )


def _split(terms: str, pattern: str) -> tuple[str, str] | None:
    parts = re.split(pattern, terms, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        return None
    return expand(parts[0]), expand(parts[1])


def _share(context: AskContext) -> Answer | None:
    query = context.query
    asked = re.sub(r"的?(比例|百分之几|多少|比重|是多少).*$", "", query.plain)  # keep the whole's words
    asked = re.sub(r"(.+?)在(.+?)(?:里面|里|中|当中)占", r"\1占\2", asked)  # A在B里占 is A占B
    halves = _split(asked, r"占")
    if halves is None:
        return None
    part_terms, whole_terms = halves
    found = []
    for doc in query.docs:
        part = _best(context, doc, part_terms)
        whole = _best(context, doc, whole_terms)
        if part is None or whole is None or (part.record.id == whole.record.id and part.label == whole.label):
            continue
        found.append((doc, part, whole))
    if not found:
        return None
    doc, part, whole = found[0]
    result = share_percent(_operand(part), _operand(whole))
    if result.value > 100:
        return None  # a part larger than its whole: these are not the operands asked for
    return _finish(context, [(doc, part), (doc, whole)], result, "占比：")


def _across(context: AskContext) -> Answer | None:
    query = context.query
    inputs = [(doc, ev) for doc in query.docs if (ev := _best(context, doc, query.terms)) is not None]
    if len(inputs) < 2:
        return None
    if _DIFF.search(query.question) or re.search(r"比.+多", query.question):
        (_, a), (_, b) = inputs[:2]
        return _finish(context, inputs[:2], difference(_operand(a), _operand(b)), "相差：")
    result = sum_of([_operand(ev) for _, ev in inputs])
    return _finish(context, inputs, result, "合计：")


def _pair(context: AskContext, op: object, lead: str) -> Answer | None:
    doc = context.query.docs[0]
    halves = _split(context.query.plain, r"和|与|比|减去")
    if halves is None:
        return None
    a = _best(context, doc, halves[0])
    b = _best(context, doc, halves[1])
    if a is None or b is None or (a.record.id == b.record.id and a.label == b.label):
        return None
    result = difference(_operand(a), _operand(b))
    return _finish(context, [(doc, a), (doc, b)], result, lead)


def _sum_within(context: AskContext) -> Answer | None:
    doc = context.query.docs[0]
    terms = context.query.terms
    count = next((n for word, n in _COUNT.items() if re.search(word + r"[笔项个]", terms)), 0)
    picked: list[Evidence] = []
    if count:
        ranked = context.lookup.rank(doc.doc_id, re.sub(r"[两二三四五][笔项个]", "", terms), k=12)
        rows = [ev for ev in ranked if ev.kind == "row" and ev.value is not None]
        if rows:
            table = rows[0].scope
            picked = [ev for ev in rows if ev.scope == table][:count]
    else:
        halves = _split(context.query.plain, r"和|与")
        if halves is not None:
            picked = [ev for half in halves if (ev := _best(context, doc, half)) is not None]
    if len(picked) < 2:
        return None
    result = sum_of([_operand(ev) for ev in picked])
    return _finish(context, [(doc, ev) for ev in picked], result, "合计：")
