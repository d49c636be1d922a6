"""What the plan's steps say: figure sentences, labels, amounts, and the finished answer with its plan.

In: evidence, clauses and plan steps. Out: `Statement`s and the `Answer` whose `plan` lists each step
with the citation number of its record.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.answer import Answer, Calculation
from assistant.calculator import (
    CalcResult,
    Operand,
    to_calculation,
)
from assistant.composer import Statement, compose, fmt
from assistant.context import AskContext
from assistant.numbers import FIGURE, chinese_mentions
from assistant.plan.clauses import Clause
from assistant.plan.model import Plan, Step
from assistant.retrieval import Evidence, Scope, clean_label
from assistant.wording import fact_label, table_scope
from ingest.api import DocumentHit, Record, RowHit

BLANK_NOTE = "（表中该栏为空，即没有安排）"


def operand(ev: Evidence, doc: DocumentHit | None = None) -> Operand:
    name = label_of(ev) if doc is None else f"{doc.department}{label_of(ev)}"
    return Operand(name, ev.value or Decimal(0), ev.unit)


def row_evidence(row: RowHit, value: Decimal | None) -> Evidence:
    return Evidence(row.record, clean_label(row.label), value, row.unit, Scope.of_row(row), "row")


def clause_statement(doc: DocumentHit, clause: Clause) -> Statement:
    return Statement(
        f"{doc.title}{section_name(clause.record)}写明：{_with_digits(clause.text)}", [clause.record]
    )


def _with_digits(text: str) -> str:
    """Counts in Chinese numerals followed by their digits (十四个 → 十四个（14个）), so every reader and
    every checker sees the number."""
    for mention in sorted(chinese_mentions(text), key=lambda m: m.span, reverse=True):
        if mention.kind == FIGURE and mention.unit != "%":
            digits = f"（{mention.value}{mention.raw[len(mention.number_text) :]}）"
            text = text[: mention.span[1]] + digits + text[mention.span[1] :]
    return text


def section_name(record: Record) -> str:
    section = str(record.metadata.get("section", "")).split(" > ")[-1]
    section = re.sub(
        r"^\s*\d+[.．]\s*", "", section
    )  # "4. 基金监管股": a stop inside would split the sentence
    return f"“{section}”中" if section else ""


def label_of(ev: Evidence) -> str:
    if ev.kind == "fact":
        return fact_label(ev.label)
    if ev.kind == "title":
        return f"{ev.label}合计"
    return re.sub(r"^(.+)（\1）$", r"\1", clean_label(ev.label))  # 公务接待费（公务接待费） reads once


def shown_amount(ev: Evidence) -> str:
    return fmt(ev.value, ev.unit)


def figure_sentence(
    doc: DocumentHit, ev: Evidence, previous: tuple[str, Scope | None], context: AskContext
) -> Statement:
    """`<document><where>中，<label>为<figure>`, shorter when the previous figure had the same document
    (and place); a blank cell reads 0 with a note and is marked for the verifier as a stated 0."""
    where = "文字说明" if ev.kind == "fact" else table_scope(*table_and_title(ev))
    amount = shown_amount(ev)
    if ev.value is None:
        context.blank_records.add(ev.record.id)
        amount += BLANK_NOTE
    if previous == (doc.doc_id, ev.scope):
        return Statement(f"{label_of(ev)}为{amount}", [ev.record])
    lead = f"{where}中" if previous[0] == doc.doc_id else f"{doc.title}{where}中"
    return Statement(f"{lead}，{label_of(ev)}为{amount}", [ev.record])


def table_and_title(ev: Evidence) -> tuple[str, str]:
    return ev.scope.table, ev.scope.title.strip()


def record_calculation(context: AskContext, result: CalcResult) -> Calculation:
    context.calc_results.append(result)
    return to_calculation(result)


def finish(
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
