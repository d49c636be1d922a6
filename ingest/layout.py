"""Cleaned lines → the template's blocks: parts (第一…第四部分), the 13 tables, headings.

The provincial template is fixed: 第一部分 概况, 第二部分 tables 表一…表十三, 第三部分 narrative,
第四部分 名词解释. This module only finds where each block starts and ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Line

CN_NUMERALS = "一二三四五六七八九十"

# Table number → words that identify its title (the template's wording; the year varies).
TABLE_TITLES: list[tuple[int, re.Pattern[str]]] = [
    (4, re.compile(r"财政拨款收支总表")),
    (1, re.compile(r"预算收支总表")),
    (2, re.compile(r"预算收入总表")),
    (3, re.compile(r"预算支出总表")),
    (6, re.compile(r"基本支出分经济科目表")),
    (5, re.compile(r"一般公共预算支出预算表")),
    (7, re.compile(r"政府性基金预算收入表")),
    (8, re.compile(r"政府性基金预算支出表")),
    (9, re.compile(r"国有资本经营预算收支预算表")),
    (10, re.compile(r"三公.{0,2}经费支出预算表")),
    (11, re.compile(r"机关运行经费预算表")),
    (13, re.compile(r"项目支出预算表（上年结转）|项目支出预算表\(上年结转\)")),
    (12, re.compile(r"项目支出预算表")),
]

TABLE_KEYS = [
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

_TOC = re.compile(r"\.{3,}|…{2,}|\t\d+\s*$")
_PART = re.compile(r"^\s*第([一二三四])部分\s*(.*)$")
_TITLE = re.compile(r"^\s*(?:表[一二三四五六七八九十]+)?\s*((?:19|20)\d{2})年(.{2,60}表.*)$")


@dataclass
class TableBlock:
    """The lines of one standard table: from its title line to the line before the next block."""

    number: int
    title: str
    year: int
    lines: list[Line]


@dataclass
class Layout:
    """Where the parts of one disclosure are (indices into the line list, end exclusive)."""

    parts: dict[int, tuple[int, int]]  # 1…4 → (start, end)
    tables: list[TableBlock]


def is_toc(text: str) -> bool:
    return bool(_TOC.search(text))


def table_number(title: str) -> int | None:
    for number, pattern in TABLE_TITLES:
        if pattern.search(title):
            return number
    return None


def find_parts(lines: list[Line]) -> dict[int, tuple[int, int]]:
    """Index ranges of 第一…第四部分; a part missing from the document is absent from the dict."""
    starts: dict[int, int] = {}
    for i, line in enumerate(lines):
        match = _PART.match(line.text)
        if not match or is_toc(line.text):
            continue
        number = CN_NUMERALS.index(match.group(1)) + 1
        # The last occurrence before the next part wins over stray repeats (page headers).
        if number not in starts or all(starts.get(n, -1) < starts[number] for n in range(number + 1, 5)):
            starts.setdefault(number, i)
    ordered = sorted(starts.items(), key=lambda item: item[1])
    parts: dict[int, tuple[int, int]] = {}
    for k, (number, start) in enumerate(ordered):
        end = ordered[k + 1][1] if k + 1 < len(ordered) else len(lines)
        parts[number] = (start, end)
    return parts


def find_tables(lines: list[Line], start: int, end: int) -> list[TableBlock]:
    """Table blocks between `start` and `end`: each title line starts a block (repeats are merged)."""
    found: list[tuple[int, int, str, int]] = []  # (index, number, title, year)
    for i in range(start, end):
        text = lines[i].text.strip()
        if len(text) > 70 or is_toc(text):
            continue
        match = _TITLE.match(text)
        if not match:
            continue
        number = table_number(match.group(2))
        if number is None:
            continue
        title = f"{match.group(1)}年{match.group(2).strip()}"
        if found and found[-1][1] == number:
            continue  # "表一2024年预算收支总表" followed by "2024年预算收支总表": one table
        found.append((i, number, title, int(match.group(1))))
    blocks: list[TableBlock] = []
    for k, (index, number, title, year) in enumerate(found):
        stop = found[k + 1][0] if k + 1 < len(found) else end
        blocks.append(TableBlock(number=number, title=title, year=year, lines=lines[index + 1 : stop]))
    return blocks


def find_layout(lines: list[Line]) -> Layout:
    parts = find_parts(lines)
    # Tables sit before the narrative; a PDF export may draw 表一 before the 第二部分 heading.
    end = parts[3][0] if 3 in parts else len(lines)
    return Layout(parts=parts, tables=find_tables(lines, 0, end))
