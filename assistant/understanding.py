"""Understanding a question: intent, documents (department + year), catalog codes, what is asked.

In: the question and the ingested documents (`DocumentHit`s of the structured index). Out: a `Query`.
Departments are matched on the names and aliases the documents themselves carry (short forms,
region prefixes, one-character typos); nothing here names a particular department.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.lexicon import (
    english_department_phrase,
    english_department_words,
    expand,
    is_english,
    undisclosed_topic,
)
from ingest.api import DocumentHit

INTENTS = ("lookup", "comparison", "arithmetic", "catalog", "glossary", "narrative", "listing")

_CODE = re.compile(r"(?<![A-Za-z0-9])([AB]\d{2,6})(?![0-9])", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d〔【\[{])(20\d\d)(?=\s*年|[^\d]|$)")
_DOC_YEAR = re.compile(r"(?:按|用|据|在)?(20\d\d)\s*年?(?:度)?的?(?:部门)?(?:预算)?公开")
_ORG = re.compile(r"([\u4e00-\u9fff]{2,3}[市县区])?([\u4e00-\u9fff]{1,8}?)(局|委员会|厅)")

_CATALOG_LIST = re.compile(r"有哪些|包括哪些|下有哪些|能购买哪些|能买哪些|哪些服务")
_CATALOG = re.compile(r"目录|[AB]\d{3,6}|代码|编号|编码", re.IGNORECASE)
_CATALOG_VERSION_Q = re.compile(r"哪个.{0,6}(文件|目录)|哪版|哪一版|依据的是|执行的是|采用的是|跟的是")
_DEFINITION = re.compile(
    r"是什么意思|什么意思|指什么|指的是|是什么钱|是啥意思|是什么|是啥|包括哪些|包括啥|都包括|名词解释|what (is|are|does)|"
    r"什么是|什么叫|啥是|啥叫|何为|何谓|含义|定义|解释一下"  # the definition asked before the term
)
_COMPARISON = re.compile(
    r"比上年|比去年|跟去年|和去年|比20\d\d|跟20\d\d年比|和20\d\d年比|相比|变化|增加还是减少|多了还是少了|"
    r"谁的|哪个高|哪个更高|更多|最大|最多|最高|相差|各有|涨了|增加了多少|减少了多少|多了多少|少了多少|"
    r"compared|change"
)
_ARITHMETIC = re.compile(
    r"加起来|合计|一共多少|总共多少|一共|占.{0,18}(比例|百分之|多少|比重)|比例|差多少|多多少|推算|"
    r"增长了百分之几|\bshare\b|proportion"
)
_NARRATIVE = re.compile(
    r"为什么|为啥|为何|原因|(怎么|如何)(解释|说明)|咋|怎么涨|怎么少|怎么多|干什么|做什么|干啥|是干|职责|机构设置|负责什么|怎么算|建些什么|"
    r"绩效目标|用途|\bwhy\b|what for"
)
_LISTING = re.compile(r"有哪些|都有哪些|哪些项目|花在哪些|都是干啥用|都是干什么用|哪些单位")
_PREVIOUS = re.compile(r"去年|上年|上一年|推算|last year|previous year")


@dataclass
class Query:
    """What a question asks, as the assistant understood it."""

    question: str
    expanded: str  # the question plus the budget terms its words stand for
    language: str  # "zh" or "en"
    intent: str  # one of INTENTS
    docs: list[DocumentHit] = field(default_factory=list)  # mentioned documents, in mention order
    target_year: int | None = None  # the year whose figure is asked
    derived_year: bool = False  # the figure is for the year before the document's (from its stated change)
    missing_year: int | None = None  # a year no document covers
    unknown_department: str | None = None  # a department named that no document covers
    ambiguous_departments: list[str] = field(default_factory=list)  # 财政局 with no region, many held
    undisclosed: str | None = None  # a kind of information budget disclosures never hold
    codes: list[str] = field(default_factory=list)
    terms: str = ""  # the question without department names and years: what is asked about
    plain: str = ""  # the same, before everyday words were expanded


def _norm(text: str) -> str:
    return re.sub(r"[\s“”\"'*（）()\[\]【】]", "", text)


def _close(a: str, b: str) -> bool:
    """Same length and at most one character different (孟县 for 盂县)."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def _first_close(question: str, name: str) -> int:
    """Where `question` first holds `name` with one character different, or -1. One differing
    character leaves one half of the name intact, so only windows around an exact half are compared
    (a few `str.find` scans instead of one comparison per position: fast on any question length)."""
    half = len(name) // 2
    starts: set[int] = set()
    for part, offset in ((name[:half], 0), (name[half:], half)):
        found = question.find(part)
        while found >= 0:
            starts.add(found - offset)
            found = question.find(part, found + 1)
    fits = (i for i in sorted(starts) if 0 <= i <= len(question) - len(name))
    return next((i for i in fits if _close(question[i : i + len(name)], name)), -1)


