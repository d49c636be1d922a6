"""The calculator: the only place in budgetqa where arithmetic happens.

In: named, cited `Operand`s (Decimal values, never float). Out: a `CalcResult` with the exact value,
the value rounded as the documents print it (ROUND_HALF_UP; 2 decimals for 万元 and %, 0 for 元 and
counts when every input is a whole number), the unit, and an expression a reader can check, such as
`4.50 + 0.20 = 4.70` or `1200.00 ÷ 1600.00 × 100% = 75.00%`. No eval, no float.

Money in different units is converted to the first operand's unit (1 万元 = 10000 元) and the
conversion is written into the expression; any other unit mismatch is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from assistant.answer import Calculation
from ingest.api import MONEY_EXPONENT, parse_number

__all__ = [
    "CalcResult",
    "CalculationError",
    "Operand",
    "add",
    "check_stated",
    "difference",
    "divide",
    "growth_percent",
    "multiply",
    "share_percent",
    "subtract",
    "sum_of",
    "to_calculation",
]

_PRECISION = 40  # significant digits kept while computing; far above any budget figure


class CalculationError(ValueError):
    """A calculation that cannot be done as asked; the message says why and what to do instead."""


@dataclass(frozen=True)
class Operand:
    """A named, cited input: `Operand("公务接待费", Decimal("0.20"), "万元", citation=1)`.

    `value` must be a Decimal (an int or a numeric string such as "12,345.67" is converted; a float
    is refused because it cannot hold 0.20 exactly). `citation` is the [n] the value comes from.
    """

    name: str
    value: Decimal
    unit: str
    citation: int | None = None

    def __post_init__(self) -> None:
        value: object = self.value
        if isinstance(value, (bool, float)):
            raise TypeError(
                f"运算数“{self.name}”的值 {value!r} 是浮点数或布尔值：请传入 Decimal，例如 Decimal('4.50')"
            )
        if isinstance(value, int):
            object.__setattr__(self, "value", Decimal(value))
        elif isinstance(value, str):
            object.__setattr__(self, "value", parse_number(value))
        elif not isinstance(value, Decimal):
            raise TypeError(f"运算数“{self.name}”的值类型 {type(value).__name__} 不受支持：请传入 Decimal")
        if not self.value.is_finite():
            raise CalculationError(f"运算数“{self.name}”不是有限数字：{self.value}")


@dataclass
class CalcResult:
    """One computed figure: exact `value`, `rounded` as shown, `unit`, readable `expression`."""

    value: Decimal
    rounded: Decimal
    unit: str
    expression: str
    inputs: list[Operand] = field(default_factory=list)
    op: str = ""

    @property
    def shown(self) -> str:
        """The rounded result with its unit, e.g. `97.32%`, `4.70万元`."""
        return f"{_plain(self.rounded)}{self.unit}"


# --- operations -----------------------------------------------------------------------------------


def add(a: Operand, b: Operand) -> CalcResult:
    """a + b, in a's unit."""
    return _chain("add", [a, b])


def sum_of(operands: Sequence[Operand]) -> CalcResult:
    """a + b + c …, in the first operand's unit; at least one operand."""
    if not operands:
        raise CalculationError("求和需要至少一个运算数：请传入要相加的各项数据")
    return _chain("sum_of", list(operands))


def subtract(a: Operand, b: Operand) -> CalcResult:
    """a − b, signed, in a's unit (e.g. this year − last year = the change)."""
    return _chain("subtract", [a, b])


def percentage_points(a: Operand, b: Operand) -> CalcResult:
    """a − b for two percentages, in 百分点: the gap between two shares is not itself a share."""
    if a.unit != "%" or b.unit != "%":
        raise CalculationError(f"百分点只用于两个百分比之差（{a.unit or '无单位'}、{b.unit or '无单位'}）")
    gap = subtract(a, b)
    expression = gap.expression.removesuffix("%") + "个百分点"
    return replace(gap, unit="百分点", expression=expression, op="percentage_points")


def difference(a: Operand, b: Operand) -> CalcResult:
    """|a − b|: how far apart two figures are (相差多少), in a's unit, never negative."""
    shown_b, value_b = _in_unit(b, a.unit)
    with _context():
        exact = abs(a.value - value_b)
    rounded = _round(exact, _places(a.unit, [a, b]))
    expression = f"|{_plain(a.value)} − {shown_b}| = {_plain(rounded)}{_suffix(a.unit)}"
    return CalcResult(exact, rounded, a.unit, expression, [a, b], "difference")


def multiply(a: Operand, b: Operand) -> CalcResult:
    """a × b. A dimensionless operand (unit "") keeps the other's unit; otherwise `a×b`."""
    unit = (a.unit or b.unit) if not (a.unit and b.unit) else f"{a.unit}×{b.unit}"
    with _context():
        exact = a.value * b.value
    rounded = _round(exact, 4 if unit == "" else _places(unit, [a, b], whole_ok=False))
    expression = f"{_plain(a.value)} × {_plain(b.value)} = {_plain(rounded)}{_suffix(unit)}"
    return CalcResult(exact, rounded, unit, expression, [a, b], "multiply")


def divide(a: Operand, b: Operand, places: int | None = None) -> CalcResult:
    """a ÷ b. Same units (money converted) give a plain ratio (unit "", 4 decimals, or `places`:
    a multiple, A是B的几倍, is said with 2)."""
    same = a.unit == b.unit or (a.unit in MONEY_EXPONENT and b.unit in MONEY_EXPONENT)
    shown_b, value_b = _in_unit(b, a.unit) if same else (_plain(b.value), b.value)
    _nonzero(b, "除法")
    with _context():
        exact = a.value / value_b
    unit = "" if same else (f"{a.unit}/{b.unit}" if b.unit else a.unit)
    rounded = _round(exact, places if places is not None else (4 if unit == "" else 2))
    expression = f"{_plain(a.value)} ÷ {shown_b} = {_plain(rounded)}{_suffix(unit)}"
    return CalcResult(exact, rounded, unit, expression, [a, b], "divide")


