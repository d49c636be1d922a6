"""Narrative lines → paragraphs with heading paths, glossary terms, and named facts.

Hard-wrapped lines are rejoined (Chinese lines join without a space) unless a line ends a sentence
or the next one starts a heading. Facts are figures the template states in words (vehicles, office
area, 三公 breakdown, 政府采购, staffing, 绩效 project counts), each kept with its quoting sentence.
"""

from __future__ import annotations

import re

from ingest.figures import parse_number
from ingest.model import Fact, GlossaryTerm, Line, Locator, Paragraph
from ingest.sentences import sentence_around

_HEADING = re.compile(
    r"^\s*(第[一二三四]部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[、.．](?!\d)|[①②③④⑤])"
)
_SENTENCE_END = "。；！？：:;"
_LEVEL = [
    re.compile(r"^\s*第[一二三四]部分"),
    re.compile(r"^\s*[一二三四五六七八九十]+、"),
    re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\s*\d{1,2}[、.．](?!\d)"),
]
_MAX_HEADING = 40


def heading_level(text: str) -> int | None:
    stripped = text.strip()
    if len(stripped) > _MAX_HEADING or stripped.endswith("。"):
        return None
    if re.search(r"[：:].", stripped) or stripped[-1] in "、，,；":  # a definition or a wrapped sentence
        return None
    for level, pattern in enumerate(_LEVEL):
        if pattern.match(stripped):
            return level
    return None


def paragraphs(lines: list[Line], file: str, base_path: tuple[str, ...] = ()) -> list[Paragraph]:
    """Narrative lines (no table rows) → paragraphs, each with the heading path above it."""
    path: list[str] = list(base_path)
    levels: list[int] = [-1] * len(base_path)
    out: list[Paragraph] = []
    buffer: list[Line] = []

    def flush() -> None:
        if not buffer:
            return
        text = "".join(line.text.strip() for line in buffer)
        if text:
            out.append(
                Paragraph(
                    text=text,
                    heading_path=tuple(path),
                    locator=Locator(
                        file=file,
                        line_start=buffer[0].number,
                        line_end=buffer[-1].number,
                        page=buffer[0].page,
                        section=" > ".join(path) or None,
                    ),
                )
            )
        buffer.clear()

    for line in lines:
        text = line.text.strip()
        if not text or "\t" in line.text:
            if "\t" in line.text:
                flush()
            continue
        level = heading_level(text)
        if level is not None:
            flush()
            while levels and levels[-1] >= level:
                levels.pop()
                path.pop()
            levels.append(level)
            path.append(text)
            continue
        if buffer and (buffer[-1].text.rstrip()[-1:] in _SENTENCE_END):
            flush()
        buffer.append(line)
    flush()
    return out


_TERM = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|\d+[、.]|[（(][一二三四五六七八九十]+[)）])\s*([^：:，。]{2,30})[：:]\s*(.+)$"
)
_TERM_IS = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|\d+[、.])\s*([^：:，。]{2,15}?)((?:是指|指|是对).+)$"
)
_TERM_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[、.])\s*([^：:，。]{2,30})[：:]$")


def glossary(paras: list[Paragraph]) -> list[GlossaryTerm]:
    """第四部分 名词解释: `一、财政拨款收入：指…` → term and definition."""
    terms: list[GlossaryTerm] = []
    seen_headings: set[str] = set()
    for paragraph in paras:
        heading = paragraph.heading_path[-1] if paragraph.heading_path else ""
        own = _TERM_HEADING.match(heading)
        if own and heading not in seen_headings:  # `六、财政专户管理资金：` with the definition below it
            seen_headings.add(heading)
            term = re.sub(r"[*“”\"]", "", own.group(1)).strip()
            terms.append(GlossaryTerm(term=term, definition=paragraph.text, locator=paragraph.locator))
            continue
        for candidate in (paragraph.text, heading):
            match = _TERM.match(candidate) or _TERM_IS.match(candidate)
            if match:
                term = re.sub(r"[*“”\"]", "", match.group(1)).strip()  # **基本支出**, “三公”经费 → 三公经费
                terms.append(
                    GlossaryTerm(term=term, definition=match.group(2).strip(), locator=paragraph.locator)
                )
                break
    return terms


