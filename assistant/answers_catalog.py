"""Catalog answers: code → service, service → code, and the services under one heading.

In: an `AskContext` whose query names a catalog code or a service. The catalog version comes from the
question (文号, 43号, B类, 第一批) or else from the versions the named document adopts; the department
from the words before 部门 or else the named document's own department.
"""

from __future__ import annotations

import re

from assistant.answer import Answer
from assistant.catalog_scope import CatalogScope, resolve_scope
from assistant.composer import Statement, compose
from assistant.context import AskContext
from ingest.api import CatalogEntry, DocumentSummary, Record

MIN_SCORE_IN_DEPARTMENT = 0.25  # within one department's list a weaker match is still the best guess
MIN_SCORE = 0.5  # across departments the match must be clear
_ASK = re.compile(
    r"[，,]?\s*(?:它|这项服务)?(?:的|在)?(?:目录)?(?:代码|编码|编号)(?:是什么|是多少|是啥)?[？?。]?$|"
    r"[，,]?\s*是什么服务[？?。]?$|[？?。]$"
)
_SCOPE_PREFIX = re.compile(r"^[\u4e00-\u9fff（）()]{2,16}部门[：:，,]|^通用（B类）[：:，,]")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,40})[”\"]")
_NOISE = re.compile(
    r"按|所附|的|目录|代码|编号|编码|是什么|是多少|是啥|服务$|里|中|年|预算公开|公开|部门|那个|购买服务|政府|指导性|"
    r"晋财综|〔\d+〕|\d+号|第一批|B类|有哪些|下|哪些|包括|能|？|\?|，|。|[A-Za-z]?\d+|"
    r"把.{0,6}列出来|列出来|列一下|告诉我|都|[（）()【】〔〕\[\]]"  # list requests and brackets
)


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
        adopted = [str(v) for v in doc.summary.adopted_catalogs]
        if version in adopted:
            return Statement(f"{doc.title}所附目录包括{version}", [doc.record])
    return None


def _answer(
    context: AskContext, entries: list[CatalogEntry], lead: str, note: Statement | None = None
) -> Answer | None:
    statements = [note] if note is not None else []
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
    tail = _SCOPE_PREFIX.sub("", re.split(r"目录(?:里|中)?[，,]?", question)[-1])
    if _NOISE.sub(" ", tail).strip():
        return _ASK.sub("", tail).strip() or _NOISE.sub(" ", tail).strip()
    # the ask after the service: 法院请人做宣传，目录代码是什么？
    head = re.split(r"[，,]?\s*(?:的)?(?:目录)?(?:代码|编码|编号)", question)[0]
    head = _SCOPE_PREFIX.sub("", re.sub(r"^.*?目录(?:里|中)[，,]?", "", head))
    return _ASK.sub("", head).strip()


def _version_note(context: AskContext, scope: CatalogScope, used: str) -> Statement | None:
    """Which version answered when the question named none, and the other versions of the department."""
    if scope.version_given:
        return None
    department = scope.department
    held = [v for v in scope.versions if department is None or department in context.catalog.departments(v)]
    others = "、".join(v for v in held if v != used)
    text = f"问题没有指明目录版本，以下按{used}回答"
    return Statement(text + (f"（另有{others}，代码或名称不同的一并列出）" if others else "") + "。")


def _listed(
    context: AskContext, lead: str, entries: list[CatalogEntry], ask_for: str, short: bool = False
) -> Answer:
    """Candidates instead of a guess: each entry with its department (and version), then what to add."""
    statements = [Statement(lead)]
    for entry in entries:
        record = _record(context, entry)
        text = f"{entry.department}部门：{entry.name}；" if short else _describe(entry)
        statements.append(Statement(text, [record] if record else []))
    statements.append(Statement(ask_for))
    return compose(statements, intent="catalog", language=context.query.language)


def _same_department_elsewhere(
    context: AskContext, scope: CatalogScope, first: CatalogEntry, words: str | None
) -> list[CatalogEntry]:
    """The same service (or code) of the department in the other versions, when it reads differently."""
    out = []
    for version in scope.versions:
        if version == first.version or scope.version_given:
            continue
        if words is None:
            found = context.catalog.by_code(first.code, first.department or None, version)
        else:
            hits = context.catalog.search(words, department=first.department or None, version=version, k=1)
            found = [h.entry for h in hits if h.score >= 0.5]
        out += [e for e in found[:1] if (e.code, e.name) != (first.code, first.name)]
    return out


def _by_codes(context: AskContext, scope: CatalogScope) -> Answer | None:
    catalog = context.catalog
    department = scope.department
    for version in scope.versions:
        found = [e for code in context.query.codes for e in catalog.by_code(code, department, version)]
        if not found:
            continue
        departments = {e.department for e in found}
        if department is None and len(departments) > 1:
            return _listed(
                context,
                f"同一目录代码在各部门是不同的服务，问题没有说明部门；{version}中{found[0].code}的候选如下：",
                found[:80],
                f"请说明是哪个部门（例如“{found[0].department}部门的{found[0].code}”）。",
                short=True,
            )
        answer_entries = found[:3] + _same_department_elsewhere(context, scope, found[0], None)
        return _answer(
            context, answer_entries, "政府购买服务指导性目录：", _version_note(context, scope, version)
        )
    return None


