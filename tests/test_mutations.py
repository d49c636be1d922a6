"""The generalisation suite: every bundled document, rewritten by every mutation, parses to the same
table figures, facts and catalog entries as the original (names, units and scale carried through).

One test id per document × mutation, so a failure names the variant. The whole grid is `slow`; a few
quick ones run in the default tier.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from mutations import MUTATIONS, Variant  # tests/ is on sys.path (no __init__.py)

from ingest.model import Disclosure
from ingest.parsing.layout import TABLE_KEYS
from ingest.parsing.parse import parse_document
from ingest.parsing.text_loader import load_text_file

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
DOCUMENTS = sorted(p.name for p in CORPUS.iterdir() if p.suffix == ".txt")
SHORT = {name: f"doc{k}" for k, name in enumerate(DOCUMENTS)}  # ASCII test ids; doc0 = first file by name
QUICK = {"unit_header", "titles_only_in_toc", "in_yuan", "table_removed"}
QUICK_DOCUMENT = "2024_晋城市信访局_部门预算.txt"


@cache
def original(name: str) -> Disclosure:
    return parse_document(load_text_file(CORPUS / name))


def parse_variant(name: str, variant: Variant, folder: Path) -> Disclosure:
    path = folder / name  # same file name: the locators and doc ids compare alike
    path.write_bytes(variant.data)
    return parse_document(load_text_file(path))


def tables(doc: Disclosure, variant: Variant | None = None) -> dict[str, tuple]:
    """Table key → (status, columns, rows as (label, code, side, figures)), original names and
    figures carried through the variant's change."""
    label = variant.label if variant else str
    out: dict[str, tuple] = {}
    for table in doc.tables:
        if variant and table.key in variant.absent:
            continue
        # only the standard tables are rewritten; performance forms sit in the narrative part
        scale = variant.scale if variant and table.kind == "standard" else Decimal(1)
        rows = tuple(
            (
                label(row.label),
                row.code,
                row.side,
                tuple(None if v is None else (v * scale).normalize() for v in row.cells.values()),
            )
            for row in table.rows
        )
        out[table.key] = (table.status, tuple(label(c) for c in table.columns), rows)
    return out


def normalised(doc: Disclosure) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for key, (status, columns, rows) in tables(doc).items():
        rows = tuple((a, b, c, tuple(None if v is None else v.normalize() for v in d)) for a, b, c, d in rows)
        out[key] = (status, columns, rows)
    return out


def facts(doc: Disclosure) -> list[tuple[str, Decimal, str]]:
    return sorted((f.name, f.value.normalize(), f.unit) for f in doc.facts)


def catalog(doc: Disclosure, label=str) -> list[tuple]:  # type: ignore[no-untyped-def]
    return sorted((e.version, label(e.department), e.code, e.levels) for e in doc.catalog_entries)


def check(name: str, mutation: str, folder: Path) -> None:
    before = original(name)
    variant = MUTATIONS[mutation](CORPUS.joinpath(name).read_text(encoding="utf-8"))
    after = parse_variant(name, variant, folder)

    assert after.department.name == (variant.department or before.department.name)
    assert after.year == (variant.year or before.year)
    assert after.kind == (variant.kind or before.kind)
    expected, got = tables(before, variant), normalised(after)
    assert sorted(got) == sorted(expected), "tables found"
    for key in expected:
        e_status, e_columns, e_rows = expected[key]
        g_status, g_columns, g_rows = got[key]
        assert g_status == e_status, f"{key} status"
        assert [r[3] for r in g_rows] == [r[3] for r in e_rows], f"{key} figures"
        assert [r[:3] for r in g_rows] == [r[:3] for r in e_rows], f"{key} labels"
        assert g_columns in (e_columns, tables(before)[key][1]), f"{key} columns"
    if variant.titles_kept:
        titles = {t.key: variant.label(t.title) for t in before.tables if t.kind == "standard"}
        assert {t.key: t.title for t in after.tables if t.key in titles} == {
            k: v for k, v in titles.items() if k not in variant.absent
        }
    assert facts(after) == facts(before)
    assert catalog(after) in (catalog(before, variant.label), catalog(before))
    quality = after.quality
    assert quality["tables_absent"] == sorted(variant.absent, key=TABLE_KEYS.index)
    assert quality["tables_unparsed"] == []
    assert quality["status"] == ("warning" if variant.absent else "ok")


GRID = [
    pytest.param(
        name,
        mutation,
        id=f"{mutation}-{SHORT[name]}",
        marks=() if (mutation in QUICK and name == QUICK_DOCUMENT) else (pytest.mark.slow,),
    )
    for name in DOCUMENTS
    for mutation in MUTATIONS
]


@pytest.mark.parametrize(("name", "mutation"), GRID)
def test_variant_parses_like_the_original(name: str, mutation: str, tmp_path: Path) -> None:
    check(name, mutation, tmp_path)


def test_at_least_twenty_mutation_kinds() -> None:
    assert len(MUTATIONS) >= 20


def test_yuan_variant_records_the_printed_unit(tmp_path: Path) -> None:
    variant = MUTATIONS["in_yuan"](CORPUS.joinpath(QUICK_DOCUMENT).read_text(encoding="utf-8"))
    doc = parse_variant(QUICK_DOCUMENT, variant, tmp_path)
    parsed = [t for t in doc.tables if t.kind == "standard" and t.status == "parsed"]
    assert parsed and all(t.unit == "万元" and t.printed_unit == "元" for t in parsed)
    assert doc.quality["converted_units"] == {t.key: "元" for t in doc.tables if t.kind == "standard"}


def test_removed_table_is_absent_not_empty(tmp_path: Path) -> None:
    variant = MUTATIONS["table_removed"](CORPUS.joinpath(QUICK_DOCUMENT).read_text(encoding="utf-8"))
    doc = parse_variant(QUICK_DOCUMENT, variant, tmp_path)
    assert doc.table("表五") is None
    assert doc.quality["tables_absent"] == ["表五"]
    assert "表七" in doc.quality["tables_empty"]
    assert any("表五" in w and "缺失" in w for w in doc.warnings)
