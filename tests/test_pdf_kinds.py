"""The PDF path for both kinds of the template: a 单位预算 variant (单位名称 headers, no 表N in the
body) gives the same figures as its 部门预算 original through the text path and the PDF path, with
ruled tables and with unruled tables laid out by word positions over two pages."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pdf_fixtures
import pytest
from mutations import MUTATIONS

from ingest.model import Disclosure
from ingest.parsing.parse import parse_document
from ingest.parsing.pdf_loader import load_pdf
from ingest.parsing.text_loader import load_text_file

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
NAME = "2025_柳林县医疗保障局_部门预算"


def figures(doc: Disclosure) -> dict[str, list[tuple[str | None, str, list[Decimal | None]]]]:
    """Standard table → its rows with figures as (科目编码, label, figures).

    部门 and 单位 wording are made alike; a 表六 label that names the same class twice
    (`住房公积金（住房公积金）`, the 部门 and 政府 economic classes) counts as the one name, as the
    unruled path prints it once. Rows without any figure (外交支出 …) are left out: the two paths
    keep different blank template rows."""
    out = {}
    for table in doc.tables:
        if table.kind != "standard":
            continue
        rows = []
        for row in table.rows:
            if all(v is None for v in row.cells.values()):
                continue
            label = re.sub(r"^(.+)（\1）$", r"\1", row.label.replace("单位", "部门"))
            rows.append((row.code, label, list(row.cells.values())))
        out[table.key] = rows
    return out


@pytest.fixture(scope="module")
def unit_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled 部门预算 rewritten as a 单位预算 (单位名称：…, no 表N prefix, 单位 wording)."""
    original = (CORPUS / f"{NAME}.txt").read_text(encoding="utf-8")
    variant = MUTATIONS["unit_budget"](original)
    path = tmp_path_factory.mktemp("unit") / f"{NAME.replace('部门', '单位')}.txt"
    path.write_bytes(variant.data)
    return path


def test_unit_variant_text_has_the_originals_figures(unit_text: Path) -> None:
    text = unit_text.read_text(encoding="utf-8")
    assert "单位名称：" in text and "部门名称：" not in text
    original = parse_document(load_text_file(CORPUS / f"{NAME}.txt"))
    unit = parse_document(load_text_file(unit_text))
    assert unit.kind == "单位" and original.kind == "部门"
    assert figures(unit) == figures(original)
    assert unit.table("表三") is not None and unit.table("表三").rows[0].cells  # type: ignore[union-attr]


@pytest.mark.parametrize("layout", ["ruled", "unruled"])
@pytest.mark.parametrize("kind", ["部门", "单位"])
def test_pdf_gives_the_text_figures(kind: str, layout: str, unit_text: Path, tmp_path: Path) -> None:
    source = CORPUS / f"{NAME}.txt" if kind == "部门" else unit_text
    if layout == "ruled":
        pdf = pdf_fixtures.make_disclosure_pdf(source, tmp_path / f"{source.stem}.pdf")
    else:
        pdf = pdf_fixtures.make_unruled_pdf(source, tmp_path / f"{source.stem}.pdf")
    from_pdf = parse_document(load_pdf(pdf))
    from_text = parse_document(load_text_file(source))
    assert from_pdf.kind == kind
    assert from_pdf.department.name == "柳林县医疗保障局"
    assert from_pdf.quality["tables_found"] == 13 and from_pdf.quality["tables_unparsed"] == []
    assert figures(from_pdf) == figures(from_text)
    total = from_pdf.table("表三").rows[0]  # type: ignore[union-attr]
    assert total.label == "合计" and total.locator.page is not None
    if layout == "unruled":
        assert len({r.locator.page for r in from_pdf.table("表二").rows}) == 2  # type: ignore[union-attr]
