"""A per-person limit asked (一个人最多能救助多少 / 每人最高报多少 / 封顶线): only a clause stating a cap
answers it; a project's total or another line's figure never does.

Budget disclosures state what a programme costs in total, sometimes a per-person standard (每人每年
50元), rarely a cap. In: an `AskContext` whose question asks a cap. Out: the clause stating the cap, a
refusal pointing (without figures) at the nearest lines, or None when the question asks no cap.
"""

from __future__ import annotations

import re

from assistant import answers_text
from assistant.answer import Answer
from assistant.context import AskContext
from assistant.plan.clauses import find_clause
from assistant.plan.figures import MIN_SCORE
from assistant.plan.items import content_words
from assistant.plan.model import Plan
from assistant.plan.statements import clause_statement, finish, plan_json
from assistant.unit_fit import MONEY

# Class: a cap per person or household (一个人最多能 / 每人最高 / 单人最多 / 封顶 / 上限 / 最高限额).
_CAP_ASKED = re.compile(
    r"(一个人|每个人|每人|每户|单人|个人|一人|一户)[^，,。？?]{0,4}(最多|最高|顶多)|封顶|上限|最高限额|限额是"
)
# Class: how a text states a cap (最高 / 最多 / 封顶 / 上限 / 不超过 / 限额).
_CAP_STATED = re.compile(r"最高|最多|封顶|上限|不超过|不高于|限额")


def per_person_limit(context: AskContext) -> Answer | None:
    """The stated cap, or the refusal saying the documents state none (see the module docstring)."""
    query = context.query
    if _CAP_ASKED.search(query.question) is None or len(query.docs) != 1:
        return None
    doc = query.docs[0]
    words = _CAP_ASKED.sub("", content_words(query.plain))
    words = re.sub(
        r"(?<=[\u4e00-\u9fff]{2})(能|可以|可)[\u4e00-\u9fff]{0,6}$", "", words
    )  # …能救助: the topic
    clause = find_clause(context.index, doc.doc_id, words, MONEY, per_person=True)
    plan = Plan("limit")
    if clause is not None and _CAP_STATED.search(clause.text):
        plan.add("clause", clause.text, clause.record, doc=doc.title, item=words)
        return finish(context, plan, [clause_statement(doc, clause)], [])
    plan.add("missing", "", None, doc=doc.title, item=f"{words}（每人上限）")
    nearby = [e.record for e in context.lookup.rank(doc.doc_id, words, k=2) if e.score >= MIN_SCORE]
    department = re.sub(r"\[.*?\]", "", doc.department)
    text = f"{department}的预算公开没有写明“{words}”每人最多能得到多少（上限），文件中找不到这个问题的答案。"
    answer = answers_text.refuse(context, text, nearby[:2])
    answer.plan = plan_json(plan.steps, answer)
    return answer
