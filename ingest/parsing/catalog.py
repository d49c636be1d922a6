"""政府购买服务指导性目录 (purchase-of-services catalog) pages → versions, entries, adopted 文号.

In: the cleaned lines of one disclosure (`ingest.parsing.text_loader.load_text_file(path).lines`) and its file name.
Out: `CatalogParse` — the catalog editions printed in the document (keyed by 文号), one `CatalogEntry`
per printed code and department, the 文号 the document says it follows, and warnings.

Two layouts are read:
- tab rows `代码\\t一级目录\\t…`: department lines (a name in the code column), then codes with their name
  in the column of their level; the header repeats at page breaks;
- pages extracted column by column (space-separated exports): per page a run of department names and codes,
  then the names level by level, hard-wrapped. Names are rejoined and aligned with the codes of their
  level by counting (`align_fragments`); a page whose counts cannot be matched gives entries marked
  `uncertain` with empty names, never guessed ones.
A code whose prefix letter differs from its parent's is kept as printed and flagged.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.model import CatalogEntry, CatalogVersion, Line, Locator

SECTION = "十二、其他说明 > 政府购买服务指导性目录"
_HEADING = re.compile(r"^\s*[（(]\s*一\s*[)）]\s*政府购买服务指导性目录\s*$")
_NEXT_SUBSECTION = re.compile(r"^\s*[（(]\s*二\s*[)）]")
_PART_FOUR = re.compile(r"^\s*第四部分")
_CODE = re.compile(r"^[A-Z](?:\d{2}){0,3}$")
_BARE_CODE = re.compile(r"^(?:\d{2}){1,3}$")  # a tab-row code printed without its letter (160601)
_HEADER_CELLS = ("代码", "一级目录", "二级目录", "三级目录")
_SPACED_HEADER = re.compile(r"^\s*代码\s+一级目录\s+二级目录\s+三级目录(\s+四级目录)?\s*$")
# A 文号: issuer abbreviation, year in any bracket style, number. 晋财综【2021】 63号, 晋财综[2023]43号 …
_DOC_NUMBER = re.compile(
    r"((?:[\u4e00-\u9fff][市县区]?)财[\u4e00-\u9fff])\s*[〔【\[［(（]\s*(\d{4})\s*[〕】\]］)）]\s*(\d+)\s*号"
)
_FORWARD = re.compile(r"现将[^。]*?[（(]\s*([^（()）]*?号)\s*[)）][^。]*?转发")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff）)，、])\s+(?=[\u4e00-\u9fff（(])")  # wrap spaces inside names
_DOUBTFUL = 1.0  # see align_with_cost: such a page is marked uncertain
_COMPLETE_END = ("服务", "）", ")")
_CONTINUATION_START = ("务", "）", ")", "、", "，", "的")


@dataclass
class CatalogParse:
    """What one document's catalog section yields."""

    versions: list[CatalogVersion] = field(default_factory=list)
    entries: list[CatalogEntry] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)  # normalised 文号, e.g. 晋财综〔2024〕37号
    warnings: list[str] = field(default_factory=list)


def normalise_doc_number(text: str) -> str:
    """`晋财综【2023】 47号` / `晋财综[2023]47号` → `晋财综〔2023〕47号`; other text comes back stripped."""
    match = _DOC_NUMBER.search(text)
    if not match:
        return text.strip()
    return f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号"


