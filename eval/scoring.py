"""Exact scoring of one answer against one `TestCase`.

In: a `TestCase` and an `Answer` (assistant/answer.py). Out: a `CaseResult`: `scored` (False when the case
holds nothing that can be checked), `passed`, and one reason per failed check (Simplified Chinese, shown in
the reports).

What the answer "states" is its text outside verbatim quotes of the documents: spans in 「…」 or “…” are
the documents speaking (eval/figures.py `outside_quotes`), so a figure inside them does not count as stated.
Key phrases (`must`) and service names are wording, and documents' wording is a fair way to give it: they
count anywhere in the answer text, quotes included.

Checks, each applied when the case asks for it; a scored case passes when all applicable checks pass:
- figures: every expected figure is stated outside quotes (numbers normalised: thousands separators,
  trailing zeros, 万元 ↔ 元, ％ ↔ %; never a substring of a longer number);
- slot: the answer's direct answer is the first sentence (outside quotes) that states an expected figure or
  another figure in a unit the case expects; figures the question itself gives and inputs of the answer's
  own calculations are context and do not make a sentence the direct answer. That sentence must state at
  least one expected figure. Counts (3人, 2家, 1辆) are never money or percent figures. An answer that
  leads with another figure for the asked slot fails even when the expected figure turns up later;
- codes: every expected catalog code appears in the answer text; when the question itself names the code
  (code → service), the service name must appear too: the case's `must`, or else the text after the code in
  the reference `answer` ("A160201 工业和信息化领域入企服务（…）" → 工业和信息化领域入企服务). An echoed
  code with no name to check is not scorable;
- must: every key phrase appears in the answer text (`a|b`: either; case, width and spaces ignored);
- unanswerable: `answer.refused` is true; the refusal may name what the documents do disclose, but every
  figure it states must be backed by a citation or calculation (see verified) unless the question gave it;
- doc: every expected document (a list means all of them) is cited: it occurs in a citation's title
  (`doc`, which holds the department) or its file name;
- verified: every figure in the answer text, quotes included, appears in a citation quote or a calculation.

A case is scored when it has figures, codes that can be checked, `must`, or category `unanswerable`;
`doc` alone is not enough (citing the right document says nothing about the answer), and neither are
expected figures that the question itself states (an echo proves nothing, as an echoed code does not):
such figures are still required, but a case with nothing else to check is unscored. An unscored case is
reported and left out of the accuracy.

The scorer reads numbers and sentences with its own code (eval/figures.py), not the product's
(ingest/figures.py, ingest/sentences.py), on purpose: a reading mistake shared by the product and
its scorer would make a wrong answer score as right.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any

from assistant.answer import Answer
from eval.figures import (
    Figure,
    compatible,
    extract_figures,
    outside_quotes,
    parse_expected,
    same_figure,
    sentences,
    supports,
)
from eval.testset import TestCase

_NAME_AFTER_CODE = r"{code}\s*[：:、\s]?\s*([^（(，,；;。\n]+)"


@dataclass
class CaseResult:
    """The verdict on one case: `scored`, `passed`, one reason per failed check, the answer and what was
    expected."""

    id: str
    category: str
    question: str
    passed: bool
    reasons: list[str]
    latency_ms: float
    answer: dict[str, Any]  # Answer.to_json()
    expected: dict[str, Any] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)  # names of the checks applied
    scored: bool = True  # False: nothing in the case could be checked; left out of the accuracy

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def normalise_phrase(text: str) -> str:
    """Text for phrase matching: NFKC (full-width → half-width), case folded, whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _code_in(code: str, text: str) -> bool:
    return bool(re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![0-9])", text, flags=re.IGNORECASE))


def service_name(case: TestCase, code: str) -> str:
    """The service name the reference `answer` gives right after `code`, or ""."""
    match = re.search(_NAME_AFTER_CODE.format(code=re.escape(code)), case.answer)
    return match.group(1).strip() if match else ""


def named_codes(case: TestCase) -> list[str]:
    """Expected codes the question itself names (code → service cases)."""
    return [code for code in case.codes if _code_in(code, case.question)]


def echoes_question(case: TestCase, figure: str) -> bool:
    """Whether the question itself states this expected figure ("这50万元属于哪类资金？")."""
    expected = parse_expected(figure, case.unit)
    return any(same_figure(expected, found) for found in extract_figures(case.question))


def scorable_checks(case: TestCase) -> list[str]:
    """The checks that say something about the answer itself; empty means the case is unscored."""
    checks = []
    if case.unanswerable:
        return ["refusal", *(["must"] if case.must else [])]
    if case.figures and not all(echoes_question(case, figure) for figure in case.figures):
        checks += ["figures", "slot"]
    echoed = named_codes(case)
    if case.codes and (
        len(echoed) < len(case.codes) or case.must or all(service_name(case, c) for c in echoed)
    ):
        checks.append("codes")
    if case.must:
        checks.append("must")
    return checks


def _source_figures(answer: Answer) -> list[Figure]:
    texts = [c.quote for c in answer.citations]
    for calc in answer.calculations:
        texts += [calc.expression, f"{calc.result}{calc.unit}"]
        texts += [str(item.get("value", "")) for item in calc.inputs]
    return [figure for text in texts for figure in extract_figures(text)]


def _calculation_inputs(answer: Answer) -> list[Figure]:
    figures = []
    for calc in answer.calculations:
        figures += [f for item in calc.inputs for f in extract_figures(str(item.get("value", "")))]
        left = calc.expression.rpartition("=")[0]
        figures += extract_figures(left)
    return figures


