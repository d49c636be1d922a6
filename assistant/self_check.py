"""Re-checking the shares and changes a document computed itself (占97.32%, 比上年减少1.34万元，下降4.6%).

In: an `Answer` whose citations quote narrative text, and the list of trusted `CalcResult`s. Out: the
same answer with one `Calculation` per stated share or growth rate in its quotes (its `check` is
`calculator.check_stated(...)`), and a sentence when the document disagrees with itself
(文件写作下降4.6%，按文件数字核算为下降4.66%). The inputs are the figures of the same quoted
sentence, cited with the same number, so the verifier can trace every one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from assistant.answer import Answer, Calculation, Citation
from assistant.calculator import (
    CalcResult,
    CalculationError,
    Operand,
    add,
    check_stated,
    growth_percent,
    share_percent,
    subtract,
    to_calculation,
)
from ingest.api import FULL_STOPS, parse_number, split_sentences

_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
_MONEY = re.compile(_NUMBER + r"\s*万元")
_SHARE = re.compile(
    r"([^\d，,：:；;。、]{0,20}?)" + _NUMBER + r"\s*万元\s*[，,]\s*占\s*(\d+(?:\.\d+)?)\s*[%％]"
)
_GROWTH = re.compile(
    r"比(?:上年|上一年|去年|20\d\d年)[^，,。；;\d]{0,8}?(增加|减少)\s*"
    + _NUMBER
    + r"\s*万元\s*[，,]?\s*(增长|下降)\s*(\d+(?:\.\d+)?)\s*[%％]"
)
MAX_CHECKS = 12  # a long quote (一般公共预算 by function) can state many shares; enough for any answer


@dataclass(frozen=True)
class StatedCheck:
    """One stated percentage and the calculator's own result for it."""

    stated: Decimal  # as printed (positive; the word says 下降)
    word: str  # 占 / 增长 / 下降
    result: CalcResult  # the share or growth rate
    steps: tuple[CalcResult, ...]  # intermediate results (last year's figure)
    note: str  # check_stated(...): "" when the document agrees with itself

    @property
    def disagrees(self) -> bool:
        return bool(self.note)


def _label(raw: str) -> str:
    label = re.sub(r"^(其中|主要包括|主要用于以下方面|包括)", "", raw.strip())
    return label.strip() or "本项"


def checks_in(quote: str, citation: int | None) -> list[StatedCheck]:
    """Every share and growth rate the quoted text states, recomputed from its own figures."""
    out: list[StatedCheck] = []
    for sentence in split_sentences(quote, FULL_STOPS):
        out += _shares(sentence, citation)
        out += _growths(sentence, citation)
    return out


def _shares(sentence: str, citation: int | None) -> list[StatedCheck]:
    first = _MONEY.search(sentence)
    if first is None:
        return []
    whole_value = parse_number(first.group(1))
    whole_name = _label(re.split(r"[，,：:；;]", sentence[: first.start()])[-1][-12:]) or "总额"
    whole = Operand(whole_name, whole_value, "万元", citation)
    out = []
    for match in _SHARE.finditer(sentence):
        if match.start(2) == first.start(1):
            continue  # the whole itself
        part = Operand(_label(match.group(1)), parse_number(match.group(2)), "万元", citation)
        try:
            result = share_percent(part, whole)
        except CalculationError:
            continue
        stated = parse_number(match.group(3))
        out.append(StatedCheck(stated, "占", result, (), check_stated(stated, result)))
    return out


def _growths(sentence: str, citation: int | None) -> list[StatedCheck]:
    out = []
    for match in _GROWTH.finditer(sentence):
        before = list(_MONEY.finditer(sentence[: match.start()]))
        if not before:
            continue
        subject = before[0]
        name = _label(re.split(r"[，,：:；;]", sentence[: subject.start()])[-1][-12:])
        current = Operand(name or "本年", parse_number(subject.group(1)), "万元", citation)
        change = Operand(f"比上年{match.group(1)}", parse_number(match.group(2)), "万元", citation)
        try:
            previous = subtract(current, change) if match.group(1) == "增加" else add(current, change)
            result = growth_percent(current, Operand("上年", previous.rounded, "万元", None))
        except CalculationError:
            continue
        stated = parse_number(match.group(4))
        out.append(StatedCheck(stated, match.group(3), result, (previous,), check_stated(stated, result)))
    return out


def _sentence(check: StatedCheck, citation: Citation, en: bool) -> str:
    shown = f"{abs(check.result.rounded):f}%"
    if en:
        return (
            f"Check: the document states {check.word} {check.stated:f}%, its own figures give {shown}"
            f"[{citation.number}]."
        )
    return f"核对：文件写作{check.word}{check.stated:f}%，按文件数字核算为{check.word}{shown}[{citation.number}]。"


_ASKS_PERCENT = re.compile(
    r"百分之几|百分比|增长率|增幅|降幅|占比|比例|几成|多少%|percent|rate", re.IGNORECASE
)


def asks_percent(question: str) -> bool:
    """True when the question asks for a share or a rate (the re-computed figure is then the answer)."""
    return bool(_ASKS_PERCENT.search(question))


def self_check(answer: Answer, trusted: list[CalcResult], show_all: bool = False) -> Answer:
    """`answer` with its quotes' stated percentages re-checked; new results are appended to `trusted`.

    With `show_all` (the question asks for a rate) agreeing results are stated too, as expressions.
    """
    if answer.refused:
        return answer
    calculations: list[Calculation] = list(answer.calculations)
    seen = {c.expression for c in calculations}
    sentences: list[str] = []
    count = 0
    for citation in answer.citations:
        for check in checks_in(citation.quote, citation.number):
            if check.result.expression in seen or count >= MAX_CHECKS:
                continue
            seen.add(check.result.expression)
            count += 1
            for step in check.steps:
                trusted.append(step)
                calculations.append(to_calculation(step))
            trusted.append(check.result)
            calculations.append(to_calculation(check.result, check=check.note))
            if check.disagrees:
                sentences.append(_sentence(check, citation, answer.language == "en"))
            elif show_all and check.word != "占":
                sentences.append(f"按文件数字核算：{check.result.expression}[{citation.number}]。")
    if not sentences and len(calculations) == len(answer.calculations):
        return answer
    text = answer.answer + (
        "" if not sentences else (" " if answer.language == "en" else "") + "".join(sentences)
    )
    return replace(answer, answer=text, calculations=calculations)
