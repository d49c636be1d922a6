"""Find and normalise numbers in Chinese (and English) budget text.

`extract_numbers(text)` returns every number it sees as a `NumberMention` (value as `Decimal`, the
text as printed, a unit among 万元/元/%/人/辆/个/平方米/台/次, its span) together with a `kind`
saying what the number *is*: a figure, or a year, a date, a list marker, a table number, a 科目编码,
a catalog code … `is_figure(mention)` keeps the figures, the numbers an answer must be able to prove.
`same_figure(a, unit_a, b, unit_b)` says whether two printed figures are the same amount
(1 万元 = 10000 元; a figure printed with fewer decimals matches at its own precision).

Signs and 增加/下降 wording are not handled here: values are magnitudes as printed. The digits
themselves are read by `ingest.figures`, the one reader of document figures; this module decides
which numbers in a text are figures and whether two of them agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ingest.api import (
    CN_NUMERAL,
    MONEY_EXPONENT,
    chinese_fraction,
    chinese_numeral,
    parse_number,
    to_ascii,
)

__all__ = [
    "FIGURE_UNITS",
    "NumberMention",
    "extract_figures",
    "extract_numbers",
    "is_figure",
    "same_figure",
]

FIGURE_UNITS = ("万元", "元", "%", "人", "辆", "个", "平方米", "台", "次")
"""Units a mention can carry (`百分点` is kept apart from `%`: a 个百分点 change is not a share)."""

# Kinds of mention. Only FIGURE counts for verification.
FIGURE = "figure"
YEAR = "year"
DATE = "date"
LIST_MARKER = "list_marker"
ORDINAL = "ordinal"
TABLE_NUMBER = "table_number"
SUBJECT_CODE = "subject_code"
CATALOG_CODE = "catalog_code"
DOCUMENT_NUMBER = "document_number"
CITATION_MARKER = "citation_marker"
IDENTIFIER = "identifier"


@dataclass(frozen=True)
class NumberMention:
    """One number found in a text.

    `value` is the amount in `unit` with the precision as printed (`Decimal("4.70")`; compare with
    `==`, which ignores trailing zeros). `raw` is exactly `text[span[0]:span[1]]`: the number and its
    unit as written (`17,464.07万元`); `number_text` is the number alone (`17,464.07`).
    `kind` is `figure` or the reason it is not one (see `is_figure`).
    """

    value: Decimal
    raw: str
    unit: str | None
    span: tuple[int, int]
    kind: str = FIGURE
    number_text: str = ""

    @property
    def shown(self) -> str:
        """The figure as it would be quoted in a note: `85%`, `4.70万元`."""
        return self.raw


def is_figure(mention: NumberMention) -> bool:
    """True for numbers that state an amount, a share or a count; False for everything else.

    Not figures (the rule `extract_numbers` applies, first match wins):
    - citation markers `[1]`, `[1, 2]`, `【3】`;
    - digits glued to Latin letters: catalog codes `A150201`, `B01`;
    - ordinals and locators: `第446行`, `第3页`, `line 446`, `page 3`, and a range `第441–446行`;
    - table numbers: `表10`, `预算公开表10`, `Table 10` (表十 has no digits at all);
    - any number carrying a unit (万元, %, 辆 …) is a figure from here on;
    - years: a 4-digit 1900–2099 followed by 年/年度, inside 〔〕【】[], or standing alone without unit;
    - dates: ISO-like `2024-05-08`, `2024/5/8`, numbers followed by 月/日, `31 December`;
    - document numbers: followed by 号 (`〔2023〕43号`);
    - list markers: `1、`, `（1）`, `(2)`, and `1.`/`1)` at the start of a line;
    - 科目编码 and other codes: bare integers of 7 digits, integers with a leading zero (`073`),
      bare 3- or 5-digit integers at the start of a cell followed by a name (`22301 解决历史…`),
      or numbers right after 编码/代码/科目;
    - identifiers: bare integers of 8 or more digits (timestamps `20240508085158`, phone numbers).
    """
    return mention.kind == FIGURE


# --- patterns -------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")
_CITATION = re.compile(r"[\[【]\s*\d{1,3}(?:\s*[,，、]\s*\d{1,3})*\s*[\]】]")
_ISO_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}([-/.])\d{1,2}\1\d{1,2}(?!\d)")

# (pattern after the number, unit, power of ten applied to the value)
_SUFFIX_UNITS: list[tuple[re.Pattern[str], str, int]] = [
    (re.compile(r"[ \u00a0]?万元"), "万元", 0),
    (re.compile(r"[ \u00a0]?亿元"), "万元", 4),
    (re.compile(r"[ \u00a0]?个百分点"), "百分点", 0),
    (re.compile(r"[ \u00a0]?%"), "%", 0),
    (re.compile(r"[ \u00a0]?元"), "元", 0),
    (re.compile(r"[ \u00a0]?平方米"), "平方米", 0),
    (re.compile(r"[ \u00a0]?人次"), "次", 0),
    (re.compile(r"[ \u00a0]?人"), "人", 0),
    (re.compile(r"[ \u00a0]?辆"), "辆", 0),
    (re.compile(r"[ \u00a0]?个"), "个", 0),
    (re.compile(r"[ \u00a0]?台"), "台", 0),
    (re.compile(r"[ \u00a0]?次"), "次", 0),
    # English answers
    (
        re.compile(r" ?(?:\(|（)?(?:ten[- ]thousand|10,000|10 thousand) (?:yuan|rmb)(?:\)|）)?", re.I),
        "万元",
        0,
    ),
    (re.compile(r" ?wan(?: yuan)?\b", re.I), "万元", 0),
    (re.compile(r" ?million (?:yuan|rmb)\b", re.I), "万元", 2),
    (re.compile(r" ?billion (?:yuan|rmb)\b", re.I), "万元", 5),
    (re.compile(r" ?(?:yuan|rmb|cny)\b", re.I), "元", 0),
    (re.compile(r" ?(?:per ?cent|pct)\b", re.I), "%", 0),
    (re.compile(r" ?percentage points?\b", re.I), "百分点", 0),
    (re.compile(r" ?(?:square met(?:er|re)s?|sq\.? ?m|m²|m2)\b", re.I), "平方米", 0),
    (re.compile(r" ?(?:people|persons?|staff|employees)\b", re.I), "人", 0),
    (re.compile(r" ?(?:vehicles?|cars?)\b", re.I), "辆", 0),
    (re.compile(r" ?(?:times)\b", re.I), "次", 0),
]
_PREFIX_MONEY = re.compile(r"(?:RMB|CNY|¥|￥)\s?$", re.I)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_AFTER = re.compile(rf"\s(?:{_MONTHS})\b", re.I)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s$", re.I)
_ORDINAL_BEFORE = re.compile(
    r"(?:第|\b(?:line|lines|page|pages|row|section|item|part|no\.|number|#)\s?)$", re.I
)
_TABLE_BEFORE = re.compile(r"(?:表|\btable\s?)$", re.I)
_CODE_BEFORE = re.compile(r"(?:编码|代码|科目|code)[：:\s]?$", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNIT_START = tuple(u[0] for u in (*FIGURE_UNITS, "亿元", "万"))
_RANGE_JOIN = re.compile(r"^\s?[–—\-~～至到]\s?$")


def extract_numbers(text: str, default_unit: str | None = None) -> list[NumberMention]:
    """Every number in `text`, in order, each classified (see `is_figure`).

    `default_unit` is given to figures printed without a unit, e.g. `万元` for the cells of a table
    whose header says 单位：万元. Full-width digits and thousands separators are understood, and
    counts or shares in Chinese numerals followed by a unit (三辆, 四名, 百分之八十五).
    """
    norm = to_ascii(text)
    cited = [m.span() for m in _CITATION.finditer(norm)]
    dated = [m.span() for m in _ISO_DATE.finditer(norm)]
    mentions: list[NumberMention] = []
    for match in _NUMBER.finditer(norm):
        start, end = match.span()
        if mentions and start < mentions[-1].span[1]:
            continue  # part of the previous figure's unit: the 10,000 of `4.70 (10,000 yuan)`
        number_text = text[start:end]
        value = parse_number(match.group(1))
        unit, scale, unit_end = _unit_after(norm, end)
        if unit is None and _PREFIX_MONEY.search(norm[max(0, start - 4) : start]):
            unit = "元"
        bare = unit is None and "," not in match.group(1) and "." not in match.group(1)
        previous = mentions[-1] if mentions else None
        kind = _classify(norm, start, end, unit, bare, cited, dated, previous)
        if (
            kind in (IDENTIFIER, SUBJECT_CODE)
            and default_unit == "元"
            and norm[start - 1 : start] not in "[【"
        ):
            kind = FIGURE  # a table printed in 元 holds 7- and 8-digit amounts (1000000); codes are in [ ]
        if kind == FIGURE and unit is None and default_unit is not None:
            unit = default_unit
        if scale:
            value = value.scaleb(scale)
        span_end = unit_end if unit_end > end else end
        if kind == CATALOG_CODE:  # A150201: the letters belong to the code
            while start > 0 and norm[start - 1].isascii() and norm[start - 1].isalpha():
                start -= 1
        mentions.append(
            NumberMention(
                value=value,
                raw=text[start:span_end],
                unit=unit,
                span=(start, span_end),
                kind=kind,
                number_text=number_text,
            )
        )
    return sorted(mentions + chinese_mentions(text), key=lambda m: m.span)


_CN_COUNT = re.compile(  # not 一次性, 个别, 个体; not the 一 of 统一, 唯一, 单一 …
    rf"(?<![{CN_NUMERAL}统唯单同万逐专整划之])([{CN_NUMERAL}]+)(辆|人|名|个|台|家|次)(?!性|别|体)"
)
_CN_PERCENT = re.compile(rf"百分之([{CN_NUMERAL}]+)(?:点([{CN_NUMERAL}]+))?")


def chinese_mentions(text: str) -> list[NumberMention]:
    """Counts and shares written in Chinese numerals: 三辆, 四名, 十四个, 百分之八十五."""
    mentions = []
    for m in _CN_COUNT.finditer(text):
        unit = {"名": "人", "家": "个"}.get(m.group(2), m.group(2))
        kind = ORDINAL if text[max(0, m.start() - 1) : m.start()] == "第" else FIGURE
        value = chinese_numeral(m.group(1))
        mentions.append(NumberMention(value, m.group(0), unit, m.span(), kind, m.group(1)))
    for m in _CN_PERCENT.finditer(text):
        value = chinese_numeral(m.group(1))
        if m.group(2):
            value += chinese_fraction(m.group(2))
        mentions.append(NumberMention(value, m.group(0), "%", m.span(), FIGURE, m.group(0)))
    return mentions


def extract_figures(text: str, default_unit: str | None = None) -> list[NumberMention]:
    """Only the figures of `extract_numbers(text)`."""
    return [m for m in extract_numbers(text, default_unit) if is_figure(m)]


def _unit_after(norm: str, end: int) -> tuple[str | None, int, int]:
    """(unit, power of ten to apply, end of the unit) for the text right after a number."""
    for pattern, unit, scale in _SUFFIX_UNITS:
        m = pattern.match(norm, end)
        if m:
            return unit, scale, m.end()
    return None, 0, end


def _inside(start: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in spans)


def _classify(
    norm: str,
    start: int,
    end: int,
    unit: str | None,
    bare: bool,
    cited: list[tuple[int, int]],
    dated: list[tuple[int, int]],
    previous: NumberMention | None,
) -> str:
    """The kind of the number at norm[start:end]; the rule is written out in `is_figure`."""
    before = norm[max(0, start - 12) : start]
    after = norm[end : end + 3]
    char_before = norm[start - 1] if start else ""
    char_after = norm[end] if end < len(norm) else ""

    if _inside(start, cited):
        return CITATION_MARKER
    if char_before.isascii() and char_before.isalpha():
        return CATALOG_CODE
    if unit is None and char_after.isascii() and char_after.isalpha():
        return CATALOG_CODE
    if _ORDINAL_BEFORE.search(before):
        return ORDINAL
    if _TABLE_BEFORE.search(before):
        return TABLE_NUMBER
    if (
        previous is not None
        and previous.kind in (ORDINAL, TABLE_NUMBER, DATE, YEAR)
        and _RANGE_JOIN.match(norm[previous.span[1] : start])
    ):
        return previous.kind
    if _inside(start, dated):
        return DATE
    if unit is not None:
        return FIGURE

    digits = norm[start:end]
    year_like = bare and len(digits) == 4 and 1900 <= int(digits) <= 2099
    if year_like and (after.startswith("年") or char_before in "〔【[（(" or char_after in "〕】]"):
        return YEAR
    if after.startswith(("月", "日")) or _MONTH_AFTER.match(norm, end) or _MONTH_BEFORE.search(before):
        return DATE
    if after.startswith("号"):
        return DOCUMENT_NUMBER
    if bare and (after.startswith("、") or (char_before in "（(" and char_after in "）)")):
        return LIST_MARKER
    if bare and _line_start(norm, start) and char_after in ".．)）" and not norm[end + 1 : end + 2].isdigit():
        return LIST_MARKER
    if bare and _is_code(norm, start, end, digits, before):
        return SUBJECT_CODE
    if bare and len(digits) >= 8:
        return IDENTIFIER
    if year_like:
        return YEAR
    return FIGURE


def _line_start(norm: str, start: int) -> bool:
    line_begin = norm.rfind("\n", 0, start) + 1
    return norm[line_begin:start].strip() == ""


def _is_code(norm: str, start: int, end: int, digits: str, before: str) -> bool:
    """科目编码 / 部门代码: 7 digits, a leading zero, after 编码, or a 3/5-digit cell followed by a name."""
    if len(digits) == 7 or (len(digits) > 1 and digits.startswith("0")):
        return True
    if _CODE_BEFORE.search(before):
        return True
    if len(digits) in (3, 5):
        cell_start = start == 0 or norm[start - 1] in "\t\n "
        rest = norm[end:].lstrip(" \t")
        return cell_start and bool(rest) and bool(_CJK.match(rest)) and not rest.startswith(_UNIT_START)
    return False


# --- comparing figures ----------------------------------------------------------------------------


def same_figure(a: Decimal, unit_a: str | None, b: Decimal, unit_b: str | None) -> bool:
    """True when `a unit_a` and `b unit_b` are the same amount at the precision printed.

    - 万元 ↔ 元 ↔ 亿元 convert (4.70 万元 = 47000 元);
    - the more precise figure is rounded (ROUND_HALF_UP) to the less precise one's precision:
      0.12 % matches 0.1234 %, 97 % matches 97.32 %, 4.7 万元 matches 47,000 元; a coarse zero
      matches only a zero (0 % does not match 0.12 %);
    - a missing unit (a table cell) matches any unit with the same number, and for money also
      the number read as 万元 or 元;
    - other units must be equal (% never matches 万元).
    """
    unit_a = unit_a or None
    unit_b = unit_b or None
    if unit_a is None or unit_b is None:
        known = unit_a or unit_b
        if _agree(a, b):
            return True
        if known in MONEY_EXPONENT:
            return any(same_figure(a, unit_a or m, b, unit_b or m) for m in ("万元", "元"))
        return False
    if unit_a in MONEY_EXPONENT and unit_b in MONEY_EXPONENT:
        return _agree(a.scaleb(MONEY_EXPONENT[unit_a]), b.scaleb(MONEY_EXPONENT[unit_b]))
    return unit_a == unit_b and _agree(a, b)


def _agree(a: Decimal, b: Decimal) -> bool:
    """a == b once the finer one is rounded to the coarser one's last printed digit."""
    exp_a, exp_b = _exponent(a), _exponent(b)
    coarse, fine = (a, b) if exp_a >= exp_b else (b, a)
    if coarse == 0:
        return fine == 0
    with localcontext() as ctx:
        ctx.prec = 60
        return fine.quantize(Decimal(1).scaleb(max(exp_a, exp_b)), rounding=ROUND_HALF_UP) == coarse


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"不是有限数字：{value}")
    return exponent
