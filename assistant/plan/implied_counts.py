"""The count of one kind the text leaves out, implied by a stated total and its other kinds
(二级项目9个。其中：其他运转类项目9个 → 特定目标类: 9 − 9 = 0).

In: an `AskContext` whose question asks how many of one kind (X里，Y类的有几个) when no clause names
that kind. Out: an `Answer` citing the sentence and stating the calculator's subtraction, or None when
no sentence states a total with its kinds under a topic the question names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from assistant.answer import Answer
from assistant.calculator import CalculationError, Operand, subtract, sum_of
from assistant.composer import Statement
from assistant.context import AskContext
from assistant.plan.averages import without_body
from assistant.plan.items import asked_items, content_words
from assistant.plan.model import Plan
from assistant.plan.statements import finish, record_calculation
from assistant.retrieval import bigrams
from ingest.api import CLAUSE_STOPS, Record, parse_number, split_sentences

_MEASURES = "个|项|家|户"
# Class: a total then its kinds (X共N个…。其中：A类项目n个…；B类项目m个): one sentence or two.
_TOTAL = re.compile(rf"(?P<what>[\u4e00-\u9fff]{{2,24}}?)(?P<n>\d+)\s*(?P<measure>{_MEASURES})")
_KIND = re.compile(rf"(?P<kind>[\u4e00-\u9fff]{{1,10}}类)(?:项目)?(?P<n>\d+)\s*(?P<measure>{_MEASURES})")
# Class: a kind asked by its class word (特定目标类 / 其他运转类的 / 经常性类项目).
_ASKED_KIND = re.compile(r"(?P<kind>[\u4e00-\u9fff]{1,10}类)")
MIN_TOPIC = 0.5  # the share of the question's topic bigrams the total's words must carry


@dataclass(frozen=True)
class _Breakdown:
    what: str
    total: Decimal
    measure: str
    kinds: dict[str, Decimal]
    text: str
    records: tuple[Record, ...]  # the paragraph stating the total, and the one listing its kinds


def _breakdowns(context: AskContext, doc_id: str) -> list[_Breakdown]:
    """Each stated total followed by 其中 and the counts of its kinds (their first listing only); a
    paragraph opening with 其中 continues the total its previous paragraph ends with."""
    out: list[_Breakdown] = []
    previous: tuple[str, Record] | None = None
    for record in context.index.records(doc_id=doc_id, kind="paragraph"):
        own = re.sub(r"\s+", "", str(record.payload.get("quote") or record.text))
        opens = own.startswith("其中") and previous is not None
        text = (previous[0] if opens and previous else "") + own
        cited = [previous[1], record] if opens and previous else [record]
        previous = (own, record)
        for where in re.finditer("其中", text):
            head = split_sentences(text[: where.start()], CLAUSE_STOPS)
            total = _TOTAL.search(head[-1]) if head else None
            listing = re.split(r"[。]|其中", text[where.end() :])[0]
            kinds: dict[str, Decimal] = {}
            for match in _KIND.finditer(listing):
                kinds.setdefault(match.group("kind"), parse_number(match.group("n")))
            if total is None or not kinds:
                continue
            said = f"{total.group(0)}，其中{listing}"
            out.append(
                _Breakdown(
                    total.group("what"),
                    parse_number(total.group("n")),
                    total.group("measure"),
                    kinds,
                    said,
                    tuple(cited),
                )
            )
    return out


def implied_kind_count(context: AskContext) -> Answer | None:
    """The asked kind's count as the total less the kinds stated, when the kind itself is not stated."""
    query = context.query
    if len(query.docs) != 1:
        return None
    doc = query.docs[0]
    asked = asked_items(query.plain, [])
    kind_match = _ASKED_KIND.search("".join(asked.items))
    topic = bigrams(content_words(asked.context))
    if kind_match is None or not topic:
        return None
    kind = kind_match.group("kind")
    for found in _breakdowns(context, doc.doc_id):
        found = replace(found, what=without_body(found.what, doc))
        if kind in found.kinds or len(bigrams(found.what) & topic) < MIN_TOPIC * len(topic):
            continue
        try:
            listed = sum_of([Operand(name, n, found.measure) for name, n in found.kinds.items()])
            result = subtract(
                Operand(found.what, found.total, found.measure),
                Operand("已列明的其他类别", listed.value, found.measure),
            )
        except CalculationError:
            continue
        if result.value < 0:
            continue
        calculations = [record_calculation(context, listed)] if len(found.kinds) > 1 else []
        calculations.append(record_calculation(context, result))
        plan = Plan("implied_count")
        plan.add("clause", found.text, found.records[-1], doc=doc.title, item=found.what)
        plan.add("difference", result.shown, None, expression=result.expression, item=kind)
        statements = [
            Statement(
                f"文件没有单列{kind}的个数；按文件所列总数减去其他类别推算，{kind}为{result.shown}"
                f"（{result.expression}）。"
            ),
            Statement(
                f"{doc.title}写明：{found.text[max(found.text.find(found.what), 0) :]}", list(found.records)
            ),
        ]
        return finish(context, plan, statements, calculations)
    return None