_AMOUNT = r"(?P<v>\d[\d,]*(?:\.\d+)?)"
# (fact name, pattern, unit). The names are the product's vocabulary, shared with the assistant.
FACT_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    ("三公经费.合计", re.compile(r"“?三公”?经费(?:财政拨款)?预算(?:数)?(?:为)?" + _AMOUNT + "万元"), "万元"),
    ("三公经费.因公出国（境）费", re.compile(r"因公出国（境）费(?:用)?(?:预算)?" + _AMOUNT + "万元"), "万元"),
    ("三公经费.公务接待费", re.compile(r"公务接待费(?:预算)?" + _AMOUNT + "万元"), "万元"),
    (
        "三公经费.公务用车购置及运行费",
        re.compile(r"公务用车购置及运行(?:维护)?费(?:预算)?" + _AMOUNT + "万元"),
        "万元",
    ),
    ("三公经费.公务用车购置费", re.compile(r"公务用车购置费(?:预算)?" + _AMOUNT + "万元"), "万元"),
    ("三公经费.公务用车运行维护费", re.compile(r"公务用车运行维护费(?:预算)?" + _AMOUNT + "万元"), "万元"),
    ("机关运行经费", re.compile(r"机关运行经费(?:财政拨款)?(?:预算)?(?:为)?" + _AMOUNT + "万元"), "万元"),
    ("政府采购.总额", re.compile(r"政府采购预算总额(?:为)?" + _AMOUNT + "万元"), "万元"),
    # the total stated without 总额 (本部门政府采购预算1486.42万元, national layout's wording)
    ("政府采购.总额", re.compile(r"政府采购预算(?:为)?" + _AMOUNT + "万元"), "万元"),
    ("政府采购.货物", re.compile(r"政府采购货物预算" + _AMOUNT + "万元"), "万元"),
    ("政府采购.工程", re.compile(r"政府采购工程预算" + _AMOUNT + "万元"), "万元"),
    ("政府采购.服务", re.compile(r"政府采购服务预算" + _AMOUNT + "万元"), "万元"),
    ("车辆.编制", re.compile(r"公务用车编制" + _AMOUNT + "辆"), "辆"),
    ("车辆.实有", re.compile(r"实有" + _AMOUNT + "辆"), "辆"),
    # vehicles held stated as 共有车辆N辆 (national layout's 国有资产占有使用情况 wording)
    ("车辆.实有", re.compile(r"共有车辆" + _AMOUNT + "辆"), "辆"),
    *[
        (f"车辆.{kind}", re.compile(kind + _AMOUNT + "辆"), "辆")
        for kind in (
            "领导用车",
            "机要通信用车",
            "应急保障用车",
            "执法执勤用车",
            "特种专业技术用车",
            "事业单位业务用车",
            "其他公务用车",
        )
    ],
    ("房屋.办公用房面积", re.compile(r"办公用房(?:建筑)?总?面积" + _AMOUNT + "平方米"), "平方米"),
    ("设备.50万元以上通用设备", re.compile(r"价值50万元（原值）以上的通用设备" + _AMOUNT + "台"), "台（套）"),
    (
        "设备.100万元以上专用设备",
        re.compile(r"价值100万元（原值）以上的专用设备" + _AMOUNT + "台"),
        "台（套）",
    ),
    (
        "设备.100万元以上通用设备",
        re.compile(r"价值100万元（原值）以上的通用设备" + _AMOUNT + "台"),
        "台（套）",
    ),
    ("人员.编制", re.compile(r"(?:编制人数|人员编制数|核定的人员编制数|编制)\s*" + _AMOUNT + r"\s*人"), "人"),
    ("人员.在职", re.compile(r"(?:在职人员(?:总数)?|实际在职人员总数)\s*" + _AMOUNT + r"\s*人"), "人"),
    ("基本支出.人员经费", re.compile(r"人员经费\s*" + _AMOUNT + "万元"), "万元"),
    ("基本支出.公用经费", re.compile(r"公用经费\s*" + _AMOUNT + "万元"), "万元"),
    ("绩效.二级项目数", re.compile(r"纳入绩效目标管理的二级项目" + _AMOUNT + "个"), "个"),
    (
        "绩效.二级项目金额",
        re.compile(r"纳入绩效目标管理的二级项目\d+个，共计金额" + _AMOUNT + "万元"),
        "万元",
    ),
]


def facts(paras: list[Paragraph]) -> list[Fact]:
    """Named figures found in the narrative; the first statement of each name wins."""
    found: dict[str, Fact] = {}
    for paragraph in paras:
        text = paragraph.text.replace(" ", "")
        for name, pattern, unit in FACT_PATTERNS:
            if name in found:
                continue
            match = pattern.search(text)
            if not match:
                continue
            value = parse_number(match.group("v"))
            quote = sentence_around(text, match.start(), match.end())
            # The scope says where it was stated: staffing under a sub-unit's 机构设置 is that unit's.
            scope = paragraph.heading_path[-1] if paragraph.heading_path else ""
            found[name] = Fact(
                name=name, value=value, unit=unit, quote=quote, locator=paragraph.locator, scope=scope
            )
    return list(found.values())
