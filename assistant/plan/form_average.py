"""A per-person figure of one project from its own 项目支出绩效目标表: the form's 年度 funds divided by the
head count its indicators state (培训人数 / 数量指标：80人 → 年度资金总额 ÷ 80 元 per person).

In: an `AskContext` whose question asks a per-person amount (人均 / 平均每人 / 按…人数算) and names a
project that has a form. Out: an `Answer` citing the funds row and the indicator and stating the
calculator's division, or None when no form's project is named or its form states no head count.
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

# Class: a per-person amount asked (人均 / 平均每人 / 每人平均 / 平均到每个人 / 按…人数算).
PER_HEAD = re.compile(
    r"人均|平均每(个|位|名)?人|每(个)?人平均|平均(下来|到)每(个)?人|按[^，,。？?]{0,12}人数"
)
_FORM = "项目支出绩效目标表："
# Class: an indicator stating a head count (数量指标：100人 / 培训人数：80人次 / 参训人员：50名).
_HEADS = re.compile(r"：\s*(\d+(?:\.\d+)?)\s*(人次|人|名)\s*$")
# Class: generic heads of a project's name (经费/费/项目/资金): the name's own words are before them.
_GENERIC = re.compile(r"(专项)?(经费|费用|费|项目|资金|补助)$")
MIN_NAMED = 0.6  # the share of a project name's bigrams the question must carry


@dataclass(frozen=True)
class _Form:
    project: str
    heads: tuple[Decimal, str, Record] | None
    funds: tuple[Decimal, Record] | None


def _forms(context: AskContext, doc: DocumentHit) -> dict[str, _Form]:
    """Each project's form in the document: its first head-count indicator and its 年度 funds."""
    heads: dict[str, tuple[Decimal, str, Record]] = {}
    projects: list[str] = []
    for record in context.index.records(doc_id=doc.doc_id, kind="paragraph"):
        section = str(record.metadata.get("section", "")).split(" > ")[-1]
        if not section.startswith(_FORM):
            continue
        project = section[len(_FORM) :]
        if project not in projects:
            projects.append(project)
        quote = str(record.payload.get("quote") or "")
        match = _HEADS.search(quote)
        if match is not None and quote.startswith("绩效指标") and project not in heads:
            heads[project] = (parse_number(match.group(1)), match.group(2), record)
    funds: dict[str, tuple[Decimal, Record]] = {}
    for row in context.index.records(doc_id=doc.doc_id, kind="row"):
        title = str(row.payload.get("table_title", ""))
        if "绩效目标表" not in title or row.payload.get("row_label") not in ("资金总额", "年度资金总额"):
            continue
        cells = row.payload.get("cells") or {}
        year = cells.get("年度") if isinstance(cells, dict) else None
        for project in projects:
            if f"（{project}）" in title and year not in (None, ""):
                funds.setdefault(project, (parse_number(str(year)), row))
    return {p: _Form(p, heads.get(p), funds.get(p)) for p in projects}


def _named(forms: dict[str, _Form], asked: str) -> _Form | None:
    """The form whose project the question names (most of the name's own bigrams), or None."""
    wanted = bigrams(asked)
    best: tuple[float, _Form] | None = None
    for project, form in forms.items():
        own = bigrams(_GENERIC.sub("", re.sub(r"^20\d\d年度?", "", project)))  # the year is the document's
        if not own:
            continue
        share = len(own & wanted) / len(own)
        if share >= MIN_NAMED and (best is None or share > best[0]):
            best = (share, form)
    return best[1] if best else None


def per_head_of_project(context: AskContext) -> Answer | None:
    """The named project's 年度 funds divided by its form's head count, per document asked."""
    asked = content_words(PER_HEAD.sub("", context.query.plain))
    plan = Plan("per_head")
    statements: list[Statement] = []
    calculations = []
    for doc in context.query.docs:
        form = _named(_forms(context, doc), asked)
        if form is None or form.heads is None or form.funds is None:
            continue
        (count, measure, indicator), (amount, row) = form.heads, form.funds
        try:
            result = divide(
                Operand("年度资金总额", amount, "元"), Operand(f"{measure}数", count, ""), places=2
            )
        except CalculationError:
            continue
        calculations.append(record_calculation(context, result))
        plan.add("figure", f"{amount:f}元", row, doc=doc.title, item=form.project, label="年度资金总额")
        plan.add("clause", str(indicator.payload.get("quote")), indicator, doc=doc.title, item="人数")
        plan.add("divide", result.shown, None, expression=result.expression)
        statements.append(
            Statement(
                f"{doc.title}的项目支出绩效目标表（{form.project}）中，年度资金总额{amount:f}元",
                [row],
            )
        )
        statements.append(
            Statement(
                f"其绩效指标写明{str(indicator.payload.get('quote')).removeprefix('绩效指标：')}，"
                f"按此平均每{'人次' if measure == '人次' else '人'}{result.shown}（{result.expression}）",
                [indicator],
            )
        )
    if not statements:
        return None
    return finish(context, plan, statements, calculations)
