"""The 问答 page's logic: checking a question, what the store holds, example questions, a chat turn.

In: a question (as typed), the chat history, the assistant. Out: the history with the question shown as
text and the answer streamed, plus a hint line (empty, or why a question was not sent). No Gradio here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from assistant.answer import Answer
from assistant.catalog_search import CatalogSearch
from assistant.question_check import ASK_FOR_QUESTION, QuestionTimeout
from assistant.question_check import check_question as shared_check
from ingest.api import StoreError, StructuredIndex
from ui.web.render import render_answer, render_error, render_partial, render_question

Message = dict[str, Any]
Ask = Callable[[str, list[str] | None], Answer]

EMPTY_HINT = ASK_FOR_QUESTION


def check_question(question: str | None, limit: int) -> tuple[str, str]:
    """(cleaned question, "") when it can be sent; ("", hint) saying why not (empty, no words, over
    `limit`): the same check as the CLI's (assistant/question_check.py)."""
    return shared_check(question, limit)


def held_documents(index: StructuredIndex) -> str:
    """What the store holds, for the first screen: each department with its years (Markdown)."""
    years: dict[str, list[int]] = {}
    for doc in index.documents():
        bucket = years.setdefault(doc.department, [])
        if doc.year and doc.year not in bucket:
            bucket.append(doc.year)
    if not years:
        return "**还没有收录任何文档。** 请管理员先导入部门预算公开文件。"
    lines = [f"**已收录 {len(years)} 个部门的预算公开：**"]
    for department, held in sorted(years.items(), key=lambda kv: (kv[1], kv[0])):
        shown = "、".join(f"{y}年" for y in sorted(held)) or "年度不详"
        lines.append(f"- {department}（{shown}）")
    lines.append("\n其他部门、其他年度的问题无法回答。")
    return "\n".join(lines)


def example_questions(index: StructuredIndex, catalog: CatalogSearch | None) -> dict[str, list[str]]:
    """Example questions for citizens, staff and evaluators, made from what the store holds."""
    docs = index.documents()
    citizen: list[str] = []
    evaluator: list[str] = []
    for doc in docs[:2]:
        name = f"{doc.department}{doc.year}年" if doc.year else doc.department
        citizen.append(f"{name}“三公”经费是多少？")
        citizen.append(f"{name}基本支出和项目支出各是多少？")
    citizen.append("三公经费是什么？")
    if docs:
        doc = docs[-1]
        evaluator.append(f"{doc.department}{doc.year}年支出预算合计是多少？比上年增减多少？")
        evaluator.append(f"{doc.department}{doc.year}年人员经费占基本支出的比例是多少？")
        evaluator.append(f"{doc.department}{doc.year}年职工食堂每天的菜单是什么？")
    staff: list[str] = []
    if catalog is not None and catalog.entries:
        departments = catalog.departments()
        if departments:
            department = departments[0]
            leaf = next(
                (e for e in catalog.entries if e.department == department and len(e.code) >= 7 and e.name),
                None,
            )
            if leaf is not None:
                staff.append(f"{department} {leaf.code} 是什么服务？")
                staff.append(f"{leaf.name}的目录代码是什么？")
            staff.append(f"{department}能买哪些宣传服务？")
        versions = catalog.versions()
        if len(versions) >= 2:
            staff.append(f"{versions[0]}和{versions[1]}两版目录有什么不同？")
    return {"市民": citizen, "工作人员": staff, "评估人员": evaluator}


def chat_turn(
    ask: Ask, question: str | None, history: list[Message] | None, doc_ids: list[str] | None, limit: int
) -> Iterator[tuple[list[Message], str, str]]:
    """One chat turn → (history, text left in the input box, hint), streamed.

    A question that cannot be sent leaves the history alone, stays in the box and gets a hint.
    Otherwise the question appears as text, the answer grows piece by piece, then gets its boxes.
    """
    history = list(history or [])
    text, hint = check_question(question, limit)
    if hint:
        yield history, question or "", hint
        return
    history.append({"role": "user", "content": render_question(text)})
    history.append({"role": "assistant", "content": render_partial("正在查找来源……")})
    yield history, "", ""
    try:
        answer = ask(text, list(doc_ids or []) or None)
    except (StoreError, QuestionTimeout) as exc:  # their message says what to do
        history[-1] = {"role": "assistant", "content": render_error(str(exc))}
        yield history, "", ""
        return
    except Exception as exc:  # the page stays usable; the message says what to do
        history[-1] = {
            "role": "assistant",
            "content": render_error(
                f"回答时出错（{type(exc).__name__}: {exc}）。请换个问法重试；如果一直出错，请联系管理员查看日志。"
            ),
        }
        yield history, "", ""
        return
    for partial in _pieces(answer.answer):
        history[-1] = {"role": "assistant", "content": render_partial(partial)}
        yield history, "", ""
    history[-1] = {"role": "assistant", "content": render_answer(answer)}
    yield history, "", ""


def _pieces(text: str, size: int = 12) -> Iterator[str]:
    """The answer text growing piece by piece, for a streamed display."""
    for end in range(size, len(text), size):
        yield text[:end]
