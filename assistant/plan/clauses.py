"""Clause steps: a figure the tables do not carry but a project's own description states.

Project descriptions and performance indicators (项目概况：…共300人,每人每年50元; 绩效指标：…服务对象
人数：20人; 某某工作经费30万元主要用于…) state per-person standards, counts and the parts of a
project. In: a document and the asked words. Out: the one clause (with its record) that names most of
what is asked and states a figure in a unit the question can mean, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from assistant.index_cache import PerDocumentCache
from assistant.numbers import FIGURE, chinese_mentions
from assistant.retrieval import bigrams
from assistant.unit_fit import ExpectedUnit
from ingest.api import CLAUSE_STOPS, Record, StructuredIndex, parse_number, split_sentences

_CLAUSE = re.compile(r"[^，,；;。\n]+")
# Thousands separators (2,658.32万元): dropped before clauses are split on commas, so a figure stays whole.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|元|人|名|位|个|户|天|次|台|套|辆|家|项|所|座|件|%)")
# Class: measure words that count things (几个项目 may be stated as 2户 or 3项; 几个 as 5家).
_THING_COUNTS = ("个", "项", "户", "家", "所", "座", "件")
# Class: an enumeration inside a clause (局长1名、副局长2名 / 成员5名:局长1名): its parts.
_ENUMERATED = re.compile(r"[、:：]")
# Class: per-person and per-period wordings (每人/人均/一人/每月/每年/标准): the clause must carry one too;
# a rate times a head count (300元*40人, 50元×20人) states the per-person figure as well.
_PER = re.compile(
    r"每人|每个人|人均|一人|每名|每位|/人|每户|每月|标准|\d元\s*[*×xX]+\s*\d+\s*[人户名]|"
    r"每(个|一个|位|名)[^，,。？?]{0,6}(人|群众|居民|职工|对象|学生|家庭|患者)"
)
_MONEY_UNITS = ("万元", "元")
MIN_SHARE = 0.5  # at least half of the asked words' bigrams in the clause, and two of them


def states_per_person(text: str) -> bool:
    """Whether a clause states a per-person or per-period figure (人均补贴标准：23.02元, 每人每年60元)."""
    return bool(_PER.search(text))


@dataclass(frozen=True)
class Clause:
    """A clause of a document's text that states a figure, with the record to cite."""

    text: str
    record: Record
    units: tuple[str, ...]
    about: str  # what the clause is about: its section heading (the project) and its sentence

    @cached_property
    def grams(self) -> set[str]:
        """The clause's own bigrams (computed once: clauses are cached per document)."""
        return bigrams(self.text)

    @cached_property
    def context_grams(self) -> set[str]:
        """The bigrams of the clause and of what it is about (its heading and sentence)."""
        return self.grams | bigrams(self.about)

    def amount(self, units: tuple[str, ...] = _MONEY_UNITS) -> tuple[Decimal, str] | None:
        """The one figure in `units` the clause states (共需12万元; with count units, 二级项目22个), or None
        when it states none or several."""
        figures = [m for m in _AMOUNT.finditer(self.text) if m.group(2) in units]
        if len(figures) != 1:
            return None
        return parse_number(figures[0].group(1)), figures[0].group(2)


def _clauses(index: StructuredIndex, doc_id: str) -> tuple[Clause, ...]:
    """Every clause of the document's paragraphs that states a figure with a unit (read again once the
    index changed: a replaced document keeps its doc_id, so the id alone would serve the old text)."""
    return _CLAUSES.get((index, doc_id), index.change_token(), lambda: _read_clauses(index, doc_id))


_CLAUSES: PerDocumentCache[tuple[Clause, ...]] = PerDocumentCache(maxsize=64)


def _read_clauses(index: StructuredIndex, doc_id: str) -> tuple[Clause, ...]:
    out: list[Clause] = []
    for record in index.records(doc_id=doc_id, kind="paragraph"):
        text = _THOUSANDS.sub("", str(record.payload.get("quote") or record.text))
        section = str(record.metadata.get("section", "")).split(" > ")[-1]
        for piece in split_sentences(text, CLAUSE_STOPS + "\n"):
            sentence = piece.strip().rstrip(CLAUSE_STOPS)
            for piece in _CLAUSE.findall(sentence):
                units = tuple(m.group(2) for m in _AMOUNT.finditer(piece)) + _chinese_units(piece)
                if units and len(piece) <= 120:
                    out.append(Clause(piece.strip(), record, units, f"{section} {sentence}"))
    return tuple(out)


