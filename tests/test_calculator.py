"""The calculator against figures printed in the bundled disclosures."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.answer import Calculation
from assistant.calculator import (
    CalculationError,
    Operand,
    add,
    check_stated,
    difference,
    divide,
    growth_percent,
    multiply,
    share_percent,
    subtract,
    sum_of,
    to_calculation,
)
from assistant.numbers import extract_figures

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
GONGXIN = CORPUS / "2024_柳林县工业和信息化局_部门预算.txt"


def wan(name: str, value: str, citation: int | None = 1) -> Operand:
    return Operand(name, Decimal(value), "万元", citation)


def test_share_of_general_budget_matches_the_narrative():
    """2024 柳林县工信局: 一般公共预算拨款收入17,464.07万元，占97.32% of 17,944.67万元."""
    line = next(
        s for s in GONGXIN.read_text(encoding="utf-8").splitlines() if "主要包括一般公共预算拨款收入" in s
    )
    figures = extract_figures(line)
    total, general, stated = figures[0].value, figures[1].value, figures[2].value
    result = share_percent(wan("一般公共预算拨款收入", str(general)), wan("预算收入", str(total)))
    assert result.rounded == Decimal("97.32")
    assert result.unit == "%"
    assert result.op == "share_percent"
    assert result.expression == "17464.07 ÷ 17944.67 × 100% = 97.32%"
    assert check_stated(stated, result) == ""
    assert check_stated(Decimal("97.31"), result) == "文件所列 97.31%，按所引数据核算为 97.32%"


@pytest.mark.parametrize(
    ("part", "stated"),
    [("22.00", "0.12"), ("458.60", "2.56"), ("0", "0")],  # 国有资本经营, 上年结转, 政府性基金
)
def test_other_income_shares(part, stated):
    result = share_percent(wan("收入", part), wan("预算收入", "17944.67"))
    assert result.rounded == Decimal(stated)
    assert check_stated(Decimal(stated), result) == ""


def test_three_public_expenses_add_up():
    """表十: 公务用车运行维护费 4.50 + 公务接待费 0.20 = 合计 4.70 万元."""
    result = add(wan("公务用车运行维护费", "4.50", 2), wan("公务接待费", "0.20", 3))
    assert result.expression == "4.50 + 0.20 = 4.70"
    assert result.rounded == Decimal("4.70")
    assert str(result.rounded) == "4.70"
    assert result.shown == "4.70万元"
    assert [o.citation for o in result.inputs] == [2, 3]


def test_sums_printed_in_the_narrative():
    assert sum_of([wan("本年收入", "17486.07"), wan("上年结转", "458.60")]).rounded == Decimal("17944.67")
    assert sum_of([wan("基本支出", "445.45"), wan("项目支出", "17499.22")]).rounded == Decimal("17944.67")
    result = sum_of([wan("其他运转类项目", "529.66"), wan("特定目标类项目", "16488.96")])
    assert result.expression == "529.66 + 16488.96 = 17018.62"


def test_growth_rates_printed_in_the_narrative():
    # 收入总计17,944.67万元 比上年减少3420.47万元，下降16.01%
    last_year = sum_of([wan("本年", "17944.67"), wan("减少额", "3420.47")])
    assert last_year.rounded == Decimal("21365.14")
    growth = growth_percent(wan("本年", "17944.67"), wan("上年", str(last_year.rounded)))
    assert growth.rounded == Decimal("-16.01")
    assert growth.expression == "(17944.67 − 21365.14) ÷ 21365.14 × 100% = -16.01%"
    assert check_stated(Decimal("16.01"), growth) == ""  # 下降 carries the sign
    # 医保局 2025: 2,658.32万元，比上年减少1535.77万元，下降36.62%
    growth = growth_percent(wan("本年", "2658.32"), wan("上年", "4194.09"))
    assert check_stated(Decimal("36.62"), growth) == ""


def test_discrepancies_in_the_documents_are_reported():
    # 柳林县工信局 机关运行经费27.40万元，比2023年预算减少1.34万元，下降4.6% — it is 4.66%
    growth = growth_percent(wan("本年", "27.40"), wan("上年", "28.74"))
    assert check_stated(Decimal("4.6"), growth) == "文件所列 4.6%，按所引数据核算为 4.66%"
    # 孝义市财政局 70.51万元，比2025年减少4.35万元，下降6.17%: 4.35 ÷ 74.86 is 5.81%;
    # the document divided by this year's 70.51 instead.
    growth = growth_percent(wan("本年", "70.51"), wan("上年", "74.86"))
    assert growth.rounded == Decimal("-5.81")
    assert check_stated(Decimal("6.17"), growth) == "文件所列 6.17%，按所引数据核算为 5.81%"
    assert share_percent(wan("减少额", "4.35"), wan("本年", "70.51")).rounded == Decimal("6.17")
    # 医保局 增长6% (8.06 vs 7.61 = 5.91%) agrees at the printed precision
    assert check_stated(Decimal("6"), growth_percent(wan("本年", "8.06"), wan("上年", "7.61"))) == ""


def test_subtract_and_difference():
    change = subtract(wan("本年", "17464.07"), wan("上年", "20001.68"))
    assert change.rounded == Decimal("-2537.61")
    assert change.expression == "17464.07 − 20001.68 = -2537.61"
    gap = difference(wan("公务接待费", "0.20"), wan("公务用车运行维护费", "4.50"))
    assert gap.rounded == Decimal("4.30")
    assert gap.expression == "|0.20 − 4.50| = 4.30"


def test_unit_mismatch_converts_to_first_unit():
    result = add(wan("公务用车运行维护费", "4.50"), Operand("公务接待费", Decimal("2000"), "元", 3))
    assert result.rounded == Decimal("4.70")
    assert result.unit == "万元"
    assert result.expression == "4.50 + 0.2（2000元 = 0.2万元） = 4.70"
    result = share_percent(Operand("项目资金", Decimal("642000"), "元"), wan("项目支出", "17018.62"))
    assert result.rounded == Decimal("0.38")
    with pytest.raises(CalculationError, match="单位不一致"):
        add(wan("公务接待费", "0.20"), Operand("编制", Decimal("2"), "辆"))


def test_yuan_rounding_follows_document_practice():
    result = sum_of([Operand("年度资金", Decimal("642000"), "元"), Operand("其他", Decimal("8000"), "元")])
    assert result.rounded == Decimal("650000")
    assert result.expression == "642000 + 8000 = 650000"
    result = add(Operand("a", Decimal("0.5"), "元"), Operand("b", Decimal("0.255"), "元"))
    assert result.rounded == Decimal("0.76")  # ROUND_HALF_UP, 2 decimals when inputs are not whole


def test_half_up_rounding():
    assert share_percent(wan("a", "1"), wan("b", "800")).rounded == Decimal("0.13")  # 0.125 → 0.13


def test_divide_and_multiply():
    ratio = divide(wan("一般公共预算", "17464.07"), wan("总计", "17944.67"))
    assert ratio.unit == ""
    assert ratio.rounded == Decimal("0.9732")
    per_person = divide(
        Operand("办公用房", Decimal("290"), "平方米"), Operand("实有人数", Decimal("2"), "人")
    )
    assert per_person.unit == "平方米/人"
    assert per_person.rounded == Decimal("145.00")
    assert multiply(wan("单价", "0.20"), Operand("次数", Decimal("3"), "")).rounded == Decimal("0.60")


def test_division_by_zero_is_a_clear_error():
    with pytest.raises(CalculationError, match="除数“政府性基金预算拨款收入”为 0"):
        share_percent(wan("a", "1"), wan("政府性基金预算拨款收入", "0", 4))
    with pytest.raises(CalculationError, match="增长率"):
        growth_percent(wan("本年", "1"), wan("上年", "0"))
    with pytest.raises(CalculationError):
        divide(wan("a", "1"), wan("b", "0.00"))
    with pytest.raises(CalculationError, match="至少一个"):
        sum_of([])


def test_operands_refuse_float():
    with pytest.raises(TypeError, match="Decimal"):
        Operand("公务接待费", 0.2, "万元")  # type: ignore[arg-type]
    assert Operand("a", "17,944.67", "万元").value == Decimal("17944.67")  # type: ignore[arg-type]
    assert Operand("a", 3, "辆").value == Decimal(3)  # type: ignore[arg-type]


def test_to_calculation_is_the_answer_contract():
    result = add(wan("公务用车运行维护费", "4.50", 2), wan("公务接待费", "0.20", 3))
    calc = to_calculation(result)
    assert isinstance(calc, Calculation)
    assert calc.expression == "4.50 + 0.20 = 4.70"
    assert calc.result == "4.70"
    assert calc.unit == "万元"
    assert calc.inputs == [
        {"name": "公务用车运行维护费", "value": "4.50", "unit": "万元", "citation": "2"},
        {"name": "公务接待费", "value": "0.20", "unit": "万元", "citation": "3"},
    ]
    assert to_calculation(result, check="x").check == "x"


def test_sum_of_is_exact_property():
    """Property-style: sums of 2-decimal figures equal the integer sum of cents, in any order."""
    rng = random.Random(20240508)
    for _ in range(300):
        cents = [rng.randint(0, 10**12) for _ in range(rng.randint(1, 40))]
        operands = [wan(f"项{i}", f"{c // 100}.{c % 100:02d}") for i, c in enumerate(cents)]
        result = sum_of(operands)
        assert result.value == Decimal(sum(cents)) / 100
        assert result.rounded == result.value
        rng.shuffle(operands)
        assert sum_of(operands).value == result.value
        if len(operands) >= 2:
            assert add(operands[0], operands[1]).value == sum_of(operands[:2]).value


def test_share_and_growth_agree_property():
    """growth(new, old) = share(new, old) − 100 to 20 decimals, for random figures."""
    rng = random.Random(7)
    for _ in range(200):
        new = wan("本年", f"{rng.randint(1, 10**8)}.{rng.randint(0, 99):02d}")
        old = wan("上年", f"{rng.randint(1, 10**8)}.{rng.randint(0, 99):02d}")
        share = share_percent(new, old).value
        growth = growth_percent(new, old).value
        assert abs(growth - (share - 100)) < Decimal("1e-20")  # the test subtracts at 28 digits
