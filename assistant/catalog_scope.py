"""Which catalog department and version a question means, and what to offer when it does not say.

In: an `AskContext` (question, named budget documents, the `CatalogSearch`). Out: a `CatalogScope`:
the versions to try (named in the question, else adopted by the named document, else every version
newest first, flagged `version_given=False`), and the department (named in everyday words such as
法院, 住建部门, 卫健委, or the named document's own), or None with `department_given=False`.
Department names come from the catalogs themselves; nothing here names a particular department.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.catalog_search import CatalogSearch
from assistant.context import AskContext

_VERSION_TEXT = re.compile(r"[\u4e00-\u9fff]{0,3}[〔【\[(（]\d{4}[〕】\])）]\s*\d+号|\d+号|B类|第一批")
_BEFORE_SUFFIX = re.compile(r"([\u4e00-\u9fff]{2,8}?)(部门|局|委员会|委|厅|领域|系统)")
_LEADING = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(?:想|请|把|找|给|搞|办|帮|要|在|用|检测|维修|组织|外包|的)")
_B_CLASS = re.compile(r"B类|B\d{2,4}|通用|本单位|单位自身", re.IGNORECASE)


@dataclass
class CatalogScope:
    """The versions to look in (best first) and the department, with whether the question gave them."""

    versions: list[str] = field(default_factory=list)
    version_given: bool = False
    department: str | None = None
    department_given: bool = False
    ambiguous: list[str] = field(default_factory=list)  # several departments the words could mean


def _newest_first(catalog: CatalogSearch, versions: list[str]) -> list[str]:
    def year_number(version: str) -> tuple[int, int]:
        numbers = [int(n) for n in re.findall(r"\d+", version)]
        return (numbers[0], numbers[1]) if len(numbers) >= 2 else (0, 0)

    return sorted(versions, key=year_number, reverse=True)


def named_versions(question: str, catalog: CatalogSearch) -> list[str]:
    """Versions the question names (文号, `43号`, `B类`, `第一批`), in the order named."""
    found: list[str] = []
    for match in _VERSION_TEXT.finditer(question):
        found += catalog.version_candidates(match.group(0))
    return list(dict.fromkeys(found))


def department_mentions(question: str, catalog: CatalogSearch) -> tuple[str | None, list[str]]:
    """The catalog department the question names in its own words, and the candidates when unsure."""
    explicit: list[str] = []  # 商务部门, 生态环境领域: said to be the catalog's department
    phrases: list[str] = []
    for match in _BEFORE_SUFFIX.finditer(question):
        target = explicit if match.group(2) in ("部门", "领域", "系统") else phrases
        target += [match.group(0), match.group(1)]
    leading = _LEADING.match(question)
    if leading:
        phrases.append(leading.group(1))
    phrases = explicit + phrases
    for phrase in phrases:
        chosen = catalog.match_department(phrase)
        if chosen is not None:
            return chosen, []
    for name in catalog.departments():
        if len(name) >= 2 and name in question:
            return name, []
    for phrase in phrases:
        candidates = catalog.department_candidates(phrase)
        if len(candidates) > 1:
            return None, candidates[:8]
    return None, []


def resolve_scope(context: AskContext) -> CatalogScope:
    """Versions and department for a catalog question (see the module docstring)."""
    catalog = context.catalog
    question = context.query.question
    scope = CatalogScope()
    named = named_versions(question, catalog)
    b_class = [v for v in catalog.versions() if v in catalog.version_candidates("B类")]
    if named:
        scope.versions, scope.version_given = named, True
    else:
        adopted = [str(v) for d in context.query.docs for v in d.summary.adopted_catalogs]
        adopted = [v for v in adopted if v in catalog.versions()]
        if adopted:
            a_only = [v for v in adopted if v not in b_class]
            scope.versions = adopted if _B_CLASS.search(question) else (a_only or adopted)
            scope.version_given = True
        else:
            scope.versions = _newest_first(catalog, catalog.versions())
    department, ambiguous = department_mentions(question, catalog)
    if department is None:
        for doc in context.query.docs:
            department = catalog.match_department(doc.department)
            if department:
                break
    scope.department = department
    scope.department_given = department is not None
    scope.ambiguous = ambiguous
    return scope
