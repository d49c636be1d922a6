"""Ingest's public face: the only `ingest` module that `assistant/`, `ui/` and `eval/` import.

Everything else in `ingest/` (parsers, table readers, the catalog parser, the index's insides) may
change shape without touching the rest of the product; `tests/test_architecture.py` keeps it so.

What it offers, by concern:
- settings: `Settings`, `load_settings`, `set_offline_environment` (entry points call the last one)
- errors: `BudgetQAError` (every expected problem), `SettingsError`, `IngestError`, `StoreError`,
  `EmbedderError`
- records and documents: `Record`, `CatalogEntry`, `Locator`, `Line`
- the stores: `StructuredIndex` with its hits (`DocumentHit`, `RowHit`), `VectorStore`,
  `make_embedder`, `query_text`, `catch_up` (follow a Chroma server), `BackgroundVectors`
- ingestion: `Ingestor`, `ingest_parallel`, `load_any`, `ingest_running`, `table_status_text`,
  `UPLOAD_REQUIREMENTS`
- helpers shared with the parsers: `to_decimal` (a stored figure as Decimal), `normalise_doc_number`
  (a catalog's 文号 as written in a question)

Names resolve on first use (PEP 562 `__getattr__`): importing this face costs nothing, so a command
that never touches Chroma or torch does not load them. Nothing is cached here, so a test that
patches a name in its home module is seen through the face too.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.background import BackgroundVectors
    from ingest.catalog import normalise_doc_number
    from ingest.embeddings import EmbedderError, make_embedder, query_text
    from ingest.errors import BudgetQAError, IngestError
    from ingest.follow import catch_up
    from ingest.index import DocumentHit, RowHit, StructuredIndex, to_decimal
    from ingest.model import CatalogEntry, Line, Locator
    from ingest.parallel import ingest_parallel
    from ingest.pipeline import Ingestor, load_any
    from ingest.quality import UPLOAD_REQUIREMENTS, table_status_text
    from ingest.records import Record
    from ingest.running import ingest_running
    from ingest.settings import Settings, SettingsError, load_settings, set_offline_environment
    from ingest.store import StoreError, VectorStore

# Public name → the ingest module that defines it.
_HOME = {
    "BackgroundVectors": "ingest.background",
    "normalise_doc_number": "ingest.catalog",
    "EmbedderError": "ingest.embeddings",
    "make_embedder": "ingest.embeddings",
    "query_text": "ingest.embeddings",
    "BudgetQAError": "ingest.errors",
    "IngestError": "ingest.errors",
    "catch_up": "ingest.follow",
    "DocumentHit": "ingest.index",
    "RowHit": "ingest.index",
    "StructuredIndex": "ingest.index",
    "to_decimal": "ingest.index",
    "CatalogEntry": "ingest.model",
    "Line": "ingest.model",
    "Locator": "ingest.model",
    "ingest_parallel": "ingest.parallel",
    "Ingestor": "ingest.pipeline",
    "load_any": "ingest.pipeline",
    "UPLOAD_REQUIREMENTS": "ingest.quality",
    "table_status_text": "ingest.quality",
    "Record": "ingest.records",
    "ingest_running": "ingest.running",
    "Settings": "ingest.settings",
    "SettingsError": "ingest.settings",
    "load_settings": "ingest.settings",
    "set_offline_environment": "ingest.settings",
    "StoreError": "ingest.store",
    "VectorStore": "ingest.store",
}

__all__ = [
    "UPLOAD_REQUIREMENTS",
    "BackgroundVectors",
    "BudgetQAError",
    "CatalogEntry",
    "DocumentHit",
    "EmbedderError",
    "IngestError",
    "Ingestor",
    "Line",
    "Locator",
    "Record",
    "RowHit",
    "Settings",
    "SettingsError",
    "StoreError",
    "StructuredIndex",
    "VectorStore",
    "catch_up",
    "ingest_parallel",
    "ingest_running",
    "load_any",
    "load_settings",
    "make_embedder",
    "normalise_doc_number",
    "query_text",
    "set_offline_environment",
    "table_status_text",
    "to_decimal",
]


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"ingest.api has no {name!r}; ingest's public names are: {', '.join(__all__)}")
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return __all__
