"""A part of a line the document prints only as a whole: 文件没有单列, never the whole's figure.

A project named for what it pays (“办公经费、劳务费、差旅、法律服务费等”) is budgeted as one line; a
question about one of the things it names (单是法律服务费有多少) asks a part the document does not
split out. In: an `AskContext` whose question names the whole in quotes and asks one of its parts.
Out: a refusal that points (without figures) at the whole's line, or None when the question has
another shape or a clause of the document states the part's own amount.
"""

from __future__ import annotations

import re

from assistant import answers_text
from assistant.answer import Answer
from assistant.context import AskContext
from assistant.plan.clauses import find_clause
from assistant.plan.items import normalise
from assistant.plan.model import Plan
from assistant.plan.statements import plan_json
from assistant.retrieval import clean_label, main_cell
from assistant.unit_fit import MONEY
from ingest.api import RowHit

# Class: a part asked of a named whole (“X”项目里，单是/光是/其中 Y 有多少 / “X”中Y是多少).
_PART_ASKED = re.compile(
    r"[“\"](?P<whole>[^”\"]{4,40})[”\"](?:这个|那个|这笔|那笔)?(?:项目|经费|资金|费用)?(?:里面|里|中|当中)"
    r"[，,]?(?:单是|单单|单|光是|光|仅是|仅|只算|其中)?的?(?P<part>[\u4e00-\u9fff]{2,12}?)"
    r"(?:一项|这一项|部分)?(?:有|是|为|花|安排了?|占)?(?:多少|几)"
)
# The separators a name lists its parts with (办公经费、劳务费等 / 搬迁及整改费 / 生活费，养老金).
_LISTING = re.compile(r"[、，,]|及|和|与|等$")


def part_not_split(context: AskContext) -> Answer | None:
    """The refusal for a part of a quoted line that lists it, or None (see the module docstring)."""
    query = context.query
    match = _PART_ASKED.search(query.question)
    if match is None or len(query.docs) != 1:
        return None
    doc = query.docs[0]
    whole_name, part = match.group("whole"), match.group("part")
    whole = _row_named(context, doc.doc_id, whole_name)
    if whole is None or not _LISTING.search(clean_label(whole.label)):
        return None
    if normalise(part) not in normalise(whole.label) or normalise(part) == normalise(whole.label):
        return None  # not one of the things the line names
    clause = find_clause(context.index, doc.doc_id, part, MONEY)
    if clause is not None and re.search(re.escape(part) + r"(为|是|约|共|计|：|:){0,3}\d", clause.text):
        return None  # the text states the part's own amount (法律服务费5万元): the clause handlers answer it
    plan = Plan("not_split")
    plan.add("missing", "", None, doc=doc.title, item=part, whole=clean_label(whole.label))
    department = re.sub(r"\[.*?\]", "", doc.department)
    text = (
        f"{department}的预算公开只列出“{clean_label(whole.label)}”这一整项的数额，没有单列其中“{part}”的数额，"
        "文件中找不到这个问题的答案。"
    )
    answer = answers_text.refuse(context, text, [whole.record])
    answer.plan = plan_json(plan.steps, answer)
    return answer


def _row_named(context: AskContext, doc_id: str, name: str) -> RowHit | None:
    """The row (with a figure) whose label is the quoted name."""
    flat = normalise(name)
    for row in context.index.rows(doc_id=doc_id):
        if normalise(clean_label(row.label)) == flat and main_cell(row.cells)[1] is not None:
            return row
    return None
