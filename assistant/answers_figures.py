"""Figure answers: look-ups of one figure, comparisons (stated changes, across documents), arithmetic.

In: an `AskContext`. Out: an unverified `Answer` whose figures come from cited records or from the
calculator (each `CalcResult` is appended to `context.calc_results` so the verifier can trust it).
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant import changes
from assistant.answer import Answer, Calculation
from assistant.calculator import CalcResult, CalculationError, Operand, share_percent, to_calculation
from assistant.composer import Statement, compose, fmt
from assistant.context import AskContext
from assistant.retrieval import Evidence, clean_label
from ingest.index import DocumentHit

MIN_SCORE = 0.9


def best_figure(context: AskContext, doc: DocumentHit, terms: str) -> tuple[Evidence | None, list[Evidence]]:
    """The best-matching figure of a document and the runners-up."""
    ranked = context.lookup.rank(doc.doc_id, terms, k=8)
    if not ranked or ranked[0].score < MIN_SCORE:
        return None, ranked
    return ranked[0], ranked[1:]


def scope_text(ev: Evidence, en: bool = False) -> str:
    if ev.kind == "fact":
        return "according to the narrative" if en else "文字说明"
    return ev.scope if not en else f"table {ev.scope}"


def figure_statement(doc: DocumentHit, ev: Evidence, en: bool = False) -> Statement:
    label = clean_label(ev.label.split(".")[-1]) if ev.kind == "fact" else ev.label
    if ev.kind == "title":
        label = f"{ev.label}合计"
    if ev.kind == "fact" and "." in ev.label:
        label = ev.label.replace(".", "·")
    if en:
        return Statement(
            f"{doc.title}: {label} is {fmt(ev.value, ev.unit)} ({scope_text(ev, en)})", [ev.record]
        )
    return Statement(f"{doc.title}{scope_text(ev)}中，{label}为{fmt(ev.value, ev.unit)}", [ev.record])


def scope_notes(ev: Evidence, others: list[Evidence], en: bool = False) -> list[Statement]:
    """The same label with a different value in another table: say which scope each figure has."""
    notes = []
    for other in others:
        same_label = clean_label(other.label) == clean_label(ev.label) or (
            {ev.kind, other.kind} == {"column", "title"}
            and (ev.label in other.label or other.label in ev.label)
        )
        if same_label and other.value is not None and other.value != ev.value and other.scope != ev.scope:
            text = (
                f"Note: in {other.scope} the figure labelled {other.label} is {fmt(other.value, other.unit)} (a different scope)"
                if en
                else f"注意：{other.scope}中的“{other.label}”为{fmt(other.value, other.unit)}，口径不同"
            )
            notes.append(Statement(text, [other.record]))
            break
    return notes


def answer_lookup(context: AskContext) -> Answer | None:
    """One figure per named document, with its unit and scope, and a scope note when labels collide."""
    query = context.query
    statements: list[Statement] = []
    docs = query.docs or (context.documents if len(context.documents) == 1 else [])
    for doc in docs:
        ev, others = best_figure(context, doc, query.terms)
        if ev is None:
            continue
        statements.append(figure_statement(doc, ev, context.en()))
        statements += scope_notes(ev, others, context.en())
        reason = changes.stated_change(context, doc, ev)
        if reason is not None:
            statements.append(Statement(f"文件说明：{reason.sentence}", [reason.record]))
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
    change = changes.stated_change(context, doc, ev, query.terms)
    statements: list[Statement] = []
    if ev is not None:
        statements.append(figure_statement(doc, ev, context.en()))
    if change is not None:
        statements.append(Statement(f"文件原文：{change.sentence}", [change.record]))
    if not statements:
        return None
    return compose(statements, intent=query.intent, language=query.language)


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
        top = max(found, key=lambda item: item[1].value or Decimal(0))
        statements.append(
            Statement(f"其中{top[0].department}的数额最大：{fmt(top[1].value, top[1].unit)}", [top[1].record])
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
