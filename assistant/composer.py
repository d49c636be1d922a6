"""The deterministic composer: plain sentences from cited facts, with numbered citations.

In: `Statement`s (a sentence and the records that back it) and calculator results. Out: an `Answer`
whose text ends each sentence with its [n] markers and whose citations quote the source text.
The LLM composer (llm_composer.py) writes from the same statements; the verifier checks both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from assistant.answer import Answer, Calculation, Citation
from ingest.records import Record


@dataclass
class Statement:
    """One sentence of an answer and the records it relies on (cited in order)."""

    text: str
    records: list[Record] = field(default_factory=list)


def quote_of(record: Record) -> str:
    """The source text a citation shows: the row as printed, the paragraph chunk, the fact's sentence."""
    payload = record.payload
    if record.kind in ("fact", "paragraph") and payload.get("quote"):
        return str(payload["quote"])
    if record.kind == "glossary":
        return f"{payload.get('term', '')}：{payload.get('definition', '')}"
    return record.text


def doc_title(record: Record) -> str:
    return str(record.metadata.get("title") or record.metadata.get("file") or record.doc_id)


class CitationBook:
    """Numbers records as [1], [2] … in first-cited order."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._citations: list[Citation] = []

    def cite(self, record: Record) -> int:
        if record.id not in self._numbers:
            number = len(self._citations) + 1
            self._numbers[record.id] = number
            meta = record.metadata
            self._citations.append(
                Citation(
                    number=number,
                    doc=doc_title(record),
                    locator=str(meta.get("locator", "")),
                    quote=quote_of(record),
                    doc_id=str(meta.get("doc_id", record.doc_id)),
                    record_id=record.id,
                    file=str(meta.get("file", "")),
                    line_start=int(meta.get("line_start", 0) or 0),
                    line_end=int(meta.get("line_end", 0) or 0),
                )
            )
        return self._numbers[record.id]

    def markers(self, records: list[Record]) -> str:
        return "".join(f"[{n}]" for n in dict.fromkeys(self.cite(r) for r in records))

    @property
    def citations(self) -> list[Citation]:
        return list(self._citations)


def fmt(value: Decimal | None, unit: str = "") -> str:
    """`4.70万元`, `2辆`; a missing value reads 0."""
    if value is None:
        return f"0{unit}"
    return f"{value:f}{unit}"


def _with_markers(text: str, markers: str, language: str = "zh") -> str:
    if not markers:
        stripped = text.rstrip()
        if stripped[-1:] in "。.;；!！?？：:，,、)）" or not stripped:
            return text
        return stripped + ("." if language == "en" else "。")
    stripped = text.rstrip()
    end = stripped[-1:] if stripped[-1:] in "。.;；!！?？" else ""
    body = stripped[: len(stripped) - len(end)] if end else stripped
    return f"{body}{markers}{end or '。'}"


def compose(
    statements: list[Statement],
    calculations: list[Calculation] | None = None,
    intent: str = "",
    language: str = "zh",
    refused: bool = False,
    notes: list[str] | None = None,
) -> Answer:
    """Join the statements into one answer, each followed by the markers of its records."""
    book = CitationBook()
    parts = [_with_markers(s.text, book.markers(s.records), language) for s in statements if s.text]
    joiner = " " if language == "en" else ""
    return Answer(
        answer=joiner.join(parts),
        citations=book.citations,
        calculations=list(calculations or []),
        refused=refused,
        intent=intent,
        notes=list(notes or []),
        language=language,
    )