def _same_value(a: Figure, b: Figure) -> bool:
    return abs(a.value) == abs(b.value)


def _shown_expected(case: TestCase, text: str) -> str:
    return text if parse_expected(text).has_unit else f"{text}{case.unit}"


def check_figures(case: TestCase, stated: list[Figure]) -> list[str]:
    reasons = []
    for text in case.figures:
        expected = parse_expected(text, case.unit)
        if not any(same_figure(expected, figure) for figure in stated):
            shown = "、".join(str(f) for f in stated) or "无"
            reasons.append(f"缺少数字 {_shown_expected(case, text)}（引文之外答案给出的数字：{shown}）")
    return reasons


def check_slot(case: TestCase, answer: Answer) -> list[str]:
    """The first sentence stating a figure of an expected unit must state an expected figure."""
    expected = [parse_expected(text, case.unit) for text in case.figures]
    wanted = "、".join(_shown_expected(case, text) for text in case.figures)
    context = extract_figures(case.question) + _calculation_inputs(answer)
    for sentence in sentences(outside_quotes(answer.answer)):
        stated = [f for f in extract_figures(sentence) if any(compatible(e, f) for e in expected)]
        if any(same_figure(e, f) for e in expected for f in stated):
            return []
        candidates = [f for f in stated if not any(_same_value(c, f) for c in context)]
        if not candidates:
            continue
        shown = "、".join(dict.fromkeys(map(str, candidates)))
        return [f"答案首先给出的数字 {shown} 不是所问的数字（预期 {wanted}）"]
    return []


def check_codes(case: TestCase, text: str) -> list[str]:
    reasons = [f"缺少目录代码 {code}" for code in case.codes if not _code_in(code, text)]
    if case.must:
        return reasons  # the must check names the service
    plain = normalise_phrase(text)
    for code in named_codes(case):
        name = service_name(case, code)
        if name and normalise_phrase(name) not in plain:
            reasons.append(f"只重复了代码 {code}，没有说出服务名称「{name}」")
    return reasons


def check_must(case: TestCase, text: str) -> list[str]:
    plain = normalise_phrase(text)
    return [
        f"缺少关键内容「{phrase}」"
        for phrase in case.must
        if not any(normalise_phrase(alt) in plain for alt in phrase.split("|") if alt.strip())
    ]


def check_refusal(case: TestCase, answer: Answer) -> list[str]:
    if answer.refused:
        return []
    return ["应当拒答（文件中没有答案），但给出了回答"]


def cites(doc: str, answer: Answer) -> bool:
    """Whether a citation names `doc`: in its title (department and year) or its file name."""
    wanted = normalise_phrase(doc)
    for citation in answer.citations:
        names = (citation.doc, PurePath(citation.file).name if citation.file else "")
        if any(name and wanted in normalise_phrase(name) for name in names):
            return True
    return False


def check_citation(case: TestCase, answer: Answer) -> list[str]:
    missing = [doc for doc in case.doc if not cites(doc, answer)]
    if not missing:
        return []
    cited = "、".join(sorted({c.doc or c.file for c in answer.citations})) or "无引用"
    return [f"没有引用预期文件「{'」「'.join(missing)}」（引用了：{cited}）"]


def check_verified(found: list[Figure], answer: Answer, exempt: list[Figure]) -> list[str]:
    """Every figure is backed by a citation or a calculation; a 0 is backed by a cited table cell the
    document leaves blank (`Citation.blank`: the table states no amount)."""
    sources = _source_figures(answer)
    blank_cited = any(c.blank for c in answer.citations)
    unverified = [
        f
        for f in found
        if not any(supports(s, f) for s in sources)
        and not any(_same_value(e, f) for e in exempt)
        and not (blank_cited and f.value == 0)
    ]
    if not unverified:
        return []
    return [f"数字 {'、'.join(map(str, unverified))} 未见于任何引用原文或计算"]


def _expected(case: TestCase) -> dict[str, Any]:
    return {
        "figures": list(case.figures),
        "unit": case.unit,
        "codes": list(case.codes),
        "must": list(case.must),
        "doc": list(case.doc),
        "refusal": case.unanswerable,
        "answer": case.answer,
    }


def score_case(case: TestCase, answer: Answer, latency_ms: float | None = None) -> CaseResult:
    """Score `answer` against `case`; `latency_ms` (measured) is used when the answer does not carry one."""
    checks = scorable_checks(case)
    stated = extract_figures(outside_quotes(answer.answer))
    reasons: list[str] = []
    if case.unanswerable:
        reasons += check_refusal(case, answer)
    elif answer.refused:
        reasons.append("拒答了一个文件中有答案的问题")
    if case.figures and not case.unanswerable:
        if "figures" not in checks:  # only echoed figures: still required, though they score nothing alone
            checks.append("figures")
        reasons += check_figures(case, stated)
    if "slot" in checks:
        reasons += check_slot(case, answer)
    if "codes" in checks:
        reasons += check_codes(case, answer.answer)
    if "must" in checks:
        reasons += check_must(case, answer.answer)
    if case.doc and not case.unanswerable:
        checks.append("citation")
        reasons += check_citation(case, answer)
    checks.append("verified")
    exempt = extract_figures(case.question) if case.unanswerable else []
    reasons += check_verified(extract_figures(answer.answer), answer, exempt)
    scored = bool(scorable_checks(case))
    return CaseResult(
        id=case.id,
        category=case.category,
        question=case.question,
        passed=scored and not reasons,
        reasons=reasons,
        latency_ms=answer.latency_ms or (latency_ms or 0.0),
        answer=answer.to_json(),
        expected=_expected(case),
        checks=checks,
        scored=scored,
    )
