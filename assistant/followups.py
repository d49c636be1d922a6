"""Elliptical follow-ups: "A有几个内设机构？B呢？" asks the first question again about B.

In: a question. Out: `split_follow_up` → (the first question, the new subject) or None; the service
asks the first question's words again about the subject, in the same documents; `merge` → one answer
of two, citations renumbered.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer import Answer, Calculation, Citation

# Class: an elliptical follow-up naming only a new subject (B呢？ / 那B呢？ / B的呢？), after a question.
_FOLLOW_UP = re.compile(
    r"^(?P<first>[^？?]{4,200}[？?])\s*(?:那么?|那)?(?P<subject>[^？?呢，,]{2,20}?)的?呢[？?]?\s*$"
)
# Class: names of bodies (…局/…中心/…站/…所/…办): only a body is a follow-up's new subject (科目编码呢
# asks a second attribute of the same line, not the same question about another body).
_BODY = re.compile(r"(局|厅|委|办|中心|站|所|院|队|馆|社|会|处|室|部|单位|公司|县|市|区)$")
# Asides in brackets at the end apply to both questions (（2025年公开）).
_ASIDE = re.compile(r"[（(][^）)]{2,30}[）)]\s*$")
_MARKER = re.compile(r"\[(\d+)\]")


def split_follow_up(question: str) -> tuple[str, str] | None:
    """(the first question with any closing aside, the new subject) or None."""
    aside_match = _ASIDE.search(question)
    aside = aside_match.group(0).strip() if aside_match else ""
    body = question[: aside_match.start()] if aside_match else question
    match = _FOLLOW_UP.match(body.strip())
    if match is None or not _BODY.search(match.group("subject").strip()):
        return None
    return match.group("first") + aside, match.group("subject").strip()


def merge(first: Answer, second: Answer) -> Answer:
    """One answer stating both, the second's citations numbered after the first's."""
    offset = len(first.citations)

    def shift(match: re.Match[str]) -> str:
        return f"[{int(match.group(1)) + offset}]"

    citations = list(first.citations) + [
        replace(c, number=c.number + offset) for c in second.citations if isinstance(c, Citation)
    ]
    plan = list(first.plan) + [
        {**step, "citation": step["citation"] + offset} if "citation" in step else dict(step)
        for step in second.plan
    ]
    return replace(
        first,
        answer=f"{first.answer}{_MARKER.sub(shift, second.answer)}",
        citations=citations,
        calculations=list(first.calculations) + [_shifted(c, offset) for c in second.calculations],
        refused=first.refused and second.refused,
        notes=list(first.notes) + list(second.notes),
        plan=plan,
    )


def _shifted(calculation: Calculation, offset: int) -> Calculation:
    inputs = [
        {**i, "citation": str(int(i["citation"]) + offset)} if str(i.get("citation", "")).isdigit() else i
        for i in calculation.inputs
    ]
    return replace(calculation, inputs=inputs)
