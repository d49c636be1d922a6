"""Project lists filtered by words in the name or by unit, each project with its figure and their total.

- by words: 名字里带“专线”或“平台”的项目 → the projects of 表十二 (表十三 when 结转 is asked) whose names
  hold any quoted word (all of them when the question says 同时/都);
- by unit: 机关本身 / 局本级 (the department's own unit, whose subtotal row carries its name) and
  不算 X / 除了 X (units left out): the projects printed under the chosen units' subtotal rows.
The total is the calculator's sum, compared with the unit's printed subtotal when one unit is listed.
In: an `AskContext` with one document. Out: an `Answer` with its plan, or None when the question is not
such a list or no project fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.answer import Answer
from assistant.composer import Statement, fmt
from assistant.context import AskContext
from assistant.lexicon import expand
from assistant.plan.figures import is_class_total, is_total_row, is_unit_row
from assistant.plan.model import Plan
from assistant.plan.rowsets import listed_projects
from assistant.plan.statements import finish
from assistant.retrieval import bigrams, clean_label, main_cell
from assistant.wording import table_scope
from ingest.api import DocumentHit, RowHit

# Class: a filter on the words of a name (名字里带 / 名称中含有 / 项目名包含 / 带有“X”字样).
NAME_HOLDS = re.compile(
    r"(名字|名称|项目名|叫法)(里|中|上|当中)?(同时|都|也)?(带有?|含有?|包含|有|出现)|带有?[“\"「][^”\"」]+[”\"」]字样"
)
_QUOTED = re.compile(r"[“\"「]([^”\"」]{1,16})[”\"」]")
# Class: the words named without quotes, before 字/字样 (带培训两个字 / 含平台或专线字样).
_UNQUOTED = re.compile(
    r"(?:带有?|含有?|包含|有|出现)([\u4e00-\u9fffA-Za-z、]{1,16}?)(?:这?[一两二三四几]?个?字样?|字样)"
)
# Class: every quoted word must be in the name (同时含有 / 都带), not any one of them.
_ALL_WORDS = re.compile(r"同时|都(带|含|有|包含)|既.{1,12}又")
# Class: the department's own unit (机关本身 / 局本级 / 机关自己 / 局里自己), not its subordinate units.
OWN_UNIT = re.compile(r"本级|机关本身|局本身|机关自己|局里自己|局机关|机关本级|本机关|单位本身|自己的项目")
# Class: units left out of a list (不算X / 不含X / 不包括X / 除了X / 除去X以外).
_LEFT_OUT = re.compile(
    r"(?:不算|不含|不包括|不计|除了|除去|除开|刨去|扣除)(?P<units>[^，,。？?）)]{2,30}?)(?=以外|之外|外|[，,。？?）)]|的项目|$)"
)
# Class: the projects themselves asked (哪些项目 / 哪几个 / 列出), not each body's total (三家各多少).
_LIST_ASKED = re.compile(r"哪些|哪几|什么项目|列出|列一下")


@dataclass(frozen=True)
class UnitProjects:
    """A unit's subtotal row in a project table (None when projects come before any unit) and its projects."""

    unit: RowHit | None
    projects: list[tuple[RowHit, Decimal]]


def unit_groups(context: AskContext, doc: DocumentHit, table: str) -> list[UnitProjects]:
    """The project table read as units, each with the projects printed after its subtotal row."""
    every = [r for r in context.index.rows(doc_id=doc.doc_id, table=table) if not is_total_row(r)]
    values = [main_cell(r.cells)[1] for r in every]
    groups: list[UnitProjects] = [UnitProjects(None, [])]
    for i, row in enumerate(every):
        value = values[i]
        if is_unit_row(row, doc, is_class_total(values, i, True)):
            groups.append(UnitProjects(row, []))
        elif value is not None:
            groups[-1].projects.append((row, value))
    return [g for g in groups if g.projects]


