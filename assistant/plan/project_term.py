"""A project's term asked (一次性还是长期开展 / 是经常性项目吗 / 要持续几年): the 项目属性 and 项目期 its
performance form (项目支出绩效目标表) states, tied to the project's line in 表十二.

Projects of the same name are told apart by amount: a form's 年度资金总额 (元) is the project's
表十二 figure (万元). In: an `AskContext` naming a project that has a form. Out: per form, the
project's amount, its kind (一次性项目 / 经常性项目, with the form's note) and term, each cited; or
None when the question asks no term or names no project with a form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.answer import Answer
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.plan.figures import project_rows
from assistant.plan.items import normalise
from assistant.plan.model import Plan
from assistant.plan.statements import finish
from assistant.retrieval import clean_label, main_cell
from ingest.api import DocumentHit, Record, RowHit

# Class: asking a project's term (一次性 / 经常性 / 长期开展 / 持续几年 / 项目期 / 项目属性 / 年年都有).
TERM_ASKED = re.compile(
    r"一次性|经常性|长期|持续(多久|几年|多长)|(要|做|开展|干)几年|项目期|项目属性|年年都有|每年都有"
)
# How a form states it: 项目属性 经常性项目（长期开展） 项目期 99年 (项目性质 / 项目类别 in other layouts).
_TERM = re.compile(
    r"项目(?:属性|性质|类别)\s*(?P<kind>[\u4e00-\u9fff]{2,5}项目)\s*[（(](?P<note>[^）)]{1,12})[）)]\s*"
    r"(?:项目期\s*(?P<years>\d+)\s*年)?"
)
_LONG = re.compile(r"长期|经常|持续|年年|每年")
_YES_NO = re.compile(r"吗|是不是|是否")
_FORM_SECTION = "项目支出绩效目标表："


@dataclass(frozen=True)
class Term:
    """One performance form's statement of a project's term, with what ties it to 表十二."""

    project: str
    kind: str  # 一次性项目 / 经常性项目
    note: str  # 1年结束 / 长期开展
    years: str
    record: Record  # the form's header, which states the term
    funds: RowHit | None  # the form's 资金总额 row (元)


def project_term(context: AskContext) -> Answer | None:
    """The term of the project the question names, from its performance form(s); see the docstring."""
    query = context.query
    if not TERM_ASKED.search(query.question) or len(query.docs) != 1:
        return None
    doc = query.docs[0]
    terms = _terms(context, doc)
    asked = normalise(query.question)
    names = sorted({t.project for t in terms if normalise(t.project) in asked}, key=len, reverse=True)
    if not names:
        return None
    chosen = [t for t in terms if t.project == names[0]]
    wanted = _wanted_kind(query.question)
    chosen.sort(key=lambda t: 0 if wanted is None or wanted in t.kind else 1)
    lines = [
        r for r in project_rows(context, doc).rows if normalise(clean_label(r.label)) == normalise(names[0])
    ]
    plan = Plan("project_term")
    statements: list[Statement] = []
    if len(chosen) == 1 and wanted is not None and _YES_NO.search(query.question):
        statements.append(
            Statement("是" if wanted in chosen[0].kind else "不是")
        )  # 是一次性项目吗: yes or no first
    for n, term in enumerate(chosen):
        line = _line_of(term, lines)
        amount = main_cell(line.cells)[1] if line is not None else None
        records = [r for r in (line.record if line else None, term.record) if r is not None]
        said = f"项目属性为{term.kind}（{term.note}）" + (f"，项目期{term.years}年" if term.years else "")
        if line is not None and amount is not None:
            where = f"表十二中{fmt(amount, line.unit)}的“{term.project}”"
            if len(chosen) > 1 and term.funds is not None:
                annual = term.funds.cells.get("年度")
                where += f"（绩效目标表年度资金{fmt(annual, term.funds.unit)}）" if annual is not None else ""
                records.append(term.funds.record)
            plan.add("figure", fmt(amount, line.unit), line.record, doc=doc.title, item=term.project)
        else:
            where = f"“{term.project}”"
        plan.add("attribute", f"{term.kind}（{term.note}）", term.record, column="项目属性")
        lead = doc.title if n == 0 else ""
        statements.append(Statement(f"{lead}{where}：{said}", records))
    return finish(context, plan, statements, [])


def _wanted_kind(question: str) -> str | None:
    """一次性 or 经常性 when the question asks for one of them only (哪一个是长期开展的)."""
    once, long = "一次性" in question, bool(_LONG.search(question))
    if once and not long:
        return "一次性"
    if long and not once:
        return "经常性"
    return None


def _line_of(term: Term, lines: list[RowHit]) -> RowHit | None:
    """The 表十二 line of the form's project: the one line of that name, or the one whose figure (万元)
    is the form's annual funds (元)."""
    if len(lines) == 1:
        return lines[0]
    annual = term.funds.cells.get("年度") if term.funds is not None else None
    if annual is None:
        return None
    return next((r for r in lines if (main_cell(r.cells)[1] or Decimal(0)) * 10000 == annual), None)


def _terms(context: AskContext, doc: DocumentHit) -> list[Term]:
    """Every performance form of the document that states its project's term, in document order."""
    funds = [
        r
        for r in context.index.rows(doc_id=doc.doc_id)
        if r.table.startswith("绩效目标表") and r.label == "资金总额"
    ]
    out: list[Term] = []
    for record in context.index.records(doc_id=doc.doc_id, kind="paragraph"):
        section = str(record.metadata.get("section", ""))
        if _FORM_SECTION not in section:
            continue
        match = _TERM.search(str(record.payload.get("quote") or record.text))
        if match is None:
            continue
        project = section.split(_FORM_SECTION)[-1].strip()
        start = int(record.metadata.get("line_start", 0) or 0)
        after = [
            r
            for r in funds
            if project in r.table_title and int(r.record.metadata.get("line_start", 0) or 0) > start
        ]
        first = min(after, key=lambda r: int(r.record.metadata.get("line_start", 0) or 0), default=None)
        out.append(
            Term(project, match.group("kind"), match.group("note"), match.group("years") or "", record, first)
        )
    return sorted(out, key=lambda t: int(t.record.metadata.get("line_start", 0) or 0))
