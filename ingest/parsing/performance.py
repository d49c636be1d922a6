"""项目支出绩效目标表 (project performance targets, amounts in 元) → tables and indicator paragraphs.

Each form names its project, its funds (实施期 and 年度: 总额, 中央/省级/市县财政资金, 单位自筹, 其他)
and its indicators (一级 > 二级 > 三级指标: 指标值). Funds become a `BudgetTable` of kind
"performance" in 元; indicators and the form's text fields become paragraphs under the heading
`项目支出绩效目标表：<project>`, so a question about a target finds its own line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.figures import parse_number
from ingest.model import BudgetTable, Line, Locator, Paragraph, TableRow
from ingest.parsing.layout import is_toc

_TITLE = re.compile(r"项目支出绩效目标表")
_END = re.compile(r"^\s*(负责人|十一、|十二、|第四部分)")
_PROJECT = re.compile(r"^(项目名称|名称|项目)$")
_FUND_LABEL = re.compile(
    r"(实施期资金总额|年度资金总额|中央财政资金|省级财政资金|市县[(（]区[)）]财政资金?|单位自筹|其他资金)"
)
_MONEY = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_TEXT_FIELDS = (
    "项目概况",
    "立项依据",
    "项目设立必要性",
    "保证项目实施的制度、措施",
    "项目实施计划",
    "总体目标",
)
SECTION = "项目支出绩效目标表"


@dataclass
class PerformanceForm:
    """One project's form: its funds table and its paragraphs (indicators and text fields)."""

    table: BudgetTable
    paragraphs: list[Paragraph] = field(default_factory=list)
    lines: tuple[int, int] = (0, 0)  # first and last line number, to keep them out of the narrative


def find_forms(lines: list[Line], file: str, start: int, end: int) -> list[PerformanceForm]:
    """Every 项目支出绩效目标表 between line indices `start` and `end`."""
    starts = [
        i
        for i in range(start, end)
        if _TITLE.search(lines[i].text) and not is_toc(lines[i].text) and len(lines[i].text.strip()) < 60
    ]
    forms: list[PerformanceForm] = []
    for k, first in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else end
        block = lines[first:stop]
        for j, line in enumerate(block[1:], start=1):
            if _END.match(line.text):
                block = block[: j + 1] if line.text.strip().startswith("负责人") else block[:j]
                break
        form = _parse_form(block, file, len(forms) + 1)
        if form is not None:
            forms.append(form)
    return forms


def _cells(line: Line) -> list[str]:
    if "\t" in line.text:
        return [c.strip() for c in line.text.split("\t")]
    return [c for c in re.split(r"\s+", line.text.strip()) if c]


def _parse_form(block: list[Line], file: str, number: int) -> PerformanceForm | None:
    project = ""
    funds: dict[str, list[Decimal]] = {}
    fund_lines: dict[str, int] = {}
    texts: list[tuple[str, str, Line]] = []
    indicators: list[tuple[str, Line]] = []
    loose: list[Line] = []
    head_row = 0
    in_indicators = False
    field_open: int | None = None
    level1 = level2 = ""
    for line in block:
        cells = _cells(line)
        filled = [c for c in cells if c]
        if not filled:
            continue
        if not _TITLE.search(line.text) and not _YEAR_LINE.match(line.text):
            head_row += 1
        if not project and 0 < head_row <= 2:  # the project is named in the form's first rows only
            name = _project_name(cells)
            if name:
                project = name
                continue
        if filled[0] == "绩效指标" or "三级指标" in filled:
            in_indicators = True
            continue
        if filled[0].startswith("负责人"):
            break
        tabbed = "\t" in line.text
        if in_indicators:
            if tabbed:
                level1, level2, text = _indicator(cells, level1, level2)
            else:  # a space-separated form: the line as printed (指标名称 指标值)
                text = line.text.strip()
            if text:
                indicators.append((text, line))
            continue
        if _collect_funds(cells, funds, fund_lines, line.number):
            field_open = None
            continue
        if filled[0] in _TEXT_FIELDS:
            value = "；".join(dict.fromkeys(filled[1:])) if tabbed else "".join(filled[1:])
            texts.append((filled[0], value, line))
            field_open = None if tabbed else len(texts) - 1  # wrapped text follows on the next lines
            continue
        if field_open is not None and not _FORM_LABEL.match(filled[0]):
            name, value, first = texts[field_open]
            texts[field_open] = (name, value + line.text.strip(), first)
            continue
        field_open = None
        if not tabbed and len(line.text.strip()) > 8 and not _TITLE.search(line.text):
            loose.append(line)  # space-separated forms: wrapped field text, kept as one paragraph
    if not project:
        return None
    key = f"绩效目标表{number}"
    heading = ("第三部分", "十、绩效管理情况", f"{SECTION}：{project}")
    rows = [
        TableRow(
            index=i,
            label=label,
            cells=_two(values),
            locator=Locator(
                file=file, line_start=fund_lines[label], line_end=fund_lines[label], table=key, row=label
            ),
            raw=label,
        )
        for i, (label, values) in enumerate(funds.items())
    ]
    table = BudgetTable(
        key=key,
        number=0,
        title=f"{SECTION}（{project}）",
        unit="元",
        columns=["实施期", "年度"],
        rows=rows,
        locator=Locator(file=file, line_start=block[0].number, line_end=block[-1].number, table=key),
        empty=not rows,
        kind="performance",
        project=project,
    )
    paragraphs = [
        _paragraph(f"{name}：{value}", heading, line, file) for name, value, line in texts
    ] + _indicator_paragraphs(indicators, heading, file)
    if loose:
        text = "".join(line.text.strip() for line in loose)
        locator = Locator(file=file, line_start=loose[0].number, line_end=loose[-1].number, page=loose[0].page,
                          section=" > ".join(heading))  # fmt: skip
        paragraphs.append(Paragraph(text=f"{project}：{text}", heading_path=heading, locator=locator))
    return PerformanceForm(table=table, paragraphs=paragraphs, lines=(block[0].number, block[-1].number))


