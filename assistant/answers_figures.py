"""Figure answers: look-ups of one figure, comparisons (stated changes, across documents), arithmetic.

In: an `AskContext`. Out: an unverified `Answer` whose figures come from cited records or from the
calculator (each `CalcResult` is appended to `context.calc_results` so the verifier can trust it).
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant import answers_text, changes, wording
from assistant.answer import Answer, Calculation
from assistant.calculator import CalcResult, CalculationError, Operand, share_percent, to_calculation
from assistant.composer import Statement, compose, fmt, quote_of, source_key
from assistant.context import AskContext
from assistant.plan.items import asked_items, names_item
from assistant.plan.shapes import LEAST, MOST
from assistant.retrieval import Evidence, clean_label
from assistant.unit_fit import ExpectedUnit, expected_unit, fits
from ingest.api import DocumentHit, Record

MIN_SCORE = 0.9
MIN_SCORE_MEASURED = 0.7  # a figure in the very unit the question names (多少个项目 → 个) needs less wording


def best_figure(
    context: AskContext, doc: DocumentHit, terms: str, expected: ExpectedUnit | None = None
) -> tuple[Evidence | None, list[Evidence]]:
    """The best-matching figure of a document and the runners-up, only figures whose unit fits
    `expected` (when given: 2辆 does not answer 多少人)."""
    if expected is None:
        ranked = context.lookup.rank(doc.doc_id, terms, k=8)
    else:
        ranked = [ev for ev in context.lookup.rank(doc.doc_id, terms, k=64) if fits(ev.unit, expected)][:8]
    bar = MIN_SCORE_MEASURED if expected is not None and expected.measured else MIN_SCORE
    if not ranked or ranked[0].score < bar:
        return None, ranked
    return ranked[0], ranked[1:]


def unfit_nearby(context: AskContext, doc: DocumentHit, terms: str) -> list[Evidence]:
    """What the look-up would have answered with in a unit that does not fit: the best figure and the
    next one its sentence states about the same thing (公务用车编制 → 实有), for a refusal to point at."""
    ranked = context.lookup.rank(doc.doc_id, terms, k=1)
    if not ranked or ranked[0].score < MIN_SCORE:
        return []
    top = ranked[0]
    if top.kind != "fact":
        return [top]
    group = wording.group_of(top.label)
    same = [
        ev
        for ev in context.lookup.candidates(doc.doc_id)
        if ev.kind == "fact"
        and ev.record.id != top.record.id
        and group
        and wording.group_of(ev.label) == group
        and source_key(ev.record) == source_key(top.record)
    ]
    quote = quote_of(top.record)
    same.sort(key=lambda ev: _position(quote, ev.label))
    return [top, *same[:1]]


def _position(quote: str, name: str) -> int:
    """Where a fact's own word (`实有` of `车辆.实有`) stands in its sentence; unknown words last."""
    found = quote.find(name.split(".")[-1])
    return found if found >= 0 else len(quote)


def scope_text(ev: Evidence, en: bool = False) -> str:
    """Where a figure sits: `表十（2025年…预算表）`, `文字说明`; in English `table 表十 (…)`."""
    if ev.kind == "fact":
        return "the narrative" if en else "文字说明"
    table, title = ev.scope.table, ev.scope.title
    if en:
        return f"table {table} ({title.strip()})" if title.strip() else f"table {table}"
    return wording.table_scope(table, title)


def figure_label(ev: Evidence) -> str:
    """What the figure is, in plain words: a fact's label (编制人数), a row's label, a table's 合计."""
    if ev.kind == "fact":
        return wording.fact_label(ev.label)
    if ev.kind == "title":
        return f"{ev.label}合计"
    return ev.label


def figure_statement(doc: DocumentHit, ev: Evidence, en: bool = False) -> Statement:
    """One figure as a sentence: `<document><table>中，<label>为<figure>`, or an English sentence
    built from the same facts (the department and terms in Chinese, the unit read back unchanged)."""
    scope = str(ev.record.payload.get("scope", "")) if ev.kind == "fact" else ""
    if en:  # years stay inside the title (2024年度): a bare 2024 would read as a figure
        amount = wording.english_amount(ev.value, ev.unit)
        note = wording.scope_note(scope, en=True)
        if ev.kind != "fact":
            where = scope_text(ev, en)
            return Statement(f"{doc.title} lists {figure_label(ev)} at {amount} in {where}", [ev.record])
        label = wording.english_label(ev.label)
        if wording.is_money(ev.unit):
            return Statement(f"{doc.title} sets aside {amount} for {label}{note}", [ev.record])
        return Statement(f"{doc.title} gives {label} as {amount}{note}", [ev.record])
    note = wording.scope_note(scope)
    return Statement(
        f"{doc.title}{scope_text(ev)}中，{figure_label(ev)}为{fmt(ev.value, ev.unit)}{note}", [ev.record]
    )


