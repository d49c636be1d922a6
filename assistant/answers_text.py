"""Answers built from text: refusals, glossary terms, narrative (why / what for), listings.

In: an `AskContext`. Out: an unverified `Answer` (the service verifies it) or None when the handler
finds nothing, so the service can fall back to another one.
"""

from __future__ import annotations

import re

from assistant import wording
from assistant.answer import Answer
from assistant.composer import Statement, compose, fmt, quote_of, source_key
from assistant.context import AskContext
from assistant.lexicon import COUNT_ASKED
from assistant.retrieval import Evidence, bigrams, clean_label
from assistant.unit_fit import ExpectedUnit
from ingest.api import DocumentHit, Record

_ORG_SUFFIX = re.compile(r"(局|中心|社|所|站|队|院|委|办|室|馆|\[部门\])$")
_FIGURE = re.compile(r"\d")


def _doc_ids(context: AskContext) -> list[str] | None:
    return [d.doc_id for d in context.query.docs] or None


def refuse(context: AskContext, text: str, nearby: list[Record] | None = None, what: str = "") -> Answer:
    """A refusal: `text`, then (without figures) what nearby the documents do disclose, pointed at."""
    statements = [Statement(text)]
    if nearby:
        what = what or disclosed(nearby)
        lead = "It does disclose " if context.en() else "文件披露了"
        statements.append(Statement(f"{lead}{what}", nearby, see=True))
    return compose(statements, intent=context.query.intent, language=context.query.language, refused=True)


def disclosed(records: list[Record]) -> str:
    """What records are about, in plain words without figures (a refusal must not carry numbers):
    `公务用车的编制数和实有数`, `表十中的“公务接待费”`, a section heading."""
    names = [str(r.payload.get("name", "")) for r in records if r.kind == "fact"]
    topics = [wording.disclosed_facts(names)] if names else []
    topics += [_topic(r) for r in records if r.kind != "fact"]
    topics = [_FIGURE.sub("", t) for t in dict.fromkeys(topics) if t]
    return topics[0] if len(topics) == 1 else "、".join(topics[:-1]) + "和" + topics[-1]


def _subject(records: list[Record]) -> str:
    """The thing nearby facts are about (公务用车), when they are all about one thing, else ""."""
    groups = {wording.group_of(str(r.payload.get("name", ""))) for r in records if r.kind == "fact"}
    if len(groups) != 1 or any(r.kind != "fact" for r in records):
        return ""
    return wording.GROUP_NOUN.get(groups.pop(), "")


def _topic(record: Record) -> str:
    """What a non-fact record is about: a table's row, or the section a paragraph sits in."""
    if record.kind == "row":
        return (
            f"{record.metadata.get('table', '')}中的“{clean_label(str(record.payload.get('row_label', '')))}”"
        )
    section = str(record.metadata.get("section", "")) or "正文"
    return clean_label(section.split(" > ")[-1]).rstrip("：:")


LISTED = 10  # names listed in a refusal; a province's thousand documents are counted, not listed


def _titles(documents: list[DocumentHit]) -> str:
    return _some([d.title for d in documents]) or "（无）"


def _some(names: list[str]) -> str:
    """Up to LISTED names, then how many more (为…等 1000 个)."""
    shown = "、".join(names[:LISTED])
    return f"{shown}等 {len(names)} 个" if len(names) > LISTED else shown


def refusal(context: AskContext) -> Answer | None:
    """A refusal when the documents cannot hold the answer: unknown department or year, undisclosed topic."""
    query = context.query
    en = context.en()
    if query.intent == "catalog":
        return None  # catalog departments are not budget documents; 电话 there is a hotline service
    if query.ambiguous_departments:
        named = query.ambiguous_departments
        text = (
            f"Several departments fit the name in the question: {_some(named)}; please say which region you mean."
            if en
            else f"问题里的部门名称对应多个地区的部门：{_some(named)}；请写明是哪个地区的（如“{named[0]}”）后再问。"
        )
        return refuse(context, text)
    if query.unknown_department:
        text = (
            f"The collection holds no budget disclosure of {query.unknown_department}; it holds: {_titles(context.documents)}."
            if en
            else f"所收录的文件中没有“{query.unknown_department}”的预算公开，无法回答。现有文件：{_titles(context.documents)}。"
        )
        return refuse(context, text)
    if query.missing_year is not None and query.docs:
        held = "、".join(f"{d.year}年" for d in query.docs)
        name = query.docs[0].department
        text = (
            f"Only the {held} budget disclosure of {name} is held; it does not give figures for {query.missing_year}."
            if en
            else f"只收录了{name}{held}的预算公开，文件中没有{query.missing_year}年的数据，无法回答。"
        )
        return refuse(context, text)
    if query.undisclosed:
        nearby: list[Record] = []
        for doc in query.docs[:1]:
            nearby = [ev.record for ev in context.lookup.rank(doc.doc_id, query.terms, k=2) if ev.score > 0.8]
        nearby = nearby[:2]
        subject = _subject(nearby)
        text = (
            f"The budget disclosure does not give {f'the {query.undisclosed} of {subject}' if subject else query.undisclosed}."
            if en
            else f"预算公开文件没有披露{f'{subject}的' if subject else ''}{query.undisclosed}。"
        )
        return refuse(context, text, nearby)
    return None


