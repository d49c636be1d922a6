"""Signs that a disclosure file ends before its template does (a download or copy cut short).

In: the cleaned lines and the parsed `Disclosure`. Out: one warning per missing piece, naming it,
e.g. a text cut at half its length lacks 第四部分 名词解释 and ends inside the catalog. Tables a
cut removed are already listed by `ingest.parsing.quality` (`tables_absent`).
"""

from __future__ import annotations

import re

from ingest.model import Disclosure, Line
from ingest.parsing.layout import find_parts

PART_NAMES = {1: "第一部分 概况", 2: "第二部分 预算报表", 3: "第三部分 情况说明", 4: "第四部分 名词解释"}
TAIL_LINES = 3  # a catalog whose last entry is this close to the end of the file was cut off
_TOC_PART = re.compile(r"^\s*第([一二三四])部分.*(?:\.{3,}|…{2,}|\t)\s*\d+\s*$")
_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4}


def truncation_warnings(lines: list[Line], doc: Disclosure) -> list[str]:
    """What the file lacks at its end, in words a person can act on (empty when it looks whole)."""
    parts = find_parts(lines)
    if not parts:
        return []  # no part headings at all (a partial export by design): nothing to compare with
    listed = {_NUMBER[m.group(1)] for line in lines[:200] if (m := _TOC_PART.match(line.text))}
    expected = set(range(1, 5)) | listed
    missing = sorted(n for n in expected if n not in parts and n > min(parts))
    out: list[str] = []
    last = _last_text_line(lines)
    if missing:
        names = "、".join(PART_NAMES[n] for n in missing)
        out.append(f"文件不完整：没有找到{names}，文件在第 {last} 行就结束了；请找到完整的文件重新导入")
    if doc.catalog_entries:
        end = max(entry.locator.line_end for entry in doc.catalog_entries)
        if last - end < TAIL_LINES and 4 not in parts:
            out.append(
                f"政府购买服务指导性目录在文件末尾中断（第 {end} 行）：只读出 {len(doc.catalog_entries)} 条，"
                "后面的条目缺失；请找到完整的文件重新导入"
            )
    return out


def _last_text_line(lines: list[Line]) -> int:
    return next((line.number for line in reversed(lines) if line.text.strip()), 0)
