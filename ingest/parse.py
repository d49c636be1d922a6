"""Cleaned lines of one disclosure → `Disclosure` (tables, paragraphs, facts, glossary, catalog)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from ingest.arithmetic import check_table
from ingest.catalog import parse_catalogs
from ingest.departments import make_department
from ingest.errors import IngestError
from ingest.layout import find_layout
from ingest.model import Disclosure, Line
from ingest.narrative import facts, glossary, paragraphs
from ingest.performance import find_forms
from ingest.quality import quality_record, quality_warnings
from ingest.tables import parse_table
from ingest.text_loader import LoadedText

_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:[区县市省]级)?\s*(部门|单位)预算")
_PART_HEADING = re.compile(r"^\s*第[一二三四]部分")
_CATALOG_HEADING = re.compile(r"政府购买服务指导性目录\s*$")
_KEEP_AFTER_CATALOG_HEADING = 2
_UNIT_SUFFIXES = (
    "局",
    "委",
    "院",
    "厅",
    "办",
    "中心",
    "站",
    "所",
    "校",
    "馆",
    "队",
    "会",
)  # the sentence naming the catalog version the document follows


def parse_document(loaded: LoadedText) -> Disclosure:
    """Parse a loaded text export or PDF. Raises IngestError when it is not a budget disclosure."""
    lines = loaded.lines
    file = loaded.path.name
    layout = find_layout(lines)
    if not layout.tables:
        raise IngestError(
            loaded.path,
            "没有找到任何预算公开报表，不像是部门预算公开文件：文件中既没有模板表的标题"
            "（如“2024年预算收支总表”），也没有带“部门名称：”或“单位名称：”表头的表",
            "请确认文件是按省级模板编制的部门（单位）预算公开文件，且 PDF 有文字层（扫描件请先做 OCR）",
        )
    parsed = [parse_table(block, file) for block in layout.tables]
    names = Counter(p.department for p in parsed if p.department)
    raw_name = names.most_common(1)[0][0] if names else _name_from_cover(lines)
    if not raw_name:
        raise IngestError(
            loaded.path,
            "找不到部门或单位名称（表头“部门名称：”或“单位名称：”，或封面上的名称）",
            "请检查文件是否完整",
        )
    department = make_department(raw_name)
    year, kind = _year_and_kind(lines, [block.year for block in layout.tables])
    forms = find_forms(lines, file, *layout.parts.get(3, (0, 0)))
    in_forms = {n for form in forms for n in range(form.lines[0], form.lines[1] + 1)}
    narrative_lines = [line for line in _narrative_lines(lines, layout.parts) if line.number not in in_forms]
    paras = paragraphs(narrative_lines, file)
    glossary_lines = lines[slice(*layout.parts[4])] if 4 in layout.parts else []
    glossary_paras = paragraphs(glossary_lines, file)
    catalog = parse_catalogs(lines, file)
    tables = [p.table for p in parsed]
    doc = Disclosure(
        doc_id=_doc_id(department.name, year, loaded.sha256),
        file=file,
        sha256=loaded.sha256,
        department=department,
        year=year,
        kind=kind,
        title=f"{department.name}{year}年度{kind}预算",
        tables=tables + [form.table for form in forms],
        paragraphs=paras + [p for form in forms for p in form.paragraphs] + glossary_paras,
        facts=facts(paras),
        glossary=glossary(glossary_paras),
        catalog_versions=catalog.versions,
        catalog_entries=catalog.entries,
        adopted_catalogs=catalog.adopted,
        warnings=[w for p in parsed for w in p.warnings] + list(catalog.warnings),
    )
    checks = 0
    for table in tables:
        result = check_table(table)
        checks += result.checked
        doc.findings.extend(result.findings)
    doc.quality = quality_record(doc, checks)
    doc.warnings[:0] = quality_warnings(doc.quality)  # first: the upload page shows the first few
    return doc


def _doc_id(name: str, year: int, sha256: str) -> str:
    digest = hashlib.sha256(f"{name}|{year}|{sha256}".encode()).hexdigest()
    return f"{year}-{digest[:12]}"


def _name_from_cover(lines: list[Line]) -> str:
    for line in lines[:40]:
        text = line.text.strip()
        if text and not _TITLE_YEAR.search(text) and any(word in text for word in _UNIT_SUFFIXES):
            return text
    return ""


def _year_and_kind(lines: list[Line], table_years: list[int]) -> tuple[int, str]:
    # The cover first; without a cover, the part headings (第二部分 2024年单位预算报表).
    headings = [line for line in lines[60:] if _PART_HEADING.match(line.text)]
    for line in [*lines[:60], *headings]:
        match = _TITLE_YEAR.search(line.text)
        if match:
            return int(match.group(1)), match.group(2)
    year = Counter(table_years).most_common(1)[0][0]
    return year, "部门"


def _narrative_lines(lines: list[Line], parts: dict[int, tuple[int, int]]) -> list[Line]:
    """第一 and 第三部分, without the catalog pages (parsed separately) and the tables' own lines."""
    selected: list[Line] = []
    for number in (1, 3):
        if number in parts:
            selected.extend(lines[slice(*parts[number])])
    out: list[Line] = []
    skipping = False
    kept_after_heading = 0
    for line in selected:
        text = line.text.strip()
        if _CATALOG_HEADING.search(text) and len(text) < 30:
            skipping = True
            kept_after_heading = 0
            out.append(line)
            continue
        if skipping:
            if text and kept_after_heading < _KEEP_AFTER_CATALOG_HEADING and "\t" not in line.text:
                out.append(line)
                kept_after_heading += 1
            continue
        out.append(line)
    return out
