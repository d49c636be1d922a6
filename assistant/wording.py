"""Plain words for what the records name: fact labels, table scopes, sub-unit notes, English units.

In: a fact name from the narrative's FACT_PATTERNS (`车辆.实有`, `三公经费.合计`), a fact's scope (the
heading it was stated under), a table number and title, a unit. Out: the words an answer uses for them
(`公务用车实有数`, `（文件在“城镇集体联合社机构设置”部分说明）`, `表十（…）`, `4.70 (10,000 yuan)`).
Only the template's own vocabulary lives here; nothing is taken from one particular document.
"""

from __future__ import annotations

import re
from decimal import Decimal

# The noun a fact group is about, as a citizen would say it (车辆 → 公务用车).
GROUP_NOUN: dict[str, str] = {
    "车辆": "公务用车",
    "房屋": "办公用房",
    "人员": "人员",
    "三公经费": "“三公”经费",
    "政府采购": "政府采购",
    "设备": "大额设备",
    "基本支出": "基本支出",
    "绩效": "绩效目标管理",
}

# Within-group labels that read badly as the bare part after the dot.
_SHORT: dict[str, str] = {
    "车辆.编制": "编制数",
    "车辆.实有": "实有数",
    "人员.编制": "编制人数",
    "人员.在职": "在职人数",
    "三公经费.合计": "预算总额",
    "政府采购.总额": "预算总额",
    "政府采购.货物": "货物预算",
    "政府采购.工程": "工程预算",
    "政府采购.服务": "服务预算",
    "绩效.二级项目数": "二级项目数",
    "绩效.二级项目金额": "二级项目金额",
}

# Full labels that are not simply the part after the dot.
_FULL: dict[str, str] = {
    "车辆.编制": "公务用车编制数",
    "车辆.实有": "公务用车实有数",
    "人员.编制": "编制人数",
    "人员.在职": "在职人数",
    "三公经费.合计": "“三公”经费合计",
    "政府采购.总额": "政府采购预算总额",
    "政府采购.货物": "政府采购货物预算",
    "政府采购.工程": "政府采购工程预算",
    "政府采购.服务": "政府采购服务预算",
    "绩效.二级项目数": "纳入绩效目标管理的二级项目数",
    "绩效.二级项目金额": "纳入绩效目标管理的二级项目金额",
}

# English names of the template's facts (the Chinese term kept in brackets).
_ENGLISH: dict[str, str] = {
    "三公经费.合计": "the “three public expenses” (三公经费)",
    "三公经费.公务接待费": "official receptions (公务接待费)",
    "三公经费.因公出国（境）费": "official travel abroad (因公出国（境）费)",
    "三公经费.公务用车购置及运行费": "buying and running official cars (公务用车购置及运行费)",
    "三公经费.公务用车购置费": "buying official cars (公务用车购置费)",
    "三公经费.公务用车运行维护费": "running official cars (公务用车运行维护费)",
    "机关运行经费": "administrative operating expenses (机关运行经费)",
    "政府采购.总额": "government procurement (政府采购)",
    "政府采购.货物": "procurement of goods (政府采购货物)",
    "政府采购.工程": "procurement of works (政府采购工程)",
    "政府采购.服务": "procurement of services (政府采购服务)",
    "基本支出.人员经费": "personnel costs (人员经费)",
    "基本支出.公用经费": "office running costs (公用经费)",
    "车辆.编制": "official vehicles allowed (公务用车编制数)",
    "车辆.实有": "official vehicles held (公务用车实有数)",
    "房屋.办公用房面积": "office floor area (办公用房面积)",
    "人员.编制": "authorised staff (编制人数)",
    "人员.在职": "staff in post (在职人数)",
}

_ENGLISH_UNITS: dict[str, str] = {
    "平方米": " square metres",
    "辆": " vehicles",
    "人": " people",
}

_NUMBERING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、])\s*")
_SUB_UNIT = re.compile(r"^(?P<unit>.+?)(?:机构设置|人员编制|人员情况|基本情况)")
_GENERIC_UNIT = re.compile(r"^(?:部门|本部门|单位|本单位|机关|本级|内设)$")
_MONEY_UNITS = ("万元", "元")


def group_of(name: str) -> str:
    """`车辆.实有` → `车辆`; a name without a dot is its own group."""
    return name.split(".", 1)[0] if "." in name else ""


def fact_label(name: str) -> str:
    """The plain Chinese label of a fact: `人员.编制` → `编制人数`, `房屋.办公用房面积` → `办公用房面积`."""
    return _FULL.get(name) or name.split(".")[-1]


def short_label(name: str) -> str:
    """The label within its group: `车辆.实有` → `实有数` (said after `公务用车的`)."""
    if name in _SHORT:
        return _SHORT[name]
    last = name.split(".")[-1]
    return f"{last}数" if group_of(name) == "车辆" else last  # 车辆.领导用车 → 领导用车数


def english_label(name: str) -> str:
    """The English name of a fact, its Chinese term kept: `三公经费.合计` → `the “three public expenses” (三公经费)`."""
    return _ENGLISH.get(name) or fact_label(name)


def disclosed_facts(names: list[str]) -> str:
    """What a refusal says is disclosed instead, without figures: `公务用车的编制数和实有数`."""
    names = list(dict.fromkeys(names))
    groups = {group_of(n) for n in names}
    if len(groups) == 1 and (noun := GROUP_NOUN.get(groups.pop())):
        labels = [short_label(n) for n in names]
        return f"{noun}的{_join(labels)}"
    return _join([fact_label(n) for n in names])


def _join(labels: list[str]) -> str:
    labels = [re.sub(r"\d+(?:\.\d+)?万?元?", "", label) for label in dict.fromkeys(labels)]
    return labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + "和" + labels[-1]


def sub_unit(scope: str) -> str:
    """The sub-unit a fact's heading names (`(六) 城镇集体联合社机构设置` → `城镇集体联合社机构设置`), or ""."""
    heading = _NUMBERING.sub("", scope).strip().rstrip("：:")
    match = _SUB_UNIT.match(heading)
    if not match or _GENERIC_UNIT.match(match.group("unit")):
        return ""
    return heading


def scope_note(scope: str, en: bool = False) -> str:
    """`（文件在“…”部分说明）` when the fact was stated under a sub-unit's heading, else ""."""
    heading = sub_unit(scope)
    if not heading:
        return ""
    return f" (stated under “{heading}”)" if en else f"（文件在“{heading}”部分说明）"


def table_scope(table: str, title: str) -> str:
    """`表十（2025年财政拨款安排“三公”经费支出预算表）`; the number alone when there is no title; a
    performance form by its title alone."""
    title = title.strip()
    if table.startswith("绩效目标表") and title:
        return title  # the form's number is the index's own count, not printed in the document
    return f"{table}（{title}）" if title else table


def english_amount(value: Decimal | None, unit: str) -> str:
    """A figure for an English sentence that `numbers.extract_numbers` reads back in the same unit.

    Money keeps its printed unit (`4.70万元`): `4.70 (10,000 yuan)` would add a figure 10,000 that no
    source states; counts and areas read in English (`962 square metres`, `2 vehicles`)."""
    shown = f"{value if value is not None else 0:f}"
    return shown + _ENGLISH_UNITS.get(unit, unit)


def is_money(unit: str) -> bool:
    return unit in _MONEY_UNITS
