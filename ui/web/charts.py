"""Charts of one disclosure, drawn with matplotlib in a CJK font.

In: a `StructuredIndex` and a doc_id. Out: `ChartData` (labels, Decimal values, unit, where the
figures come from) and matplotlib `Figure`s with Chinese labels:
- 支出功能分类: spending by function (top-level 功能分类科目 of the 支出总表, 合计 column);
- 基本支出与项目支出: the 合计 row of the same table;
- 三公经费构成: the 三公 items named in the narrative (facts `三公经费.*`).
Tables are found by their titles and column names, never by number: 三公 is 表九 in one document
and 表十 in another. The font is a CJK font file installed by scripts/install_system_deps.sh.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from matplotlib import font_manager, rcParams
from matplotlib.figure import Figure

from ingest.api import BudgetQAError, RowHit, StructuredIndex

# Debian packages: fonts-wqy-microhei (installed by scripts/install_system_deps.sh), then others.
CJK_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)


class FontMissingError(BudgetQAError, RuntimeError):
    """No CJK font file is installed: Chinese labels would be drawn as empty boxes."""


@dataclass(frozen=True)
class ChartData:
    """What one chart shows: labels with Decimal values in `unit`, and where they come from."""

    title: str
    labels: list[str]
    values: list[Decimal]
    unit: str
    source: str  # e.g. 柳林县工业和信息化局2024年度部门预算 · 表三 2024年预算支出总表
    note: str = ""  # e.g. 各项均为零
    raw: list[str] = field(default_factory=list)  # the values as printed, shown on the bars


# ------------------------------------------------------------------------------------------------ font


def find_cjk_font(candidates: tuple[Path, ...] = CJK_FONT_FILES) -> Path:
    """The first installed CJK font file; FontMissingError saying how to install one otherwise."""
    for path in candidates:
        if path.is_file():
            return path
    raise FontMissingError(
        "没有找到中文字体文件（"
        + "、".join(str(p) for p in candidates[:2])
        + "）：图表中的中文会显示成方框。"
        "请运行 scripts/install_system_deps.sh 安装 fonts-wqy-microhei（Debian 软件包）"
    )


_registered: dict[Path, str] = {}


def use_cjk_font(path: Path | None = None) -> str:
    """Register the CJK font with matplotlib and make it the sans-serif default; returns its family name."""
    font_path = path or find_cjk_font()
    if font_path not in _registered:
        font_manager.fontManager.addfont(str(font_path))
        _registered[font_path] = font_manager.FontProperties(fname=str(font_path)).get_name()
    name = _registered[font_path]
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [name, *[f for f in rcParams["font.sans-serif"] if f != name]]
    rcParams["axes.unicode_minus"] = False
    return name


# ------------------------------------------------------------------------------------------------ data


def _document_title(index: StructuredIndex, doc_id: str) -> str:
    return next((d.title for d in index.documents() if d.doc_id == doc_id), doc_id)


def spending_table(index: StructuredIndex, doc_id: str) -> list[RowHit]:
    """Rows of the 支出总表 (expenditure summary: 合计 = 基本支出 + 项目支出 by 功能分类科目)."""
    rows = index.rows(doc_id)
    tables: dict[str, list[RowHit]] = {}
    for row in rows:
        tables.setdefault(row.table, []).append(row)
    for table_rows in tables.values():
        title = table_rows[0].table_title
        if "支出总表" in title and "收支" not in title:
            return table_rows
    for table_rows in tables.values():  # a title not printed: the first table split 基本/项目 by function
        columns = list(table_rows[0].cells)
        if any(c.endswith("基本支出") for c in columns) and any(r.code for r in table_rows):
            return table_rows
    return []


def _column(row: RowHit, suffix: str) -> str | None:
    return next((c for c in row.cells if c == suffix or c.endswith("/" + suffix)), None)


def _source(index: StructuredIndex, doc_id: str, rows: list[RowHit]) -> str:
    first = rows[0]
    return f"{_document_title(index, doc_id)} · {first.table} {first.table_title}（单位：{first.unit}）"


def spending_by_function(index: StructuredIndex, doc_id: str) -> ChartData | None:
    """Top-level 功能分类科目 (类) of the 支出总表 with their 合计, largest first; None without the table."""
    rows = spending_table(index, doc_id)
    tops = [r for r in rows if r.code and len(r.code) == 3 and len(r.path) <= 1]
    if not tops:
        return None
    pairs = []
    for row in tops:
        column = _column(row, "合计")
        value = row.cell(column) if column else None
        if value is not None:
            pairs.append((row.label, value))
    if not pairs:
        return None
    pairs.sort(key=lambda p: -p[1])
    return ChartData(
        title="支出功能分类（合计）",
        labels=[p[0] for p in pairs],
        values=[p[1] for p in pairs],
        unit=tops[0].unit,
        source=_source(index, doc_id, rows),
        raw=[str(p[1]) for p in pairs],
    )


def basic_vs_project(index: StructuredIndex, doc_id: str) -> ChartData | None:
    """基本支出 and 项目支出 of the 支出总表's 合计 row; None when the document has no such row."""
    rows = spending_table(index, doc_id)
    total = next((r for r in rows if r.label == "合计"), None)
    if total is None:
        return None
    labels, values = [], []
    for name in ("基本支出", "项目支出"):
        column = _column(total, name)
        value = total.cell(column) if column else None
        labels.append(name)
        values.append(value if value is not None else Decimal("0"))
    if not any(values):
        return None
    return ChartData(
        title="基本支出与项目支出",
        labels=labels,
        values=values,
        unit=total.unit,
        source=_source(index, doc_id, [total])
        + f" · 合计行 第{total.record.metadata.get('line_start', '?')}行",
        raw=[str(v) for v in values],
    )


