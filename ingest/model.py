"""The document model: what ingestion pulls out of one disclosure.

Every piece keeps a `Locator` so an answer can cite it. Figures are `Decimal`, never float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Locator:
    """Where a piece of text sits in its source file.

    `line_start`/`line_end` are 1-based lines of the cleaned text (text exports) or of the page
    text (PDFs); `page` is the PDF page, or None for text exports.
    """

    file: str
    line_start: int
    line_end: int
    page: int | None = None
    table: str | None = None  # "表十", "项目支出绩效目标表"
    row: str | None = None  # row label or 科目编码
    section: str | None = None  # heading path joined with " > "

    def render(self) -> str:
        """Human-readable locator in Chinese, e.g. `表十 · 公务接待费 · 第441行`."""
        parts = [p for p in (self.section, self.table, self.row) if p]
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line_start == self.line_end:
            parts.append(f"第{self.line_start}行")
        else:
            parts.append(f"第{self.line_start}–{self.line_end}行")
        return " · ".join(parts)


@dataclass(frozen=True)
class Line:
    """One cleaned line of a page; `cells` holds tab- or gap-separated fields."""

    number: int  # 1-based, in the cleaned text of the whole document
    text: str
    page: int | None = None

    @property
    def cells(self) -> list[str]:
        return self.text.split("\t")


@dataclass
class Department:
    """A budget unit: canonical name plus every other name people or documents use for it."""

    name: str  # 柳林县工业和信息化局
    region: str  # 柳林县
    aliases: list[str] = field(default_factory=list)  # 工信局, 柳林县工信局, 柳林县工业和信息化局[部门]


@dataclass
class TableRow:
    """One row of a budget table.

    `cells` maps each flattened column name to its value (None where the cell is blank).
    `placed` is True when the text had collapsed blank columns and the numbers were put
    back into their columns by the table's own arithmetic.
    """

    index: int
    label: str
    cells: dict[str, Decimal | None]
    locator: Locator
    raw: str
    code: str | None = None  # 科目编码, e.g. 2011301
    parent_code: str | None = None
    path: tuple[str, ...] = ()  # labels from the top: (一般公共服务支出, 商贸事务, 行政运行)
    side: str | None = None  # "收入" or "支出" for two-sided tables (表一, 表四)
    placed: bool = False


@dataclass
class BudgetTable:
    """A numbered standard table (表一…表十三) or a performance table (in 元)."""

    key: str  # "表一" … "表十三", or "绩效目标表#3"
    number: int  # 1…13; 0 for performance tables
    title: str
    unit: str  # 万元 or 元
    columns: list[str]  # flattened header paths, e.g. "本年收入/一般公共预算"
    rows: list[TableRow]
    locator: Locator
    empty: bool = False  # marked 本表无数据, or no line of it holds a figure
    kind: str = "standard"  # "standard" | "performance"
    project: str | None = None  # performance tables: the project name
    # "parsed" | "empty" (本表无数据 / no figure printed) | "unparsed" (figures printed, no row read)
    status: str = "parsed"
    printed_unit: str = ""  # the unit as printed (元, 千元) when figures were converted to `unit`
    numeric_lines: int = 0  # lines of the table body that hold a figure
    placed_lines: int = 0  # of those, lines whose figures ended up in a row
    template: str = "shanxi13"  # the template whose columns and arithmetic read it (ingest.parsing.templates)
    printed_in: str = ""  # the key of the printed table that holds it (表十一 inside the national 表十)

    @property
    def printed(self) -> bool:
        """A table the document prints on its own (not the part of another one)."""
        return self.kind == "standard" and not self.printed_in

    def row(self, label_or_code: str) -> TableRow | None:
        for row in self.rows:
            if label_or_code in (row.code, row.label):
                return row
        return None


@dataclass
class Paragraph:
    """A narrative paragraph with its heading path (第三部分 > 七、“三公”经费增减变动原因说明)."""

    text: str
    heading_path: tuple[str, ...]
    locator: Locator


@dataclass
class Fact:
    """A named figure stated in the narrative (三公 breakdown, vehicles, office area, staffing…).

    `name` is a stable key such as `三公经费.公务接待费` or `车辆.实有`; `quote` is the sentence.
    """

    name: str
    value: Decimal
    unit: str  # 万元, 元, 辆, 人, 平方米, %, 个
    quote: str
    locator: Locator
    scope: str = ""  # e.g. "本年预算", "比上年"


@dataclass
class GlossaryTerm:
    """A 名词解释 entry."""

    term: str
    definition: str
    locator: Locator


@dataclass(frozen=True)
class CatalogVersion:
    """One catalog edition, identified by its 文号 (晋财综〔2023〕43号)."""

    doc_number: str
    title: str
    kind: str = "A"  # "A" (部门目录) or "B" (B类, 政府履职辅助性服务)


@dataclass
class CatalogEntry:
    """One code of a catalog version for one department (codes are per department)."""

    version: str  # CatalogVersion.doc_number
    department: str  # as printed in the catalog: 人民法院, 生态环境厅…
    code: str  # A150201
    levels: tuple[str, ...]  # names of level 1…4 (B类: 1…3); "" where the catalog prints none
    locator: Locator
    uncertain: bool = False  # column-by-column pages whose names could not be aligned
    flags: list[str] = field(default_factory=list)  # e.g. "前缀与上级不符：印作B"

    @property
    def name(self) -> str:
        return next((name for name in reversed(self.levels) if name), "")

    @property
    def parent_codes(self) -> list[str]:
        lengths = (1, 3, 5, 7)
        return [self.code[:n] for n in lengths if n < len(self.code)]


@dataclass
class Finding:
    """A row whose own arithmetic fails: kept as a finding, never silently fixed."""

    table: str
    row: str
    expected: Decimal
    actual: Decimal
    rule: str  # "合计 = 基本支出 + 项目支出", "父项 = 子项之和"
    locator: Locator


@dataclass
class Disclosure:
    """Everything ingestion extracts from one disclosure file."""

    doc_id: str
    file: str
    sha256: str
    department: Department
    year: int
    kind: str  # 部门 or 单位
    title: str
    tables: list[BudgetTable] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    glossary: list[GlossaryTerm] = field(default_factory=list)
    catalog_versions: list[CatalogVersion] = field(default_factory=list)
    catalog_entries: list[CatalogEntry] = field(default_factory=list)
    adopted_catalogs: list[str] = field(default_factory=list)  # 文号 the document says it follows
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quality: dict[str, object] = field(default_factory=dict)  # see ingest.parsing.quality.quality_record
    template: str = "shanxi13"  # the layout its tables follow: shanxi13, national9, mixed or none
    identity: dict[str, str] = field(
        default_factory=dict
    )  # see ingest.parsing.identity: what makes it the same

    def table(self, key: str) -> BudgetTable | None:
        return next((t for t in self.tables if t.key == key), None)
