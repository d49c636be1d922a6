"""Read the figures printed in budget documents: the one place a text becomes a `Decimal`.

Every reader of document figures goes through here (the table parser, the narrative and performance
readers, the index, the assistant's number finder, self-check and calculator), so thousands separators,
full-width digits, blanks and dashes, signs and Chinese numerals are understood the same way everywhere.
`eval/scoring.py` keeps its own reader on purpose: the scorer must not share the product's mistakes.

- `parse_number("12,345.67")` → Decimal("12345.67"), keeping the printed precision; raises ValueError;
- `parse_figure(raw)` → Decimal or None, for stored values that may be blank (None, "", "-", "—");
- `parse_cell("1,234.50")` → Decimal or None, for a table cell: only numbers laid out as printed
  (`1,2345` or `12a` are not amounts); `−` (U+2212) reads as a minus;
- `chinese_numeral("一百零五")` → 105, `chinese_fraction("五")` → 0.5 (百分之八十五点五);
- `MONEY_EXPONENT`: money units as powers of ten of 元.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "BLANKS",
    "CN_NUMERAL",
    "MONEY_EXPONENT",
    "chinese_fraction",
    "chinese_numeral",
    "parse_cell",
    "parse_figure",
    "parse_number",
    "to_ascii",
]

MONEY_EXPONENT = {"元": 0, "万元": 4, "亿元": 8}
"""Money units as powers of ten of 元: 1 万元 = 10^4 元."""

BLANKS = ("", "-", "—", "－")
"""What a table prints for "no figure" (an empty cell or a dash)."""

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({"．": ".", "％": "%", "﹪": "%"})

# A cell amount as printed: grouped thousands (1,234.50), a decimal (0.50) or an integer (12).
_CELL = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−]?\d+\.\d+$|^[-−]?\d+$")


def to_ascii(text: str) -> str:
    """Full-width digits, ．and ％ to ASCII; a ， between full-width digits to `,`. Same length,
    so positions found in the result are positions in `text`."""
    out = [_FULLWIDTH.get(ch, ch) for ch in text]
    for i, ch in enumerate(text):
        if ch == "，" and 0 < i < len(text) - 1 and text[i - 1] in _FULLWIDTH and text[i + 1] in _FULLWIDTH:
            out[i] = ","
    return "".join(out)


def parse_number(text: str) -> Decimal:
    """`12,345.67` / `１２，３４５．６７` / `4.70` / `-3` → Decimal, keeping the printed precision.

    Raises ValueError naming the text when it is not a finite number.
    """
    cleaned = to_ascii(text).replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"不是数字：{text!r}（应为如 12,345.67 的数字）") from None
    if not value.is_finite():
        raise ValueError(f"不是有限数字：{text!r}")
    return value


def parse_figure(raw: object) -> Decimal | None:
    """A stored figure as Decimal ("12,345.67" → 12345.67); None for blanks, dashes and non-numbers.

    Accepts what the index and reports hold: str, int, Decimal or None (a bool is not a figure).
    """
    if raw is None or isinstance(raw, bool):
        return None
    text = str(raw).strip().replace("，", "")
    if text in BLANKS:
        return None
    try:
        return parse_number(text)
    except ValueError:
        return None


def parse_cell(text: str) -> Decimal | None:
    """A table cell's amount (`12,345.67` → 12345.67, `−3.00` → -3.00); None when the cell is blank
    or is not a number laid out as a table prints one."""
    stripped = text.strip().replace("−", "-")
    if not _CELL.match(stripped):
        return None
    try:
        return parse_number(stripped)
    except ValueError:
        return None


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_POWERS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千"
"""The characters `chinese_numeral` reads."""


def chinese_numeral(text: str) -> Decimal:
    """一 → 1, 十四 → 14, 一百零五 → 105, 二〇 → 20 (numerals up to 千, as counts are written).

    `text` holds only characters of `CN_NUMERAL`; raises KeyError otherwise.
    """
    total, current = 0, 0
    for ch in text:
        if ch in _CN_POWERS:
            total += (current or 1) * _CN_POWERS[ch]
            current = 0
        else:
            current = (
                current * 10 + _CN_DIGITS[ch] if current and text[0] not in _CN_POWERS else _CN_DIGITS[ch]
            )
    return Decimal(total + current)


def chinese_fraction(digits: str) -> Decimal:
    """The digits after 点, read one by one: 五 → 0.5, 二五 → 0.25 (characters that are not digits
    are skipped)."""
    return Decimal("0." + "".join(str(_CN_DIGITS[ch]) for ch in digits if ch in _CN_DIGITS))
