"""A document's summary: what its `document` record says about one ingested disclosure, typed.

In: the disclosure's parts (`to_records.document_record` builds one) or a stored payload
(`DocumentSummary.from_payload`). Out: the payload written to the stores (`to_payload`), with the same
keys in the same order, so indexes written before the type existed read back the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class DocumentSummary:
    """One ingested document: who published it, which file it came from, what was read from it.

    `counts` holds tables, empty_tables, rows, performance_forms, paragraphs, facts, glossary,
    catalog_entries, findings; `findings` the tables' arithmetic findings (table, row, expected, actual,
    rule, locator); `quality` the table-reading report (`ingest.parsing.quality`). `sub_units` is not stored:
    the assistant fills it with the units a document's project tables name (`warm_state`).
    """

    doc_id: str = ""
    title: str = ""
    department: str = ""
    aliases: list[str] = field(default_factory=list)
    region: str = ""
    year: int | None = None
    kind: str = ""  # 部门预算 / 单位预算 …
    template: str = ""
    file: str = ""
    sha256: str = ""
    adopted_catalogs: list[str] = field(default_factory=list)  # 文号 of the catalogs it says it follows
    catalog_versions: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quality: dict[str, Any] = field(default_factory=dict)
    identity: dict[str, str] = field(default_factory=dict)
    sub_units: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> DocumentSummary:
        """A stored `document` payload (or the `docs --json` output) back into a summary; keys it lacks
        keep their empty default, keys it has beyond the summary's are ignored."""
        known = {f.name for f in fields(cls)} - {"sub_units"}
        values = {k: v for k, v in payload.items() if k in known and v is not None}
        year = payload.get("year")
        values["year"] = int(year) if isinstance(year, int | str) and str(year).isdigit() else None
        return cls(**values)

    def to_payload(self) -> dict[str, Any]:
        """The payload stored in the `document` record (everything but `sub_units`)."""
        payload = asdict(self)
        del payload["sub_units"]
        return payload
