"""Deterministic rewrites of a bundled disclosure into layouts the team has not seen.

In: the text of one text export. Out: a `Variant` (bytes to write, and what the parse of those bytes
must equal once the original's figures and names are carried through the same change).

Each mutation imitates something real disclosures do (单位预算 headers, titles only in the 目录,
元 instead of 万元, page furniture in a table, …). Nothing here knows a bundled document's figures
or names: names are read from the text's own header lines, figures are rewritten by pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

CN_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
NEW_REGION = "青山县"
NEW_DEPARTMENT = "青山县生态环境局"
YEAR_SHIFT = 5

_TOC = re.compile(r"\.{3,}|…{2,}|\t\d+\s*$")
_TITLE = re.compile(r"^\s*(表[一二三四五六七八九十]+)?\s*((?:19|20)\d{2})年.{2,60}表")
_HOLDER = re.compile(r"部门名称[:：]\s*(\S+)")
_AMOUNT = re.compile(r"\d\.\d{2}")
_DOUBLED_AMOUNT = re.compile(r"(\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2})\1")
_PART = re.compile(r"^\s*第([一二三四])部分")


def _same(text: str) -> str:
    return text


@dataclass
class Variant:
    """A mutated document and what its parse must equal.

    `label` maps an original table label, column, title or catalog department to the variant's;
    `scale` multiplies original table figures; `year`, `kind`, `department` are expected as such
    (None: as the original); `absent` lists tables removed from the body.
    """

    data: bytes
    label: Callable[[str], str] = _same
    scale: Decimal = Decimal(1)
    year: int | None = None
    kind: str | None = None
    department: str | None = None
    absent: set[str] = field(default_factory=set)
    titles_kept: bool = True


@dataclass
class _Doc:
    """The text split into lines, with the line range of the body's tables (第二部分)."""

    lines: list[str]
    start: int  # first body table title
    end: int  # the 第三部分 heading

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def table_lines(self) -> range:
        return range(self.start, self.end)

    def titles(self) -> list[int]:
        """Indices of body title lines (the doubled repeat of a title included)."""
        return [i for i in self.table_lines() if _is_title(self.lines[i])]


def _is_title(line: str) -> bool:
    text = line.strip()
    return bool(_TITLE.match(text)) and len(text) <= 70 and "\t" not in text and not _TOC.search(text)


def split(text: str) -> _Doc:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "收支总表" in line and not _TOC.search(line))
    end = next(
        i
        for i, line in enumerate(lines)
        if i > start and re.match(r"^\s*第三部分", line) and not _TOC.search(line)
    )
    return _Doc(lines, start, end)


def holder(text: str) -> str:
    """The unit named on the tables' header lines, without an exporter suffix such as `[部门]`."""
    match = _HOLDER.search(text)
    assert match, "no 部门名称 header line"
    return re.sub(r"\[.*?\]$", "", match.group(1))


def _utf8(doc: _Doc) -> bytes:
    return doc.text().encode("utf-8")


def _on_table_lines(doc: _Doc, change: Callable[[str], str]) -> _Doc:
    for i in doc.table_lines():
        doc.lines[i] = change(doc.lines[i])
    return doc


# A printed amount (two decimals, thousands separators allowed), possibly drawn twice for bold.
_PRINTED = re.compile(r"(?P<a>\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2})(?P<twice>(?P=a))?")


def _scale_line(line: str, factor: Decimal) -> str:
    """Every amount of a line times `factor`, printed as before (separators, doubling, 2 decimals)."""

    def one(match: re.Match[str]) -> str:
        printed = match.group("a")
        number = (Decimal(printed.replace(",", "")) * factor).quantize(Decimal("0.01"))
        text = f"{number:,.2f}" if "," in printed else f"{number:.2f}"
        return text * 2 if match.group("twice") else text

    return _PRINTED.sub(one, line)


# ---- the mutations -------------------------------------------------------------------------------


def unit_header(text: str) -> Variant:
    """单位预算: the header line says 单位名称： where 部门预算 says 部门名称：."""
    return Variant(text.replace("部门名称：", "单位名称：").encode())


def budget_unit_header(text: str) -> Variant:
    """预算单位：… header lines."""
    return Variant(text.replace("部门名称：", "预算单位：").encode())


def plain_unit_header(text: str) -> Variant:
    """`单位：某某局` header lines (the same word as `单位：万元`)."""
    return Variant(text.replace("部门名称：", "单位：").encode())


def no_table_prefix(text: str) -> Variant:
    """Body titles without 表N (only the 目录 numbers them)."""
    doc = split(text)
    for i in doc.titles():
        doc.lines[i] = re.sub(r"^(\s*)表[一二三四五六七八九十]+\s*", r"\1", doc.lines[i])
    return Variant(_utf8(doc))


def arabic_table_numbers(text: str) -> Variant:
    """表3 instead of 表三, in the 目录 and the body."""

    def arabic(match: re.Match[str]) -> str:
        return f"表{CN_NUMBERS.index(match.group(1)) + 1}"

    pattern = re.compile(r"表(十[一二三]|[一二三四五六七八九十])(?=\s*(?:19|20)\d{2}年)")
    return Variant(pattern.sub(arabic, text).encode())


