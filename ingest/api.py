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
- figures and sentences, read one way everywhere: `parse_number`, `parse_figure`, `parse_cell`,
  `MONEY_EXPONENT`, Chinese numerals (`chinese_numeral`, `chinese_fraction`, `CN_NUMERAL`), `to_ascii`;
  `split_sentences`, `sentence_around` and their stop sets
- `DocumentSummary` (a document's typed summary), `open_index` (the index, refilled after a format change)
- `normalise_doc_number` (a catalog's 文号 as written in a question)

Names resolve on first use (PEP 562 `__getattr__`): importing this face costs nothing, so a command
that never touches Chroma or torch does not load them. Nothing is cached here, so a test that
patches a name in its home module is seen through the face too.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.errors import BudgetQAError, IngestError
    from ingest.figures import (
        CN_NUMERAL,
        MONEY_EXPONENT,
        chinese_fraction,
        chinese_numeral,
        parse_cell,
        parse_figure,
        parse_number,
        to_ascii,
    )
    from ingest.model import CatalogEntry, Line, Locator
    from ingest.parallel import ingest_parallel
    from ingest.parsing.catalog import normalise_doc_number
    from ingest.parsing.quality import UPLOAD_REQUIREMENTS, table_status_text
    from ingest.pipeline import Ingestor, load_any
    from ingest.records import Record
    from ingest.running import ingest_running
    from ingest.sentences import CLAUSE_STOPS, FULL_STOPS, SENTENCE_STOPS, sentence_around, split_sentences
    from ingest.settings import Settings, SettingsError, load_settings, set_offline_environment
    from ingest.stores.background import BackgroundVectors
    from ingest.stores.embeddings import EmbedderError, make_embedder, query_text
    from ingest.stores.follow import catch_up
    from ingest.stores.index import DocumentHit, RowHit, StructuredIndex
    from ingest.stores.opening import open_index
    from ingest.stores.store import StoreError, VectorStore
    from ingest.summary import DocumentSummary

# Public name → the ingest module that defines it.
_HOME = {
    "BackgroundVectors": "ingest.stores.background",
    "normalise_doc_number": "ingest.parsing.catalog",
    "EmbedderError": "ingest.stores.embeddings",
    "make_embedder": "ingest.stores.embeddings",
    "query_text": "ingest.stores.embeddings",
    "BudgetQAError": "ingest.errors",
    "IngestError": "ingest.errors",
    "catch_up": "ingest.stores.follow",
    "DocumentHit": "ingest.stores.index",
    "RowHit": "ingest.stores.index",
    "StructuredIndex": "ingest.stores.index",
    "CatalogEntry": "ingest.model",
    "Line": "ingest.model",
    "Locator": "ingest.model",
    "ingest_parallel": "ingest.parallel",
    "Ingestor": "ingest.pipeline",
    "load_any": "ingest.pipeline",
    "UPLOAD_REQUIREMENTS": "ingest.parsing.quality",
    "table_status_text": "ingest.parsing.quality",
    "Record": "ingest.records",
    "ingest_running": "ingest.running",
    "Settings": "ingest.settings",
    "SettingsError": "ingest.settings",
    "load_settings": "ingest.settings",
    "set_offline_environment": "ingest.settings",
    "StoreError": "ingest.stores.store",
    "VectorStore": "ingest.stores.store",
    "parse_number": "ingest.figures",
    "parse_figure": "ingest.figures",
    "parse_cell": "ingest.figures",
    "MONEY_EXPONENT": "ingest.figures",
    "CN_NUMERAL": "ingest.figures",
    "chinese_numeral": "ingest.figures",
    "chinese_fraction": "ingest.figures",
    "to_ascii": "ingest.figures",
    "split_sentences": "ingest.sentences",
    "sentence_around": "ingest.sentences",
    "SENTENCE_STOPS": "ingest.sentences",
    "CLAUSE_STOPS": "ingest.sentences",
    "FULL_STOPS": "ingest.sentences",
    "DocumentSummary": "ingest.summary",
    "open_index": "ingest.stores.opening",
}

__all__ = [
    "CLAUSE_STOPS",
    "CN_NUMERAL",
    "FULL_STOPS",
    "MONEY_EXPONENT",
    "SENTENCE_STOPS",
    "UPLOAD_REQUIREMENTS",
    "BackgroundVectors",
    "BudgetQAError",
    "CatalogEntry",
    "DocumentHit",
    "DocumentSummary",
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
    "chinese_fraction",
    "chinese_numeral",
    "ingest_parallel",
    "ingest_running",
    "load_any",
    "load_settings",
    "make_embedder",
    "normalise_doc_number",
    "open_index",
    "parse_cell",
    "parse_figure",
    "parse_number",
    "query_text",
    "sentence_around",
    "set_offline_environment",
    "split_sentences",
    "table_status_text",
    "to_ascii",
]


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"ingest.api has no {name!r}; ingest's public names are: {', '.join(__all__)}")
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return __all__
