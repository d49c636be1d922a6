"""The provincial template's table shapes: columns and the arithmetic each row must satisfy.

Used to read tables whose text lost its blank columns (space-separated exports): the template says
which columns exist, and the row arithmetic (合计 = 基本支出 + 项目支出 …) says where each
number belongs. Tab-separated exports and PDFs keep their own printed headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Side:
    """One side of a table: its label columns and numeric columns (names may hold `{Y}` for the year)."""

    name: str  # "" for one-sided tables, else 收入 / 支出
    labels: tuple[str, ...]
    numbers: tuple[str, ...]
    total_of: tuple[int, ...] = ()  # numbers[0] == sum(numbers[i] for i in total_of)


def _side(name: str, labels: tuple[str, ...], numbers: tuple[str, ...], parts: int) -> Side:
    return Side(name, labels, numbers, tuple(range(1, parts + 1)))


_CODE_NAME = ("科目编码", "科目名称")
_FUNDS3 = ("一般公共预算", "政府性基金预算", "国有资本经营预算")

TEMPLATE: dict[int, tuple[Side, ...]] = {
    1: (
        Side("收入", ("收入/项目",), ("收入/{Y}年",)),
        _side("支出", ("支出/项目",), ("支出/{Y}年合计", "支出/当年预算安排", "支出/上年结转安排"), 2),
    ),
    2: (
        _side(
            "",
            _CODE_NAME,
            (
                "本年收入/合计",
                "本年收入/一般公共预算",
                "本年收入/政府性基金",
                "本年收入/国有资本经营预算",
                "本年收入/财政专户管理资金",
                "本年收入/单位资金",
                "上年结转",
            ),
            5,
        ),
    ),
    3: (_side("", _CODE_NAME, ("{Y}年预算数/合计", "{Y}年预算数/基本支出", "{Y}年预算数/项目支出"), 2),),
    4: (
        Side("收入", ("收入/项目",), ("收入/金额",)),
        _side("支出", ("支出/项目",), ("支出/金额/小计", *(f"支出/金额/{f}" for f in _FUNDS3)), 3),
    ),
    5: (_side("", _CODE_NAME, ("{Y}年预算数/合计", "{Y}年预算数/基本支出", "{Y}年预算数/项目支出"), 2),),
    6: (
        _side(
            "",
            ("部门预算支出经济科目名称", "政府预算支出经济科目名称"),
            ("{Y}年预算数/合计", "{Y}年预算数/人员经费", "{Y}年预算数/公用经费"),
            2,
        ),
    ),
    7: (Side("", _CODE_NAME, ("政府性基金收入预算",)),),
    8: (_side("", _CODE_NAME, ("合计", "基本支出", "项目支出"), 2),),
    9: (
        Side("国有资本经营预算收入", ("收入科目编码", "科目名称"), ("国有资本经营收入预算",)),
        _side("国有资本经营预算支出", _CODE_NAME, ("合计", "基本支出", "项目支出"), 2),
    ),
    10: (_side("", ("项目",), ("{Y}年预算数/合计", *(f"{{Y}}年预算数/{f}" for f in _FUNDS3)), 3),),
    11: (_side("", ("单位名称",), ("{Y}预算数/合计", *(f"{{Y}}预算数/{f}" for f in _FUNDS3)), 3),),
    12: (
        _side(
            "",
            ("项目名称",),
            ("合计", *(f"{{Y}}年财政拨款/{f}" for f in _FUNDS3), "财政专户管理资金", "单位资金"),
            5,
        ),
    ),
    13: (_side("", ("项目名称",), ("合计", *(f"{{Y}}年财政拨款/{f}" for f in _FUNDS3)), 3),),
}

UNIT_DEFAULT = "万元"

_AMOUNT = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def is_amount(text: str) -> bool:
    """A printed money figure (has decimals, e.g. 22.00); integers are codes or counts."""
    return bool(_AMOUNT.fullmatch(text.strip()))


def is_code(text: str) -> bool:
    """A 科目编码: 3, 5 or 7 digits (201, 20113, 2011301)."""
    return bool(_CODE.match(text.strip()))


def columns_for(number: int, year: int) -> list[str]:
    """Flattened column names of a template table, with the year filled in."""
    names: list[str] = []
    for side in TEMPLATE[number]:
        names.extend(side.labels)
        names.extend(n.replace("{Y}", str(year)) for n in side.numbers)
    return names
