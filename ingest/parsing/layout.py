"""Cleaned lines → the template's blocks: parts (第一…第四部分), the 13 tables, headings.

The provincial template is fixed: 第一部分 概况, 第二部分 tables 表一…表十三, 第三部分 narrative,
第四部分 名词解释. This module only finds where each block starts and ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Line
from ingest.parsing.table_shapes import TEMPLATE_NAMES, shape_score
from ingest.parsing.templates import KEYS, TEMPLATES

CN_NUMERALS = "一二三四五六七八九十"

# Table number → words that identify its title, from every template's own names for that table (the
# Shanxi template's 预算收支总表, the national layout's 财务收支预算总表 …; the year varies). Checked in
# this order: 财政拨款收支 before 收支, 表十's 三公 title before 表十一's 机关运行经费, 上年结转 before 本年.
_TITLE_ORDER = (4, 1, 2, 3, 6, 5, 7, 8, 9, 10, 11, 13, 12)
TABLE_TITLES: list[tuple[int, re.Pattern[str]]] = [
    (
        number,
        re.compile(
            "|".join(
                spec.title.pattern for t in TEMPLATES for spec in t.tables if spec.key == KEYS[number - 1]
            )
        ),
    )
    for number in _TITLE_ORDER
]

TABLE_KEYS = KEYS  # 表一 … 表十三, the keys every template maps its tables onto

_TOC = re.compile(r"\.{3,}|…{2,}|\t\d+\s*$")
_PART = re.compile(r"^\s*第([一二三四])部分\s*(.*)$")
# "表三2024年预算支出总表", "表 3 2024年…", "2024年度预算支出总表", "预算支出总表": the 表N prefix
# (Chinese or Arabic) and the year are both optional; the template's title words decide the table.
_TITLE = re.compile(
    r"^\s*(?:表\s*([一二三四五六七八九十]+|\d{1,2}?)\s*[、.．:：]?\s*)?"  # 表N; "表32024年" is 表3 + 2024年
    r"(?:((?:19|20)\d{2})\s*年度?|(?!\d))\s*(.{2,60}表.*)$"
)
# A wrapped title's first line starts like a title: 表N or a year.
_TITLE_START = re.compile(r"^\s*(?:表\s*(?:[一二三四五六七八九十]+|\d{1,2})|(?:19|20)\d{2}\s*年)")
# "预算公开表3" / "单位公开表3": the page furniture of the template says which table a page holds.
_PAGE_TAG = re.compile(r"^\s*(?:预算|部门|单位)公开表\s*(\d{1,2})\s*$")
# The line under a title that names the budget unit: 部门名称：/单位名称：/预算单位：/单位：
_UNIT_ONLY = re.compile(r"^(万元|千元|元)(\W|$)")
_HOLDER = re.compile(r"(?:部门名称|单位名称|预算单位|编制单位|编制部门|单位)\s*[:：]\s*(\S+)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_HEAD_SPAN = 10  # a title's 单位名称 line sits within this many lines below it


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


@dataclass
class _Start:
    index: int  # the title's last line (its body follows) or the 单位名称 line
    first: int  # the title's first line (the previous block stops before it)
    number: int | None
    title: str
    year: int | None
    titled: bool


def is_toc(text: str) -> bool:
    return bool(_TOC.search(text))


def table_number(title: str) -> int | None:
    for number, pattern in TABLE_TITLES:
        if pattern.search(title):
            return number
    return None


def holder_name(text: str) -> str | None:
    """The unit named on a table's header line (`单位名称：某某局 单位：万元` → 某某局); None otherwise."""
    for match in _HOLDER.finditer(text):
        name = match.group(1)
        if not _UNIT_ONLY.match(name):  # `单位：万元` names the unit of account, not the budget unit
            return name
    return None


def title_number(text: str) -> int | None:
    """The table a line is the title of (`2024年预算收支总表` → 1), None when it is not a title."""
    text = text.strip()
    if not text or len(text) > 70 or is_toc(text) or "\t" in text:
        return None
    match = _match_title(text)
    return match[0] if match else None


def _number_word(word: str | None) -> int | None:
    if not word:
        return None
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 13 else None
    return TABLE_KEYS.index(f"表{word}") + 1 if f"表{word}" in TABLE_KEYS else None


def _title_at(lines: list[Line], i: int, end: int) -> tuple[int, str, int | None, int] | None:
    """(number, title, year, lines used) when line i starts a table title, joined with the next
    line when the title was wrapped ("表三2024年预算" / "支出总表", "…预算表" / "（上年结转）")."""
    text = lines[i].text.strip()
    if not text or len(text) > 70 or is_toc(text) or "\t" in text:
        return None
    single = _match_title(text)
    following = _next_text(lines, i, end) if _TITLE_START.match(text) else None
    if following is not None:
        nxt, used = following
        joined = _match_title(text + nxt)
        if joined and (single is None or joined[0] != single[0]):
            return (*joined, used)
    return (*single, 1) if single else None


def _next_text(lines: list[Line], i: int, end: int) -> tuple[str, int] | None:
    for j in range(i + 1, min(i + 3, end)):
        text = lines[j].text.strip()
        if not text:
            continue
        if len(text) > 30 or "\t" in text or holder_name(text) or _PAGE_TAG.match(text) or is_toc(text):
            return None
        return text, j - i + 1
    return None