def projects_with_words(context: AskContext) -> Answer | None:
    """The projects whose names hold the quoted words."""
    query = context.query
    if len(query.docs) != 1 or not NAME_HOLDS.search(query.question):
        return None
    words = [w.strip() for w in _QUOTED.findall(query.question) if w.strip()]
    if not words:  # 名字里有培训两个字的 / 名称含平台字样的: the word unquoted before 字/字样
        words = [w for w in _UNQUOTED.findall(query.question) for w in re.split(r"或|或者|和|、", w) if w]
    if not words:
        return None
    doc = query.docs[0]
    table = "表十三" if re.search(r"结转|表十三", query.question) else "表十二"
    every = _need_all(query.question)
    chosen = [
        (row, value)
        for group in unit_groups(context, doc, table)
        for row, value in group.projects
        if (all if every else any)(w in clean_label(row.label) for w in words)
    ]
    joined = ("”和“" if every else "”或“").join(words)
    if not chosen:  # none holds the words: said so, over the table looked through
        groups = unit_groups(context, doc, table)
        if not groups:
            return None
        first = groups[0].projects[0][0]
        plan = Plan("filter")
        plan.add("rows", "0项", None, doc=doc.title, table=table, set="项目")
        plan.add("filter", "0项", None, condition=f"名称含“{joined}”")
        where = table_scope(table, first.table_title)
        return finish(
            context, plan, [Statement(f"{doc.title}{where}中没有名称含“{joined}”的项目", [first.record])], []
        )
    return _listed(context, doc, table, chosen, f"名称含“{joined}”", None)


def _need_all(question: str) -> bool:
    return bool(_ALL_WORDS.search(question))


def projects_of_units(context: AskContext) -> Answer | None:
    """The projects of the department's own unit (本级) or of the units not left out (不算X)."""
    query = context.query
    question = query.question
    own = OWN_UNIT.search(question)
    left_out = _LEFT_OUT.search(question)
    if len(query.docs) != 1 or "项目" not in question or not _LIST_ASKED.search(question):
        return None
    if own is None and left_out is None:
        return None
    doc = query.docs[0]
    table = "表十三" if re.search(r"结转|表十三", question) else "表十二"
    groups = [g for g in unit_groups(context, doc, table) if g.unit is not None]
    if len(groups) < 2:
        return None  # a single unit: the table's own list answers
    excluded = left_out.group("units") if left_out is not None else ""
    if own is not None and not OWN_UNIT.search(excluded):
        chosen = [g for g in groups if _unit_name(g.unit) == doc.department]
        condition = f"{doc.department}本级"
    else:
        chosen = [g for g in groups if not _names_unit(excluded, g.unit, doc)]
        condition = "、".join(_unit_name(g.unit) for g in chosen)
    if not chosen or len(chosen) == len(groups):
        return None  # the unit asked is not told apart: the look-up handlers answer
    projects = [p for g in chosen for p in g.projects]
    subtotal = chosen[0].unit if len(chosen) == 1 else None
    return _listed(context, doc, table, projects, condition, subtotal)


def _unit_name(row: RowHit | None) -> str:
    return re.sub(r"\[.*?\]|（部门）|\(部门\)", "", clean_label(row.label)) if row is not None else ""


def _names_unit(words: str, unit: RowHit | None, doc: DocumentHit) -> bool:
    """Whether the left-out words name this unit: its own level (本级), or most of the words' pairs of
    characters, everyday abbreviations expanded (医保中心 → 医疗保险…中心), are in its name."""
    name = _unit_name(unit)
    if OWN_UNIT.search(words):
        return name == doc.department
    if not words or name == doc.department:
        return False
    pieces = [p for p in re.split(r"[、和与及跟]", words) if len(p) >= 2]
    for piece in pieces:
        asked = bigrams(piece.removeprefix(doc.summary.region))
        wide = bigrams(expand(piece))
        shared = len(bigrams(name) & asked)
        if asked and (shared * 2 >= len(asked) or len(bigrams(name) & wide) >= 3):
            return True
    return False


def _listed(
    context: AskContext,
    doc: DocumentHit,
    table: str,
    chosen: list[tuple[RowHit, Decimal]],
    condition: str,
    subtotal: RowHit | None,
) -> Answer | None:
    if not chosen:
        return None
    plan = Plan("filter")
    first = chosen[0][0]
    where = table_scope(table, first.table_title)
    plan.add("rows", f"{len(chosen)}项", None, doc=doc.title, table=table, set="项目")
    plan.add("filter", f"{len(chosen)}项", None, condition=condition)
    return listed_projects(
        context,
        plan,
        f"{doc.title}{where}中，{condition}的项目",
        chosen,
        check=lambda total: _against_subtotal(total, subtotal),
        records=[subtotal.record] if subtotal is not None else [],
    )


def _against_subtotal(total: Decimal, subtotal: RowHit | None) -> str:
    """How the sum compares with the unit's printed subtotal (the document's own arithmetic)."""
    if subtotal is None:
        return ""
    printed = main_cell(subtotal.cells)[1]
    if printed is None:
        return ""
    if printed == total:
        return f"，与表中“{_unit_name(subtotal)}”一行的小计相符"
    return f"，表中“{_unit_name(subtotal)}”一行印的小计为{fmt(printed, subtotal.unit)}，与各项之和不符"
