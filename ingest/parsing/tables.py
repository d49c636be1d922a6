"""Table blocks → `BudgetTable`s with every number in its column.

Two inputs: tab-separated rows (text exports that kept their cells, and PDFs read with ruling
lines), where a number's position is its column; and space-separated rows whose blank cells were
collapsed, where `placement.place_numbers` uses the template and the table's own arithmetic.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.figures import parse_cell
from ingest.model import BudgetTable, Line, Locator, TableRow
from ingest.parsing.layout import TABLE_KEYS, TableBlock, holder_name, title_number
from ingest.parsing.placement import place_rows
from ingest.parsing.table_schema import TEMPLATE, UNIT_DEFAULT, Side, is_code
from ingest.parsing.templates import SHANXI, TableSpec

_UNIT = re.compile(r"单位[:：]\s*(万元|千元|元)")
_EMPTY = re.compile(r"本表无数据")
# Page furniture inside a table: the page tag, and a part heading printed mid-table (第二部分 …报表).
_SKIP = re.compile(r"^\s*(预算公开表|部门公开表|单位公开表)\s*\d+\s*$|^\s*第[一二三四]部分")
_FIGURE = re.compile(r"\d\.\d+")
_INTEGER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
# Tables printed in 元 or 千元 are converted to the template's 万元, so every table compares alike.
_TO_WAN = {"万元": Decimal(1), "千元": Decimal("0.1"), "元": Decimal("0.0001")}
_HEADER_WORD = re.compile(
    r"^(项目|收入|支出|金额|小计|合计|科目编码|科目名称|收入科目编码|单位名称|项目名称|本年收入|上年结转(安排)?"
    r"|当年预算安排|一般公共预算|政府性基\s*金(预算)?|政府性基金收入预算|国有资本经?\s*营?(预\s*算|收入预算)?"
    r"|国有资本经营预算(收入|支出)|财政专户管理\s*资金|单位资金|基本支出|项目支出|人员经费|公用经费"
    r"|.*经济科目名称|(19|20)\d{2}年?.*|\d{4}预算数"
    # the same tables as other provinces print them (功能分类科目编码, 类/款/项, 财政拨款收入 …)
    r"|.*分类科目(编码|名称)|类|款|项|预算数|收入预算|支出预算|本年支出|财政拨款(收入|支出)"
    r"|事业收入|事业单位经营收入|其他收入|一般公共预算(基本)?支出)$"
)
_COLUMN_NUMBERS = re.compile(r"^\s*1(\s+|\t)2((\s+|\t)\d+)*\s*$")


@dataclass
class ParsedTable:
    table: BudgetTable
    department: str | None = None
    warnings: list[str] = field(default_factory=list)
    # Tables printed inside this one (the national 三公 table also holds 机关运行经费, the role of 表十一).
    also: list[BudgetTable] = field(default_factory=list)


def parse_table(
    block: TableBlock, file: str, spec: TableSpec | None = None, template: str = SHANXI
) -> ParsedTable:
    """One table block → BudgetTable in 万元, read by the template table `spec` when given (its column
    arithmetic; a one-row table's printed columns become rows).

    Status: "empty" when marked 本表无数据 or no line holds a figure; "unparsed" when lines hold
    figures but no row could be read (a warning, never reported as 无数据); else "parsed".
    """
    key = TABLE_KEYS[block.number - 1]
    unit = UNIT_DEFAULT
    department = None
    body: list[Line] = []
    marked_empty = False
    for line in block.lines:
        text = line.text
        if match := _UNIT.search(text):
            unit = match.group(1)
        name = holder_name(text)
        if name:
            department = department or name
        if _EMPTY.search(text):
            marked_empty = True
            continue
        if name or _UNIT.search(text) or _SKIP.match(text) or not text.strip():
            continue
        if title_number(text) == block.number:
            continue  # the title printed again under the 表N line, or at the top of the next page
        if _COLUMN_NUMBERS.match(text):
            continue
        body.append(line)
    first = block.lines[0].number if block.lines else 0
    last = block.lines[-1].number if block.lines else first
    locator = Locator(file=file, line_start=first, line_end=last, page=_page(block.lines), table=key)
    tabbed = any("\t" in line.text for line in body)
    also: list[BudgetTable] = []
    if spec is not None and spec.one_row:
        columns, rows, also, warnings = _parse_one_row(body, spec, block, locator, template)
    elif tabbed:
        sides = spec.sides if spec is not None else TEMPLATE.get(block.number, ())
        columns, rows, warnings = _parse_tabbed(body, sides, key, file)
    else:
        columns, rows, warnings = place_rows(body, block.number, block.year, key, file)
    rows = [row for row in rows if any(v is not None for v in row.cells.values()) or row.label]
    has_numbers = any(v is not None for row in rows for v in row.cells.values())
    numeric = {line.number for line in body if _holds_figure(line.text)}
    placed = {
        n
        for row in rows
        if any(v is not None for v in row.cells.values())
        for n in range(row.locator.line_start, row.locator.line_end + 1)
    } & numeric
    status = "parsed" if has_numbers else "empty" if marked_empty or not numeric else "unparsed"
    if status == "unparsed":
        warnings.append(
            f"{key}（{block.title}，第{first}–{last}行）有 {len(numeric)} 行数字，但未能解析出任何数据行："
            "表头或列与省级模板不符，请检查该表"
        )
    if unit != UNIT_DEFAULT:
        _convert(rows, _TO_WAN[unit])
        for other in also:
            _convert(other.rows, _TO_WAN[unit])
            other.printed_unit = unit
    table = BudgetTable(
        key=key,
        number=block.number,
        title=block.title,
        unit=UNIT_DEFAULT,
        columns=columns,
        rows=rows if has_numbers else [],
        locator=locator,
        empty=status == "empty",
        status=status,
        printed_unit=unit if unit != UNIT_DEFAULT else "",
        numeric_lines=len(numeric),
        placed_lines=len(placed),
        template=template,
    )
    _link_hierarchy(table)
    return ParsedTable(table=table, department=department, warnings=warnings, also=also)


def _parse_one_row(
    body: list[Line], spec: TableSpec, block: TableBlock, locator: Locator, template: str
) -> tuple[list[str], list[TableRow], list[BudgetTable], list[str]]:
    """A table printed as one row of figures under a header that names each column (三公 合计 | 因公出国
    | 公务接待费 | 公务用车 小计 | 购置费 | 运行费 | 机关运行经费) → one row per printed column, in the
    table its template gives it; a blank cell stays blank (None)."""
    column = f"{block.year}年预算数/合计"
    data = [line for line in body if any(parse_cell(c) is not None for c in line.text.split("\t"))]
    if not data:
        return [column], [], [], []
    line = data[0]
    cells = [c.strip() for c in line.text.split("\t")] + [""] * len(spec.one_row)
    by_key: dict[str, list[TableRow]] = {}
    for (label, key), text in zip(spec.one_row, cells, strict=False):
        rows = by_key.setdefault(key, [])
        where = Locator(locator.file, line.number, line.number, line.page, key, label)
        rows.append(TableRow(len(rows), label, {column: parse_cell(text)}, where, raw=line.text, placed=True))
    warnings = []
    if len(data) > 1 or len([c for c in line.text.split("\t")]) != len(spec.one_row):
        warnings.append(
            f"{spec.key}（{block.title}，第{line.number}行）的列数与模板的{len(spec.one_row)}列不同，请核对原表"
        )
    main = by_key.pop(spec.key, [])
    also = [
        BudgetTable(
            key=key,
            number=TABLE_KEYS.index(key) + 1,
            title=block.title,
            unit=UNIT_DEFAULT,
            columns=["项目", column],
            rows=rows,
            locator=Locator(locator.file, locator.line_start, locator.line_end, locator.page, key),
            numeric_lines=1,
            placed_lines=1,
            template=template,
            printed_in=spec.key,
        )
        for key, rows in by_key.items()
    ]
    for table in also:
        _link_hierarchy(table)
    return ["项目", column], main, also, warnings


def _holds_figure(text: str) -> bool:
    """A figure with decimals, or an integer that is not the row's leading 科目编码 (元 printed
    without decimals): counted so that a table whose figures were not read is never called empty."""
    if _FIGURE.search(text):
        return True
    tokens = text.split()
    return any(_INTEGER.fullmatch(t) and not (k == 0 and is_code(t)) for k, t in enumerate(tokens))


def _convert(rows: list[TableRow], factor: Decimal) -> None:
    """元/千元 → 万元, exact: trailing zeros beyond two decimals dropped (12345600.00元 → 1234.56)."""
    for row in rows:
        for column, value in row.cells.items():
            if value is None:
                continue
            wan = value * factor
            cents = wan.quantize(Decimal("0.01"))
            row.cells[column] = cents if cents == wan else wan.normalize()


def _page(lines: list[Line]) -> int | None:
    return next((line.page for line in lines if line.page is not None), None)


def _is_header(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(_HEADER_WORD.match(c) for c in filled)


def _join_split_codes(body: list[Line]) -> list[Line]:
    """科目编码 printed in three columns 类 | 款 | 项 (`204	06	01`) → one code cell (`2040601`)."""
    for line in body:
        cells = [c.strip() for c in line.text.split("\t")]
        for k in range(len(cells) - 1):
            width = (
                3 if cells[k : k + 3] == ["类", "款", "项"] else 2 if cells[k : k + 2] == ["类", "款"] else 0
            )
            if width:
                return [_joined(row, k, width) for row in body]
    return body


def _joined(line: Line, k: int, width: int) -> Line:
    """The `width` code cells from column k merged into one (the 类/款/项 header row into a blank)."""
    cells = line.text.split("\t")
    if len(cells) < k + width:
        return line
    parts = [c.strip() for c in cells[k : k + width]]
    if parts[0] == "类":
        code = ""
    elif parts[0].isdigit() and all(p.isdigit() or not p for p in parts):
        code = "".join(parts)
    else:
        code = cells[k]
    return Line(line.number, "\t".join([*cells[:k], code, *cells[k + width :]]), line.page)


def _is_repeated_header(cells: list[str], header_rows: list[list[str]]) -> bool:
    stripped = [c.strip() for c in cells]
    return any(stripped == [c.strip() for c in row] for row in header_rows) and not any(
        parse_cell(c) is not None for c in stripped
    )


def _flatten_header(header_rows: list[list[str]], width: int) -> list[str]:
    """Multi-level header → one path per column (`本年收入/一般公共预算`): upper rows span rightwards."""
    filled: list[list[str]] = []
    for depth, row in enumerate(header_rows):
        cells = [c.strip() for c in row] + [""] * (width - len(row))
        if depth < len(header_rows) - 1:
            carry = ""
            for i, cell in enumerate(cells):
                if cell:
                    carry = cell
                elif carry and not _starts_group(header_rows, depth, i):
                    cells[i] = carry
        filled.append(cells)
    names: list[str] = []
    for i in range(width):
        parts: list[str] = []
        for row in filled:
            part = row[i].replace(" ", "")
            if part and part not in parts:
                parts.append(part)
        names.append("/".join(parts) or f"列{i + 1}")
    return names


def _starts_group(header_rows: list[list[str]], depth: int, column: int) -> bool:
    """A blank upper cell above a lower cell that names a new label column (项目, 科目编码) stops a span."""
    below = [row[column].strip() if column < len(row) else "" for row in header_rows[depth + 1 :]]
    return any(cell in ("项目", "科目编码", "收入科目编码", "项目名称", "单位名称") for cell in below)


def _parse_tabbed(
    body: list[Line], template: tuple[Side, ...], key: str, file: str
) -> tuple[list[str], list[TableRow], list[str]]:
    header_rows: list[list[str]] = []
    data: list[Line] = []
    body = _join_split_codes(body)
    for line in body:
        cells = line.text.split("\t")
        if not data and _is_header(cells):
            header_rows.append(cells)
        elif data and _is_repeated_header(cells, header_rows):
            continue  # the header printed again at the top of the next page
        else:
            data.append(line)
    width = max([len(r) for r in header_rows] + [len(line.text.split("\t")) for line in data] + [1])
    columns = _flatten_header(header_rows, width)
    label_cols = _label_columns(data, width)
    sides = _split_sides(label_cols, width, columns)
    rules = [_side_rule(template, k, len(sides), numbers) for k, (_, _, numbers) in enumerate(sides)]
    rows: list[TableRow] = []
    for line in data:
        cells = [c.strip() for c in line.text.split("\t")] + [""] * width
        for (side_name, labels, numbers), rule in zip(sides, rules, strict=True):
            code, label = _row_label([cells[i] for i in labels])
            values = {columns[i]: parse_cell(cells[i]) for i in numbers}
            placed = _replace_if_rule_fails(values, rule)
            if not label and not code and all(v is None for v in values.values()):
                continue
            locator = Locator(
                file=file,
                line_start=line.number,
                line_end=line.number,
                page=line.page,
                table=key,
                row=code or label,
            )
            rows.append(
                TableRow(
                    index=len(rows),
                    label=label,
                    cells=values,
                    locator=locator,
                    raw=line.text,
                    code=code,
                    side=side_name or None,
                    placed=placed is not None,
                )
            )
    return [c for c in columns], rows, []


def _side_rule(template: tuple[Side, ...], k: int, count: int, numbers: list[int]) -> tuple[int, ...]:
    """The column arithmetic of printed side k: the template's side k, or — when the template gives
    alternatives (部门 vs 单位 layouts of one table) — the alternative with as many number columns."""
    if count == len(template):
        side = template[k]
        return side.total_of if len(side.numbers) == len(numbers) else ()
    fitting = [s for s in template[min(k, len(template) - 1) :] if len(s.numbers) == len(numbers)]
    return fitting[0].total_of if fitting else ()


def _replace_if_rule_fails(values: dict[str, Decimal | None], rule: tuple[int, ...]) -> dict | None:
    """A tab row that lost a blank cell has its numbers shifted left: if the row's total rule fails,
    put the numbers (in printed order) where the rule holds, nearest to where they were printed."""
    if not rule:
        return None
    names = list(values)
    printed = [(i, v) for i, v in enumerate(values.values()) if v is not None]
    if not printed or _rule_holds([values[n] for n in names], rule):
        return None
    best: tuple[int, tuple[int, ...]] | None = None
    for combo in itertools.combinations(range(len(names)), len(printed)):
        trial: list[Decimal | None] = [None] * len(names)
        for index, (_, value) in zip(combo, printed, strict=True):
            trial[index] = value
        if _rule_holds(trial, rule):
            shift = sum(abs(c - p) for c, (p, _) in zip(combo, printed, strict=True))
            if best is None or shift < best[0]:
                best = (shift, combo)
    if best is None:
        return None  # the document's own arithmetic fails: kept as printed, reported as a finding
    for name in names:
        values[name] = None
    for index, (_, value) in zip(best[1], printed, strict=True):
        values[names[index]] = value
    return values


def _rule_holds(cells: list[Decimal | None], rule: tuple[int, ...]) -> bool:
    zero = Decimal(0)
    return (cells[0] or zero) == sum(((cells[i] or zero) for i in rule if i < len(cells)), zero)


def _label_columns(data: list[Line], width: int) -> list[int]:
    """Columns holding text (labels, 科目编码) rather than amounts."""
    label: list[int] = []
    for i in range(width):
        for line in data:
            cells = line.text.split("\t")
            value = cells[i].strip() if i < len(cells) else ""
            if value and (parse_cell(value) is None or is_code(value)):
                label.append(i)
                break
    return label or [0]


def _split_sides(
    label_cols: list[int], width: int, columns: list[str]
) -> list[tuple[str, list[int], list[int]]]:
    """Two-sided tables (收入 | 支出) restart their label columns after numbers: split there."""
    groups: list[list[int]] = []
    for i in label_cols:
        if groups and i == groups[-1][-1] + 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    sides: list[tuple[str, list[int], list[int]]] = []
    for k, group in enumerate(groups):
        stop = groups[k + 1][0] if k + 1 < len(groups) else width
        numbers = list(range(group[-1] + 1, stop))
        name = columns[group[0]].split("/")[0] if len(groups) > 1 else ""
        sides.append((name, group, numbers))
    return sides


def _row_label(cells: list[str]) -> tuple[str | None, str]:
    """(科目编码, label) from a side's label cells; a second text column qualifies the first (表六)."""
    texts = [c for c in cells if c]
    code = next((c for c in texts if is_code(c)), None)
    names = [c for c in texts if c != code]
    if not names:
        return code, code or ""
    label = names[0] if len(names) == 1 else f"{names[0]}（{names[1]}）"
    return code, label.replace(" ", "")


def _link_hierarchy(table: BudgetTable) -> None:
    """Set parent codes and label paths from 科目编码 (201 > 20113 > 2011301)."""
    by_code: dict[tuple[str | None, str], TableRow] = {}
    for row in table.rows:
        if row.code:
            by_code[(row.side, row.code)] = row
    for row in table.rows:
        if not row.code:
            row.path = (row.label,)
            continue
        chain: list[str] = []
        for n in (3, 5):
            parent = by_code.get((row.side, row.code[:n]))
            if parent is not None and len(row.code) > n:
                chain.append(parent.label)
                row.parent_code = parent.code
        row.path = (*chain, row.label)