def share_percent(part: Operand, whole: Operand) -> CalcResult:
    """part ÷ whole × 100%: the 占比 of part in whole (money converted to part's unit)."""
    shown_whole, value_whole = _in_unit(whole, part.unit)
    _nonzero(whole, "占比")
    with _context():
        exact = part.value / value_whole * 100
    rounded = _round(exact, 2)
    expression = f"{_plain(part.value)} ÷ {shown_whole} × 100% = {_plain(rounded)}%"
    return CalcResult(exact, rounded, "%", expression, [part, whole], "share_percent")


def growth_percent(new: Operand, old: Operand) -> CalcResult:
    """(new − old) ÷ old × 100%: 增长率, negative for a 下降 (money converted to new's unit)."""
    shown_old, value_old = _in_unit(old, new.unit)
    _nonzero(old, "增长率")
    with _context():
        exact = (new.value - value_old) / value_old * 100
    rounded = _round(exact, 2)
    expression = f"({_plain(new.value)} − {shown_old}) ÷ {shown_old} × 100% = {_plain(rounded)}%"
    return CalcResult(exact, rounded, "%", expression, [new, old], "growth_percent")


# --- results for the answer -----------------------------------------------------------------------


def to_calculation(result: CalcResult, check: str = "") -> Calculation:
    """The `Calculation` of the answer contract: expression, rounded result, unit, cited inputs."""
    inputs = [
        {
            "name": o.name,
            "value": _plain(o.value),
            "unit": o.unit,
            "citation": "" if o.citation is None else str(o.citation),
        }
        for o in result.inputs
    ]
    return Calculation(
        expression=result.expression,
        result=_plain(result.rounded),
        unit=result.unit,
        inputs=inputs,
        check=check,
    )


def check_stated(stated: Decimal, computed: CalcResult) -> str:
    """ "" when a figure printed in a document agrees with the calculator at the printed precision.

    Otherwise a note such as `文件所列 97.31%，按所引数据核算为 97.32%`. A positive stated figure
    is compared with the magnitude of a negative result: the document says 下降 in words.
    """
    value = computed.value
    if stated >= 0 > value:
        value = -value
    places = max(0, -_exponent(stated))
    if _round(value, places) == stated:
        return ""
    shown = _round(value, max(places, max(0, -_exponent(computed.rounded))))
    unit = computed.unit
    return f"文件所列 {_plain(stated)}{unit}，按所引数据核算为 {_plain(shown)}{unit}"


# --- helpers --------------------------------------------------------------------------------------


def _chain(op: str, operands: list[Operand]) -> CalcResult:
    """add / subtract / sum_of: operands joined by + or −, converted to the first operand's unit."""
    unit = operands[0].unit
    sign = "−" if op == "subtract" else "+"
    parts = [_plain(operands[0].value)]
    with _context():
        exact = operands[0].value
        for operand in operands[1:]:
            shown, value = _in_unit(operand, unit)
            exact = exact - value if op == "subtract" else exact + value
            parts.append(shown)
    rounded = _round(exact, _places(unit, operands))
    expression = f" {sign} ".join(parts) + f" = {_plain(rounded)}{_suffix(unit)}"
    return CalcResult(exact, rounded, unit, expression, list(operands), op)


def _in_unit(operand: Operand, unit: str) -> tuple[str, Decimal]:
    """(how the operand is written in the expression, its value in `unit`)."""
    if operand.unit == unit:
        return _plain(operand.value), operand.value
    if operand.unit in MONEY_EXPONENT and unit in MONEY_EXPONENT:
        converted = operand.value.scaleb(MONEY_EXPONENT[operand.unit] - MONEY_EXPONENT[unit])
        written = _plain(converted.normalize())
        return f"{written}（{_plain(operand.value)}{operand.unit} = {written}{unit}）", converted
    raise CalculationError(
        f"单位不一致：“{operand.name}”的单位是“{operand.unit or '无'}”，应与“{unit or '无'}”相同；"
        "只有万元与元之间可以换算，请先换成同一单位"
    )


def _nonzero(operand: Operand, what: str) -> None:
    if operand.value == 0:
        raise CalculationError(
            f"无法计算{what}：除数“{operand.name}”为 0{_cited(operand)}；"
            "基数为零时占比或增长率没有意义，请改为说明绝对数变化"
        )


def _cited(operand: Operand) -> str:
    return "" if operand.citation is None else f"（引用 [{operand.citation}]）"


def _places(unit: str, operands: Sequence[Operand], whole_ok: bool = True) -> int:
    """Decimals shown: 2 for 万元 and %; 0 for 元 and counts when every input is whole; else 2."""
    if unit in ("万元", "亿元", "%", "百分点"):
        return 2
    if whole_ok and all(o.value == o.value.to_integral_value() for o in operands):
        return 0
    return 2


def _round(value: Decimal, places: int) -> Decimal:
    with _context():
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """Decimal as printed, never in exponent notation: 4.50, 47000, -2537.61."""
    return format(value, "f")


def _suffix(unit: str) -> str:
    """Units written after the result in an expression: only % (money units live in `unit`)."""
    return "%" if unit == "%" else ""


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        raise CalculationError(f"不是有限数字：{value}")
    return exponent


def _context() -> AbstractContextManager[Context]:
    """A copy of the current decimal context with ample precision, restored on exit."""
    return localcontext(prec=_PRECISION)