def reason_statement(sentence: str, record: Record, en: bool, lead: str = "文件说明") -> Statement:
    """The document's own words on a change: `文件说明：「…」`, in English a quoted sentence. Quotes are
    marked (「」, “”) so a reader and the scorer can tell the document's words from the answer's."""
    if en:
        return Statement(f"The document explains: “{sentence.rstrip('。；;，, ')}”", [record])
    return Statement(f"{lead}：「{sentence.rstrip('。')}」", [record])


def scope_notes(ev: Evidence, others: list[Evidence], en: bool = False) -> list[Statement]:
    """The same label with a different value in another table: say which scope each figure has."""
    notes = []
    for other in others:
        same_label = clean_label(other.label) == clean_label(ev.label) or (
            {ev.kind, other.kind} == {"column", "title"}
            and (ev.label in other.label or other.label in ev.label)
        )
        if same_label and other.value is not None and other.value != ev.value and other.scope != ev.scope:
            label = "合计" if other.kind == "title" else figure_label(other)
            text = (
                f"Note: in {scope_text(other, en)} the figure labelled {label} is "
                f"{wording.english_amount(other.value, other.unit)} (a different scope)"
                if en
                else f"注意：{scope_text(other)}中的“{label}”为{fmt(other.value, other.unit)}，口径不同"
            )
            notes.append(Statement(text, [other.record]))
            break
    return notes


def answer_lookup(context: AskContext) -> Answer | None:
    """One figure per named document, with its unit and scope, and a scope note when labels collide."""
    query = context.query
    statements: list[Statement] = []
    docs = query.docs or (context.documents if len(context.documents) == 1 else [])
    expected = expected_unit(query.plain or query.question)
    unfit: list[tuple[DocumentHit, list[Evidence]]] = []
    items = asked_items(query.plain, []).items if query.language == "zh" else []
    for doc in docs:
        ev, others = best_figure(context, doc, query.terms, expected)
        if ev is not None and items and not any(names_item(item, ev.label) for item in items):
            ev = None  # the nearest figure names none of the things asked (内设机构 is not a unit's budget)
        if ev is None:
            if expected is not None and (nearby := unfit_nearby(context, doc, query.terms)):
                unfit.append((doc, nearby))
            continue
        statements.append(figure_statement(doc, ev, context.en()))
        statements += scope_notes(ev, others, context.en())
        reason = changes.stated_change(context, doc, ev)
        if reason is not None and context.en() and source_key(reason.record) == source_key(ev.record):
            reason = None  # the figure's own sentence: shown in its citation, not pasted into English
        if reason is not None:
            statements.append(reason_statement(reason.sentence, reason.record, context.en()))
    if not statements and unfit and expected is not None:
        doc, nearby = unfit[0]
        return answers_text.unit_refusal(context, doc, expected, nearby)
    if not statements:
        return None
    return compose(statements, intent=query.intent, language=query.language)


def _calc(context: AskContext, result: CalcResult) -> Calculation:
    context.calc_results.append(result)
    return to_calculation(result)


def answer_comparison(context: AskContext) -> Answer | None:
    """The document's own stated change (and reason), or the same figure side by side across documents."""
    query = context.query
    if len(query.docs) >= 2:
        return _across(context)
    if not query.docs:
        return None
    doc = query.docs[0]
    ev, _ = best_figure(context, doc, query.terms)
    asked = re.sub(r"比(上|去)年|比20\d\d年?|增加|减少|变化|多少|怎么样|还是|了", "", query.plain)
    change = changes.best_change(context, doc, ev, query.terms, asked)
    statements: list[Statement] = []
    stated = changes.change_sentence(change) if change is not None and not context.en() else ""
    if change is not None and context.en() and change.amount is not None:
        way = "up" if change.direction == "增加" else "down"
        percent = f" ({change.percent:f}%)" if change.percent is not None else ""
        figure = f"{ev.value:f}{ev.unit} now, " if ev is not None and ev.value is not None else ""
        statements.append(
            Statement(
                f"{doc.title}: {figure}{way} {change.amount:f}{change.unit}{percent} on the previous year",
                [change.record],
            )
        )
    other = _another_line(change, query.plain) if change is not None and not context.en() else ""
    if other:  # the document states another line's change: say so, give the asked figure, then that one
        statements.append(Statement(f"{doc.title}没有单独说明{other}与上年相比的变化"))
        if ev is not None and names_item(other, ev.label):
            statements.append(figure_statement(doc, ev, context.en()))
        stated = f"文件说明的是{stated}" if stated else ""
    if change is not None and stated:
        statements.append(Statement(f"{doc.title}：{stated}" if not other else stated, [change.record]))
        reason = changes.reason_of(change)
        if reason:
            statements.append(Statement(f"文件给出的原因是：{reason}", [change.record]))
    elif ev is not None:
        statements.append(figure_statement(doc, ev, context.en()))
    if change is not None:
        statements.append(reason_statement(change.sentence, change.record, context.en(), "文件原文"))
    if not statements:
        return None
    return compose(statements, intent=query.intent, language=query.language)


