"""The 文档 page's content: a document's summary, key figures, findings, and its tables as printed.

In: a `StructuredIndex` and a doc_id. Out: Markdown and pandas frames (no Gradio here).
- Findings (rows whose own arithmetic fails) are split: a difference of at most 0.01 is a rounding
  difference (尾数差异（四舍五入）), listed apart from real inconsistencies, each counted and listed in full.
- A table printed as two sides (表一 收入 | 支出) is shown as two sides again, row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from ingest.api import DocumentSummary, RowHit, StructuredIndex, parse_figure, table_status_text
from ui.web import charts

ROUNDING = Decimal("0.01")
KEY_FACTS = ("三公经费.合计", "机关运行经费", "政府采购.总额", "人员.在职", "车辆.实有", "绩效.二级项目金额")
FACT_COLUMNS = ["项目", "数值", "单位", "出处"]


@dataclass(frozen=True)
class Findings:
    """A document's arithmetic findings, split into rounding differences and real ones."""

    rounding: list[dict[str, Any]]
    real: list[dict[str, Any]]


def split_findings(findings: list[dict[str, Any]]) -> Findings:
    """Rounding differences (|expected − printed| ≤ 0.01) apart from real inconsistencies."""
    rounding: list[dict[str, Any]] = []
    real: list[dict[str, Any]] = []
    for item in findings:
        expected, actual = parse_figure(item.get("expected")), parse_figure(item.get("actual"))
        small = expected is not None and actual is not None and abs(expected - actual) <= ROUNDING
        (rounding if small else real).append(item)
    return Findings(rounding, real)


def _finding_line(item: dict[str, Any]) -> str:
    return (
        f"- {item.get('locator', '')}（{item.get('row', '')}）：按 {item.get('rule', '')} "
        f"应为 {item.get('expected', '')}，原文 {item.get('actual', '')}"
    )


def where(metadata: dict[str, Any]) -> str:
    """The last part of a record's locator: `表十 · 公务接待费 · 第441行`."""
    locator = str(metadata.get("locator") or "")
    return locator.split(" > ")[-1] if locator else ""


def key_figures(index: StructuredIndex, doc_id: str) -> list[str]:
    """The figures a reader looks for first, each with where it is printed."""
    lines: list[str] = []
    rows = charts.spending_table(index, doc_id)
    total = next((r for r in rows if r.label == "合计"), None)
    if total is not None:
        parts = [
            f"{name} {value}"
            for name in ("合计", "基本支出", "项目支出")
            if (column := next((c for c in total.cells if c == name or c.endswith("/" + name)), None))
            and (value := total.cells.get(column)) is not None
        ]
        place = f"{total.table} {total.table_title} 第{total.record.metadata.get('line_start', '?')}行"
        lines.append(f"支出：{'，'.join(parts)}（{total.unit}；{place}）")
    facts = {f.name: f for f in index.facts(doc_id)}
    for name in KEY_FACTS:
        fact = facts.get(name)
        if fact is not None and fact.raw is not None:
            label = name.replace(".", "")
            lines.append(f"{label}：{fact.raw} {fact.unit}（{where(fact.record.metadata)}）")
    return lines


def document_markdown(
    title: str, summary: DocumentSummary, figures: list[str], vectors: dict[str, Any] | None = None
) -> str:
    """The top of the 文档 page: what the document is, its key figures, then its findings.

    `vectors` is the state of its phase two (pending, running), when some are still to come."""
    counts = summary.counts
    catalogs = "、".join(summary.adopted_catalogs) or "文件未写明"
    lines = [
        f"### {title}",
        f"- 部门：{summary.department}　年度：{summary.year or ''}",
        f"- {table_status_text(summary)}，"
        f"行 {counts.get('rows', 0)}，名词解释 {counts.get('glossary', 0)} 条，目录条目 {counts.get('catalog_entries', 0)} 条",
        f"- 执行的政府购买服务目录：{catalogs}",
    ]
    vectors = vectors or {}
    if vectors.get("pending"):
        doing = "正在后台生成" if vectors.get("running") else "等待生成"
        lines.append(
            f"- 向量：还有 {vectors['pending']} 条{doing}；在此之前，文字按关键词检索，数字、表格和目录照常可查"
        )
    if figures:
        lines.append("\n**主要数字**\n")
        lines.extend(f"- {line}" for line in figures)
    found = split_findings(summary.findings)
    if found.real:
        lines.append(f"\n**表内算术不符 {len(found.real)} 处**（按原文保留，未作修改）\n")
        lines.extend(_finding_line(item) for item in found.real)
    if found.rounding:
        lines.append(
            f'\n<details class="bqa-findings"><summary><b>尾数差异（四舍五入）{len(found.rounding)} 处</b>：'
            "相差不超过 0.01，是各项分别四舍五入造成的，不是预算错误（点开查看）</summary>\n"
        )
        lines.extend(_finding_line(item) for item in found.rounding)
        lines.append("\n</details>")
    if not found.real and not found.rounding:
        lines.append("\n表内算术全部核对一致。")
    return "\n".join(lines)


