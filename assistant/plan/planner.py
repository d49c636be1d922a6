"""The planner: a question's shape → steps over the structured index → an answer stating every slot.

Shapes (each a class of question, recognised from its wording and the index, never from one question):
- superlative: 最大/最多/最少/哪一项最… over a row set (projects, function classes, a row's children,
  人员经费/公用经费 items) → `rows` + `argmax`/`argmin`;
- attribute: 是基本支出还是项目支出 / 哪类资金 / 科目编码 / 新批还是结转 → the row and its filled columns;
- slots: every document × every item asked (分别/各/、/和), each `figure` or `missing`; then `difference`
  (谁高、差多少, A比B多多少), `sum` (加起来/一共) over the found figures.
In: an `AskContext`. Out: an `Answer` with `plan` set, or None when no shape fits (the single-intent
handlers answer then). Every computed figure comes from the calculator and goes to `calc_results`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer import Answer
from assistant.context import AskContext
from assistant.plan.attribute import attribute
from assistant.plan.averages import PER_COUNTED, average_per_counted
from assistant.plan.counts import COUNT_ASKED, kind_count, stated_count
from assistant.plan.english import as_chinese, chinese_question, english_text
from assistant.plan.form_average import PER_HEAD, per_head_of_project
from assistant.plan.form_counts import SEVERAL_COUNTS, labelled_counts
from assistant.plan.implied_counts import implied_kind_count
from assistant.plan.items import LISTED_PARTS, asked_items
from assistant.plan.limits import per_person_limit
from assistant.plan.project_lists import projects_of_units, projects_with_words
from assistant.plan.project_term import TERM_ASKED, project_term
from assistant.plan.ranking import WHICH_BODY, rank_documents
from assistant.plan.rowsets import (
    ABOUT_TOPIC,
    NAMED_PROJECTS,
    carried_over_projects,
    composition,
    projects_about,
    projects_over,
    superlative,
)
from assistant.plan.shapes import (
    ATTRIBUTE,
    CHANGE,
    COMPARE,
    COUNT,
    FUNDING_LEVEL,
    LEAST,
    MOST,
    PARTS,
    RANK,
    SHARE_BARE,
    SHARE_OF,
    SHARE_WITHIN,
    SUM,
    THRESHOLD,
)
from assistant.plan.slots import slots
from assistant.plan.statements import plan_json, steps_of
from assistant.plan.unsplit import part_not_split

__all__ = ["answer_with_plan", "plan_json", "steps_of"]


def answer_with_plan(context: AskContext) -> Answer | None:
    """The plan's answer, or None when the question is not one of the planner's shapes."""
    query = context.query
    question = query.question
    ranked = (
        len(query.docs) != 1
        and WHICH_BODY.search(question)
        and (MOST.search(question) or LEAST.search(question))
    )
    if ranked and query.language == "zh":
        return rank_documents(context)  # which body has the most: every document's figure, then argmax
    if not query.docs or query.derived_year or query.codes or "目录" in question:
        return None
    if query.language != "zh":
        return _in_english(context)
    if (unsplit := part_not_split(context)) is not None:
        return unsplit  # 单是X有多少 of a line printed only as a whole: not disclosed
    if (limit := per_person_limit(context)) is not None:
        return limit  # 一个人最多能得多少: a stated cap, never a total or a ranking
    if TERM_ASKED.search(question) and (term := project_term(context)) is not None:
        return term  # 一次性还是长期开展: the project's performance form says
    if COUNT_ASKED.search(question):  # X里，Y类的有几个: the clause naming the kind Y
        kind = kind_count(context) or implied_kind_count(context)  # stated, else total − other kinds
        if kind is not None:
            return kind
    if SEVERAL_COUNTS.search(question):  # 几个A、几个B: each from the label it is printed under
        counted = labelled_counts(context)
        if counted is not None:
            return counted
    if PER_HEAD.search(question):  # 某培训项目人均多少: its form's funds over its stated head count
        per_head = per_head_of_project(context)
        if per_head is not None:
            return per_head
    if PER_COUNTED.search(question):  # 平均一个项目多少钱: a stated amount over its stated count
        average = average_per_counted(context)
        if average is not None:
            return average
    if MOST.search(question) or LEAST.search(question) or RANK.search(question):
        return superlative(context)
    if PARTS.search(question):
        return composition(context)
    listed = projects_with_words(context) or projects_of_units(context)  # 名字里带“X”的 / 本级的项目
    if listed is not None:
        return listed
    if (ABOUT_TOPIC.search(query.plain) or NAMED_PROJECTS.search(query.plain)) and re.search(
        r"哪些|什么|几|多少", question
    ):
        about = projects_about(context)
        if about is not None:
            return about
    if THRESHOLD.search(question) and "项目" in question:
        return projects_over(context)
    if re.search(r"结转", question) and re.search(r"项目", question) and re.search(r"哪些|什么", question):
        return carried_over_projects(context)
    if FUNDING_LEVEL.search(query.plain):
        levels = FUNDING_LEVEL.sub("，中央、省里还是县里出的", query.plain)
        answer = slots(replace(context, query=replace(query, plain=levels)))
        if answer is not None and not answer.refused:
            return answer
    if ATTRIBUTE.search(question):
        return attribute(context)
    if query.intent == "glossary":
        return None
    shared = (
        SHARE_OF.search(query.plain) or SHARE_BARE.search(query.plain) or SHARE_WITHIN.search(query.plain)
    )
    if shared and not re.search(r"为什么|原因", question):
        answer = slots(context)  # each figure and its share of the named whole (or its table's total)
        if answer is not None and (
            len(query.docs) >= 2 or any(s.get("op") in ("share", "not_part") for s in answer.plan)
        ):
            return answer
        return None  # no share said: the arithmetic handlers try their wordings
    if LISTED_PARTS.match(query.plain.lstrip("的")):  # X包括A和B，各是多少: each listed part
        listed = slots(context)
        if listed is not None:
            return listed
    if re.search(
        r"占|比例|比重|百分之|推算|增长|下降|为什么|为啥|为何|原因|(怎么|如何)(解释|说明)|咋|怎么(少|多|涨|降|减|增)|有哪些|哪些|包括|包含|"
        r"指什么|什么意思|干什么|做什么|用途|负责|职责|什么工作",
        question,
    ):
        return None  # shares, derivations, reasons and lists keep their own handlers
    if CHANGE.search(question):
        return None
    if COUNT_ASKED.search(question) and query.intent == "lookup" and len(query.docs) == 1:
        return stated_count(context)
    several = len(query.docs) >= 2 or len(asked_items(query.plain, []).items) >= 2
    if COUNT.search(question) and not ((SUM.search(question) or COMPARE.search(question)) and several):
        return None  # 三笔…合计 / 哪家面积大 over named ones are slots; otherwise the counting handlers
    return slots(context)


def _in_english(context: AskContext) -> Answer | None:
    """An English question of a plan shape: planned as its Chinese words, said in English; other
    English questions keep the handlers that write English sentences."""
    chinese = chinese_question(context.query.question)
    if chinese is None:
        return None
    answer = answer_with_plan(as_chinese(context, chinese))
    if answer is None or answer.refused or not answer.plan:
        return None
    text = english_text(answer)
    if text is None:
        return None
    return replace(answer, answer=text, language="en")
