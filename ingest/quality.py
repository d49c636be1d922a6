"""Per-document ingest quality: what was found, what was read, and what needs a person's look.

In: a parsed `Disclosure` and its arithmetic check count. Out: a JSON-ready dict stored in the
document summary (`budgetqa docs --json` → `quality`) and shown by `budgetqa ingest` and the web page.
"""

from __future__ import annotations

from ingest.layout import TABLE_KEYS
from ingest.model import Disclosure

EXPECTED_TABLES = len(TABLE_KEYS)

STATUS_OK = "ok"
STATUS_WARNING = "warning"  # some table printed figures that could not be read, or is missing
STATUS_ATTENTION = "needs_attention"  # fewer than half of the template's tables were read


def quality_record(doc: Disclosure, checks: int) -> dict[str, object]:
    """Counts and per-table status of one document; `status` says whether it needs attention."""
    standard = {t.key: t for t in doc.tables if t.kind == "standard"}
    by_status: dict[str, list[str]] = {"parsed": [], "empty": [], "unparsed": []}
    for key, table in standard.items():
        by_status.setdefault(table.status, []).append(key)
    absent = [key for key in TABLE_KEYS if key not in standard]
    read = len(by_status["parsed"]) + len(by_status["empty"])
    if read * 2 < EXPECTED_TABLES:
        status = STATUS_ATTENTION
    elif by_status["unparsed"] or absent:
        status = STATUS_WARNING
    else:
        status = STATUS_OK
    return {
        "status": status,
        "tables_expected": EXPECTED_TABLES,
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


def quality_warnings(quality: dict[str, object]) -> list[str]:
    """The quality record in words a person can act on (Chinese, one line each)."""
    out: list[str] = []
    unparsed = quality.get("tables_unparsed") or []
    absent = quality.get("tables_absent") or []
    if unparsed:
        out.append(f"未能解析：{'、'.join(unparsed)}（表中有数字但没有读出数据行），请检查这些表的表头")  # type: ignore[arg-type]
    if absent:
        out.append(f"文件中没有找到：{'、'.join(absent)}（不是“本表无数据”，而是整张表缺失）")  # type: ignore[arg-type]
    if quality.get("status") == STATUS_ATTENTION:
        out.append(
            f"需要人工检查：{EXPECTED_TABLES} 张模板表中只读出 "
            f"{int(quality['tables_parsed']) + len(quality['tables_empty'])} 张"  # type: ignore[arg-type,call-overload]
        )
    return out