def document_names(doc: DocumentHit) -> list[str]:
    """The department's name and aliases as the document gives them, longest first."""
    names = {doc.department, *(str(a) for a in doc.summary.aliases)}
    names = {re.sub(r"\[.*?\]", "", n) for n in names if n}
    return sorted(names, key=len, reverse=True)


def _region_short(region: str) -> str:
    return region[:-1] if len(region) > 2 and region[-1] in "市县区" else region


@dataclass(frozen=True)
class _Mention:
    """Where a question names a department, and how: with its region (柳林县医保局, 柳林医保局), by the
    bare kind (医保局), or with one character off (孟县 for 盂县)."""

    position: int
    end: int
    how: str  # "region" | "bare" | "typo"


def _region_forms(region: str) -> set[str]:
    return {form for form in (region, _region_short(region)) if len(form) >= 2}


def _find_mention(
    question: str, doc: DocumentHit, regions: set[str], near: set[str] | None = None
) -> _Mention | None:
    """Where `question` names the document's department (exact, or one typo in a long name), or None.

    A name without the region (财政局) does not count when a region other than the document's stands
    right before it: another county's office is never this one. `regions` are every held document's
    region forms (孝义市, 孝义), so a region written without 市/县 is recognised
    too. `near`, when given, holds the only names worth a scan for one character off."""
    region = doc.summary.region
    own = _region_forms(region)
    for name in document_names(doc):
        position = question.find(name)
        how = "region" if any(name.startswith(form) for form in own) else "bare"
        if position < 0 and len(name) >= 5 and (near is None or name in near):
            position = _first_close(question, name)
            how = "typo"
        if position < 0:
            continue
        if how == "bare" and _other_region_before(question[:position], own, regions):
            continue  # 太原市财政局 is not 孝义市财政局
        return _Mention(position, position + len(name), how)
    return None


def _other_region_before(before: str, own: set[str], regions: set[str]) -> bool:
    """Whether `before` ends with a region that is not the document's own (太原市, or a held 孝义)."""
    written = re.search(r"([\u4e00-\u9fff]{2,3})[市县区省]$", before[-4:])
    if written and not any(form in written.group(0) for form in own):
        return True
    if any(before.endswith(form) for form in own):
        return False
    return any(before[-length:] in regions for length in range(2, min(len(before), 8) + 1))


class _NameIndex:
    """Every held department's names (and region forms) as dictionaries, so a question is matched
    against a thousand departments by looking its substrings up, not by scanning every name.

    `candidates` gives a superset of the departments `_find_mention` can find (an exact name, or a
    name of five or more characters with one character off) and the names seen one character off;
    `_find_mention` then decides for those few."""

    def __init__(self, firsts: Sequence[DocumentHit]) -> None:
        self.regions: set[str] = set()
        self.departments: dict[str, set[str]] = {}  # name → departments it names
        self.near: dict[str, set[str]] = {}  # a name with one character as "?" → names
        for doc in firsts:
            self.regions |= _region_forms(doc.summary.region)
            for name in document_names(doc):
                self.departments.setdefault(name, set()).add(doc.department)
                if len(name) >= 5:
                    for i in range(len(name)):
                        self.near.setdefault(name[:i] + "?" + name[i + 1 :], set()).add(name)
        self.lengths = sorted({len(name) for name in self.departments})

    def candidates(self, question: str) -> tuple[set[str], set[str]]:
        """(departments possibly named, names found with one character off)."""
        found: set[str] = set()
        near: set[str] = set()
        for length in self.lengths:
            for start in range(len(question) - length + 1):
                piece = question[start : start + length]
                found |= self.departments.get(piece, set())
                if length >= 5:
                    for i in range(length):
                        near |= self.near.get(piece[:i] + "?" + piece[i + 1 :], set())
        for name in near:
            found |= self.departments[name]
        return found, near


_NAME_INDEXES: dict[tuple[tuple[str, str], ...], _NameIndex] = {}


