"""Department names: canonical name, region and the other names people and documents use.

`柳林县工业和信息化局[部门]` → name 柳林县工业和信息化局, region 柳林县, aliases 工信局, 柳林县工信局,
工业和信息化局, 柳林工信局 … The abbreviations are the usual ones of Chinese government bodies.
"""

from __future__ import annotations

import re

from ingest.model import Department

_SUFFIX = re.compile(r"[\[［【(（](部门|单位|本级)[\]］】)）]$")
_REGION = re.compile(r"^(.{1,6}?(?:自治州|自治县|地区|省|市|县|区|旗|盟))")

# Usual short forms (全称 → 简称) of government bodies; applied to any department, not a list of ours.
ABBREVIATIONS: dict[str, str] = {
    "工业和信息化": "工信",
    "医疗保障": "医保",
    "人力资源和社会保障": "人社",
    "市场监督管理": "市场监管",
    "住房和城乡建设": "住建",
    "发展和改革": "发改",
    "文化和旅游": "文旅",
    "卫生健康": "卫健",
    "退役军人事务": "退役军人",
    "交通运输": "交通",
    "农业农村": "农业",
    "生态环境": "环境",
    "自然资源": "自然资源",
    "应急管理": "应急",
    "教育科技": "教科",
    "行政审批服务管理": "审批",
    "城市管理": "城管",
    "公安": "公安",
    "司法": "司法",
    "民政": "民政",
    "财政": "财政",
    "信访": "信访",
    "审计": "审计",
    "统计": "统计",
}

# Place names that exports and typists often get wrong (形近字): either spelling finds the document.
REGION_VARIANTS: dict[str, list[str]] = {"盂县": ["孟县"], "孟县": ["盂县"]}


def clean_name(raw: str) -> str:
    """Strip `[部门]`-style suffixes and spaces."""
    return _SUFFIX.sub("", raw.strip().replace(" ", ""))


def make_department(raw: str) -> Department:
    """A printed department name → Department with region and aliases."""
    name = clean_name(raw)
    match = _REGION.match(name)
    region = match.group(1) if match else ""
    body = name[len(region) :] if region else name
    aliases: list[str] = [raw.strip()] if raw.strip() != name else []
    shorts = {body}
    for full, short in ABBREVIATIONS.items():
        if body.startswith(full):
            shorts.add(short + body[len(full) :])
    # class: 委员会 is said 委 (商务委员会 → 商务委, 发展和改革委员会 → 发改委)
    shorts |= {short[: -len("员会")] for short in shorts if short.endswith("委员会")}
    regions = {region, *REGION_VARIANTS.get(region, [])} if region else {""}
    bare_region = {r[:-1] for r in regions if len(r) > 2}  # 柳林县 → 柳林
    for short in shorts:
        aliases.append(short)
        for r in regions | bare_region:
            if r:
                aliases.append(r + short)
    return Department(name=name, region=region, aliases=sorted({a for a in aliases if a and a != name}))
