"""The deterministic composer: plain sentences from cited facts, with numbered citations.

In: `Statement`s (a sentence and the records that back it) and calculator results. Out: an `Answer`
whose text ends each sentence with its [n] markers and whose citations quote the source text.
The LLM composer (llm_composer.py) writes from the same statements; the verifier checks both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from assistant.answer import Answer, Calculation, Citation
from ingest.api import Record


@dataclass
class Statement:
    """One sentence of an answer and the records it relies on (cited in order)."""

    text: str
    records: list[Record] = field(default_factory=list)
    see: bool = False  # the records are pointed to, not quoted for a figure: `…（见[1]）`


def quote_of(record: Record) -> str:
    """The source text a citation shows: the row as printed, the paragraph chunk, the fact's sentence."""
    payload = record.payload
    if record.kind in ("fact", "paragraph") and payload.get("quote"):
        return str(payload["quote"])
    if record.kind == "glossary":
        return f"{payload.get('term', '')}：{payload.get('definition', '')}"
    return record.text


def source_key(record: Record) -> str:
    """What makes two records one source for a reader: same document, place and quoted text.

    Two facts read from one sentence (公务用车编制 and 实有) are one citation, not [1][2].
    """
    meta = record.metadata
    return "\x1f".join(
        (str(meta.get("doc_id", record.doc_id)), str(meta.get("locator", "")), quote_of(record))
    )


def doc_title(record: Record) -> str:
    return str(record.metadata.get("title") or record.metadata.get("file") or record.doc_id)


class CitationBook:
    """Numbers records as [1], [2] … in first-cited order."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._citations: list[Citation] = []

    def cite(self, record: Record) -> int:
        key = source_key(record)
        if key not in self._numbers:
            number = len(self._citations) + 1
            self._numbers[key] = number
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
        return self._numbers[key]

    def markers(self, records: list[Record]) -> str:
        return "".join(f"[{n}]" for n in dict.fromkeys(self.cite(r) for r in records))

    @property
    def citations(self) -> list[Citation]:
        return list(self._citations)


def fmt(value: Decimal | None, unit: str = "") -> str:
    """`4.70万元`, `2辆`; a missing value reads 0. A 万元 figure finer than a cent was printed in 元
    (tables in 元 are kept exact in 万元): it reads as a person expects, `9,628.22万元（96,282,213.44元）`."""
    if value is None:
        return f"0{unit}"
    if unit == "万元" and -int(value.as_tuple().exponent) > 2:
        rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
        return f"{rounded:,.2f}万元（{(value * 10000).quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}元）"
    return f"{value:f}{unit}"


_CENT = Decimal("0.01")


_OPEN_END = "；;，,、：:"
_STOPS = "。.;；!！?？"


def _with_markers(text: str, markers: str, language: str = "zh") -> str:
    """The sentence with its [n] markers before its stop; a clause ending (；，) becomes a stop."""
    stop = "." if language == "en" else "。"
    stripped = text.rstrip()
    if not markers:
        if stripped[-1:] in _STOPS + _OPEN_END + ")）" or not stripped:
            return text
        return stripped + stop
    stripped = stripped.rstrip(_OPEN_END).rstrip()
    end = stripped[-1:] if stripped[-1:] in _STOPS else ""
    body = stripped[: len(stripped) - len(end)] if end else stripped
    if language == "en":
        end = "." if end in ("。", "") else end
        return f"{body.rstrip()} {markers}{end}"
    return f"{body}{markers}{end or stop}"


def _sentence(statement: Statement, markers: str, language: str) -> str:
    if statement.see and markers:
        body = statement.text.rstrip().rstrip(_STOPS + _OPEN_END)
        return f"{body} (see {markers})." if language == "en" else f"{body}（见{markers}）。"
    return _with_markers(statement.text, markers, language)


_DOUBLE_STOP = re.compile(r"([。．.])((?:\[\d+\])*)[。．]")


def tidy(text: str) -> str:
    """No `。。` nor `。[1]。`: a stop followed by markers and another stop keeps the markers and one stop."""
    return _DOUBLE_STOP.sub(
        lambda m: f"{m.group(2)}{'。' if m.group(1) == '。' or not m.group(2) else m.group(1)}", text
    )


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
    parts = [_sentence(s, book.markers(s.records), language) for s in statements if s.text]
    joiner = " " if language == "en" else ""
    return Answer(
        answer=tidy(joiner.join(parts)),
        citations=book.citations,
        calculations=list(calculations or []),
        refused=refused,
        intent=intent,
        notes=list(notes or []),
        language=language,
    )