def _name_index(firsts: tuple[DocumentHit, ...]) -> _NameIndex:
    """The name index of these documents, built once per document set (a few are kept)."""
    key = tuple((d.doc_id, d.department) for d in firsts)
    if key not in _NAME_INDEXES:
        if len(_NAME_INDEXES) >= 8:
            _NAME_INDEXES.pop(next(iter(_NAME_INDEXES)))
        _NAME_INDEXES[key] = _NameIndex(firsts)
    return _NAME_INDEXES[key]


def _mentions(
    question: str, by_department: dict[str, list[DocumentHit]]
) -> tuple[list[tuple[_Mention, str]], list[str]]:
    """Departments the question names, with where; and the departments only a bare kind names when
    several fit (财政局 with no region while many counties' are held) — ambiguous, so none is chosen.

    A name with its region beats the bare kind and a typo at the same place: among a hundred 财政局,
    正田县财政局 is that county's, never 正乐县's (one character off)."""
    firsts = tuple(versions[0] for versions in by_department.values())
    names = _name_index(firsts)
    found: list[tuple[_Mention, str]] = []
    departments, near = names.candidates(question)
    for department in departments:
        mention = _find_mention(question, by_department[department][0], names.regions, near)
        if mention is not None:
            found.append((mention, department))
    found.sort(key=lambda item: (item[0].position, item[1]))

    def overlaps(a: _Mention, b: _Mention) -> bool:
        return a.position < b.end and b.position < a.end

    exact = [m for m, _ in found if m.how == "region"]
    found = [(m, d) for m, d in found if m.how == "region" or not any(overlaps(m, e) for e in exact)]
    ambiguous: list[str] = []
    kept: list[tuple[_Mention, str]] = []
    for mention, department in found:
        rivals = [d for m, d in found if d != department and m.how != "region" and overlaps(m, mention)]
        if mention.how != "region" and rivals:
            ambiguous.append(department)
        else:
            kept.append((mention, department))
    return kept, ambiguous


def resolve_documents(question: str, documents: Sequence[DocumentHit]) -> list[DocumentHit]:
    """Documents whose department the question names, in the order named; a year narrows each."""
    return _resolve(question, documents)[0]


def _resolve(question: str, documents: Sequence[DocumentHit]) -> tuple[list[DocumentHit], list[str]]:
    """The documents named, and the departments a region-less name leaves open (see `_mentions`)."""
    found: list[tuple[int, DocumentHit]] = []
    years = {int(y) for y in _YEAR.findall(question)}
    by_department: dict[str, list[DocumentHit]] = {}
    for doc in documents:
        by_department.setdefault(doc.department, []).append(doc)
    mentions, ambiguous = _mentions(question, by_department)
    for mention, department in mentions:
        versions = by_department[department]
        chosen = [d for d in versions if d.year in years] or sorted(versions, key=lambda d: d.year or 0)[-1:]
        found.extend((mention.position, d) for d in _of_kind(question, chosen))
    found.sort(key=lambda item: item[0])
    if found or ambiguous:
        return [doc for _, doc in found], ambiguous
    if is_english(question):
        return _english_department(question, by_department, years), []
    units = [
        (question.find(name), doc)
        for doc in documents
        for unit in doc.summary.sub_units
        for name in (unit, _without_region(unit, doc))
        if len(name) >= 4 and name in question
    ]
    if units:  # a unit of the department (柳林县城镇集体联合社 of the 工信局) names its document
        return [doc for _, doc in sorted(units, key=lambda item: item[0])][:1], []
    partial = _partial_department(question, by_department)
    if partial is not None:
        versions = by_department[partial]
        return [d for d in versions if d.year in years] or sorted(versions, key=lambda d: d.year or 0)[
            -1:
        ], []
    return [], []


# 部门预算 (the department with its units) and 单位预算 (one unit) of one department and year: the
# question's word picks one; without it the 部门预算 answers, as the department's own total.
_KIND_WORD = re.compile(r"(部门|单位)预算")


def _of_kind(question: str, versions: list[DocumentHit]) -> list[DocumentHit]:
    kinds = {d.summary.kind for d in versions}
    if len(kinds) < 2:
        return versions
    match = _KIND_WORD.search(question)
    wanted = match.group(1) if match else "部门"
    return [d for d in versions if d.summary.kind == wanted] or versions


def _without_region(name: str, doc: DocumentHit) -> str:
    """柳林县城镇集体联合社 → 城镇集体联合社 (the document's own region left out)."""
    region = doc.summary.region
    for prefix in (region, _region_short(region)):
        if prefix and name.startswith(prefix):
            return name[len(prefix) :]
    return name


