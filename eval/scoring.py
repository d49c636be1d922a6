"""Exact scoring of one answer against one `TestCase`.

In: a `TestCase` and an `Answer` (assistant/answer.py). Out: a `CaseResult` with `passed` and, when it fails,
one reason per failed check (Simplified Chinese, shown in the reports).

Checks, each applied when the case asks for it; a case passes when all applicable checks pass:
- figures: every expected figure appears as a number in the answer text (numbers normalised: thousands
  separators, trailing zeros, 万元 ↔ 元, ％ ↔ %; never a substring of a longer number);
- codes: every expected catalog code appears in the answer text;
- unanswerable: `answer.refused` is true and the text holds no figure beyond those in the question;
- doc: at least one citation whose `doc` or `file` contains the expected document;
- verified: every figure in the answer text appears in a citation quote or a calculation.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from assistant.answer import Answer
from eval.testset import TestCase

# A run of digits with separators; validated and de-doubled afterwards ("9527.119527.11" → 9527.11).
_NUMBER_RUN = re.compile(r"(?<![A-Za-z0-9_])([-−]?)(\d[\d,.]*\d|\d)")
_VALID_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_UNIT = re.compile(r"[ \u3000]?(亿元|万元|千元|元|亿|万|%|％|‰)")
# Numbers that are not figures: citation markers [1], dates and line/page/document numbers.
_CITATION_MARK = re.compile(r"\[\d+(?:[,，、]\s*\d+)*\]")
_NOT_A_FIGURE_AFTER = re.compile(r" ?(年|月|日|号|行|页|〕|】|］|\])")  # after an integer
_LIST_MARKER = re.compile(r"(?m)^[ \t（(]*(\d{1,2})[、.．)）](?!\d)")  # "1、" "2." "(3)" at a line start
_DECREASE_BEFORE = re.compile(r"(减少|下降|降低|减)\s*$")
_SCALES = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1_000)}


@dataclass(frozen=True)
class Figure:
    """A number as written: its value, the unit after it and the scale that unit implies."""

    text: str  # as printed, with its unit
    value: Decimal  # the number itself, e.g. 4.70 for "4.70万元"
    unit: str  # "元", "%", "‰" or "" (no unit printed)
    scale: Decimal  # 10000 for 万元, 1 otherwise
    decrease: bool = False  # written after 减少/下降/降低: "减少0.03" also states -0.03

    def values(self) -> tuple[Decimal, ...]:
        """The values this figure states: itself, and its negative after 减少."""
        return (self.value, -self.value) if self.decrease else (self.value,)

    @property
    def base(self) -> Decimal:
        """Value in the base unit (元 for money)."""
        return self.value * self.scale

    @property
    def has_unit(self) -> bool:
        return bool(self.unit) or self.scale != 1

    def __str__(self) -> str:
        return self.text


def _parse_number(run: str) -> Decimal | None:
    if _VALID_NUMBER.fullmatch(run):
        return Decimal(run.replace(",", ""))
    half, rest = divmod(len(run), 2)
    if not rest and run[:half] == run[half:] and _VALID_NUMBER.fullmatch(run[:half]):
        return Decimal(run[:half].replace(",", ""))
    return None


def _split_unit(raw_unit: str) -> tuple[str, Decimal]:
    raw_unit = raw_unit.strip().replace("％", "%")
    scale = _SCALES.get(raw_unit[:1], Decimal(1))
    unit = raw_unit[1:] if raw_unit[:1] in _SCALES else raw_unit
    return unit, scale


def extract_figures(text: str) -> list[Figure]:
    """Every figure in `text`, with its unit; citation and list markers, dates, codes, line numbers left out."""
    text = _CITATION_MARK.sub(" ", text)
    markers = {m.start(1) for m in _LIST_MARKER.finditer(text)}
    figures = []
    for match in _NUMBER_RUN.finditer(text):
        sign, run = match.groups()
        value = _parse_number(run)
        if (
            value is None
            or match.start(2) in markers
            or (run.isdigit() and _NOT_A_FIGURE_AFTER.match(text, match.end()))
            or text[max(0, match.start() - 1) : match.start()] in ("〔", "【", "［", "[")
        ):
            continue
        unit_match = _UNIT.match(text, match.end())
        unit, scale = _split_unit(unit_match.group(1)) if unit_match else ("", Decimal(1))
        decrease = bool(_DECREASE_BEFORE.search(text[max(0, match.start() - 4) : match.start()]))
        shown = (match.group(0) + (unit_match.group(0) if unit_match else "")).strip()
        figures.append(Figure(shown, -value if sign else value, unit, scale, decrease))
    return figures


def parse_expected(figure: str, default_unit: str = "") -> Figure:
    """An expected figure of a test set ("4.70", "4.70万元", "-0.03", "97.32%"); `default_unit` if none."""
    match = re.fullmatch(r"\s*([-−]?)([\d,.]+)\s*(\S*)\s*", figure)
    value = _parse_number(match.group(2)) if match else None
    if match is None or value is None:
        raise ValueError(
            f"expected figure {figure!r} is not a number; write it like 4.70, 4.70万元 or 97.32%"
        )
    unit, scale = _split_unit(match.group(3) or default_unit)
    return Figure(text=figure.strip(), value=-value if match.group(1) else value, unit=unit, scale=scale)


def same_figure(expected: Figure, found: Figure) -> bool:
    """Whether `found` (in an answer) states `expected`: same number, in the same unit or converted."""
    values = found.values()
    if not expected.has_unit:
        return expected.value in values
    if not found.has_unit:  # a bare number: in the expected unit, or already converted to the base unit
        return expected.value in values or expected.base in values
    if found.unit != expected.unit:
        return False
    return expected.base in (v * found.scale for v in values)


def supports(source: Figure, figure: Figure) -> bool:
    """Whether a number in a source (quote, calculation) backs `figure` from an answer.

    Table cells carry no unit (the table header says 万元), so a bare source number also backs
    its 万元 → 元 conversion.
    """
    value, base, source_value = abs(figure.value), abs(figure.base), abs(source.value)
    if value == source_value or (source.has_unit and figure.unit == source.unit and base == abs(source.base)):
        return True
    return not source.has_unit and figure.unit == "元" and base == source_value * _SCALES["万"]


@dataclass
class CaseResult:
    """The verdict on one case: `passed`, one reason per failed check, the answer and what was expected."""

    id: str
    category: str
    question: str
    passed: bool
    reasons: list[str]
    latency_ms: float
    answer: dict[str, Any]  # Answer.to_json()
    expected: dict[str, Any] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)  # names of the checks applied

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _source_figures(answer: Answer) -> list[Figure]:
    texts = [c.quote for c in answer.citations]
    for calc in answer.calculations:
        texts += [calc.expression, f"{calc.result}{calc.unit}"]
        texts += [str(item.get("value", "")) for item in calc.inputs]
    return [figure for text in texts for figure in extract_figures(text)]


def check_figures(case: TestCase, found: list[Figure]) -> list[str]:
    reasons = []
    for text in case.figures:
        expected = parse_expected(text, case.unit)
        if not any(same_figure(expected, figure) for figure in found):
            shown = "、".join(str(f) for f in found) or "无"
            wanted = text if parse_expected(text).has_unit else f"{text}{case.unit}"
            reasons.append(f"缺少数字 {wanted}（答案中的数字：{shown}）")
    return reasons


def check_codes(case: TestCase, text: str) -> list[str]:
    return [
        f"缺少目录代码 {code}"
        for code in case.codes
        if not re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![0-9])", text, flags=re.IGNORECASE)
    ]


def check_refusal(case: TestCase, answer: Answer, found: list[Figure]) -> list[str]:
    reasons = []
    if not answer.refused:
        reasons.append("应当拒答（文件中没有答案），但给出了回答")
    asked = extract_figures(case.question)
    invented = [f for f in found if not any(abs(f.value) == abs(q.value) for q in asked)]
    if invented:
        reasons.append(f"无法回答的问题却给出了数字：{'、'.join(map(str, invented))}")
    return reasons


def check_citation(case: TestCase, answer: Answer) -> list[str]:
    if any(case.doc in c.doc or case.doc in c.file for c in answer.citations):
        return []
    cited = "、".join(sorted({c.doc or c.file for c in answer.citations})) or "无引用"
    return [f"没有引用预期文件「{case.doc}」（引用了：{cited}）"]


def check_verified(found: list[Figure], answer: Answer) -> list[str]:
    sources = _source_figures(answer)
    unverified = [f for f in found if not any(supports(s, f) for s in sources)]
    if not unverified:
        return []
    return [f"数字 {'、'.join(map(str, unverified))} 未见于任何引用原文或计算"]


def score_case(case: TestCase, answer: Answer, latency_ms: float | None = None) -> CaseResult:
    """Score `answer` against `case`; `latency_ms` (measured) is used when the answer does not carry one."""
    found = extract_figures(answer.answer)
    reasons: list[str] = []
    checks: list[str] = []
    if case.unanswerable:
        checks.append("refusal")
        reasons += check_refusal(case, answer, found)
    elif answer.refused:
        reasons.append("拒答了一个文件中有答案的问题")
    if case.figures and not case.unanswerable:
        checks.append("figures")
        reasons += check_figures(case, found)
    if case.codes and not case.unanswerable:
        checks.append("codes")
        reasons += check_codes(case, answer.answer)
    if case.doc and not case.unanswerable:
        checks.append("citation")
        reasons += check_citation(case, answer)
    checks.append("verified")
    reasons += check_verified(found, answer)
    expected: dict[str, Any] = {
        "figures": list(case.figures),
        "unit": case.unit,
        "codes": list(case.codes),
        "doc": case.doc,
    }
    expected |= {"refusal": case.unanswerable, "answer": case.answer}
    return CaseResult(
        id=case.id,
        category=case.category,
        question=case.question,
        passed=not reasons,
        reasons=reasons,
        latency_ms=answer.latency_ms or (latency_ms or 0.0),
        answer=answer.to_json(),
        expected=expected,
        checks=checks,
    )
