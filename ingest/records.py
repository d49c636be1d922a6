"""Records: the flat, self-contained units written to the stores.

A record's id is derived from its document, its kind, its locator and its text, so re-ingesting
the same file yields the same ids and a changed file yields new ones.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

MetadataValue = str | int | float | bool


class StoredVersion(NamedTuple):
    """What a store holds of one doc_id: the sha256 its records carry (the greatest), how many records,
    and whether its `document` record (sent last) is there."""

    sha256: str
    records: int
    complete: bool


def version_of(records: Sequence[Record]) -> StoredVersion:
    """The version one document's records make (as `StructuredIndex.document_versions` reads it)."""
    sha256 = max((str(r.metadata.get("sha256") or "") for r in records), default="")
    return StoredVersion(sha256, len(records), any(r.kind == "document" for r in records))


@dataclass(frozen=True)
class Record:
    """One store entry.

    `text` is what gets embedded and shown; `metadata` is flat (Chroma filters on it) and always
    holds `doc_id`, `kind`, `department`, `year`, `file`, `locator` (rendered) and `line_start`/`line_end`.
    `payload` is the structured content (cells, catalog levels, fact value) as JSON-able data,
    used to rebuild the structured index.
    """

    id: str
    doc_id: str
    kind: str  # "row" | "paragraph" | "fact" | "catalog" | "glossary" | "table"
    text: str
    metadata: dict[str, MetadataValue]
    payload: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(data: str) -> Record:
        raw = json.loads(data)
        return Record(**raw)


def stable_id(*parts: object) -> str:
    """A short hex id from the given parts (document, kind, locator, text)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:24]