def find_doc_numbers(text: str) -> list[str]:
    """Every 文号 in `text`, normalised, in order of appearance (repeats kept)."""
    return [f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号" for m in _DOC_NUMBER.finditer(text)]


def code_level(code: str) -> int:
    """A → 1, A15 → 2, A1502 → 3, A150201 → 4 (a code printed without its letter counts by its digits)."""
    digits = len(code) - (1 if code[:1].isalpha() else 0)
    return digits // 2 + 1


def parse_catalogs(lines: list[Line], file: str) -> CatalogParse:
    """Cleaned lines of one disclosure → its catalog versions, entries, adopted 文号 and warnings."""
    result = CatalogParse()
    start = next((i for i, line in enumerate(lines) if _HEADING.match(line.text)), None)
    if start is None:
        return result
    end = next((i for i in range(start + 1, len(lines)) if _PART_FOUR.match(lines[i].text)), len(lines))
    region = lines[start + 1 : end]
    tables = _find_tables(region)
    statement_end = _statement_end(region, tables)
    statement = "".join(line.text.strip() for line in region[:statement_end])

    previous_end = statement_end
    for table_start, table_end, spaced in tables:
        preamble = region[previous_end:table_start]
        version = _version_of(preamble, spaced)
        if version is None:
            result.warnings.append(
                f"{file} 第{region[table_start].number}行：目录表前未找到印发文号，已按“未知版本”收录；"
                "请核对附件的发文字号"
            )
            version = CatalogVersion(doc_number="未知版本", title=_title_of(preamble))
        if all(v.doc_number != version.doc_number for v in result.versions):
            result.versions.append(version)
        body = region[table_start:table_end]
        if spaced:
            entries = _parse_column_pages(body, preamble, version, file, result.warnings)
        else:
            entries = _parse_tab_rows(body, version, file, result.warnings)
        result.entries.extend(entries)
        previous_end = table_end

    result.adopted = _adopted(statement, region, result.versions, result.warnings, file)
    return result


# --------------------------------------------------------------------------------------------------
# Locating tables, versions and the adopted statement


def _is_tab_header(line: Line) -> bool:
    cells = [c.strip() for c in line.cells]
    return tuple(cells[:4]) == _HEADER_CELLS


def _find_tables(region: list[Line]) -> list[tuple[int, int, bool]]:
    """Index ranges [start, end) of each catalog table in the region, and whether it is column-by-column.

    A tab table runs from its first header row over tab rows, blank lines and repeated headers. A spaced
    (column-by-column) table starts after the catalog title that precedes its first page and ends at its
    last `代码 一级目录 …` line.
    """
    tables: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(region):
        line = region[i]
        if _is_tab_header(line):
            j = i + 1
            last = i
            while j < len(region):
                text = region[j].text.strip()
                if "\t" in region[j].text or not text:
                    last = j if text else last
                elif _is_department_line(region, j) or _CODE.match(text) or _BARE_CODE.match(text):
                    last = j
                else:
                    break
                j += 1
            tables.append((i, last + 1, False))
            i = last + 1
            continue
        if _SPACED_HEADER.match(line.text):
            # find the first code of this run of pages, then back up to its title line
            first_code = _first_code_before(region, i)
            begin = first_code
            while begin > 0 and "目录" not in region[begin - 1].text:
                begin -= 1
            last = i
            j = i + 1
            while j < len(region):
                if _SPACED_HEADER.match(region[j].text):
                    last = j
                elif "\t" in region[j].text:
                    break
                j += 1
                if j - last > 400:  # no header for a whole page: the table is over
                    break
            tables.append((begin, last + 1, True))
            i = last + 1
            continue
        i += 1
    return tables


def _next_nonblank(region: list[Line], index: int) -> Line | None:
    return next((ln for ln in region[index + 1 :] if ln.text.strip() and not _is_tab_header(ln)), None)


def _is_department_line(region: list[Line], index: int) -> bool:
    """A short line without tabs inside a tab table, followed by a level-1 code row: a department name.

    (The loader strips the trailing tabs of `人民法院\t\t\t\t`.)
    """
    text = region[index].text.strip()
    if not text or "\t" in region[index].text or len(text) > 40 or "。" in text:
        return False
    following = _next_nonblank(region, index)
    if following is None:
        return False
    first = following.cells[0].strip()
    return bool(_CODE.match(first)) and len(first) == 1


def _first_code_before(region: list[Line], header: int) -> int:
    """Index of the first line of the code run of the page that ends at `header`."""
    i = header
    first = header
    while i > 0:
        i -= 1
        text = region[i].text.strip()
        if "目录" in text and not _SPACED_HEADER.match(region[i].text):
            break
        if _CODE.match(text):
            first = i
    # include the department name line(s) right before the first code
    j = first
    while j > 0 and not _CODE.match(region[j - 1].text.strip()) and "目录" not in region[j - 1].text:
        j -= 1
    return j


def _statement_end(region: list[Line], tables: list[tuple[int, int, bool]]) -> int:
    """End of the document's own words under （一）: the （二） heading, or the first attachment."""
    limit = tables[0][0] if tables else len(region)
    for i, line in enumerate(region[:limit]):
        if _NEXT_SUBSECTION.match(line.text):
            return i
    return min(limit, 3)


def _title_of(preamble: list[Line]) -> str:
    titles = [ln.text.strip() for ln in preamble if "目录" in ln.text and len(ln.text.strip()) <= 60]
    return titles[-1] if titles else ""


def _version_of(preamble: list[Line], spaced: bool) -> CatalogVersion | None:
    """The edition a table belongs to: the root of the forwarding chain printed before it.

    Letters that forward a notice say `现将《…》（X号）…转发`; a notice's own number stands on a line of
    its own. The edition is the last number that is both forwarded and printed on its own line (county →
    city → province), else the last forwarded one, else the last number on its own line.
    """
    text = ""
    offsets: list[int] = []
    for line in preamble:
        offsets.append(len(text))
        text += line.text.strip()
    standalone: list[tuple[int, str]] = []
    for line, offset in zip(preamble, offsets, strict=True):
        stripped = line.text.strip()
        match = _DOC_NUMBER.fullmatch(stripped)
        if match:
            standalone.append((offset, normalise_doc_number(stripped)))
    forwarded = [(m.start(), normalise_doc_number(m.group(1))) for m in _FORWARD.finditer(text)]
    forwarded_numbers = {n for _, n in forwarded}
    both = [(o, n) for o, n in standalone if n in forwarded_numbers]
    chosen = both or forwarded or standalone
    if not chosen:
        return None
    number = max(chosen)[1]
    title = _title_of(preamble)
    kind = "B" if "B类" in title else "A"
    return CatalogVersion(doc_number=number, title=title, kind=kind)


def _adopted(
    statement: str, region: list[Line], versions: list[CatalogVersion], warnings: list[str], file: str
) -> list[str]:
    """文号 the document says it follows; a forwarding letter is followed to the edition it forwards.

    When the statement names none, the editions printed as attachments are taken, with a warning.
    """
    forwards: dict[str, str] = {}
    current: str | None = None
    for line in region:
        stripped = line.text.strip()
        if _DOC_NUMBER.fullmatch(stripped):
            current = normalise_doc_number(stripped)
        elif current:
            match = _FORWARD.search(stripped)
            if match:
                forwards.setdefault(current, normalise_doc_number(match.group(1)))
    known = {v.doc_number for v in versions}
    adopted: list[str] = []
    for number in find_doc_numbers(statement):
        seen: set[str] = set()
        while number not in known and number in forwards and number not in seen:
            seen.add(number)
            number = forwards[number]
        if number not in adopted:
            adopted.append(number)
    if not adopted and versions:
        adopted = [v.doc_number for v in versions if v.doc_number != "未知版本"]
        warnings.append(f"{file}：其他说明未写明所依据的目录文号，按所附目录推定为 {'、'.join(adopted)}")
    return adopted


# --------------------------------------------------------------------------------------------------
# Building entries


class _EntryBuilder:
    """Walks codes in print order, keeps each department's ancestors, and makes entries."""

    def __init__(self, version: CatalogVersion, file: str) -> None:
        self.version = version
        self.file = file
        self.depth = 3 if version.kind == "B" else 4
        self.department = ""
        self.ancestors: dict[int, tuple[str, str]] = {}  # level → (code, name)
        self.entries: list[CatalogEntry] = []
        self.seen: dict[tuple[str, str], CatalogEntry] = {}
        self.last_code = ""
        self.lost = False  # pages missing: the department of the following codes is unknown

    def set_department(self, name: str) -> None:
        self.department = name.strip()
        self.ancestors = {}
        self.last_code = ""
        self.lost = False

    def _order_broken(self, code: str) -> bool:
        """Codes run in ascending order within a department; going back means pages were lost
        and the following codes belong to a department whose name was on the missing page."""
        if self.lost or not self.last_code or not code[:1].isalpha() or not self.last_code[:1].isalpha():
            return False
        if len(code) == 1:
            return True
        # only a level-2 code going back counts: a single odd code lower down is a typo, flagged elsewhere
        return len(code) == 3 and code[1:3] < self.last_code[1:3]

    def add(self, code: str, name: str, line_start: int, line_end: int, uncertain: bool = False) -> None:
        level = code_level(code)
        flags: list[str] = []
        if self._order_broken(code):
            self.lost = True
            self.ancestors = {}
        if level <= 2:
            self.last_code = code
        if self.lost:
            uncertain = True
            flags.append(f"代码顺序倒退，疑似缺页：部门名称不详（上一个部门为{self.department}）")
        self.ancestors = {lv: v for lv, v in self.ancestors.items() if lv < level}
        parent = self.ancestors.get(level - 1) if level > 1 else None
        if level > 1 and parent is None:
            flags.append(f"缺少上级代码：{code} 之前未印出第{level - 1}级代码")
        if not code[0].isalpha():
            flags.append(f"代码缺少字母前缀：印作{code}（按原文保留）")
        elif parent is not None and parent[0][0] != code[0]:
            flags.append(f"前缀与上级不符：印作{code}，上级为{parent[0]}（按原文保留）")
        elif parent is not None and not code[1:].startswith(parent[0][1:]):
            flags.append(f"代码与上级不符：{code} 不以上级 {parent[0]} 的数字开头（按原文保留）")
        name = _CJK_GAP.sub("", name.strip())
        self.ancestors[level] = (code, name)
        levels = [self.ancestors.get(lv, ("", ""))[1] for lv in range(1, self.depth + 1)]
        if uncertain and not self.lost:
            levels = [""] * self.depth  # names that could not be aligned are left empty, never guessed
        locator = Locator(file=self.file, line_start=line_start, line_end=line_end, section=SECTION)
        entry = CatalogEntry(
            version=self.version.doc_number,
            department="" if self.lost else self.department,
            code=code,
            levels=tuple(levels),
            locator=locator,
            uncertain=uncertain,
            flags=flags,
        )
        key = (entry.department, code)
        if key in self.seen:
            earlier = self.seen[key]
            if earlier.levels == entry.levels:
                return
            entry.flags.append(f"同一部门重复印出代码 {code}（另见第{earlier.locator.line_start}行）")
        self.seen[key] = entry
        self.entries.append(entry)


def _parse_tab_rows(
    body: list[Line], version: CatalogVersion, file: str, warnings: list[str]
) -> list[CatalogEntry]:
    """Tab rows → entries. A name that wraps onto a line without tabs is joined to its row."""
    builder = _EntryBuilder(version, file)
    for line in body:
        if not line.text.strip() or _is_tab_header(line):
            continue
        cells = [c.strip() for c in line.cells]
        first = cells[0]
        named = [(i, c) for i, c in enumerate(cells[1:], start=1) if c]
        if _CODE.match(first) or (_BARE_CODE.match(first) and named):
            if not named:
                builder.add(first, "", line.number, line.number)
                builder.entries[-1].flags.append("原文此代码未印名称")
                continue
            column, name = named[-1]
            level = code_level(first)
            if column != level:
                warnings.append(
                    f"{file} 第{line.number}行：代码 {first} 的名称印在第{column}级目录列，"
                    f"按代码长度作第{level}级"
                )
            builder.add(first, name, line.number, line.number)
        elif first and not named:
            builder.set_department(first)
        elif not first and named and builder.entries:
            # a wrapped name continued on the next row: join it to the previous entry
            last = builder.entries[-1]
            levels = list(last.levels)
            position = max(i for i, n in enumerate(levels) if n) if any(levels) else 0
            levels[position] += named[-1][1]
            last.levels = tuple(levels)
            builder.ancestors[code_level(last.code)] = (last.code, levels[position])
        else:
            warnings.append(f"{file} 第{line.number}行：无法识别的目录行“{line.text.strip()[:30]}”，已跳过")
    return builder.entries


def _parse_column_pages(
    body: list[Line], preamble: list[Line], version: CatalogVersion, file: str, warnings: list[str]
) -> list[CatalogEntry]:
    """Pages printed column by column → entries, aligning codes and names level by level.

    A page whose alignment gives an upper-level code (A15, A1502…) a name that the rest of the catalog
    never gives it, while at least three other pages agree on another, is taken as misaligned: its
    entries are marked uncertain with empty names.
    """
    builder = _EntryBuilder(version, file)
    pages: list[list[Line]] = [[]]
    for line in body:
        if _SPACED_HEADER.match(line.text):
            pages.append([])
        elif line.text.strip():
            pages[-1].append(line)
    pages = [p for p in pages if p]
    if pages and "目录" in pages[0][0].text:  # the first page starts with the catalog title
        pages[0] = pages[0][1:]
    aligned = [_align_page(page, builder.depth) for page in pages]
    usage: dict[str, Counter[str]] = {}
    for names in aligned:
        for key, (name, _) in (names or {}).items():
            code = key.split(":", 1)[1]
            if code_level(code) < builder.depth:
                usage.setdefault(code, Counter())[name] += 1
    for page, names in zip(pages, aligned, strict=True):
        if names is not None and not _consistent(names, usage, builder.depth):
            warnings.append(
                f"{file} 第{page[0].number}–{page[-1].number}行：逐列提取的目录页对齐结果与其他页的"
                "上级目录名称不符，该页条目标为“不确定”，名称留空"
            )
            names = None
        elif names is None:
            warnings.append(
                f"{file} 第{page[0].number}–{page[-1].number}行：逐列提取的目录页无法把名称与代码对齐，"
                "该页条目标为“不确定”，名称留空"
            )
        _emit_column_page(page, names, builder, warnings)
    return builder.entries


def _align_page(page: list[Line], depth: int) -> dict[str, tuple[str, int]] | None:
    """One column-by-column page → {"index:code": (name, line of its last fragment)}; None if unalignable."""
    last_code = max((i for i, ln in enumerate(page) if _CODE.match(ln.text.strip())), default=-1)
    if last_code < 0:
        return None
    codes = [
        (i, ln.text.strip()) for i, ln in enumerate(page[: last_code + 1]) if _CODE.match(ln.text.strip())
    ]
    fragments = page[last_code + 1 :]
    wanted = Counter(code_level(code) for _, code in codes)
    aligned = align_with_cost([f.text.strip() for f in fragments], len(codes))
    if aligned is None or aligned[1] >= _DOUBTFUL:
        return None
    names = aligned[0]
    by_level: dict[int, list[tuple[str, int]]] = {}
    position = 0
    for level in range(1, depth + 1):
        count = wanted.get(level, 0)
        by_level[level] = [
            (name, fragments[last].number) for name, last in names[position : position + count]
        ]
        position += count
    result: dict[str, tuple[str, int]] = {}
    taken: Counter[int] = Counter()
    for index, code in codes:
        level = code_level(code)
        result[f"{index}:{code}"] = by_level[level][taken[level]]
        taken[level] += 1
    return result


def _consistent(names: dict[str, tuple[str, int]], usage: dict[str, Counter[str]], depth: int) -> bool:
    for key, (name, _) in names.items():
        code = key.split(":", 1)[1]
        if code_level(code) >= depth:
            continue
        seen = usage.get(code, Counter())
        common, common_count = seen.most_common(1)[0] if seen else ("", 0)
        if name != common and seen[name] <= 1 and common_count >= 3:
            return False
    return True


def _emit_column_page(
    page: list[Line], names: dict[str, tuple[str, int]] | None, builder: _EntryBuilder, warnings: list[str]
) -> None:
    pending_department: list[str] = []
    last_code = max((i for i, ln in enumerate(page) if _CODE.match(ln.text.strip())), default=-1)
    for index, line in enumerate(page[: last_code + 1]):
        text = line.text.strip()
        if not _CODE.match(text):
            pending_department.append(text)
            continue
        level = code_level(text)
        if pending_department and level == 1:
            builder.set_department("".join(pending_department))
        elif pending_department:
            warnings.append(
                f"{builder.file} 第{line.number}行前：“{''.join(pending_department)[:30]}”后面不是一级代码，"
                "不是部门名称（页眉等），已忽略"
            )
        pending_department = []
        if names is None:
            builder.add(text, "", line.number, line.number, uncertain=True)
            continue
        name, name_line = names[f"{index}:{text}"]
        builder.add(text, name, line.number, max(line.number, name_line))


def align_fragments(fragments: list[str], count: int) -> list[tuple[str, int]] | None:
    """Split hard-wrapped name fragments into exactly `count` names (see `align_with_cost`)."""
    aligned = align_with_cost(fragments, count)
    return aligned[0] if aligned else None


def align_with_cost(fragments: list[str], count: int) -> tuple[list[tuple[str, int]], float] | None:
    """`_align_with_cost`, each distinct page aligned once per process: every disclosure of a province
    prints the same catalog pages, and aligning one is most of a document's parse."""
    aligned = _align_with_cost(tuple(fragments), count)
    return (list(aligned[0]), aligned[1]) if aligned else None


@lru_cache(maxsize=4096)
def _align_with_cost(
    fragments: tuple[str, ...], count: int
) -> tuple[tuple[tuple[str, int], ...], float] | None:
    """Split hard-wrapped name fragments into exactly `count` names; None when that is impossible.

    Out: (name, index of the fragment it ends in) per name, in order, and a doubt (1.0 when the split
    keeps a possible second name inside a line and breaks after a full-width line ending in 服务).
    A fragment holding two names
    printed on one line (`…评估服务对外合作与交流服务`) may be cut after an inner `服务`.
    Dynamic programming over join choices: joining after a piece that already ends like a complete name
    (…服务) costs, starting a name with a piece that can only continue one (务, ）…) costs more, a name
    that does not end like a name costs a little, cutting a printed line costs. The cheapest split wins.
    """
    pieces: list[tuple[str, int, bool]] = []  # (text, fragment index, continues the same printed line)
    for index, fragment in enumerate(fragments):
        for k, piece in enumerate(_split_inner_names(fragment)):
            pieces.append((piece, index, k > 0))
    n = len(pieces)
    if count == 0:
        return ((), 0.0) if n == 0 else None
    if n < count:
        return None
    inf = float("inf")
    best = [[inf] * (count + 1) for _ in range(n + 1)]  # best[i][k]: pieces[:i] as k names
    back = [[-1] * (count + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(1, n + 1):
        for k in range(max(1, count - (n - i)), min(i, count) + 1):
            for j in range(max(k - 1, i - 6), i):  # a name is pieces[j:i], at most 6 pieces
                if best[j][k - 1] == inf:
                    continue
                cost = best[j][k - 1] + _name_cost(pieces[j:i])
                if cost < best[i][k]:
                    best[i][k] = cost
                    back[i][k] = j
    if best[n][count] == inf:
        return None
    names: list[tuple[str, int]] = []
    kept_inner = broke_after_full = False
    i, k = n, count
    while k > 0:
        j = back[i][k]
        names.append(("".join(p[0] for p in pieces[j:i]), pieces[i - 1][1]))
        for before, after in itertools.pairwise(pieces[j:i]):
            kept_inner = kept_inner or (after[2] and len(before[0]) >= 6 and len(after[0]) >= 6)
        end = pieces[i - 1][0]
        full_line = end.endswith("服务") and _display_width(end) >= 18
        broke_after_full = broke_after_full or (i < n and not pieces[i][2] and full_line)
        i, k = j, k - 1
    names.reverse()
    # A line holding what may be two names was kept whole while a full-width line ending in 服务 (which
    # may be wrapped) was not joined: the counts were met by trading one doubt for another.
    return tuple(names), (1.0 if kept_inner and broke_after_full else 0.0)


def _split_inner_names(fragment: str) -> list[str]:
    """`技术评审鉴定评估服务对外合作与交流服务` → the two names; text without an inner 服务 is kept whole."""
    parts = re.split(r"(?<=服务)(?=[^）)、，的，\s]{2,})", fragment)
    return [p for p in parts if p]


def _display_width(text: str) -> int:
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def _name_cost(pieces: list[tuple[str, int, bool]]) -> float:
    text = "".join(p[0] for p in pieces)
    cost = 0.0 if text.endswith(_COMPLETE_END) else 1.0
    if pieces[0][2]:
        cost += 1.0  # the name starts inside a printed line
    if pieces[0][0].startswith(_CONTINUATION_START):
        cost += 3.0
    so_far = pieces[0][0]
    for previous, piece in itertools.pairwise(pieces):
        if not piece[2]:  # joined across printed lines (within a line a join is free)
            if so_far.endswith("服务"):
                cost += 2.0
            if _display_width(previous[0]) >= 18:
                cost -= 0.5  # a full-width line: likely hard-wrapped
            if piece[0].startswith(_CONTINUATION_START):
                cost -= 0.5
        so_far += piece[0]
    return cost


def _same_department(name: str, earlier: list[str]) -> str:
    """The name an earlier printing of the same edition used for this department, else `name`.

    Printings differ in small ways (发展和改革 / 发展和改革委员会, 政协 / 政治协商): one name inside the
    other, or nine in ten characters shared.
    """
    if name in earlier or not name:
        return name
    for other in earlier:
        if not other or other.startswith("\0"):
            continue
        a, b = set(name), set(other)
        if name in other or other in name or len(a & b) / len(a | b) >= 0.85:
            return other
    return name


def merge_catalogs(parses: list[CatalogParse]) -> tuple[list[CatalogVersion], list[CatalogEntry]]:
    """Several documents' catalogs → one list of versions (by 文号) and entries.

    The same edition printed in several documents is one version. Printings lose pages, so each
    department is taken from the printing that holds most of its entries (ties: fewer uncertain, then
    the first document). Entries whose department was lost with a page are kept only when the edition
    has no other printing.
    """
    versions: dict[str, CatalogVersion] = {}
    copies: dict[tuple[str, str], list[list[CatalogEntry]]] = {}
    printings: dict[str, int] = {}
    known: dict[str, list[str]] = {}  # version → department names seen in earlier printings
    for parse in parses:
        for version in parse.versions:
            versions.setdefault(version.doc_number, version)
        groups: dict[tuple[str, str], list[CatalogEntry]] = {}
        for entry in parse.entries:
            lost = entry.department == "" and not entry.code.startswith("B")
            name = "\0lost" if lost else _same_department(entry.department, known.get(entry.version, []))
            groups.setdefault((entry.version, name), []).append(entry)
        for version_number, name in groups:
            if name not in known.setdefault(version_number, []):
                known[version_number].append(name)
        for key, group in groups.items():
            copies.setdefault(key, []).append(group)
        for number in {e.version for e in parse.entries}:
            printings[number] = printings.get(number, 0) + 1
    merged: list[CatalogEntry] = []
    for (number, department), groups_of_key in copies.items():
        if department == "\0lost" and printings[number] > 1:
            continue
        best = min(groups_of_key, key=lambda g: (-len(g), sum(e.uncertain for e in g)))
        merged.extend(best)
    return list(versions.values()), merged
