"""Open a store's structured index ready to answer from: `open_index(settings)`.

In: the settings (store folder, Chroma server). Out: the `StructuredIndex`. When a schema change emptied
the index on opening (`StructuredIndex.outdated_schema`), the files kept in `<store>/sources/` are
ingested again first, with a message saying so (`Ingestor.refill_from_sources`), so an upgrade never
leaves an empty index that answers nothing. The parsers are imported only then: opening stays light.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.settings import Settings
from ingest.stores.index import StructuredIndex


def open_index(settings: Settings, say: Callable[[str], None] | None = None) -> StructuredIndex:
    """The store's structured index, refilled from the kept sources if a schema change emptied it."""
    index = StructuredIndex(settings.store_dir)
    if index.outdated_schema is not None:
        from ingest.pipeline import Ingestor  # parsing modules, needed only to refill

        Ingestor(settings, index=index).refill_from_sources(say)
    return index
