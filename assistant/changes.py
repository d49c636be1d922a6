"""The document's own statement of a change against last year (比上年减少0.03万元，下降4.6%), with its reason.

In: a document and the figure (or words) asked about. Out: a `Change`: the sentence, the record to cite,
the direction and the amounts it states. Nothing is computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from assistant.context import AskContext
from assistant.index_cache import PerDocumentCache
from assistant.retrieval import Evidence, bigrams
from ingest.api import CLAUSE_STOPS, DocumentHit, Record, StructuredIndex, parse_number, split_sentences

# Class: a stated change against last year (比上年减少 / 与上年相比预算数减少 / 较2023年增加).
_CHANGE = re.compile(
    r"比(?:上年|上一年|去年|20\d\d年)[^，。；]{0,12}?(增加|减少|下降|增长|持平|相同)|"
    r"(?:较|与|同)(?:上年|上一年|去年|20\d\d年)(?:预算数?)?(?:相比|比较)?[^，。；]{0,12}?(增加|减少|下降|增长)"
)
_AMOUNT = re.compile(r"(增加|减少|下降|增长)了?\s*([\d,]+(?:\.\d+)?)\s*(万元|元|%|％)")
_CHANGE_WORDS = ("增加", "减少", "下降", "增长", "持平", "相同")  # one of them is in every `_CHANGE` match


_REASON = re.compile(r"(?:主要)?原因(?:是|为|：|:)(.+)$|。(?:这?是)?(?:因为|由于)(.+)$")


@dataclass(frozen=True)
class Change:
    """A stated change: the sentence, its record, 增加/减少, the amount (万元) and the percent if given."""

    sentence: str
    record: Record
    direction: str  # "增加" or "减少"
    amount: Decimal | None
    unit: str
    percent: Decimal | None


def _parse(sentence: str, record: Record) -> Change | None:
    match = _CHANGE.search(sentence)
    if match is None:
        return None
    tail = sentence[match.start() :]
    amount: Decimal | None = None
    unit = ""
    percent: Decimal | None = None
    direction = "增加" if (match.group(1) or match.group(2)) in ("增加", "增长") else "减少"
    for word, number, found_unit in _AMOUNT.findall(tail):
        value = parse_number(number)
        if found_unit in ("%", "％"):
            percent = percent if percent is not None else value
        elif amount is None:
            amount, unit = value, found_unit
            direction = "增加" if word in ("增加", "增长") else "减少"
    return Change(sentence.strip(), record, direction, amount, unit, percent)


_FIGURE = re.compile(r"([\d,]+(?:\.\d+)?)\s*(万元|元)")


def subject_of(change: Change) -> tuple[str, Decimal, str] | None:
    """What the change sentence is about and its current figure: the words and the last amount before
    比上年 (`一般公共预算当年支出`, 1234.56, 万元), or None when the sentence prints no amount there."""
    match = _CHANGE.search(change.sentence)
    if match is None:
        return None
    before = change.sentence[: match.start()]
    if "其中" in before:  # 总计X，其中：a，b，比上年… — the change is the total's
        before = before[: before.index("其中")]
    figures = list(_FIGURE.finditer(before))
    if not figures:
        return None
    last = figures[-1]
    words = re.sub(r"^.*(\]|局|中心|委员会)", "", before[: last.start()])
    words = re.sub(r"^.*?\d{4}年度?", "", words)  # 本部门2025年… : the year is the document's
    words = re.sub(r"^(所属\d+家|本部门|本单位)+", "", words)
    words = re.sub(r"^(财政拨款安排的|财政拨款|安排的)", "", words)
    return words.strip("，, "), parse_number(last.group(1)), last.group(2)


def _sentences(context: AskContext, doc: DocumentHit) -> list[tuple[str, Record]]:
    index = context.index
    token = index.change_token()
    sentences = _CHANGE_SENTENCES.get(
        (index, doc.doc_id), token, lambda: _change_sentences(index, doc.doc_id)
    )
    reasoned = _REASONS_AFTER.get((index, doc.doc_id), token, lambda: _reasons_after(index, doc.doc_id))
    # a change whose reason is the next sentence (下降4.6%。原因是…) is said with it, citing the
    # paragraph holding both (a fact holds its one sentence only)
    return [reasoned.get(s.strip(), (s, r)) for s, r in sentences]


_CHANGE_SENTENCES: PerDocumentCache[tuple[tuple[str, Record], ...]] = PerDocumentCache(maxsize=64)
_REASONS_AFTER: PerDocumentCache[dict[str, tuple[str, Record]]] = PerDocumentCache(maxsize=64)


def _change_sentences(index: StructuredIndex, doc_id: str) -> tuple[tuple[str, Record], ...]:
    """Every sentence of a document that states a change (read once per index, document and change)."""
    out: list[tuple[str, Record]] = []
    for kind in ("fact", "paragraph"):
        for record in index.records_mentioning(doc_id, kind, _CHANGE_WORDS):
            text = str(record.payload.get("quote") or record.text)
            out += [(s, record) for s in split_sentences(text, CLAUSE_STOPS) if _CHANGE.search(s)]
    return tuple(out)


def _reasons_after(index: StructuredIndex, doc_id: str) -> dict[str, tuple[str, Record]]:
    """Change sentences without a reason of their own whose next sentence gives it: the sentence →
    (the two sentences, the paragraph holding them)."""
    out: dict[str, tuple[str, Record]] = {}
    for record in index.records_mentioning(doc_id, "paragraph", _CHANGE_WORDS):
        sentences = split_sentences(str(record.payload.get("quote") or record.text), CLAUSE_STOPS)
        for sentence, after in pairwise(sentences):
            if (
                _CHANGE.search(sentence)
                and not _REASON.search(sentence)
                and _REASON_NEXT.match(after.strip())
            ):
                out[sentence.strip()] = (sentence + after, record)
    return out


# Class: a reason given in the sentence after the change (。原因是… / 。主要原因是… / 。这是因为…).
_REASON_NEXT = re.compile(r"(?:主要)?原因(?:是|为|：|:)|这?是(?:因为|由于)|(?:主要)?(?:因为|由于)")


def stated_change(
    context: AskContext, doc: DocumentHit, ev: Evidence | None, terms: str | None = None
) -> Change | None:
    """The change sentence about `ev` (one that prints its figure), or the one best matching `terms`."""
    candidates = _sentences(context, doc)
    if ev is not None and ev.value is not None:
        shown = f"{ev.value:f}"
        unit = re.escape(ev.unit.split("（")[0]) if ev.unit else ""
        figure = re.compile(rf"(?<![\d.]){re.escape(shown)}(?![\d.]\d|\d)\s*{unit}")  # 2辆 is not 2家
        for sentence, record in candidates:
            if figure.search(sentence.replace(",", "")):
                label = ev.label.split(".")[0]
                if bigrams(label) & bigrams(sentence) or terms is None:
                    change = _parse(sentence, record)
                    if change is not None:
                        return change
    if terms is None:
        return None
    grams = bigrams(re.sub(r"比|上年|去年|多少|变化|增加|减少|还是", "", terms))
    best: tuple[float, str, Record] | None = None
    for sentence, record in candidates:
        score = len(grams & bigrams(sentence[: max(8, _CHANGE.search(sentence).start() + 2)]))  # type: ignore[union-attr]
        if best is None or score > best[0]:
            best = (score, sentence, record)
    if best is None or best[0] == 0:
        return None
    return _parse(best[1], best[2])


def reason_of(change: Change) -> str:
    """The reason the sentence gives for the change (主要原因是…), or ""."""
    match = _REASON.search(change.sentence)
    return (match.group(1) or match.group(2)).strip("，,。； ") if match else ""


def best_change(
    context: AskContext, doc: DocumentHit, ev: Evidence | None, terms: str, asked: str
) -> Change | None:
    """The stated change about what is asked: the one printing the best figure's amount, unless a
    change sentence whose own subject names the asked words better exists (一般公共预算当年支出 is
    not the 一般公共服务支出 row)."""
    by_figure = stated_change(context, doc, ev, terms) if ev is not None else None
    by_words = stated_change(context, doc, None, terms)
    if by_words is None or by_words is by_figure:
        return by_figure or by_words
    subject = subject_of(by_words)
    if subject is None:
        return by_figure or by_words
    wanted = bigrams(asked)
    label = ev.label if ev is not None else ""
    if by_figure is None or len(bigrams(subject[0]) & wanted) > len(bigrams(label) & wanted):
        return by_words
    return by_figure


def change_sentence(change: Change) -> str:
    """The change as the answer states it: `预算收入总计1200.00万元，比上年增加100.00万元，增长9.09%`."""
    subject = subject_of(change)
    lead = f"{subject[0]}{subject[1]:f}{subject[2]}，" if subject is not None and subject[0] else ""
    if change.amount is None and change.percent is None:
        return ""
    parts = []
    if change.amount is not None:
        parts.append(f"比上年{change.direction}{change.amount:f}{change.unit}")
    if change.percent is not None:
        word = "增长" if change.direction == "增加" else "下降"
        parts.append(f"{word}{change.percent:f}%")
    return lead + "，".join(parts)