def _by_words(context: AskContext, scope: CatalogScope, words: str) -> Answer | None:
    catalog = context.catalog
    if scope.department is not None:
        for held in scope.versions:
            hits = catalog.search(words, department=scope.department, version=held, k=3)
            if hits and hits[0].score >= MIN_SCORE_IN_DEPARTMENT:
                first = hits[0].entry
                entries = [first, *_same_department_elsewhere(context, scope, first, words)]
                return _answer(context, entries, "目录代码：", _version_note(context, scope, held))
    version = scope.versions[0] if scope.version_given and len(scope.versions) == 1 else None
    hits = catalog.search(words, version=version, k=12)
    general = bool(hits) and not hits[0].entry.department  # B类: one list for every department
    hits = [h for h in hits if h.score >= (MIN_SCORE_IN_DEPARTMENT if general else MIN_SCORE)]
    if not hits:
        return None
    top = hits[0]
    close = [h for h in hits if h.score >= top.score * 0.8]
    departments = list(dict.fromkeys(h.entry.department for h in close))
    if not top.entry.department or len(departments) == 1:
        missing = None
        if scope.department is not None:
            missing = Statement(
                f"{scope.department}部门的目录中没有找到这项服务，它列在{top.entry.department}部门的目录中。"
            )
        return _answer(context, [top.entry], "目录代码：", missing)
    if scope.ambiguous:
        lead = f"问题中的部门可能是{'、'.join(scope.ambiguous)}，以下是各部门目录中相近的服务："
    else:
        lead = "目录按部门分列，问题没有说明部门；以下部门的目录中有相近的服务："
    picked = list({(h.entry.department, h.entry.code): h.entry for h in close}.values())[:8]
    return _listed(context, lead, picked, "请说明部门（以及目录版本），即可给出唯一的代码。")


def answer_catalog(context: AskContext) -> Answer | None:
    """A code's service, or a service's code, in the right department and catalog version.

    When the department is needed and not given, the candidates are listed instead of a guess; when
    the version is not given, the answer says which one it used and shows other versions that differ.
    """
    scope = resolve_scope(context)
    if not scope.versions:
        return None
    if context.query.codes and _LIST_WORDS.search(context.query.question):
        listed = _under_heading_codes(context, scope)
        if listed is not None:
            return listed
    if context.query.codes:
        return _by_codes(context, scope)
    words = _service_words(context.query.question)
    return _by_words(context, scope, words) if words else None


# Class: asking for what a heading holds (包括哪些/有哪些/下有哪些/都有什么).
_LIST_WORDS = re.compile(r"包括哪些|有哪些|下有哪些|都有什么|包括什么|包含哪些")


def _under_heading_codes(context: AskContext, scope: CatalogScope) -> Answer | None:
    """The services whose codes sit under a heading code the question names (A16 → A160101…)."""
    for code in context.query.codes:
        for version in scope.versions:
            pool = [
                e
                for e in context.catalog.entries
                if e.version == version
                and (scope.department is None or e.department == scope.department)
                and e.code.startswith(code)
                and e.code != code
            ]
            if pool:
                heading = next((level for level in pool[0].levels if level), code)
                depth = (len(code) - 1) // 2  # A16 is the second level, A1601 the third
                name = pool[0].levels[depth] if len(pool[0].levels) > depth else heading
                return _answer(context, pool[:40], f"{code}“{name}”下的服务：")
    return None


def answer_catalog_listing(context: AskContext) -> Answer | None:
    """The services under one heading (医保经办服务 → A040801…A040806) of one department and version."""
    query = context.query
    words = _NOISE.sub(" ", _service_words(query.question)).strip()
    scope = resolve_scope(context)
    words = re.sub(r"能?购买|能?买|可以买|服务", " ", words).strip()
    if scope.department and words and (words in scope.department or scope.department in words):
        words = words.replace(scope.department, "").strip()  # 信访部门能购买哪些服务: the whole list
    for version in [*scope.versions, None]:
        for department in [scope.department, None] if scope.department else [None]:
            pool = [e for e in context.catalog.entries if e.version == version or version is None]
            pool = [e for e in pool if department is None or e.department == department]
            if words:
                heading = [e for e in pool if any(words in level for level in e.levels[:-1])]
            else:
                heading = pool if department is not None or version is not None else []
            if not heading and department is not None:
                continue
            if heading:
                return _answer(context, heading[:40], f"“{words}”下的服务：" if words else "")
    return None


# Class: a question about the purchase-of-services catalog (目录代码, 政府购买服务目录, a code like A1004).
_ASKS_CATALOG = re.compile(r"政府购买服务.{0,8}目录|目录代码|[AB]\d{3,6}", re.IGNORECASE)


def no_catalog(context: AskContext) -> Answer | None:
    """The documents the question names hold no catalog (many provinces publish none with the budget):
    say so plainly instead of answering from another document's catalog."""
    query = context.query
    if not query.docs or not _ASKS_CATALOG.search(query.question):
        return None
    if any(_has_catalog(doc.summary) for doc in query.docs):
        return None
    titles = "、".join(doc.title for doc in query.docs)
    if query.language == "en":
        text = f"{titles} has no purchase-of-services catalog attached and names none, so it gives no catalog codes."
    else:
        text = f"{titles}没有附政府购买服务指导性目录，也没有写明执行哪个目录，因此文件中没有目录代码可查。"
    answer = compose([Statement(text)], intent=query.intent, language=query.language, refused=True)
    answer.plan = [{"op": "refuse", "inputs": {"no_catalog": titles}, "result": text}]
    return answer


def _has_catalog(summary: DocumentSummary) -> bool:
    return bool(summary.counts.get("catalog_entries")) or bool(summary.adopted_catalogs)
