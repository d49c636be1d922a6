"""Catalog answers: code → service, service → code, and the services under one heading.

In: an `AskContext` whose query names a catalog code or a service. The catalog version comes from the
question (文号, 43号, B类, 第一批) or else from the versions the named document adopts; the department
from the words before 部门 or else the named document's own department.
"""

from __future__ import annotations

import re

from assistant.answer import Answer
from assistant.composer import Statement, compose
from assistant.context import AskContext
from ingest.model import CatalogEntry
from ingest.records import Record

_VERSION_TEXT = re.compile(r"[\u4e00-\u9fff]{0,3}〔\d{4}〕\d+号|\d+号|B类|第一批")
_DEPARTMENT = re.compile(r"([\u4e00-\u9fff]{2,10}?)(?:部门|领域)(?:的|“|\")")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,40})[”\"]")
_NOISE = re.compile(
    r"按|所附|的|目录|代码|编号|编码|是什么|是多少|是啥|服务$|里|中|年|预算公开|公开|部门|那个|购买服务|政府|指导性|"
    r"晋财综|〔\d+〕|\d+号|第一批|B类|有哪些|下|哪些|包括|能|？|\?|，|。|[A-Za-z]?\d+"
)


def _versions(context: AskContext) -> list[str]:
    question = context.query.question
    found: list[str] = []
    for match in _VERSION_TEXT.finditer(question):
        found += context.catalog.version_candidates(match.group(0))
    if "B类" in question:
        b = [
            v
            for v in context.catalog.versions()
            if context.catalog.version_candidates("B类") and v in context.catalog.version_candidates("B类")
        ]
        found = [v for v in found if v in b] or b
    adopted = [str(v) for d in context.query.docs for v in d.summary.get("adopted_catalogs", [])]
    if found:
        return list(dict.fromkeys(found))
    if adopted:
        if "B类" not in question:
            a_only = [v for v in adopted if v not in context.catalog.version_candidates("B类")]
            return a_only or adopted
        return adopted
    return []


def _departments(context: AskContext, version: str | None) -> list[str | None]:
    question = context.query.question
    match = _DEPARTMENT.search(question)
    names: list[str | None] = []
    if match:
        names += context.catalog.department_candidates(match.group(1), version)[:1]
    for doc in context.query.docs:
        if not names:
            names += context.catalog.department_candidates(doc.department, version)[:1]
    if not names:
        for candidate in context.catalog.departments(version):
            if candidate and candidate in question:
                names.append(candidate)
                break
    return [*names, None]


def _record(context: AskContext, entry: CatalogEntry) -> Record | None:
    return context.catalog_records.get((entry.version, entry.department, entry.code))


def _describe(entry: CatalogEntry) -> str:
    path = " > ".join(level for level in entry.levels if level)
    owner = f"{entry.department}部门，" if entry.department else ""
    return f"{entry.code} {entry.name}（{owner}{entry.version}；目录层级：{path}）"


def adoption(context: AskContext, version: str) -> Statement | None:
    """The named document's own sentence saying it follows `version` (so the answer cites the document)."""
    number = re.search(r"〔(\d{4})〕(\d+)号", version)
    for doc in context.query.docs[:1]:
        for record in context.index.records(doc_id=doc.doc_id, kind="paragraph"):
            text = str(record.payload.get("quote") or record.text)
            if number and re.search(rf"{number.group(1)}\D{{1,2}}{number.group(2)}号", text):
                return Statement(f"{doc.title}所附目录为{version}", [record])
        adopted = [str(v) for v in doc.summary.get("adopted_catalogs", [])]
        if version in adopted:
            return Statement(f"{doc.title}所附目录包括{version}", [doc.record])
    return None


def _answer(context: AskContext, entries: list[CatalogEntry], lead: str) -> Answer | None:
    statements = []
    if entries:
        source = adoption(context, entries[0].version)
        if source is not None:
            statements.append(source)
    for entry in entries:
        record = _record(context, entry)
        statements.append(Statement(f"{lead}{_describe(entry)}", [record] if record else []))
        lead = ""
    if not statements:
        return None
    return compose(statements, intent=context.query.intent, language=context.query.language)


def _service_words(question: str) -> str:
    quoted = _QUOTED.findall(question)
    if quoted:
        return quoted[-1]
    tail = re.split(r"目录(?:里|中)?[，,]?", question)[-1]
    return _NOISE.sub(" ", tail).strip()


def answer_catalog(context: AskContext) -> Answer | None:
    """A code's service, or a service's code, in the right department and catalog version."""
    query = context.query
    for version in [*_versions(context), None]:
        for department in _departments(context, version):
            if query.codes:
                found = [
                    e for code in query.codes for e in context.catalog.by_code(code, department, version)
                ]
                if found:
                    return _answer(context, found[:3], "政府购买服务指导性目录：")
                continue
            words = _service_words(query.question)
            if not words:
                return None
            hits = context.catalog.search(words, department=department, version=version, k=3)
            if hits and hits[0].score >= 0.5:
                return _answer(context, [hits[0].entry], "目录代码：")
    return None


def answer_catalog_listing(context: AskContext) -> Answer | None:
    """The services under one heading (医保经办服务 → A040801…A040806) of one department and version."""
    query = context.query
    words = _service_words(query.question)
    for version in [*_versions(context), None]:
        for department in _departments(context, version):
            pool = [e for e in context.catalog.entries if e.version == version or version is None]
            pool = [e for e in pool if department is None or e.department == department]
            heading = [e for e in pool if words and any(words in level for level in e.levels[:-1])]
            if not heading and department is not None:
                continue
            if not heading and not words:
                heading = pool
            if heading:
                return _answer(context, heading[:40], f"“{words}”下的服务：" if words else "")
    return None