def _another_line(change: changes.Change, asked: str) -> str:
    """The asked item when the change sentence is about another line (基本支出 asked, 支出总计's change
    stated), else ""."""

    subject = changes.subject_of(change)
    before_change = re.sub(r"(比|较)(?![例重率]).*$|(与|同|跟|和)(上一?年|去年|\d{4}年?).*$", "", asked)
    items = asked_items(before_change, []).items
    if subject is None or not subject[0] or len(items) != 1:
        return ""
    item = items[0]
    if names_item(item, subject[0]) or names_item(subject[0], item):
        return ""
    return item


_SHARE_WORDS = re.compile(r"占比|比例|比重|占.{0,6}(多少|百分之几)|share|proportion")


def _across_shares(context: AskContext) -> Answer | None:
    """The same share (基本支出占比) in several documents: each part ÷ its document's total, compared."""
    query = context.query
    part_terms = _SHARE_WORDS.sub(" ", query.terms)
    statements: list[Statement] = []
    calculations: list[Calculation] = []
    shares: list[tuple[DocumentHit, CalcResult]] = []
    for doc in query.docs:
        part, _ = best_figure(context, doc, part_terms)
        if part is None or part.value is None:
            continue
        whole_terms = "收入总计" if "收入" in part.label else "支出总计"
        whole, _ = best_figure(context, doc, whole_terms)
        if whole is None or whole.value is None or whole.record.id == part.record.id:
            continue
        try:
            result = share_percent(
                Operand(part.label, part.value, part.unit), Operand(whole.label, whole.value, whole.unit)
            )
        except CalculationError:
            continue
        calculations.append(_calc(context, result))
        statements.append(figure_statement(doc, part, context.en()))
        statements.append(figure_statement(doc, whole, context.en()))
        statements.append(Statement(f"{doc.department}{part.label}占比：{result.expression}"))
        shares.append((doc, result))
    if len(shares) < 2:
        return None
    top = max(shares, key=lambda item: item[1].value)
    statements.append(Statement(f"{top[0].department}的占比更高（{top[1].shown}）"))
    return compose(statements, calculations, intent=query.intent, language=query.language)


def _across(context: AskContext) -> Answer | None:
    query = context.query
    if _SHARE_WORDS.search(query.question):
        shared = _across_shares(context)
        if shared is not None:
            return shared
    found: list[tuple[DocumentHit, Evidence]] = []
    for doc in query.docs:
        ev, _ = best_figure(context, doc, query.terms)
        if ev is not None and ev.value is not None:
            found.append((doc, ev))
    if not found:
        return None
    statements = [figure_statement(doc, ev, context.en()) for doc, ev in found]
    calculations: list[Calculation] = []
    if len(found) == 2 and re.search(r"相差|差多少|多多少|少多少|差额|difference", query.question):
        (_doc_a, a), (_doc_b, b) = found
        first, second = (a, b) if (a.value or 0) >= (b.value or 0) else (b, a)
        try:
            result = _difference(first, second, 1, 2)
            calculations.append(_calc(context, result))
            statements.append(
                Statement(f"两者相差：{result.expression}{first.unit if result.unit == '' else ''}")
            )
        except CalculationError:
            pass
    elif len(found) >= 2:
        least = bool(LEAST.search(query.question)) and not MOST.search(query.question)  # 谁…最少
        pick = min if least else max
        top = pick(found, key=lambda item: item[1].value or Decimal(0))
        word = "最小" if least else "最大"
        statements.append(
            Statement(
                f"其中{top[0].department}的数额{word}：{fmt(top[1].value, top[1].unit)}", [top[1].record]
            )
        )
    return compose(statements, calculations, intent=query.intent, language=query.language)


def _difference(a: Evidence, b: Evidence, cite_a: int | None, cite_b: int | None) -> CalcResult:
    from assistant.calculator import difference

    return difference(
        Operand(a.label, a.value or Decimal(0), a.unit, cite_a),
        Operand(b.label, b.value or Decimal(0), b.unit, cite_b),
    )


def answer_arithmetic(context: AskContext) -> Answer | None:
    """Sums, differences, shares and growth over cited figures, computed by the calculator."""
    from assistant import arithmetic

    return arithmetic.answer(context)
