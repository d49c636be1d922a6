"""Real disclosures the bundled corpus does not cover (another province's layout of the same tables),
read from /work/shared/corpus_other when present (skipped otherwise; never copied into the project).

They must not ingest silently: tables found by their own titles, figures in 元 converted to 万元,
and what cannot be read reported as 未能解析 or 缺失."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.parse import parse_document
from ingest.pdf_loader import load_pdf

OTHER = Path("/work/shared/corpus_other")
UNIT_PDF = OTHER / "2026_上海市普陀区司法局_单位预算.pdf"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not UNIT_PDF.exists(), reason="corpus_other is not on this machine"),
]


def test_unit_budget_of_another_province_is_read_or_flagged() -> None:
    doc = parse_document(load_pdf(UNIT_PDF))
    assert (doc.department.name, doc.year, doc.kind) == ("上海市普陀区司法局", 2026, "单位")
    spending = doc.table("表三")
    assert spending is not None and spending.printed_unit == "元" and spending.unit == "万元"
    total = spending.row("合计")
    assert total is not None
    # printed 86,959,408.34 | 22,118,861 | 64,840,547.00 元
    assert list(total.cells.values()) == [Decimal("8695.940834"), Decimal("2211.8861"), Decimal("6484.0547")]
    economic = doc.table("表六")
    assert economic is not None and economic.row("30101") is not None
    assert economic.row("30101").cells["一般公共预算基本支出/人员经费"] == Decimal("248.604")  # type: ignore[union-attr]
    quality = doc.quality
    assert quality["tables_unparsed"] == ["表十"]  # 三公 and 机关运行经费 in one row: a warning, not 无数据
    assert quality["tables_absent"] == ["表七", "表十一", "表十二", "表十三"]
    assert quality["status"] == "warning"
    assert any("未能解析：表十" in w for w in doc.warnings)
