"""Numbers as an answer states them: text in → `Figure`s out (value, unit, scale), and the parts of an
answer that count as its own words.

- `extract_figures` finds every figure, leaving out citation and list markers, dates, document numbers,
  catalog codes and line numbers; doubled bold text ("1234.561234.56") is read once.
- `outside_quotes` removes verbatim quotes of the documents: spans in 「…」 (Chinese) or “…” (English
  sentences). What is left is what the answer itself states.
- `sentences` splits text at 。！？；, newlines and a full stop followed by a space.

Independent of the product's reader (ingest/figures.py) on purpose; see eval/scoring.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# A run of digits with separators; validated and de-doubled afterwards ("1234.561234.56" → 1234.56).
_NUMBER_RUN = re.compile(r"(?<![A-Za-z0-9_])([-−]?)(\d[\d,.]*\d|\d)")
_VALID_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# Money and percent units, then count units and classifiers (人, 辆, 平方米, 家 …): a count is never money.
_UNIT = re.compile(
    r"[ \u3000]?(亿元|万元|千元|元|亿|万|%|％|‰|平方米|人|辆|台|套|个|项|名|家|次|本|户|份|条|处|位|期|所|张)"
)
# Numbers that are not figures: citation markers [1], dates and line/page/document numbers.
_CITATION_MARK = re.compile(r"\[\d+(?:[,，、]\s*\d+)*\]")
# After an integer: a date, a line/page/document number, a year range ("2022-2023年") or a department
# code ("011-晋城市信访局").
_NOT_A_FIGURE_AFTER = re.compile(r" ?(年|月|日|号|行|页|〕|】|］|\])|[-—~至]\d{4}年|-(?=[\u4e00-\u9fff])")
# "1、" "2." "(3)" at a line start, or "8、" before a word anywhere (文件原文：8、综合业务科…)
_LIST_MARKER = re.compile(r"(?m)^[ \t（(]*(\d{1,2})[、.．)）](?!\d)|(?<![\d.,])(\d{1,2})、(?=[^\d\s])")
# A 科目编码 or 目录代码 named as such is an identifier, not a figure ("科目编码为2101550").
_CODE_BEFORE = re.compile(r"(编码|代码|编号)(为|是|：|:)?\s*$")
_DECREASE_BEFORE = re.compile(r"(减少|下降|降低|减)\s*$")
_SCALES = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1_000)}
_QUOTE_PAIRS = {"「": "」", "“": "”"}
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])|(?<=\.)(?=\s)")


@dataclass(frozen=True)
class Figure:
    """A number as written: its value, the unit after it and the scale that unit implies."""

    text: str  # as printed, with its unit
    value: Decimal  # the number itself, e.g. 4.70 for "4.70万元"
    unit: str  # "元", "%", "‰", a count unit ("人", "辆", "平方米" …) or "" (no unit printed)
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


_SAME_UNIT = {"名": "人"}  # 3名 and 3人 count the same people


def _split_unit(raw_unit: str) -> tuple[str, Decimal]:
    raw_unit = raw_unit.strip().replace("％", "%")
    raw_unit = _SAME_UNIT.get(raw_unit, raw_unit)
    if raw_unit[:1] in _SCALES and raw_unit[1:] in ("", "元"):
        return raw_unit[1:] or "", _SCALES[raw_unit[:1]]
    return raw_unit, Decimal(1)


def extract_figures(text: str) -> list[Figure]:
    """Every figure in `text`, with its unit; citation and list markers, dates, codes, line numbers left out."""
    text = _CITATION_MARK.sub(" ", text)
    markers = {m.start(1) if m.group(1) else m.start(2) for m in _LIST_MARKER.finditer(text)}
    figures = []
    for match in _NUMBER_RUN.finditer(text):
        sign, run = match.groups()
        value = _parse_number(run)
        if (
            value is None
            or match.start(2) in markers
            or (run.isdigit() and _NOT_A_FIGURE_AFTER.match(text, match.end()))
            or text[max(0, match.start() - 1) : match.start()] in ("〔", "【", "［", "[")
            or (run.isdigit() and _CODE_BEFORE.search(text[max(0, match.start() - 6) : match.start()]))
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


def compatible(expected: Figure, found: Figure) -> bool:
    """Whether `found` could be a figure for the same kind of slot as `expected`: same unit (万元 and 元
    are one unit), or either without a unit."""
    return not expected.has_unit or not found.has_unit or expected.unit == found.unit


def supports(source: Figure, figure: Figure) -> bool:
    """Whether a number in a source (quote, calculation) backs `figure` from an answer.

    Table cells carry no unit (the table header says 万元), so a bare source number also backs
    its 万元 → 元 conversion.
    """
    value, base, source_value = abs(figure.value), abs(figure.base), abs(source.value)
    if value == source_value or (source.has_unit and figure.unit == source.unit and base == abs(source.base)):
        return True
    return not source.has_unit and figure.unit == "元" and base == source_value * _SCALES["万"]


def outside_quotes(text: str) -> str:
    """`text` with every 「…」 and “…” span (a verbatim quote of a document) replaced by a space.

    Quotes nest (a quoted sentence holds “三公”经费); an opening mark never closed leaves the rest as is.
    """
    out: list[str] = []
    stack: list[str] = []
    start = 0
    for index, char in enumerate(text):
        if stack and char == _QUOTE_PAIRS[stack[-1]]:
            stack.pop()
            if not stack:
                out.append(" ")
        elif char in _QUOTE_PAIRS:
            if not stack:
                start = index
            stack.append(char)
        elif not stack:
            out.append(char)
    if stack:
        out.append(text[start:])
    return "".join(out)


def sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, empty ones dropped."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]
