"""Per-document ingest quality: what was found, what was read, and what needs a person's look.

In: a parsed `Disclosure` and its arithmetic check count. Out: a JSON-ready dict stored in the
document summary (`budgetqa docs --json` → `quality`) and shown by `budgetqa ingest` and the web page.
"""

from __future__ import annotations

from ingest.model import Disclosure
from ingest.parsing.layout import TABLE_KEYS
from ingest.parsing.templates import TEMPLATE_LABELS
from ingest.summary import DocumentSummary

EXPECTED_TABLES = len(TABLE_KEYS)

STATUS_OK = "ok"
STATUS_WARNING = "warning"  # some table printed figures that could not be read, or is missing
STATUS_ATTENTION = "needs_attention"  # fewer than half of the template's tables were read


def quality_record(doc: Disclosure, checks: int, expected: list[str] | None = None) -> dict[str, object]:
    """Counts and per-table status of one document against the tables its template prints (`expected`
    keys; the Shanxi 13 by default); `status` says whether it needs attention."""
    keys = list(TABLE_KEYS) if expected is None else list(expected)
    standard = {t.key: t for t in doc.tables if t.printed}
    by_status: dict[str, list[str]] = {"parsed": [], "empty": [], "unparsed": []}
    for key, table in standard.items():
        by_status.setdefault(table.status, []).append(key)
    absent = [key for key in keys if key not in standard]
    read = len(by_status["parsed"]) + len(by_status["empty"])
    if doc.template == "none" or read * 2 < len(keys):
        status = STATUS_ATTENTION
    elif by_status["unparsed"] or absent:
        status = STATUS_WARNING
    else:
        status = STATUS_OK
    return {
        "status": status,
        "template": doc.template,
        "tables_expected": len(keys),
        "tables_found": len(standard),
        "tables_parsed": len(by_status["parsed"]),
        "tables_empty": by_status["empty"],
        "tables_unparsed": by_status["unparsed"],
        "tables_absent": absent,
        "converted_units": {k: t.printed_unit for k, t in standard.items() if t.printed_unit},
        "rows": sum(len(t.rows) for t in standard.values()),
        "numeric_lines": sum(t.numeric_lines for t in standard.values()),
        "numeric_lines_placed": sum(t.placed_lines for t in standard.values()),
        "arithmetic_checks": checks,
        "arithmetic_passed": checks - len(doc.findings),
        "facts": len(doc.facts),
        "catalog_entries": len(doc.catalog_entries),
        "performance_forms": sum(t.kind == "performance" for t in doc.tables),
    }


NOT_RECOGNISED = (
    "没有认出任何预算公开报表（既不是山西省13张表模板，也不是全国通用9张表格式）：只导入了文字部分，"
    "文字说明的问题可以回答，表中的数字不能按表查询；请确认文件是部门（单位）预算公开文件"
)


def quality_warnings(quality: dict[str, object]) -> list[str]:
    """The quality record in words a person can act on (Chinese, one line each)."""
    out: list[str] = [NOT_RECOGNISED] if quality.get("template") == "none" else []
    unparsed = _keys(quality, "tables_unparsed")
    absent = _keys(quality, "tables_absent")
    if unparsed:
        out.append(f"未能解析：{'、'.join(unparsed)}（表中有数字但没有读出数据行），请检查这些表的表头")
    if absent:
        out.append(f"文件中没有找到：{'、'.join(absent)}（不是“本表无数据”，而是整张表缺失）")
    seen, placed = quality.get("numeric_lines"), quality.get("numeric_lines_placed")
    if isinstance(seen, int) and isinstance(placed, int) and placed < seen and not unparsed:
        out.append(f"表中有 {seen - placed} 行数字未放入任何数据行，请核对原表")
    out.extend(_keys(quality, "incomplete"))
    if quality.get("status") == STATUS_ATTENTION and quality.get("template") != "none":
        read = len(_keys(quality, "tables_empty")) + int(str(quality.get("tables_parsed", 0)))
        expected = quality.get("tables_expected", EXPECTED_TABLES)
        out.append(f"需要人工检查：{expected} 张模板表中只读出 {read} 张（含本表无数据的表）")
    return out


def mark_incomplete(quality: dict[str, object], problems: list[str]) -> None:
    """Record what a cut-short file lacks (`ingest.parsing.completeness`): never a clean ✓ for it."""
    if problems:
        quality["incomplete"] = problems
        if quality.get("status") == STATUS_OK:
            quality["status"] = STATUS_WARNING


def _keys(quality: dict[str, object], name: str) -> list[str]:
    value = quality.get(name)
    return [str(v) for v in value] if isinstance(value, list) else []


def table_status_text(summary: DocumentSummary) -> str:
    """`表 13 张（无数据 5 张，未能解析 2 张：表三、表五）` from a stored document summary.

    "未能解析" (figures printed, none read) is never folded into "无数据" (本表无数据)."""
    counts, quality = summary.counts, summary.quality
    parts = [f"无数据 {counts.get('empty_tables', 0)} 张"]
    if unparsed := _keys(quality, "tables_unparsed"):
        parts.append(f"未能解析 {len(unparsed)} 张：{'、'.join(unparsed)}")
    if absent := _keys(quality, "tables_absent"):
        parts.append(f"缺失 {len(absent)} 张：{'、'.join(absent)}")
    text = f"表 {counts.get('tables', 0)} 张（{'，'.join(parts)}）"
    if label := TEMPLATE_LABELS.get(summary.template):
        text = f"{label}，{text}"
    if quality.get("status") == STATUS_ATTENTION:
        text += "，⚠ 需要人工检查：不到一半的表读出了数据"
    return text


UPLOAD_REQUIREMENTS = (
    "**文件要求**：按省级模板编制的部门（单位）预算公开文件，PDF 需有文字层（扫描件请先做 OCR）。"
    "至少要有一张模板表（预算收支总表、预算收入总表、预算支出总表……项目支出预算表），"
    "以表标题（如“2024年预算支出总表”，有无“表三”均可）或表头“部门名称：/单位名称：”开头；"
    "金额单位可以是万元、千元或元。只有部分表的文件也会导入，缺失或读不出的表会列在警告中。"
)