_YEAR_LINE = re.compile(r"^\s*[(（]\s*\d{2,4}\s*\d?\s*[)）]?\s*年度\s*[)）]?\s*$|^\s*[(（]\d{4}年度[)）]\s*$")
_FORM_LABEL = re.compile(
    r"^(主管部门|部门|管理部门|项目属性|项目资金|实施|项目概况|立项依据|项目设立|保证项目|项目实施|总体目标|绩效指标"
    r"|负责人|名称|项目名称|项目|其他资金|其中|\(|（)"
)
_DEPARTMENT_CODE = re.compile(r"^\d{2,3}\s*[-－]")


def _project_name(cells: list[str]) -> str:
    """The project of a form's first rows: `项目名称→→X`, or `→→X` when the exporter lost the label.
    A value such as `053-某局` is the 主管部门 printed under a wrong label, not a project."""
    label = cells[0] if cells else ""
    values = [c for c in cells[1:] if c]
    if label and not values and not _FORM_LABEL.match(label):
        return label  # `李家湾园区招商引资项目→→→`: the name printed in the label column
    if label and not _PROJECT.match(label):
        return ""
    if not values or _DEPARTMENT_CODE.match(values[0]) or _FUND_LABEL.search(values[0]):
        return ""
    return values[0]


def _indicator_paragraphs(
    indicators: list[tuple[str, Line]], heading: tuple[str, ...], file: str
) -> list[Paragraph]:
    """One paragraph per indicator line: a question about one target finds (and cites) its own line."""
    return [_paragraph(f"绩效指标：{text}", heading, line, file) for text, line in indicators]


def _two(values: list[Decimal]) -> dict[str, Decimal | None]:
    """实施期 and 年度 amounts, in the order the form prints them."""
    padded: list[Decimal | None] = [*values, None, None]
    return {"实施期": padded[0], "年度": padded[1]}


def _paragraph(text: str, heading: tuple[str, ...], line: Line, file: str) -> Paragraph:
    locator = Locator(file=file, line_start=line.number, line_end=line.number, page=line.page,
                      section=" > ".join(heading))  # fmt: skip
    return Paragraph(text=text, heading_path=heading, locator=locator)


def _collect_funds(
    cells: list[str], funds: dict[str, list[Decimal]], where: dict[str, int], number: int
) -> bool:
    """`实施期资金总额: 642,000 年度资金总额: 642,000` → funds[总额] = [实施期, 年度]; True if a fund line."""
    found = False
    label = ""
    for cell in cells:
        match = _FUND_LABEL.search(cell)
        if match:
            label = _fund_name(match.group(1))
            found = True
            continue
        if label and _MONEY.match(cell):
            funds.setdefault(label, []).append(parse_number(cell))
            where.setdefault(label, number)
            label = ""
    return found


def _fund_name(raw: str) -> str:
    if raw in ("实施期资金总额", "年度资金总额"):
        return "资金总额"
    if raw.startswith("市县"):
        return "市县（区）财政资金"
    return raw


def _indicator(cells: list[str], level1: str, level2: str) -> tuple[str, str, str]:
    """A tab indicator row (一级, 二级, 三级, 值, then the 年度 copy) → text; carries 一级/二级 down."""
    if len(cells) < 4:
        text = " ".join(c for c in cells if c)
        return level1, level2, text
    first, second, third, value = (cells + [""] * 5)[1:5]
    level1 = first or level1
    level2 = second or level2
    if not third and not value:
        return level1, level2, ""
    path = " > ".join(p for p in (level1, level2, third) if p)
    return level1, level2, f"{path}：{value}" if value else path
