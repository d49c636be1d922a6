"""Disclosure templates as data: which tables a template prints, how it names them, their columns and
units, the arithmetic that ties their columns and rows, and its narrative sections.

Two entries: the Shanxi provincial template (13 tables in 万元, 第一…第四部分) and the national layout
most provinces use (9 tables in 元 — the 三公 table in 万元 — with 部门财务收支预算总表 … and sections
such as 部门预算编制说明 / 其他相关情况说明). Every table keeps a role key (表一…表十三, the Shanxi
numbering) that the rest of the product reads: 表三 is "the 支出总表" whichever template printed it.

In: the titles of a document's table blocks. Out: the template it follows (`recognise`), or `mixed`
when it prints tables of both, or `none` when no title is one of theirs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.parsing.table_schema import TEMPLATE as SHANXI_SIDES
from ingest.parsing.table_schema import Side
from ingest.parsing.table_shapes import TEMPLATE_NAMES as SHANXI_NAMES

SHANXI = "shanxi13"
NATIONAL = "national9"
MIXED = "mixed"
NONE = "none"

KEYS = [
    "表一",
    "表二",
    "表三",
    "表四",
    "表五",
    "表六",
    "表七",
    "表八",
    "表九",
    "表十",
    "表十一",
    "表十二",
    "表十三",
]


@dataclass(frozen=True)
class RowSum:
    """A row equals the sum of other rows of the same side, found by their labels."""

    total: str  # regex on the total row's label (收入总计, 一、财政拨款收入)
    parts: str  # regex on the part rows' labels (一、 二、 …; 1. 2. …)
    scope: str = "side"  # "side": every matching row of the side; "block": the rows right below the total


@dataclass(frozen=True)
class TableSpec:
    """One table of a template."""

    key: str  # role key read downstream (表一…表十三)
    printed: int  # the number the template prints (表3 / 3.)
    name: str  # the template's own name (year and 部门/单位 prefix left out)
    title: re.Pattern[str]  # words that identify its title
    sides: tuple[Side, ...] = ()  # columns and column arithmetic; alternatives chosen by column count
    unit: str = "万元"  # the unit the template prints the table in
    row_sums: tuple[RowSum, ...] = ()
    # A one-row table whose header names what each printed figure is (三公 and 机关运行经费 side by side):
    # the label of every printed column, in order, and the key each column's row goes to.
    one_row: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Template:
    """A disclosure layout: its tables and the headings of its narrative sections."""

    name: str
    label: str  # how a person names it
    tables: tuple[TableSpec, ...]
    sections: re.Pattern[str] | None = None  # a line that is a section heading (None: 第N部分 parts)

    def spec(self, key: str) -> TableSpec | None:
        return next((t for t in self.tables if t.key == key), None)

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.tables]


def _shanxi() -> Template:
    # The Shanxi titles as printed (表三2024年预算支出总表); the names come from table_shapes.
    titles = {
        4: r"财政拨款收支总表",
        1: r"预算收支总表",
        2: r"预算收入总表",
        3: r"预算支出总表",
        6: r"基本支出.{0,12}经济科目",
        5: r"一般公共预算支出预算表",
        7: r"政府性基金预算收入表",
        8: r"政府性基金预算支出表",
        9: r"国有资本经营预算收支预算表",
        10: r"三公.{0,2}经费支出预算表",
        11: r"机关运行经费预算表",
        13: r"项目支出预算表（上年结转）|项目支出预算表\(上年结转\)",
        12: r"项目支出预算表",
    }
    tables = tuple(
        TableSpec(KEYS[n - 1], n, SHANXI_NAMES[n], re.compile(titles[n]), SHANXI_SIDES[n])
        for n in sorted(titles)
    )
    return Template(SHANXI, "山西省13张表模板", tables)


_CODE = ("科目编码", "科目名称")
_FUNDS3 = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
_INCOME_TOTAL = RowSum(r"^收入总计$", r"^[一二三四五六七八九十]+、")
_SPENDING_TOTAL = RowSum(r"^支出总计$", r"^[一二三四五六七八九十]+、")
# 一、财政拨款收入 = 1. 一般公共预算 + 2. 政府性基金预算 + 3. 国有资本经营预算 (the numbered rows under it)
_FIRST_LEVEL = RowSum(r"^[一二三四五六七八九十]+、", r"^\d+\s*[.．、]", scope="block")
_BASIC_PROJECT = Side("", _CODE, ("合计", "基本支出", "项目支出"), (1, 2))


def _national() -> Template:
    tables = (
        TableSpec(
            "表一",
            1,
            "财务收支预算总表",
            re.compile(r"财务收支预算总表"),
            (
                Side("收入", ("项目",), ("预算数",)),
                Side("支出", ("项目",), ("预算数",)),
                # 单位预算: 合计 = 人员经费 + 公用经费 + 项目支出
                Side("支出", ("项目",), ("合计", "人员经费", "公用经费", "项目支出"), (1, 2, 3)),
            ),
            unit="元",
            row_sums=(_INCOME_TOTAL, _SPENDING_TOTAL, _FIRST_LEVEL),
        ),
        TableSpec(
            "表二",
            2,
            "收入预算总表",
            re.compile(r"收入预算总表"),
            (
                Side(
                    "",
                    _CODE,
                    ("合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"),
                    (1, 2, 3, 4),
                ),
            ),
            unit="元",
        ),
        TableSpec(
            "表三", 3, "支出预算总表", re.compile(r"(?<!收)支出预算总表"), (_BASIC_PROJECT,), unit="元"
        ),
        TableSpec(
            "表四",
            4,
            "财政拨款收支预算总表",
            re.compile(r"财政拨款收支预算总表"),
            (Side("收入", ("项目",), ("预算数",)), Side("支出", ("项目",), ("合计", *_FUNDS3), (1, 2, 3))),
            unit="元",
            row_sums=(_INCOME_TOTAL, _SPENDING_TOTAL),
        ),
        TableSpec(
            "表五",
            5,
            "一般公共预算支出功能分类预算表",
            re.compile(r"一般公共预算支出功能分类预算表"),
            (_BASIC_PROJECT,),
            unit="元",
        ),
        TableSpec(
            "表八",
            6,
            "政府性基金预算支出功能分类预算表",
            re.compile(r"政府性基金预算支出功能分类预算表"),
            (_BASIC_PROJECT,),
            unit="元",
        ),
        TableSpec(
            "表九",
            7,
            "国有资本经营预算支出功能分类预算表",
            re.compile(r"国有资本经营预算支出功能分类预算表"),
            (_BASIC_PROJECT,),
            unit="元",
        ),
        TableSpec(
            "表六",
            8,
            "一般公共预算基本支出部门预算经济分类预算表",
            re.compile(r"基本支出.{0,12}经济分类预算表"),
            (Side("", ("经济分类科目编码", "经济分类科目名称"), ("合计", "人员经费", "公用经费"), (1, 2)),),
            unit="元",
        ),
        TableSpec(
            "表十",
            9,
            "“三公”经费和机关运行经费预算表",
            re.compile(r"三公.{0,2}经费和机关运行经费预算表"),
            unit="万元",
            row_sums=(
                RowSum(r"^合计$", r"^(因公出国（境）费|公务接待费|公务用车购置及运行费)$"),
                RowSum(r"^公务用车购置及运行费$", r"^(公务用车购置费|公务用车运行费)$"),
            ),
            one_row=(
                ("合计", "表十"),
                ("因公出国（境）费", "表十"),
                ("公务接待费", "表十"),
                ("公务用车购置及运行费", "表十"),
                ("公务用车购置费", "表十"),
                ("公务用车运行费", "表十"),
                ("合计", "表十一"),  # 机关运行经费预算数: the Shanxi template's own 机关运行经费 table
            ),
        ),
    )
    # Whole-line section headings: 上海市某某局主要职能, 名词解释, 2026年部门预算编制说明, 其他相关情况说明,
    # 某某项目经费情况说明 (the national layout has no 第N部分 parts).
    sections = re.compile(
        r"^\s*(?:\S{0,30}(?:主要职能|机构设置)|名词解释|(?:(?:19|20)\d{2}年)?\S{0,6}预算编制说明"
        r"|其他相关情况说明|\S{1,40}经费情况说明)\s*$"
    )
    return Template(NATIONAL, "全国通用9张表格式", tables, sections)


TEMPLATES: tuple[Template, ...] = (_shanxi(), _national())
BY_NAME = {t.name: t for t in TEMPLATES}
TEMPLATE_LABELS = {
    **{t.name: t.label for t in TEMPLATES},
    MIXED: "混合格式（两种模板的表都有）",
    NONE: "⚠ 未认出报表格式（只导入了文字）",
}


def template_of_title(title: str) -> str | None:
    """The template whose own name for a table the title carries; national names are checked first
    because they are the longer, more specific ones (财务收支预算总表 also ends in 收支预算总表)."""
    for template in (BY_NAME[NATIONAL], BY_NAME[SHANXI]):
        if any(spec.title.search(title) for spec in template.tables):
            return template.name
    return None


def recognise(titles: Sequence[str]) -> str:
    """`national9` / `shanxi13` when every recognised title is that template's, `mixed` when both
    appear, `none` when no title is either's."""
    found = {name for name in map(template_of_title, titles) if name}
    if not found:
        return NONE
    return found.pop() if len(found) == 1 else MIXED


def table_template(title: str, document_template: str) -> Template:
    """The template a table is read by: its own title decides in a mixed document."""
    name = template_of_title(title) or document_template
    return BY_NAME.get(name, BY_NAME[SHANXI])