_ORG_PHRASE = re.compile(r"[\u4e00-\u9fff]{2,20}?(?:分局|局|委员会|中心|办公室|办)")
_SUFFIX = re.compile(r"(分局|委员会|办公室|中心|局|省|市|县|区)")


def _segments(phrase: str) -> list[str]:
    """盂县生态环境分局 → 盂县, 生态环境, 分局: regions keep their suffix, kinds lose 局."""
    parts = _SUFFIX.split(phrase)
    out: list[str] = []
    for text, suffix in zip(parts[0::2], [*parts[1::2], ""], strict=True):
        if suffix in ("省", "市", "县", "区"):
            out.append(text + suffix)
        else:
            out += [text, suffix if suffix == "分局" else ""]
    return [seg for seg in out if len(seg) >= 2]


def _partial_department(question: str, by_department: dict[str, list[DocumentHit]]) -> str | None:
    """The one department a short or reordered form names (X县生态环境分局 for 阳泉市生态环境局X县分局):
    every segment of the phrase (region, kind, 分局) is in the department's name; None when none or
    several departments fit."""
    fits: set[str] = set()
    for phrase in _ORG_PHRASE.findall(question):
        segments = _segments(phrase)
        if len(segments) < 2:
            continue
        for department, versions in by_department.items():
            names = document_names(versions[0])
            if any(all(seg in name for seg in segments) for name in names):
                fits.add(department)
    return fits.pop() if len(fits) == 1 else None


def _english_department(
    question: str, by_department: dict[str, list[DocumentHit]], years: set[int]
) -> list[DocumentHit]:
    """The one department an English question names by its kind (the finance bureau → 财政局), or none
    when no department or several (two regions' finance bureaus) fit."""
    fits = _english_fits(question, by_department)
    if len(fits) != 1:
        return []
    versions = fits[0]
    return [d for d in versions if d.year in years] or sorted(versions, key=lambda d: d.year or 0)[-1:]


def _english_fits(question: str, by_department: dict[str, list[DocumentHit]]) -> list[list[DocumentHit]]:
    """The departments (each with its versions) whose names carry a kind the English question names."""
    named = english_department_words(question)
    return [
        versions
        for versions in by_department.values()
        if any(any(w in name for w in words) for words in named for name in document_names(versions[0]))
    ]


def _unknown_department(
    question: str, docs: list[DocumentHit], documents: Sequence[DocumentHit]
) -> str | None:
    """The department a question names that no document covers: a Chinese name (柳林县教育局), or the
    English words for a kind of department no document is (`the education bureau of Liulin`)."""
    if docs:
        return None
    match = _ORG.search(question)
    if match:
        return match.group(0)
    if not is_english(question) or not english_department_words(question):
        return None
    by_department: dict[str, list[DocumentHit]] = {}
    for doc in documents:
        by_department.setdefault(doc.department, []).append(doc)
    if _english_fits(question, by_department):
        return None  # a kind several documents are (two finance bureaus) is ambiguous, not unknown
    return english_department_phrase(question)


# Class: clauses that set something aside (不管/不问/不用说/无论/除了): their words are not what is asked.
_ASIDE = re.compile(r"不管|不问|不用|无论|不需要|不必|就不用|先不说|除了|不要")


def _without_asides(question: str) -> str:
    """The question without clauses or brackets that set a topic aside (不管公车是什么品牌，…)."""
    pieces = re.split(r"([，,；;。？?！!（）()])", question)
    return "".join(p for p in pieces if not _ASIDE.search(p))


def _strip_names(question: str, docs: Sequence[DocumentHit]) -> str:
    text = question
    for doc in docs:
        region = doc.summary.region
        for name in [*document_names(doc), region, _region_short(region)]:
            if len(name) >= 2:
                text = text.replace(name, " ")
    text = re.sub(r"(20\d\d)\s*年?度?", " ", text)
    text = _OF_DOCUMENT.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


# "…单位预算的政府采购预算": 部门预算/单位预算 followed by 的/里/中 names the document, not the item asked.
_OF_DOCUMENT = re.compile(
    r"(?:部门|单位)预算(?:公开)?(?:里的|中的|的|里|中)"
    # class: the document's own body as the subject (单位共有几辆车, 本部门有多少人), not an item asked
    r"|(?<![属个家级])(?:本|该)?(?:单位|部门)(?=共有|一共有|有几|有多少)"
)