def title_two_lines(text: str) -> Variant:
    """Each body title wrapped over two lines."""
    doc = split(text)
    for i in reversed(doc.titles()):
        title = doc.lines[i].rstrip()
        middle = len(title) // 2
        doc.lines[i : i + 1] = [title[:middle], title[middle:]]
    return Variant(_utf8(split("\n".join(doc.lines))))


def titles_only_in_toc(text: str) -> Variant:
    """No title in the body at all: tables are found by their header lines and shapes."""
    doc = split(text)
    for i in reversed(doc.titles()):
        del doc.lines[i]
    return Variant(_utf8(doc), titles_kept=False)


def renamed(text: str) -> Variant:
    """Another department in another region."""
    name = holder(text)
    region = re.match(r"^(.+?[省市县区旗])", name)
    assert region, name

    def rename(value: str) -> str:
        return value.replace(name, NEW_DEPARTMENT).replace(region.group(1), NEW_REGION)

    return Variant(rename(text).encode(), label=rename, department=NEW_DEPARTMENT)


def scaled(text: str) -> Variant:
    """Every table figure three times as large (the arithmetic still holds)."""
    doc = _on_table_lines(split(text), lambda line: _scale_line(line, Decimal(3)))
    return Variant(_utf8(doc), scale=Decimal(3))


def in_yuan(text: str) -> Variant:
    """Tables printed in 元."""
    doc = split(text)
    doc = _on_table_lines(
        doc, lambda line: re.sub(r"单位([:：])\s*万元", r"单位\1元", _scale_line(line, Decimal(10000)))
    )
    return Variant(_utf8(doc))


def in_thousand_yuan(text: str) -> Variant:
    """Tables printed in 千元."""
    doc = split(text)
    doc = _on_table_lines(
        doc, lambda line: re.sub(r"单位([:：])\s*万元", r"单位\1千元", _scale_line(line, Decimal(10)))
    )
    return Variant(_utf8(doc))


def bold_added(text: str) -> Variant:
    """Titles, part headings and 合计 rows drawn twice (bold by double drawing)."""
    doc = split(text)
    for i, line in enumerate(doc.lines):
        stripped = line.strip()
        if not stripped or re.search(r"(.{2,})\1", stripped):
            continue
        if (i in doc.titles() or _PART.match(line)) and not _TOC.search(line):
            doc.lines[i] = stripped * 2
        elif i in doc.table_lines() and stripped.startswith("合计"):
            doc.lines[i] = re.sub(r"[^\s]+", lambda m: m.group(0) * 2, line)
    return Variant(_utf8(doc))