def _match_title(text: str) -> tuple[int, str, int | None] | None:
    match = _TITLE.match(text)
    if not match:
        return None
    words = match.group(3).strip()
    prefixed = _number_word(match.group(1))
    # The template's title words decide; a 表N prefix numbers a title worded differently ("表3 支出预算表").
    number = table_number(words) or (prefixed if words.endswith("表") else None)
    if number is None:
        return None
    year = int(match.group(2)) if match.group(2) else None
    # Without 表N and year, only a line that is nothing but a title counts (not a sentence about one).
    if prefixed is None and year is None and len(words) > 30:
        return None
    title = f"{year}年{words}" if year else words
    return number, title, year


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
    """Table blocks between `start` and `end`.

    A block starts at a title (its number from the template's title words) or, when the body has no
    title, at a header line naming the unit (单位名称：…); an untitled block gets its number from
    the page tag (预算公开表N), else from its header shape among the numbers still free in order.
    """
    starts = _starts(lines, start, end)
    default_year = next((s.year for s in starts if s.year), None) or _any_year(lines, start, end)
    blocks: list[TableBlock] = []
    for k, begin in enumerate(starts):
        stop = starts[k + 1].first if k + 1 < len(starts) else end
        body = lines[begin.index + (1 if begin.titled else 0) : stop]
        year = begin.year or default_year or 0
        blocks.append(TableBlock(number=begin.number or 0, title=begin.title, year=year, lines=body))
    _number_untitled(blocks)
    for block in blocks:
        if not block.title:
            block.title = f"{block.year}年{TEMPLATE_NAMES[block.number]}" if block.number else ""
    return _dedupe([b for b in blocks if b.number])


def _starts(lines: list[Line], start: int, end: int) -> list[_Start]:
    starts: list[_Start] = []
    anchor = -1  # the latest title line, repeats included: a 单位名称 line under it is its head
    i = start
    while i < end:
        title = _title_at(lines, i, end)
        if title is not None:
            number, text, year, used = title
            anchor = i + used - 1
            # "表一2024年预算收支总表" then "2024年预算收支总表" (or the title repeated on the next page): one table
            if not (starts and starts[-1].number == number):
                starts.append(_Start(anchor, i, number, text, year, True))
            i += used
            continue
        if holder_name(lines[i].text) and not _owned(anchor, lines, i):
            starts.append(_Start(i, i, _page_tag(lines, i), "", None, False))
            anchor = i
        i += 1
    return starts


def _owned(anchor: int, lines: list[Line], i: int) -> bool:
    """A 单位名称 line right under a title (no figures between) belongs to that title's table."""
    if anchor < 0 or i - anchor > _HEAD_SPAN or holder_name(lines[anchor].text):
        return False  # one 单位名称 line per table: a second one starts the next table
    return not any(
        holder_name(line.text) or _has_amount(line.text) or "本表无数据" in line.text
        for line in lines[anchor + 1 : i]
    )


def _page_tag(lines: list[Line], i: int) -> int | None:
    for line in reversed(lines[max(0, i - 6) : i]):
        match = _PAGE_TAG.match(line.text)
        if match and 1 <= int(match.group(1)) <= 13:
            return int(match.group(1))
    return None


_AMOUNT = re.compile(r"\d\.\d{2}(?!\d)")


def _has_amount(text: str) -> bool:
    return bool(_AMOUNT.search(text))


def _any_year(lines: list[Line], start: int, end: int) -> int | None:
    for line in lines[start:end]:
        match = _YEAR.search(line.text)
        if match:
            return int(match.group(1))
    return None


def _number_untitled(blocks: list[TableBlock]) -> None:
    """Untitled blocks take, in order, the free table number whose header shape they fit best."""
    taken = {b.number for b in blocks if b.number}
    previous = 0
    for k, block in enumerate(blocks):
        if block.number:
            previous = block.number
            continue
        following = next((b.number for b in blocks[k + 1 :] if b.number), 14)
        free = [n for n in range(previous + 1, following) if n not in taken]
        if not free:
            continue
        text = "".join(line.text for line in block.lines[:20])
        block.number = max(free, key=lambda n: (shape_score(n, text), -n))
        taken.add(block.number)
        previous = block.number


def _dedupe(blocks: list[TableBlock]) -> list[TableBlock]:
    """A number found twice (a 目录 line without dots, a repeated title): keep the block with figures."""
    best: dict[int, TableBlock] = {}
    for block in blocks:
        kept = best.get(block.number)
        if kept is None or _weight(block) > _weight(kept):
            best[block.number] = block
    return [b for b in blocks if best.get(b.number) is b]


def _weight(block: TableBlock) -> int:
    return (
        sum(1 for line in block.lines if _has_amount(line.text) or "本表无数据" in line.text)
        + len(block.lines) // 50
    )


def find_layout(lines: list[Line]) -> Layout:
    parts = find_parts(lines)
    # Tables sit before the narrative; a PDF export may draw 表一 before the 第二部分 heading.
    end = parts[3][0] if 3 in parts else len(lines)
    return Layout(parts=parts, tables=find_tables(lines, 0, end))
