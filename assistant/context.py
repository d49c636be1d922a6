"""What an answer handler works with: the understood query, the stores and the calculator results.

In: built by `Assistant.ask` once per question. Out: handlers read stores through it and append the
`CalcResult`s they compute, which the verifier then trusts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from assistant.calculator import CalcResult
from assistant.catalog_search import CatalogSearch
from assistant.retrieval import HybridRetriever, StructuredLookup
from assistant.understanding import Query
from ingest.api import CatalogEntry, DocumentHit, Record, StructuredIndex

CatalogKey = tuple[str, str, str]  # version, department, code


@dataclass
class AskContext:
    """One question's working state."""

    query: Query
    index: StructuredIndex
    lookup: StructuredLookup
    retriever: HybridRetriever
    catalog_loader: Callable[[], CatalogSearch]  # most questions never need the catalog: loaded on use
    catalog_records: Mapping[CatalogKey, Record]
    documents: list[DocumentHit]
    calc_results: list[CalcResult] = field(default_factory=list)
    blank_records: set[str] = field(default_factory=set)  # rows cited for a blank cell: a stated 0

    @property
    def catalog(self) -> CatalogSearch:
        return self.catalog_loader()

    def en(self) -> bool:
        return self.query.language == "en"


class StoredRecords(Mapping[CatalogKey, Record]):
    """Catalog key → the record to cite, read from the index when asked (only ids are held, so the
    mapping is small to keep in memory and in the store's saved state)."""

    def __init__(self, index: StructuredIndex, ids: Mapping[CatalogKey, str]) -> None:
        self.index = index
        self.ids = ids

    def __getitem__(self, key: CatalogKey) -> Record:
        return self.index.record(self.ids[key])

    def __iter__(self) -> Iterator[CatalogKey]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def catalog_entries(index: StructuredIndex) -> tuple[list[CatalogEntry], dict[CatalogKey, Record]]:
    """Every catalog entry in the index as `CatalogEntry`s, and the record to cite for each."""
    entries: list[CatalogEntry] = []
    records: dict[CatalogKey, Record] = {}
    for hit in index.catalog():
        entries.append(hit.entry())
        records[(hit.version, hit.department, hit.code)] = hit.record
    return entries, records
