"""Cleaned lines of one disclosure → `Disclosure` (tables, paragraphs, facts, glossary, catalog)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from ingest.errors import IngestError
from ingest.model import Disclosure, Line, Paragraph
from ingest.parsing.arithmetic import check_table
from ingest.parsing.catalog import parse_catalogs
from ingest.parsing.departments import make_department
from ingest.parsing.layout import TableBlock, find_layout
from ingest.parsing.narrative import facts, glossary, paragraphs
from ingest.parsing.performance import find_forms
from ingest.parsing.quality import quality_record, quality_warnings
from ingest.parsing.tables import parse_table
from ingest.parsing.templates import BY_NAME, NONE, SHANXI, Template, recognise, table_template
from ingest.parsing.text_loader import LoadedText

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
    """Parse a loaded text export or PDF by the template its tables follow (ingest.parsing.templates).

    A document whose tables follow neither template is kept for its text, with a warning. Raises
    IngestError only when there is no text to keep or no department name anywhere."""
    lines = loaded.lines
    file = loaded.path.name
    layout = find_layout(lines)
    template_name = recognise([block.title for block in layout.tables])
    template = BY_NAME.get(template_name)
    if template_name == NONE and not _about_a_budget(lines):
        raise IngestError(
            loaded.path,
            "没有找到任何预算公开报表，不像是部门预算公开文件：文件中既没有模板表的标题"
            "（如“2024年预算收支总表”“2026年部门财务收支预算总表”），也没有带“部门名称：”或“单位名称：”"
            "表头的表，文字中也没有讲预算、职能或机构设置",
            "请确认文件是部门（单位）预算公开文件，且 PDF 有文字层（扫描件请先做 OCR）",
        )
    if template is not None and template.sections is not None:
        _stop_blocks_at_sections(layout.tables, template)
    parsed = []
    for block in layout.tables:
        by = table_template(block.title, template_name)
        parsed.append(parse_table(block, file, by.spec(f"表{_KEY_WORDS[block.number - 1]}"), by.name))
    names = Counter(p.department for p in parsed if p.department)
    raw_name = names.most_common(1)[0][0] if names else _name_from_cover(lines)
    if not raw_name and template_name != NONE:
        raise IngestError(
            loaded.path,
            "找不到部门或单位名称（表头“部门名称：”或“单位名称：”，或封面上的名称）",
            "请检查文件是否完整",
        )
    raw_name = raw_name or _name_from_file(loaded.path.stem)  # a text-only file is kept under its name
    department = make_department(raw_name)
    year, kind = _year_and_kind(lines, [block.year for block in layout.tables])
    forms = find_forms(lines, file, *layout.parts.get(3, (0, 0)))
    in_forms = {n for form in forms for n in range(form.lines[0], form.lines[1] + 1)}
    if layout.parts or template_name == SHANXI:
        narrative_lines = [
            line for line in _narrative_lines(lines, layout.parts) if line.number not in in_forms
        ]
        paras = paragraphs(narrative_lines, file)
        glossary_lines = lines[slice(*layout.parts[4])] if 4 in layout.parts else []
        glossary_paras = paragraphs(glossary_lines, file)
    else:  # sections by their headings (national layout), or the whole text of an unrecognised file
        paras, glossary_paras = _sections(lines, layout.tables, template, file)
    catalog = parse_catalogs(lines, file)
    tables = [p.table for p in parsed] + [t for p in parsed for t in p.also]
    doc = Disclosure(
        doc_id=_doc_id(department.name, year, loaded.sha256),
        file=file,
        sha256=loaded.sha256,
        department=department,
        year=year,
        kind=kind,
        title=f"{department.name}{year}年度{kind}预算" if year else f"{department.name}（未写明年度）",
        tables=tables + [form.table for form in forms],
        paragraphs=paras + [p for form in forms for p in form.paragraphs] + glossary_paras,
        facts=facts(paras),
        glossary=glossary(glossary_paras),
        catalog_versions=catalog.versions,
        catalog_entries=catalog.entries,
        adopted_catalogs=catalog.adopted,
        warnings=[w for p in parsed for w in p.warnings] + list(catalog.warnings),
        template=template_name,
    )

    checks = 0
    for table in tables:
        result = check_table(table)
        checks += result.checked
        doc.findings.extend(result.findings)
    # a mixed document is checked against every role key; a text-only one against none
    expected = template.keys if template is not None else [] if template_name == NONE else None
    doc.quality = quality_record(doc, checks, expected)
    doc.warnings[:0] = quality_warnings(doc.quality)  # first: the upload page shows the first few
    return doc


_KEY_WORDS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
_TOC_LINE = re.compile(r"\.{3,}|…{2,}|^\s*…\s*$")


def _stop_blocks_at_sections(blocks: list[TableBlock], template: Template) -> None:
    """A table block ends at the next narrative section heading (其他相关情况说明 after the last table)."""
    assert template.sections is not None
    for block in blocks:
        for k, line in enumerate(block.lines):
            if template.sections.match(line.text):
                del block.lines[k:]
                break


def _sections(
    lines: list[Line], blocks: list[TableBlock], template: Template | None, file: str
) -> tuple[list[Paragraph], list[Paragraph]]:
    """Narrative outside the tables → (paragraphs, glossary paragraphs), each under its section heading
    (名词解释 is the glossary). Without a template every non-table line is one text."""
    in_tables = {line.number for block in blocks for line in block.lines}
    heading = ""
    chunks: dict[str, list[Line]] = {}
    for line in lines:
        if line.number in in_tables or _TOC_LINE.search(line.text):
            continue
        text = line.text.strip()
        if template is not None and template.sections is not None and template.sections.match(text):
            heading = text
            chunks.setdefault(heading, [])
            continue
        chunks.setdefault(heading, []).append(line)
    paras: list[Paragraph] = []
    glossary_paras: list[Paragraph] = []
    for name, chunk in chunks.items():
        base = (name,) if name else ()
        found = paragraphs(chunk, file, base)
        (glossary_paras if name == "名词解释" else paras).extend(found)
    return paras, glossary_paras


def _doc_id(name: str, year: int, sha256: str) -> str:
    digest = hashlib.sha256(f"{name}|{year}|{sha256}".encode()).hexdigest()
    return f"{year}-{digest[:12]}"


def _name_from_cover(lines: list[Line]) -> str:
    for line in lines[:40]:
        text = line.text.strip()
        title = _TITLE_YEAR.search(text)
        before = text[: title.start()].strip() if title else ""
        if before and before.endswith(_UNIT_SUFFIXES):  # 某某局2025年度部门预算: the name before the year
            return before
        if text and not title and any(word in text for word in _UNIT_SUFFIXES):
            return text
    return ""


# A text that speaks of a budget or of a body's remit (预算, 职能/职责, 机构设置, 第N部分): kept for its
# text when its tables are not recognised; any other text (a recipe, a letter) is not a disclosure.
_BUDGET_WORDS = re.compile(r"预算|决算|职能|职责|机构设置|^\s*第[一二三四]部分")


def _about_a_budget(lines: list[Line]) -> bool:
    return any(_BUDGET_WORDS.search(line.text) for line in lines)


def _name_from_file(stem: str) -> str:
    """`2025_某某局_部门预算` → 某某局: the part that names a unit, else the whole file name."""
    parts = [p for p in re.split(r"[_\s-]+", stem) if p]
    return next((p for p in parts if any(p.endswith(s) for s in _UNIT_SUFFIXES)), stem)


def _year_and_kind(lines: list[Line], table_years: list[int]) -> tuple[int, str]:
    # The cover first; without a cover, the part headings (第二部分 2024年单位预算报表).
    headings = [line for line in lines[60:] if _PART_HEADING.match(line.text)]
    for line in [*lines[:60], *headings]:
        match = _TITLE_YEAR.search(line.text)
        if match:
            return int(match.group(1)), match.group(2)
    if table_years:
        return Counter(table_years).most_common(1)[0][0], "部门"
    any_year = next((m for line in lines[:80] if (m := re.search(r"((?:19|20)\d{2})\s*年", line.text))), None)
    return (int(any_year.group(1)) if any_year else 0), "部门"


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