def sangong_breakdown(index: StructuredIndex, doc_id: str) -> ChartData | None:
    """The 三公经费 items (因公出国（境）费, 公务接待费, 公务用车购置费, 公务用车运行维护费).

    Totals are left out: `合计`, and subtotals named with 及 (公务用车购置及运行费).
    None when the document states no 三公 figures.
    """
    facts = index.facts(doc_id, "三公经费.")
    items = [
        f
        for f in facts
        if f.value is not None and f.name.split(".", 1)[1] != "合计" and "及" not in f.name.split(".", 1)[1]
    ]
    if not items:
        return None
    lines = sorted({int(f.record.metadata.get("line_start", 0) or 0) for f in items} - {0})
    where = f" · 第{lines[0]}–{lines[-1]}行" if len(lines) > 1 else (f" · 第{lines[0]}行" if lines else "")
    note = "各项预算均为零" if not any(f.value for f in items) else ""
    return ChartData(
        title="“三公”经费构成",
        labels=[f.name.split(".", 1)[1] for f in items],
        values=[f.value or Decimal("0") for f in items],
        unit=items[0].unit or "万元",
        source=f"{_document_title(index, doc_id)} · “三公”经费说明{where}",
        note=note,
        raw=[f.raw or "0" for f in items],
    )


# ----------------------------------------------------------------------------------------------- figures


def bar_chart(data: ChartData, font_path: Path | None = None) -> Figure:
    """A horizontal bar chart of `data` with value labels, unit, source and note, in a CJK font."""
    use_cjk_font(font_path)
    height = 1.8 + 0.42 * len(data.labels)
    figure = Figure(figsize=(7.5, height), dpi=100, layout="constrained")
    axes = figure.subplots()
    positions = list(range(len(data.labels)))[::-1]
    numbers = [float(v) for v in data.values]  # drawing only: the labels print the Decimal values
    bars = axes.barh(positions, numbers, color="#3b82f6")
    axes.set_yticks(positions, labels=[textwrap.shorten(label, 18, placeholder="…") for label in data.labels])
    axes.bar_label(bars, labels=data.raw or [str(v) for v in data.values], padding=3, fontsize=9)
    axes.set_xlabel(f"金额（{data.unit}）")
    axes.set_title(data.title + (f"：{data.note}" if data.note else ""))
    axes.margins(x=0.18)
    axes.spines[["top", "right"]].set_visible(False)
    if not any(numbers):
        axes.set_xlim(0, 1)
    figure.supxlabel(
        "\n".join(textwrap.wrap("数据来源：" + data.source, 48)),
        fontsize=8,
        color="#555555",
        x=0.01,
        ha="left",
    )
    return figure


CHART_BUILDERS = {
    "支出功能分类": spending_by_function,
    "基本支出与项目支出": basic_vs_project,
    "三公经费构成": sangong_breakdown,
}


def document_chart_data(index: StructuredIndex, doc_id: str) -> dict[str, ChartData | None]:
    """The data of the three charts of one document by name; None where the document lacks it."""
    return {name: build(index, doc_id) for name, build in CHART_BUILDERS.items()}


def document_charts(index: StructuredIndex, doc_id: str) -> dict[str, Figure | None]:
    """The three charts of one document by name; None where the document lacks the figures."""
    return {
        name: bar_chart(data) if data is not None else None
        for name, data in document_chart_data(index, doc_id).items()
    }