def classify(question: str, expanded: str, has_glossary_term: bool) -> str:
    """The intent of a question from its wording (see INTENTS)."""
    if _CATALOG.search(question) and (_CODE.search(question) or re.search(r"目录|代码|编码", question)):
        if _CATALOG_VERSION_Q.search(question):
            return "narrative"
        if _CATALOG_LIST.search(question) and not _CODE.search(question):
            return "listing"
        return "catalog"
    if has_glossary_term and _DEFINITION.search(question) and not _NARRATIVE.search(question):
        return "glossary"
    if _ARITHMETIC.search(question) and not re.search(r"[谁哪]", question):
        return "arithmetic"
    if _COMPARISON.search(question):
        return "comparison"
    if _NARRATIVE.search(question):
        return "narrative"
    if _LISTING.search(question):
        return "listing"
    return "lookup"


def understand(question: str, documents: Sequence[DocumentHit], glossary_terms: Sequence[str] = ()) -> Query:
    """Parse `question` against the ingested `documents` (and the glossary terms they define)."""
    expanded = expand(question)
    docs, ambiguous = _resolve(question, documents)
    norm = _norm(expanded)
    has_term = any(len(t) >= 2 and t in norm for t in glossary_terms)
    intent = classify(question, expanded, has_term)
    query = Query(
        question=question,
        expanded=expanded,
        language="en" if is_english(question) else "zh",
        intent=intent,
        docs=docs,
        codes=[c.upper() for c in _CODE.findall(question)],
        undisclosed=undisclosed_topic(_without_asides(question)),
        unknown_department=None if ambiguous else _unknown_department(question, docs, documents),
        ambiguous_departments=ambiguous,
        terms=_strip_names(expanded, docs),
        plain=_strip_names(question, docs),
    )
    _resolve_year(query)
    return query


# Class: a stated premise, then the ask in a later clause (A年X比上年少了N，那B年的X是多少).
_ASK_WORDS = re.compile(r"多少|几|是否|有没有|应该是|应为|该是")


def _asked_after_premise(question: str) -> int | None:
    """The year named in the asking clause when an earlier clause (the premise) names another year;
    None when the question has a single clause, a single year, or asks in its first clause."""
    clauses = [c for c in re.split(r"[，,；;。]", question) if c.strip()]
    if len(clauses) < 2 or _ASK_WORDS.search(clauses[0]):
        return None
    asking = next((c for c in reversed(clauses) if _ASK_WORDS.search(c)), None)
    if asking is None:
        return None
    own = [int(y) for y in _YEAR.findall(asking)]
    before = [int(y) for c in clauses[: clauses.index(asking)] for y in _YEAR.findall(c)]
    if len(own) != 1 or not before or own[0] == before[0]:  # the premise opens with its own year
        return None
    return own[0]


# Class: a premise dated by a year, then a question about the present (…以后，现在/目前…有多少).
_PRESENT_ASK = re.compile(r"[，,]\s*(现在|目前|如今|当前)[^，,\d]*$")


def _resolve_year(query: Query) -> None:
    """Which year the question asks about; a year before the document's is derived from its stated change."""
    question = query.question
    doc_years = {int(y) for y in _DOC_YEAR.findall(question)}
    asked = [int(y) for y in _YEAR.findall(question)]
    asked = [y for y in asked if not re.search(rf"截至\s*{y}", question)]
    if _PRESENT_ASK.search(question):
        asked = []  # 2025年调出三辆以后，现在实有几辆: the year dates an event; "now" is asked
    if not query.docs:
        return
    years = {d.year for d in query.docs if d.year}
    target = [y for y in asked if y not in doc_years] or asked
    premised = _asked_after_premise(question)
    if premised is not None and premised + 1 in years and premised not in years:
        # 2025年比上年少了X，那2024年的Y是多少: the premise dates the document, the ask the year before
        query.target_year = premised
        query.derived_year = True
        query.intent = "arithmetic"
        return
    if not target:
        query.target_year = max(years) if years else None
        if query.intent in ("lookup", "arithmetic") and re.search(r"去年|上年", question):
            query.target_year = (query.target_year or 0) - 1
            query.derived_year = True
        return
    if any(y in years for y in target):
        query.target_year = next(y for y in target if y in years)
        return
    previous = [y for y in target if y + 1 in years]
    if previous and query.intent in ("lookup", "arithmetic", "comparison"):
        query.target_year = previous[0]
        query.derived_year = query.intent != "comparison"
        if query.intent == "lookup":
            query.intent = "arithmetic"
        return
    query.missing_year = target[0]