def unit_refusal(
    context: AskContext, doc: DocumentHit, expected: ExpectedUnit, nearby: list[Evidence]
) -> Answer:
    """No figure of `doc` carries the unit asked for (人 for 多少人): say what is not disclosed and, without
    figures, what nearby the document does disclose (facts by name, table figures by their label),
    pointing at its source."""
    department = re.sub(r"\[.*?\]", "", doc.department)
    text = (
        f"The budget disclosure of {department} does not give {expected.noun_en}."
        if context.en()
        else f"文件没有披露{department}的{expected.noun}。"
    )
    facts = [ev.record for ev in nearby if ev.kind == "fact"]
    topics = [disclosed(facts)] if facts else []
    topics += [f"{ev.scope.table}中的“{clean_label(ev.label)}”" for ev in nearby if ev.kind != "fact"]
    what = _FIGURE.sub("", "、".join(dict.fromkeys(topics)))
    return refuse(context, text, [ev.record for ev in nearby], what)


def answer_glossary(context: AskContext) -> Answer | None:
    """名词解释: the definition the document itself gives."""
    query = context.query
    norm = re.sub(r"[\s“”\"*（）()]", "", query.expanded)
    for doc_ids in (_doc_ids(context), None):
        hits = [g for g in context.index.glossary() if doc_ids is None or g.doc_id in doc_ids]
        hits = [g for g in hits if (term := re.sub(r"[*“”\"]", "", g.term)) and term in norm]
        if hits:
            best = max(hits, key=lambda g: len(re.sub(r"[*“”\"]", "", g.term)))
            term = re.sub(r"[*“”\"]", "", best.term)
            definition = best.definition.strip()
            text = f"“{term}” (名词解释): {definition}" if context.en() else f"名词解释“{term}”：{definition}"
            if doc_ids is None and query.docs:
                own = _definition_paragraph(context, term)
                if own is not None:
                    text = f"名词解释“{term}”：{quote_of(own)}"
                    return compose([Statement(text, [own])], intent="glossary", language=query.language)
            return compose([Statement(text, [best.record])], intent="glossary", language=query.language)
    return None


def _definition_paragraph(context: AskContext, term: str) -> Record | None:
    """The named document's own paragraph defining `term` (when its glossary was not parsed as such)."""
    for record in context.retriever.retrieve(f"名词解释 {term} 是指", _doc_ids(context), k=6):
        text = quote_of(record)
        if record.kind == "paragraph" and term in text and re.search(r"是指|指的是|包括", text):
            return record
    return None


def answer_narrative(context: AskContext) -> Answer | None:
    """Why / what for / who does what: the best paragraphs of the document, quoted."""
    query = context.query
    records = context.retriever.retrieve(query.expanded, _doc_ids(context), k=4)
    first: dict[str, Record] = {}
    for record in records:
        first.setdefault(source_key(record), record)  # one per quoted source, in rank order
    unique = list(first.values())
    paragraphs = [r for r in unique if r.kind in ("paragraph", "fact")][:2] or unique[:2]
    if not paragraphs:
        return None
    counted = _stated_count(context)
    statements = list(_why_change(context) or counted)
    for record in paragraphs:
        quote = quote_of(record)
        if context.en():
            statements.append(Statement(f"The document says: “{quote.rstrip('。；;，, ')}”", [record]))
        else:
            statements.append(Statement(f"文件原文：「{quote.rstrip('。')}」", [record]))
    answer = compose(statements, intent="narrative", language=query.language)
    if counted and statements[0] is counted[0]:  # the count is stated: a step of its own
        answer.plan = [{"op": "clause", "inputs": {}, "result": counted[0].text, "citation": 1}]
    return answer


def quotes_cover(answer: Answer, plain: str) -> bool:
    """Whether the quoted sources speak of what was asked: a stated clause answers it, or at least half
    the asked words' bigrams (names, years and question words left out) appear in one quote."""
    if any(step.get("op") == "clause" for step in answer.plan):
        return True
    from assistant.plan.items import content_words

    asked = bigrams(content_words(plain))
    if not asked or (len(asked) < 2 and not _CJK.search(plain)):
        return True  # nothing Chinese to compare (an English question): the quotes stand
    best = max((len(asked & bigrams(c.quote)) for c in answer.citations), default=0)
    return best * 2 >= len(asked)


