"""English questions of the plan's shapes: asked as the Chinese question they stand for, answered in
English from the executed plan's steps (names and labels stay in Chinese, units as printed).

In: an `AskContext` with an English question. Out: `chinese_question(question)` — the Chinese words of
its shape (two items, a difference, a total, the largest project) or None when it has no plan shape;
`english_text(answer)` — the plan's steps as English sentences with their citation numbers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from assistant.answer import Answer
from assistant.lexicon import ENGLISH, expand

# Class: English superlative, difference and aggregation wordings → the Chinese shape words.
_MOST = re.compile(r"\b(largest|biggest|most|highest|greatest)\b")
_LEAST = re.compile(r"\b(least|smallest|lowest|fewest)\b")
_DIFFERENCE = re.compile(
    r"how much (more|less|higher|lower|bigger|smaller)|\bdifference\b|\bgap\b|\bwhich is (higher|larger|bigger|more)\b"
)
# Class: English whether-questions (does it have any / is there any budget for).
_WHETHER = re.compile(r"^\s*(does|do|did|is there|are there)\b|\bany\b")
_TOTAL = re.compile(r"\b(combined|altogether|in all|add up|together|sum of|in total)\b")
# Class: English names of the row sets a superlative ranges over.
_SETS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bprojects?\b"), "哪个项目预算"),
    (re.compile(r"function(al)?\s+(class|classification|categor|area)"), "按功能分类哪一类支出"),
]


def chinese_question(question: str) -> str | None:
    """The Chinese question an English one of a plan shape stands for, or None."""
    lowered = question.lower()
    spans: list[tuple[int, str]] = []
    rest = lowered
    for pattern, term in ENGLISH:
        for match in re.finditer(pattern, lowered):
            spans.append((match.start(), term.split()[0]))
            rest = rest.replace(match.group(0), " " * len(match.group(0)))
    items = list(dict.fromkeys(term for _, term in sorted(spans)))
    if _MOST.search(rest) or _LEAST.search(rest):
        word = "最少" if _LEAST.search(rest) else "最多"
        for set_pattern, subject in _SETS:
            if set_pattern.search(rest):
                return f"{subject}{word}"
        return None
    if not items:
        return None
    joined = "和".join(items)
    if _DIFFERENCE.search(rest):
        return f"{joined}差多少"
    if _TOTAL.search(rest):
        return f"{joined}一共多少"
    if len(items) >= 2:
        return f"{joined}分别是多少"
    if _WHETHER.search(rest):
        return f"{joined}有没有"  # a stated 0 or a blank cell answers it
    return None


def as_chinese(context: Any, chinese: str) -> Any:
    """The context with its query asking `chinese` (documents, year and filters unchanged)."""
    query = replace(context.query, question=chinese, plain=chinese, expanded=expand(chinese), language="zh")
    query.terms = expand(chinese)
    return replace(context, query=query)


def english_text(answer: Answer) -> str | None:
    """The plan's steps as English sentences; None when a step has no English wording (the caller then
    leaves the question to the English handlers)."""
    lead: list[str] = []
    body: list[str] = []
    for step in answer.plan:
        sentence = _sentence(step)
        if sentence is None:
            return None
        if sentence:
            (lead if step["op"] in ("sum", "difference") else body).append(sentence)
    text = " ".join(lead + body)
    return text or None


def _sentence(step: dict[str, Any]) -> str | None:
    op, inputs, result = step["op"], step.get("inputs", {}), step.get("result", "")
    cite = f" [{step['citation']}]" if "citation" in step else ""
    doc = inputs.get("doc", "")
    label = inputs.get("label") or inputs.get("item", "")
    if op == "figure":
        return f"{doc + ': ' if doc else ''}{label} is {result}{cite}."
    if op == "clause":
        return f"{doc} states: “{result}”{cite}."
    if op == "missing":
        return f"{doc} does not list {inputs.get('item', '')}."
    if op in ("argmax", "argmin"):
        which = "largest" if op == "argmax" else "smallest"
        return f"The {which} is {label}, {result}{cite}."
    if op == "sum":
        return f"Total: {result} ({inputs.get('expression', '')})."
    if op == "difference":
        larger, smaller = inputs.get("larger", ""), inputs.get("smaller", "")
        if larger and smaller:
            return f"{larger} is higher than {smaller} by {result} ({inputs.get('expression', '')})."
        return f"Difference: {result} ({inputs.get('expression', '')})."
    if op == "share":
        return f"{doc}: {inputs.get('part', '')} is {result} of {inputs.get('whole', '')}{cite}."
    if op in ("rows", "filter"):
        return ""  # the set ranged over: shown in the plan, not said
    return None
