"""Averages over a count the text states with its amount (纳入绩效目标管理的二级项目8个，共计金额
400.00万元 → 平均每个项目 400.00 ÷ 8 万元).

In: an `AskContext` whose question asks an average per counted thing (平均一个项目 / 平均每项 /
每个项目平均). Out: an `Answer` citing the clause and stating the calculator's division, or None when no
clause of the document states a count together with its amount about the asked words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.answer import Answer
from assistant.calculator import CalculationError, Operand, divide
from assistant.composer import Statement
from assistant.context import AskContext
from assistant.plan.items import content_words
from assistant.plan.model import Plan
from assistant.plan.statements import finish, record_calculation
from assistant.retrieval import bigrams
from ingest.api import DocumentHit, Record, parse_number

# Class: an average per counted thing asked (平均一个项目 / 平均每个项目 / 平均每项 / 每个项目平均 / 项目平均).
PER_COUNTED = re.compile(
    r"平均(?:每|一)(?:个|项|笔|家)(?:项目|单位)?|(?:每|一)(?:个|项|笔)(?:项目)?平均|项目平均|平均(?:下来)?(?:每|一)?个?项目"
)
# Class: a count stated with its amount in one clause (二级项目8个，共计金额400.00万元 / 特定目标类项目3个，
# 涉及金额12.50万元 / 5项，合计30万元).
_COUNTED_AMOUNT = re.compile(
    r"(?P<what>[^，,。；;：:]{2,40}?)(?P<count>\d+)\s*(?P<measure>个|项|笔|家)[，,]?\s*"
    r"(?:共计|涉及|合计|总计|共)(?:项目)?(?:金额|资金)?\s*(?P<amount>[\d,]+(?:\.\d+)?)\s*(?P<unit>万元|元)"
)


@dataclass(frozen=True)
class CountedAmount:
    """A clause stating how many things and how much they come to, with the record to cite."""

    what: str
    count: Decimal
    measure: str
    amount: Decimal
    unit: str
    text: str
    record: Record


def counted_amounts(context: AskContext, doc: DocumentHit) -> list[CountedAmount]:
    """Every clause of the document's text that states a count and its amount together."""
    out: list[CountedAmount] = []
    for record in context.index.records_mentioning(doc.doc_id, "paragraph", ("金额", "合计", "共计")):
        text = re.sub(r"\s+", "", str(record.payload.get("quote") or record.text))
        for match in _COUNTED_AMOUNT.finditer(text):
            count = parse_number(match.group("count"))
            if count == 0:
                continue
            what = re.sub(r"^(其中|另外|以及)[：:]?", "", match.group("what"))
            out.append(
                CountedAmount(
                    what,
                    count,
                    match.group("measure"),
                    parse_number(match.group("amount")),
                    match.group("unit"),
                    match.group(0),
                    record,
                )
            )
    return out


def _best(found: list[CountedAmount], asked: str) -> CountedAmount | None:
    """The clause whose counted thing shares most bigrams with the asked words (two at least); the
    first stated wins a tie (the total is stated before its kinds)."""
    wanted = bigrams(asked)
    scored = [(len(bigrams(c.what) & wanted), -n, c) for n, c in enumerate(found)]
    scored = [s for s in scored if s[0] >= 2]
    return max(scored, key=lambda s: (s[0], s[1]))[2] if scored else None


def without_body(what: str, doc: DocumentHit) -> str:
    """The counted thing without the year and the body that open the sentence (2024年某某局[部门]纳入…)."""
    what = re.sub(r"^(20\d\d)?年度?", "", what)
    department = re.sub(r"\[.*?\]", "", doc.department)
    if department and department in what:
        what = what[what.index(department) + len(department) :]
    return re.sub(r"^(\[[^\]]*\]|部门|单位)+", "", what) or what


def average_per_counted(context: AskContext) -> Answer | None:
    """Each document's stated amount divided by its stated count, or None when none states both."""
    asked = content_words(PER_COUNTED.sub("", context.query.plain))
    plan = Plan("average")
    statements: list[Statement] = []
    calculations = []
    for doc in context.query.docs:
        clause = _best(counted_amounts(context, doc), asked)
        what = without_body(clause.what, doc) if clause is not None else ""
        if clause is None:
            continue
        try:
            result = divide(
                Operand(f"{what}金额", clause.amount, clause.unit),
                Operand(f"{clause.measure}数", clause.count, ""),  # a pure number: the average keeps 万元
                places=2,
            )
        except CalculationError:
            continue
        calculations.append(record_calculation(context, result))
        plan.add("clause", clause.text, clause.record, doc=doc.title, item=what)
        plan.add("divide", result.shown, None, expression=result.expression)
        statements.append(
            Statement(
                f"{doc.title}写明{what}{clause.count:f}{clause.measure}，共计{clause.amount:f}{clause.unit}，"
                f"平均每{clause.measure}{result.shown}（{result.expression}）",
                [clause.record],
            )
        )
    if not statements:
        return None
    return finish(context, plan, statements, calculations)