_CJK = re.compile(r"[\u4e00-\u9fff]")
# Class: asking for a reason (为什么/为何/原因/怎么解释/如何说明).
_WHY = re.compile(r"为什么|为啥|为何|原因|(怎么|如何)(解释|说明)|咋|怎么(涨|少|多|降|减|增)")


def _why_change(context: AskContext) -> list[Statement]:
    """For 为什么…增加/减少: the stated change and the document's reason, said as the answer."""
    query = context.query
    if context.en() or not query.docs or not _WHY.search(query.question):
        return []
    from assistant import changes

    doc = query.docs[0]
    change = changes.best_change(context, doc, None, query.terms, query.plain)
    if change is None:
        return []
    reason = changes.reason_of(change)
    stated = changes.change_sentence(change)
    if not reason or not stated:
        return []
    return [
        Statement(f"{doc.title}：{stated}", [change.record]),
        Statement(f"文件给出的原因是：{reason}", [change.record]),
    ]


def _stated_count(context: AskContext) -> list[Statement]:
    """For 有几个内设机构 / 副局长有几位: the clause of the document that states the count, said as the answer."""
    query = context.query
    if context.en() or not query.docs or not COUNT_ASKED.search(query.question):
        return []
    from assistant.plan.clauses import find_clause
    from assistant.plan.items import content_words
    from assistant.unit_fit import COUNT

    doc = query.docs[0]
    clause = find_clause(context.index, doc.doc_id, content_words(query.plain), COUNT)
    if clause is None:
        return []
    return [Statement(f"{doc.title}写明：{clause.text}", [clause.record])]


def _unit_rows(context: AskContext, doc: DocumentHit, table: str | None) -> list[Evidence]:
    rows = [
        ev
        for ev in context.lookup.candidates(doc.doc_id)
        if ev.kind == "row" and (table is None or ev.scope.table == table)
    ]
    return rows


def _vehicles(facts: list[Evidence]) -> Statement:
    """`公务用车编制2辆，实有2辆，其中：领导用车1辆、机要通信用车1辆`: totals first, then the kinds."""
    by_name = {ev.label: ev for ev in facts}
    totals = [by_name[n] for n in ("车辆.编制", "车辆.实有") if n in by_name]
    kinds = [ev for ev in facts if ev not in totals]
    text = "公务用车" + "，".join(
        f"{wording.short_label(ev.label).rstrip('数')}{fmt(ev.value, ev.unit)}" for ev in totals
    )
    if kinds:
        listed = "、".join(f"{ev.label.split('.')[-1]}{fmt(ev.value, ev.unit)}" for ev in kinds)
        text += f"，其中：{listed}" if totals else listed
    return Statement(text, [ev.record for ev in facts])


def answer_listing(context: AskContext) -> Answer | None:
    """Projects of a unit or a table, or the items of a named group, each with its figure."""
    query = context.query
    if not query.docs:
        return None
    doc = query.docs[0]
    if "目录" in query.question:
        from assistant.answers_catalog import answer_catalog_listing

        return answer_catalog_listing(context)
    if re.search(r"股室|内设|机构|下属|单位有哪些|哪些单位", query.question):
        return answer_narrative(context)
    if re.search(r"公车|车辆|vehicle", query.question):
        facts = [
            ev for ev in context.lookup.candidates(doc.doc_id) if ev.label.startswith("车辆.") and ev.value
        ]
        if facts:
            return compose([_vehicles(facts)], intent="listing", language=query.language)
    table = "表十三" if "结转" in query.question else "表十二"
    rows = _unit_rows(context, doc, table)
    if not rows:
        return None
    ranked = [ev for ev in context.lookup.rank(doc.doc_id, query.terms, k=5) if ev.scope.table == table]
    start, end = 0, len(rows)
    head = next((ev for ev in ranked if _ORG_SUFFIX.search(ev.label) and ev.score > 1.0), None)
    if head is not None:
        index = next((i for i, ev in enumerate(rows) if ev.record.id == head.record.id), 0)
        start = index
        end = next((j for j in range(index + 1, len(rows)) if _ORG_SUFFIX.search(rows[j].label)), len(rows))
    chosen = rows[start:end]
    total = chosen[0] if head is not None else None
    items = [ev for ev in chosen if not _ORG_SUFFIX.search(ev.label)]
    statements = []
    scope = str(chosen[0].scope) if chosen else table
    if total is not None:
        statements.append(
            Statement(f"{scope}中，{total.label}合计{fmt(total.value, total.unit)}", [total.record])
        )
    elif rows and _ORG_SUFFIX.search(rows[0].label):
        statements.append(Statement(f"{scope}合计{fmt(rows[0].value, rows[0].unit)}", [rows[0].record]))
    for ev in items[:30]:
        statements.append(Statement(f"{ev.label}：{fmt(ev.value, ev.unit)}", [ev.record]))
    return compose(statements, intent="listing", language=query.language) if statements else None