def facts_frame(index: StructuredIndex, doc_id: str) -> pd.DataFrame:
    """Named figures of the narrative: 项目, 数值, 单位, 出处."""
    return pd.DataFrame(
        [
            (
                f.name.replace(".", " · "),
                f.raw if f.raw is not None else "—",
                f.unit,
                where(f.record.metadata),
            )
            for f in index.facts(doc_id)
        ],
        columns=FACT_COLUMNS,
    )


def table_choices(index: StructuredIndex, doc_id: str) -> list[tuple[str, str]]:
    """(label, key) of every table of a document, in document order."""
    seen: dict[str, str] = {}
    for row in index.rows(doc_id):
        seen.setdefault(row.table, f"{row.table} {row.table_title}")
    return [(label, key) for key, label in seen.items()]


def _cell(row: RowHit, column: str) -> str:
    value = row.cells.get(column)
    return "" if value is None else str(value)


def _columns(rows: list[RowHit]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row.cells if c not in columns)
    return columns


def _side(row: RowHit) -> str:
    return str(row.record.payload.get("side") or "")


def two_sided_frame(rows: list[RowHit]) -> pd.DataFrame | None:
    """A table printed as two sides (收入 | 支出) side by side; None for other tables.

    Rows printed on the same source line sit on the same row, as in the document; a row with no
    partner on its line gets an empty other half.
    """
    sides: dict[str, list[RowHit]] = {}
    for row in rows:
        sides.setdefault(_side(row), []).append(row)
    if len(sides) != 2 or "" in sides:
        return None
    (left_name, left), (right_name, right) = sides.items()
    left_columns, right_columns = _columns(left), _columns(right)

    def short(name: str, column: str) -> str:
        return column.removeprefix(name + "/")

    header = [
        f"{left_name}项目",
        *[f"{left_name}：{short(left_name, c)}" for c in left_columns],
        f"{right_name}项目",
        *[f"{right_name}：{short(right_name, c)}" for c in right_columns],
    ]
    lines: dict[int, tuple[list[RowHit], list[RowHit]]] = {}  # printed line → (left rows, right rows)
    for position, row in enumerate(rows):
        line = int(row.record.metadata.get("line_start") or 0) or -(position + 1)
        pair = lines.setdefault(line, ([], []))
        pair[0 if _side(row) == left_name else 1].append(row)
    data = []
    for lefts, rights in lines.values():
        for i in range(max(len(lefts), len(rights))):
            a = lefts[i] if i < len(lefts) else None
            b = rights[i] if i < len(rights) else None
            data.append(
                [
                    a.label if a else "",
                    *[_cell(a, c) if a else "" for c in left_columns],
                    b.label if b else "",
                    *[_cell(b, c) if b else "" for c in right_columns],
                ]
            )
    return pd.DataFrame(data, columns=header)


def table_frame(rows: list[RowHit]) -> pd.DataFrame:
    """One table as printed: 科目编码, indented 项目, every column, 行号 (two-sided tables side by side)."""
    two_sided = two_sided_frame(rows)
    if two_sided is not None:
        return two_sided
    columns = _columns(rows)
    data = [
        [
            row.code or "",
            "\u3000" * max(len(row.path) - 1, 0) + row.label,
            *[_cell(row, c) for c in columns],
            str(row.record.metadata.get("line_start", "")),
        ]
        for row in rows
    ]
    return pd.DataFrame(data, columns=["科目编码", "项目", *columns, "行号"])
