"""Which unit a question's answer must carry, and whether a figure's unit fits it.

In: a question (Chinese or English). Out: `expected_unit(question)`, an `ExpectedUnit` (the units that
fit and what the question asks for, in plain words) or None when the wording does not say; and
`fits(unit, expected)`. 多少人 wants 人, 几辆 wants 辆, 多少钱 wants 万元 or 元: a look-up that found only
a figure in another unit (2辆 for 多少人) has not found the answer. Only everyday Chinese and English
wording lives here; nothing is taken from one particular document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class ExpectedUnit:
    """The units an answer may carry and the thing asked for (`人数`, `the number of people`)."""

    units: tuple[str, ...]
    noun: str
    noun_en: str
    measured: bool = False  # the question names the measure itself (多少人, 几辆), not only a topic


PEOPLE = ExpectedUnit(("人",), "人数", "the number of people")
VISITS = ExpectedUnit(("人次",), "人次", "the number of visits")
VEHICLES = ExpectedUnit(("辆",), "车辆数", "the number of vehicles")
AREA = ExpectedUnit(("平方米",), "面积", "the area")
MONEY = ExpectedUnit(("万元", "元"), "金额", "the amount of money")
PROJECTS = ExpectedUnit(("个",), "项目个数", "the number of projects")
EQUIPMENT = ExpectedUnit(("台",), "设备台数", "the number of pieces of equipment")
PERCENT = ExpectedUnit(("%",), "比例", "the share")
COUNT = ExpectedUnit(
    ("个", "人", "名", "位", "项", "家"), "数量", "the count"
)  # 几个/几位: any counted thing

# Tiers, tried in order; the first pattern that matches decides. Explicit measure words first
# (多少人 beats the 预算 of 预算公开), then money words (人员经费 is money, 车辆运行费 is money),
# then topic words (公务用车编制 is about vehicles, 人员编制 about people), then 预算 alone.
_TIERS: list[list[tuple[str, ExpectedUnit]]] = [
    [
        (r"(多少|几)人次|how many visits", VISITS),  # visits counted per person (接待多少人次)
        (
            r"多少人|几个人|几人|多少名|几名|几位|多少位|人数|how many (people|persons|staff|employees)|headcount|"
            r"(多少|几)[^，,。？?\d]{0,6}?(人员|职工|干部|员工)(?!经费|费|工资|支出|的工资)",  # 多少在编人员
            PEOPLE,
        ),
        (r"几辆|多少辆|how many (official )?(vehicles|cars)", VEHICLES),
        (r"多少平方|平方米|面积|多大|how big|how large|floor area|office (area|space)", AREA),
        (r"(几|多少)个.{0,4}项目|项目.{0,2}(几|多少)个|how many projects", PROJECTS),
        (r"几台|多少台|how many (pieces|items) of equipment", EQUIPMENT),
        (r"(?<![这那哪])(几|多少)(个|家|所|户|座|件)", COUNT),  # any other counted thing: 几个下属单位, 几家
        (r"百分比|百分之|占比|比例|比重|percentage|per ?cent|proportion|\bshare\b", PERCENT),
    ],
    [
        (
            r"多少钱|多少万|的钱|钱了|经费|资金|金额|费|花了|花多少|万元|how much|money|\bcosts?\b|\bspend|"
            r"spent|expens|\bfunds?\b|yuan|"
            r"(买|购)[^，。？?]{0,3}车",  # buying a vehicle asks its cost (公务用车购置费), not a count
            MONEY,
        ),
    ],
    [
        (r"车|vehicles?|\bcars?\b", VEHICLES),
        (r"编制|在职|\bstaff\b|employees|\bpeople\b", PEOPLE),
    ],
    [
        (r"预算|budget", MONEY),
    ],
]


def expected_unit(question: str) -> ExpectedUnit | None:
    """What unit the answer to `question` must carry, or None when its wording does not say."""
    lowered = question.lower()
    for number, tier in enumerate(_TIERS):
        for pattern, expected in tier:
            if re.search(pattern, lowered):
                return replace(expected, measured=number == 0)
    return None


def fits(unit: str, expected: ExpectedUnit | None) -> bool:
    """True when a figure in `unit` can answer a question expecting `expected` (`台（套）` is 台)."""
    if expected is None:
        return True
    return unit.split("（")[0].split("(")[0].strip() in expected.units