# Class: words that qualify any amount (预算, 金额, 安排, 钱) and never name the thing asked: matching
# them would pair 培训费预算 with any 经费预算 sentence.
_NOT_THE_THING = re.compile(r"预算|金额|数额|安排|的钱|钱")


def _chinese_units(piece: str) -> tuple[str, ...]:
    """Units of counts written in Chinese numerals (内设十四个股室, 两名): counts like any other."""
    return tuple(
        m.raw[len(m.number_text) :] for m in chinese_mentions(piece) if m.kind == FIGURE and m.unit != "%"
    )


def find_clause(
    index: StructuredIndex, doc_id: str, asked: str, expected: ExpectedUnit | None, per_person: bool = False
) -> Clause | None:
    """The clause naming most of `asked` (the question without names, years and question words) that
    states a figure in a unit `expected` allows; a per-person question needs a per-person clause."""
    asked = _NOT_THE_THING.sub("", asked) or asked
    wanted = bigrams(asked)
    if not wanted or (len(wanted) < 2 and len(asked) != 2):
        return None
    per_person = per_person or bool(_PER.search(asked))
    best: tuple[float, Clause] | None = None
    for clause in _clauses(index, doc_id):
        if per_person and not _PER.search(clause.text):
            continue
        if expected is not None and not any(_fits(unit, expected) for unit in clause.units):
            continue
        own = len(wanted & clause.grams)
        shared = len(wanted & clause.context_grams)
        share = shared / len(wanted) + 0.01 * own  # ties go to the clause that itself names more
        enough = shared >= 2 or (len(wanted) == 1 and asked in clause.about)  # a two-character thing: 大屏
        if enough and shared / len(wanted) >= MIN_SHARE and (best is None or share > best[0]):
            best = (share, clause)
    return _narrowed(best[1], asked) if best else None


# Class: how a department states its own headcount (全局机关现有干部职工31人, 本局共有人员12人).
_HEADCOUNT = re.compile(r"全局|局机关|本局|本部门|机关.{0,4}(现有|共有)|干部职工|职工总数|现有人员|共有人员")


def headcount_clause(index: StructuredIndex, doc_id: str) -> Clause | None:
    """The clause stating the department's own headcount (not a sub-unit's: its heading names none);
    the largest such figure when several are stated (the whole staff, not one category)."""
    from assistant.wording import sub_unit

    candidates = [
        c
        for c in _clauses(index, doc_id)
        if _HEADCOUNT.search(c.text)
        and not sub_unit(str(c.record.metadata.get("section", "")).split(" > ")[-1])
        and any(u in ("人", "名") for u in c.units)
    ]
    best: tuple[Decimal, Clause] | None = None
    for clause in candidates:
        people = [
            parse_number(m.group(1)) for m in _AMOUNT.finditer(clause.text) if m.group(2) in ("人", "名")
        ]
        if people and (best is None or max(people) > best[0]):
            best = (max(people), clause)
    if best is None:
        return None
    part = next(
        (p for p in _ENUMERATED.split(best[1].text) if _HEADCOUNT.search(p) and _AMOUNT.search(p)), ""
    )
    return Clause(part.strip(), best[1].record, best[1].units, best[1].about) if part else best[1]


def _narrowed(clause: Clause, asked: str) -> Clause:
    """The one part of an enumerating clause that names the asked thing best (副局长2名 of 成员5名:局长1名、
    副局长2名), or the clause itself when no single part stands out. Chinese phrases end with their head
    (领导班子里的副局长 asks 副局长): a part matching later words of `asked` wins, then more of them."""
    parts = [p for p in _ENUMERATED.split(clause.text) if _AMOUNT.search(p)]
    if len(parts) < 2:
        return clause
    grams = [asked[i : i + 2] for i in range(len(asked) - 1)]

    def score(part: str) -> tuple[int, int, int]:
        own = bigrams(part)
        matched = [i for i, gram in enumerate(grams) if gram in own]
        return (max(matched) + 1 if matched else 0, len(matched), -len(own))  # then the fewest other words

    scored = sorted(((score(p), p) for p in parts), reverse=True)
    (top, part), (second, _) = scored[0], scored[1]
    if top[0] == 0 or top == second:
        return clause
    units = tuple(m.group(2) for m in _AMOUNT.finditer(part))
    return Clause(part.strip(), clause.record, units, clause.about)


def _fits(unit: str, expected: ExpectedUnit) -> bool:
    if unit in expected.units:
        return True
    if "人" in expected.units and unit in ("名", "位"):
        return True
    if "个" in expected.units and unit in _THING_COUNTS:
        return True
    return all(u in _MONEY_UNITS for u in expected.units) and unit in _MONEY_UNITS
