"""The one reader of document figures (ingest/figures.py): its edge cases, and that it stays the only one."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.figures import (
    MONEY_EXPONENT,
    chinese_fraction,
    chinese_numeral,
    parse_cell,
    parse_figure,
    parse_number,
    to_ascii,
)

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("ingest", "assistant", "ui")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("17,944.67", "17944.67"),
        ("4.70", "4.70"),  # the printed precision is kept
        ("１７，９４４．６７", "17944.67"),  # full-width digits, comma and point
        (" 12 ", "12"),
        ("-3.50", "-3.50"),
        ("12,345,678.9", "12345678.9"),
        ("0.00", "0.00"),
    ],
)
def test_parse_number(text: str, value: str) -> None:
    parsed = parse_number(text)
    assert parsed == Decimal(value)
    assert str(parsed) == value


@pytest.mark.parametrize("text", ["四点七", "", "-", "85%", "12a", "NaN", "Infinity"])
def test_parse_number_refuses_what_is_not_a_finite_number(text: str) -> None:
    with pytest.raises(ValueError, match="不是"):
        parse_number(text)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("17,944.67", Decimal("17944.67")),
        ("0.20", Decimal("0.20")),
        ("1，234", Decimal("1234")),  # a full-width comma between ASCII digits
        ("１，２３４．５", Decimal("1234.5")),
        (12, Decimal("12")),
        (Decimal("4.70"), Decimal("4.70")),
        ("-2.5", Decimal("-2.5")),
        (None, None),
        (True, None),  # a flag is not a figure
        ("", None),
        ("  ", None),
        ("-", None),
        ("—", None),
        ("－", None),
        ("无", None),
        ("NaN", None),
    ],
)
def test_parse_figure(raw: object, value: Decimal | None) -> None:
    assert parse_figure(raw) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,345.67", Decimal("12345.67")),
        ("22.00", Decimal("22.00")),
        ("201", Decimal("201")),
        ("−3.00", Decimal("-3.00")),  # U+2212 as printed by some exports
        ("-3.00", Decimal("-3.00")),
        ("１２.５", Decimal("12.5")),
        ("1,2345", None),  # grouped wrongly: not an amount
        ("12a", None),
        ("", None),
        ("—", None),
        ("1，234", None),  # a table never prints a full-width comma inside a figure
        ("85%", None),
    ],
)
def test_parse_cell(text: str, value: Decimal | None) -> None:
    assert parse_cell(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十四", 14), ("三十五", 35), ("一百零五", 105), ("两千", 2000), ("二〇", 20)],
)
def test_chinese_numeral(text: str, value: int) -> None:
    assert chinese_numeral(text) == value


def test_chinese_fraction() -> None:
    assert chinese_fraction("五") == Decimal("0.5")
    assert chinese_fraction("二五") == Decimal("0.25")


def test_to_ascii_keeps_positions() -> None:
    text = "合计１７，９４４．６７万元，占８５％"
    ascii_text = to_ascii(text)
    assert ascii_text == "合计17,944.67万元，占85%"
    assert len(ascii_text) == len(text)


def test_money_exponent() -> None:
    assert Decimal("4.70").scaleb(MONEY_EXPONENT["万元"] - MONEY_EXPONENT["元"]) == Decimal("47000")
    assert MONEY_EXPONENT["亿元"] - MONEY_EXPONENT["万元"] == 4


def _constant_argument(call: ast.Call) -> bool:
    """Decimal(0), Decimal("0.01"), Decimal(-1): a literal, not a text read from a document."""
    args = call.args
    if len(args) != 1:
        return not args
    arg = args[0]
    if isinstance(arg, ast.UnaryOp):
        arg = arg.operand
    return isinstance(arg, ast.Constant) and not (
        isinstance(arg.value, str) and not _literal_number(arg.value)
    )


def _literal_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


# Decimal() calls on a variable that are not reading a text, each with its reason.
_ALLOWED = {
    ("assistant/calculator.py", "Decimal(value)"),  # an int operand, after the isinstance check
}


def test_figures_is_the_only_decimal_parser_in_product_code() -> None:
    """`Decimal(<expression>)` reads text as a number; outside ingest/figures.py it must go through it."""
    stray: list[str] = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative == "ingest/figures.py":
                continue
            source = path.read_text(encoding="utf-8")
            for node in ast.walk(ast.parse(source)):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "Decimal"
                ):
                    continue
                if _constant_argument(node):
                    continue
                segment = ast.get_source_segment(source, node) or ""
                if (relative, segment) not in _ALLOWED:
                    stray.append(f"{relative}:{node.lineno}: {segment}")
    assert not stray, "use ingest.figures (parse_number / parse_figure / parse_cell) instead:\n" + "\n".join(
        stray
    )


def test_one_money_exponent_table() -> None:
    """The money units' powers of ten are written once (ingest/figures.py)."""
    holders = [
        path.relative_to(ROOT).as_posix()
        for package in PRODUCT
        for path in sorted((ROOT / package).rglob("*.py"))
        if '"万元": 4' in path.read_text(encoding="utf-8")
    ]
    assert holders == ["ingest/figures.py"]
