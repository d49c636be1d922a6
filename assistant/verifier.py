"""The verifier: no figure reaches the user unless a cited source or the calculator backs it.

Applied to every answer whoever composed it (DESIGN.md invariant 3). In: an `Answer`, the quoted
source text per citation number, and the `CalcResult`s the calculator produced for it. Out: the
checked `Answer` and a `VerificationReport`:

- citation markers `[n]` whose n is not among `answer.citations` are dropped;
- a calculation counts only if each input is found in its cited quote; the answer's `calculations`
  keep only those matching a trusted `CalcResult` (compose them with `to_calculation`);
- every figure (`numbers.is_figure`) in a sentence must appear in the quote of a citation the sentence
  refers to (any cited quote when it has no [n]) or be a trusted calculation's result or input;
  otherwise the sentence is removed and a note says which figure could not be checked;
- when nothing factual remains, the answer becomes a refusal (文件中没有找到可核对的答案).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from assistant.answer import Answer
from assistant.calculator import CalcResult, Operand
from assistant.numbers import NumberMention, extract_figures, same_figure
from ingest.api import split_sentences

__all__ = ["REFUSAL_EN", "REFUSAL_ZH", "VerificationReport", "verify"]

REFUSAL_ZH = "文件中没有找到可核对的答案。"
REFUSAL_EN = "No answer that can be checked against the documents was found (文件中没有找到可核对的答案)."

_MARKER = re.compile(r"[\[【]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】]")
_UNIT_HEADER = re.compile(r"单位[：:]\s*(万元|元)")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class VerificationReport:
    """What the verifier changed, for logs and eval. `ok` means nothing had to change."""

    unverified: list[str] = field(default_factory=list)  # figures as written, e.g. "85%"
    removed_sentences: list[str] = field(default_factory=list)
    ok: bool = True
    dropped_citations: list[int] = field(default_factory=list)
    dropped_calculations: list[str] = field(default_factory=list)  # expressions
    refused: bool = False  # the answer was turned into a refusal


def verify(
    answer: Answer,
    sources: Mapping[int, str] | None = None,
    calculations: Sequence[CalcResult] = (),
    blank_records: Iterable[str] = (),
) -> tuple[Answer, VerificationReport]:
    """Check `answer` against `sources` (citation number → quoted text) and `calculations`.

    `answer.citations[*].quote` counts as source text too. A 0 is supported in a sentence citing a table
    row listed in `blank_records` (a row whose asked cell is blank: the table states no amount). Returns a new Answer (the input is not
    changed) and the report.
    """
    report = VerificationReport()
    notes = list(answer.notes)
    valid = {c.number for c in answer.citations}
    quotes = {
        c.number: "\n".join(filter(None, (c.quote, (sources or {}).get(c.number, ""))))
        for c in answer.citations
    }
    quote_figures = {n: _figures_of_quote(q) for n, q in quotes.items()}
    blank = set(blank_records)
    zero_cited = {c.number for c in answer.citations if c.record_id in blank}
    all_figures = [m for figures in quote_figures.values() for m in figures]

    text = _drop_unknown_markers(answer.answer, valid, report, notes)
    trusted = _trusted_calculations(calculations, quote_figures, all_figures, notes, report, bool(zero_cited))
    kept_calculations = []
    trusted_expressions = {c.expression for c in trusted}
    for calculation in answer.calculations:
        if calculation.expression in trusted_expressions:
            kept_calculations.append(calculation)
        elif calculation.expression not in report.dropped_calculations:
            report.dropped_calculations.append(calculation.expression)
            notes.append(f"已删除未经计算器核算的计算 {calculation.expression}")

    kept: list[str] = []
    for sentence in split_sentences(text):
        refs = [n for n in _markers(sentence) if n in valid]
        allowed = [m for n in refs for m in quote_figures[n]] if refs else all_figures
        masked = sentence
        for calc in trusted:  # an expression written out in the answer is the calculator's own
            masked = masked.replace(calc.expression, " " * len(calc.expression))
        missing = [
            f
            for f in extract_figures(masked)
            if not _supported(f, allowed, trusted) and not (f.value == 0 and zero_cited & set(refs))
        ]
        if missing:
            shown = "、".join(dict.fromkeys(f.raw.strip() for f in missing))
            report.unverified.extend(f.raw.strip() for f in missing)
            report.removed_sentences.append(sentence.strip())
            notes.append(f"已删除无法核对的数字 {shown}")
        else:
            kept.append(sentence)
    remaining = "".join(kept).strip()

    refused = answer.refused
    if (report.removed_sentences and not _factual(remaining)) or not remaining:
        english = _is_english(answer)
        remaining = REFUSAL_EN if english else REFUSAL_ZH
        refused = True
        kept_calculations = []
        report.refused = not answer.refused
    report.ok = not (
        report.unverified
        or report.removed_sentences
        or report.dropped_citations
        or report.dropped_calculations
    )
    checked = replace(answer, answer=remaining, calculations=kept_calculations, refused=refused, notes=notes)
    return checked, report


# --- helpers --------------------------------------------------------------------------------------


def _figures_of_quote(quote: str) -> list[NumberMention]:
    """Figures in a quoted source; bare table cells take the unit of a 单位：万元 header if quoted."""
    header = _UNIT_HEADER.search(quote)
    return extract_figures(quote, default_unit=header.group(1) if header else None)


def _markers(text: str) -> list[int]:
    return [int(n) for m in _MARKER.finditer(text) for n in re.split(r"\s*[,，、]\s*", m.group(1))]


def _drop_unknown_markers(text: str, valid: set[int], report: VerificationReport, notes: list[str]) -> str:
    """Remove citation numbers the answer does not list; `[1, 3]` with no [3] becomes `[1]`."""

    def keep(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*[,，、]\s*", match.group(1))]
        good = [n for n in numbers if n in valid]
        for n in numbers:
            if n not in valid and n not in report.dropped_citations:
                report.dropped_citations.append(n)
                notes.append(f"已删除不存在的引用 [{n}]")
        if len(good) == len(numbers):
            return match.group(0)
        return "".join(f"[{n}]" for n in good)

    return _MARKER.sub(keep, text)


def _trusted_calculations(
    calculations: Iterable[CalcResult],
    quote_figures: Mapping[int, list[NumberMention]],
    all_figures: list[NumberMention],
    notes: list[str],
    report: VerificationReport,
    zero_cited: bool = False,
) -> list[CalcResult]:
    """Calculations whose every input is found in its cited quote (or, uncited, in any quote); a 0 input
    is found when the answer cites a row whose cell is blank (`zero_cited`).

    An uncited input may also be the result of an earlier trusted calculation (上年 = 本年 + 减少额,
    then the growth rate over it): chained steps stay traceable to the quotes.
    """
    trusted: list[CalcResult] = []
    for calc in calculations:
        bad = [
            o
            for o in calc.inputs
            if not _input_found(o, quote_figures, all_figures)
            and not (o.citation is None and any(_same_result(o, t) for t in trusted))
            and not (zero_cited and o.value == 0)
        ]
        if bad:
            names = "、".join(f"{o.name} {o.value}{o.unit}" for o in bad)
            notes.append(f"已删除无法核对输入的计算 {calc.expression}（{names} 在所引来源中找不到）")
            report.dropped_calculations.append(calc.expression)
        else:
            trusted.append(calc)
    return trusted


def _input_found(
    operand: Operand, quote_figures: Mapping[int, list[NumberMention]], all_figures: list[NumberMention]
) -> bool:
    pool = quote_figures.get(operand.citation, all_figures) if operand.citation is not None else all_figures
    return any(same_figure(abs(operand.value), operand.unit, m.value, m.unit) for m in pool)


def _same_result(operand: Operand, calc: CalcResult) -> bool:
    return any(
        same_figure(abs(operand.value), operand.unit, abs(v), calc.unit) for v in (calc.rounded, calc.value)
    )


def _supported(figure: NumberMention, allowed: list[NumberMention], trusted: list[CalcResult]) -> bool:
    """A figure is supported by a quoted figure, or a calculation's result or input (magnitudes)."""
    if any(same_figure(figure.value, figure.unit, m.value, m.unit) for m in allowed):
        return True
    for calc in trusted:
        candidates: list[tuple[Decimal, str]] = [(calc.value, calc.unit), (calc.rounded, calc.unit)]
        candidates += [(o.value, o.unit) for o in calc.inputs]
        if any(same_figure(figure.value, figure.unit, abs(v), u) for v, u in candidates):
            return True
    return False


def _factual(text: str) -> bool:
    """Something a reader can check is left: a cited statement or a figure."""
    return bool(text) and (bool(_MARKER.search(text)) or bool(extract_figures(text)))


def _is_english(answer: Answer) -> bool:
    if answer.language.lower().startswith("en"):
        return True
    text = answer.answer
    return not _CJK.search(text) and bool(re.search(r"[A-Za-z]{3,}", text))