def bold_removed(text: str) -> Variant:
    """What a producer without bold doubling prints: every doubled run in the tables drawn once."""
    doc = split(text)

    def once(line: str) -> str:
        stripped = line.strip()
        n = len(stripped)
        if n >= 4 and n % 2 == 0 and stripped[: n // 2] == stripped[n // 2 :]:
            return stripped[: n // 2]
        line = _DOUBLED_AMOUNT.sub(r"\1", line)
        return re.sub(r"([^\s\d]{2,}?)\1", r"\1", line)

    for i in [*doc.table_lines(), *(i for i, line in enumerate(doc.lines) if _PART.match(line))]:
        doc.lines[i] = once(doc.lines[i])
    return Variant(_utf8(doc))


def rewrapped(text: str) -> Variant:
    """Narrative lines hard-wrapped at 23 characters (another page width)."""
    doc = split(text)
    out: list[str] = []
    for i, line in enumerate(doc.lines):
        if i >= doc.end and "\t" not in line and len(line) > 40 and not line.startswith(" "):
            out.extend(line[k : k + 23] for k in range(0, len(line), 23))
        else:
            out.append(line)
    return Variant("\n".join(out).encode())


def unit_throughout(text: str) -> Variant:
    """部门→单位 in everything the unit writes itself (not in the provincial catalog it reprints)."""
    doc = split(text)
    catalog = next(
        (i for i, line in enumerate(doc.lines) if i > doc.end and "政府购买服务指导性目录" in line),
        len(doc.lines),
    )
    for i in range(catalog):
        doc.lines[i] = doc.lines[i].replace("部门", "单位")

    def label(value: str) -> str:
        return value.replace("部门", "单位")

    return Variant(_utf8(doc), label=label, kind="单位")


def unit_title(text: str) -> Variant:
    """单位预算公开 on the cover and in the part headings; everything else as printed."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if (i < 60 or _PART.match(line)) and "部门预算" in line:
            lines[i] = line.replace(
                "部门预算", "单位预算公开" if i < 60 and not _PART.match(line) else "单位预算"
            )
    return Variant("\n".join(lines).encode(), kind="单位")


def page_furniture(text: str) -> Variant:
    """Page numbers, `第 N 页` lines and a watermark every few dozen lines, tables included."""
    out: list[str] = []
    for i, line in enumerate(text.splitlines()):
        out.append(line)
        if i and i % 41 == 0:
            out.extend(["", f"- {i // 41} -", ""])
        if i and i % 67 == 0:
            out.extend([f"第 {i // 67} 页 共 90 页", "仅供内部审核"])
    return Variant("\n".join(out).encode())


def gb18030(text: str) -> Variant:
    """The same text in GB18030."""
    return Variant(text.encode("gb18030"))


def crlf_bom(text: str) -> Variant:
    """Windows line ends and a UTF-8 byte-order mark."""
    return Variant(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())


def table_removed(text: str) -> Variant:
    """表五 missing altogether (its title, header and rows): recorded as absent, not empty."""
    doc = split(text)
    titles = doc.titles()
    fifth = [i for i in titles if "一般公共预算支出预算表" in doc.lines[i]]
    following = [i for i in titles if i > fifth[-1] and "基本支出分经济科目表" in doc.lines[i]]
    del doc.lines[fifth[0] : following[0]]
    return Variant(_utf8(doc), absent={"表五"})


def other_year(text: str) -> Variant:
    """The same document five years later (a 文号 such as 〔2024〕37号 keeps its year)."""
    year = int(re.search(r"((?:19|20)\d{2})\s*年度?\s*部门预算", text).group(1))  # type: ignore[union-attr]
    new = str(year + YEAR_SHIFT)
    pattern = re.compile(rf"(?<![\d.〔【\[(（]){year}(?![\d.〕】\])）])")

    def label(value: str) -> str:
        return pattern.sub(new, value)

    return Variant(label(text).encode(), label=label, year=year + YEAR_SHIFT)


def repeated_header(text: str) -> Variant:
    """Long tables broken by a page: page furniture, then the column header printed again."""
    doc = split(text)
    holders = [i for i in doc.table_lines() if _HOLDER.search(doc.lines[i])]
    for h in reversed(holders):
        stop = next((i for i in doc.table_lines() if i > h and _starts_data(doc.lines[i])), None)
        if stop is None:
            continue
        header = [
            line for line in doc.lines[h + 1 : stop] if line.strip() and not line.strip().startswith("单位：")
        ]
        data_end = next(
            (i for i in range(stop, doc.end) if _is_title(doc.lines[i]) or "本表无数据" in doc.lines[i]),
            doc.end,
        )
        rows = [i for i in range(stop, data_end) if _AMOUNT.search(doc.lines[i])]
        if len(rows) < 8 or not header:
            continue
        cut = rows[len(rows) // 2] + 1
        doc.lines[cut:cut] = ["", "- 7 -", "", *header]
    return Variant(_utf8(split("\n".join(doc.lines))))


def _starts_data(line: str) -> bool:
    text = line.strip()
    return bool(_AMOUNT.search(text)) or text.startswith(("合计", "一、", "部门合计"))


def spaced_header(text: str) -> Variant:
    """Ideographic spaces and a colon variant in the header lines (`部门名称:某某局　　单位:万元`)."""
    doc = split(text)
    for i in doc.table_lines():
        if _HOLDER.search(doc.lines[i]):
            doc.lines[i] = (
                doc.lines[i].replace("部门名称：", "部门名称:").replace(" 单位", "\u3000\u3000单位")
            )
    return Variant(_utf8(doc))


def no_titles_no_tags(text: str) -> Variant:
    """Neither titles nor 预算公开表N tags in the body: only the header shapes number the tables."""
    doc = split(text)
    tag = re.compile(r"^\s*(预算|部门|单位)公开表\s*\d+\s*$")
    for i in reversed(doc.table_lines()):
        if tag.match(doc.lines[i]) or _is_title(doc.lines[i]):
            del doc.lines[i]
    return Variant(_utf8(doc), titles_kept=False)


def unit_budget(text: str) -> Variant:
    """A 单位预算 as the issue describes it: 单位 wording and headers, no 表N prefix in the body."""
    unit = unit_throughout(text)
    bare = no_table_prefix(unit.data.decode())
    return Variant(bare.data, label=unit.label, kind="单位")


MUTATIONS: dict[str, Callable[[str], Variant]] = {
    "unit_header": unit_header,
    "budget_unit_header": budget_unit_header,
    "plain_unit_header": plain_unit_header,
    "no_table_prefix": no_table_prefix,
    "arabic_table_numbers": arabic_table_numbers,
    "title_two_lines": title_two_lines,
    "titles_only_in_toc": titles_only_in_toc,
    "renamed": renamed,
    "scaled": scaled,
    "in_yuan": in_yuan,
    "in_thousand_yuan": in_thousand_yuan,
    "bold_added": bold_added,
    "bold_removed": bold_removed,
    "rewrapped": rewrapped,
    "unit_throughout": unit_throughout,
    "unit_title": unit_title,
    "page_furniture": page_furniture,
    "gb18030": gb18030,
    "crlf_bom": crlf_bom,
    "table_removed": table_removed,
    "other_year": other_year,
    "repeated_header": repeated_header,
    "spaced_header": spaced_header,
    "no_titles_no_tags": no_titles_no_tags,
    "unit_budget": unit_budget,
}
