"""Several counts asked at once, each read from a labelled count the document prints (部门基本信息:
内设职能部门数 3个 所属预算单位数 2个; 绩效指标: 补助人数 4人).

In: an `AskContext` whose question asks two or more counts (几个A、几个B / A和B各多少人). Out: an
`Answer` stating each labelled count with the record it is printed in, or None when any asked count has
no label of its own (the other handlers then answer, or say what is missing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from assistant.answer import Answer
from assistant.composer import Statement
from assistant.context import AskContext
from assistant.plan.items import asked_items, normalise
from assistant.plan.model import Plan
from assistant.plan.statements import finish
from assistant.retrieval import bigrams
from ingest.api import DocumentHit, Record, StructuredIndex, parse_number

# Class: a count printed after its label (内设职能部门数 5个 / 补助人数：3人 / 在编人员数25人).
_LABELLED = re.compile(
    r"(?P<label>[\u4e00-\u9fff]{2,14}?数)\s*[:：]?\s*(?P<n>\d+)\s*(?P<unit>个|人|名|家|辆|台)"
)
# Class: several counts asked (几个A、几个B / A和B各多少人 / 分别有几个).
SEVERAL_COUNTS = re.compile(
    r"(几|多少)(个|人|名|家).{1,20}(几|多少)(个|人|名|家)|(各|分别)(是|有)?(几|多少)(个|人|名|家)?"
)
MIN_NAMED = 0.6  # the share of the asked words' bigrams the label must carry


@dataclass(frozen=True)
class LabelledCount:
    label: str
    value: Decimal
    unit: str
    text: str
    record: Record


def _labelled(index: StructuredIndex, doc_id: str) -> tuple[LabelledCount, ...]:
    return _labelled_at(index, doc_id, index.change_token())


@lru_cache(maxsize=64)
def _labelled_at(index: StructuredIndex, doc_id: str, _token: object) -> tuple[LabelledCount, ...]:
    """Every labelled count in the document's paragraphs, in line order."""
    out: list[LabelledCount] = []
    for record in index.records_mentioning(doc_id, "paragraph", ("数",)):
        text = str(record.payload.get("quote") or record.text)
        for match in _LABELLED.finditer(text):
            value = parse_number(match.group("n"))
            out.append(
                LabelledCount(match.group("label"), value, match.group("unit"), match.group(0), record)
            )
    return tuple(out)


def _named(counts: tuple[LabelledCount, ...], item: str) -> LabelledCount | None:
    """The labelled count naming the asked item: its label holds the item, or most of its bigrams."""
    flat = normalise(re.sub(r"(数|的?数量|人数)$", "", item))
    if len(flat) < 2:
        return None
    wanted = bigrams(flat)
    best: tuple[float, LabelledCount] | None = None
    for count in counts:
        share = 1.0 if flat in count.label else len(wanted & bigrams(count.label)) / max(len(wanted), 1)
        if share >= MIN_NAMED and (best is None or share > best[0]):
            best = (share, count)
    if best is None:
        return None
    label = best[1].label  # the label from the item's first word on (行首的 天/出指标 are another cell's)
    starts = [label.find(g) for g in wanted if g in label]
    return replace(best[1], label=label[min(starts) :]) if starts else best[1]


def labelled_counts(context: AskContext) -> Answer | None:
    """Each asked count from its own label in the one document asked, or None unless all are found."""
    if len(context.query.docs) != 1:
        return None
    doc: DocumentHit = context.query.docs[0]
    items = asked_items(context.query.plain, []).items
    if len(items) < 2:
        return None
    counts = _labelled(context.index, doc.doc_id)
    found = [_named(counts, item) for item in items]
    if any(f is None for f in found):
        return None
    plan = Plan("counts")
    statements: list[Statement] = []
    for item, count in zip(items, found, strict=True):
        assert count is not None
        plan.add("clause", count.text, count.record, doc=doc.title, item=item)
        statements.append(Statement(f"{count.label}{count.value:f}{count.unit}", [count.record]))
    lead = Statement(
        f"{doc.title}写明：" + "，".join(s.text for s in statements), [c.record for c in found if c]
    )
    return finish(context, plan, [lead], [])
