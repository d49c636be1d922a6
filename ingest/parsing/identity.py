"""What makes two files the same disclosure, whatever their encoding, format or file name.

Two keys, either of which identifies a disclosure (stored in its summary as `identity`):
- `text`: the hash of its cleaned text with every space removed: the same export in UTF-8, GBK
  or UTF-16, with other line ends or a BOM, gives the same key;
- `tables`: the hash of its department, year, kind and every figure of its template tables:
  a PDF and its text export (or two printings with other page breaks) give the same key. A
  disclosure with too few figures gets none: a nearly empty document is not told apart by it.
"""

from __future__ import annotations

import hashlib
import re

from ingest.model import Disclosure, Line

MIN_FIGURES = 20  # fewer figures than this identify nothing (a template with its tables blank)
_SPACE = re.compile(r"\s+")


def identity(lines: list[Line], doc: Disclosure) -> dict[str, str]:
    """{"text": key, "tables": key or ""} of one parsed disclosure."""
    return {"text": text_key(lines), "tables": tables_key(doc)}


def text_key(lines: list[Line]) -> str:
    text = _SPACE.sub("", "".join(line.text for line in lines))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def tables_key(doc: Disclosure) -> str:
    figures: list[str] = []
    count = 0
    for table in doc.tables:
        if table.kind != "standard":
            continue
        # Sorted figures, not rows: a label wrapped differently in a PDF must not change the key.
        values = sorted(f"{v.normalize():f}" for row in table.rows for v in row.cells.values() if v)
        figures.append(f"{table.key}:{','.join(values)}")
        count += len(values)
    if count < MIN_FIGURES:
        return ""
    raw = "|".join([doc.department.name, str(doc.year), doc.kind, *sorted(figures)])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
