"""Caches of what is derived from the index hold one value per document, rebuilt when the index
changes: a long-running app that takes new versions of documents does not grow with each one."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from test_follow import DOC, FakeServer, version

from assistant.index_cache import PerDocumentCache
from assistant.plan.clauses import _CLAUSES, find_clause
from assistant.retrieval import StructuredLookup
from assistant.unit_fit import MONEY
from ingest.stores.follow import catch_up
from ingest.stores.index import StructuredIndex


def test_a_value_is_built_once_per_token_and_rebuilt_in_place_when_it_moves() -> None:
    cache: PerDocumentCache[str] = PerDocumentCache(maxsize=8)
    builds: list[str] = []

    def build(text: str) -> str:
        builds.append(text)
        return text

    assert cache.get("doc", 1, lambda: build("v1")) == "v1"
    assert cache.get("doc", 1, lambda: build("v1 again")) == "v1"
    assert cache.get("doc", 2, lambda: build("v2")) == "v2"
    assert builds == ["v1", "v2"]
    assert cache.held_keys() == ["doc"]


def test_the_least_recently_used_document_goes_first() -> None:
    cache: PerDocumentCache[int] = PerDocumentCache(maxsize=2)
    cache.get("a", 0, lambda: 1)
    cache.get("b", 0, lambda: 2)
    cache.get("a", 0, lambda: 99)  # a used again: b is now the oldest
    cache.get("c", 0, lambda: 3)
    assert cache.held_keys() == ["a", "c"]
    assert cache.get("a", 0, lambda: 99) == 1


def test_new_versions_of_a_document_replace_its_cached_clauses(tmp_path: Path) -> None:
    index = StructuredIndex(tmp_path)
    for n in range(5):
        catch_up(index, FakeServer(version(f"sha-{n}", f"95{n}0.11")))
        clause = find_clause(index, DOC, "支出预算合计", MONEY)
        assert clause is not None and clause.text == f"支出预算合计95{n}0.11万元"
    assert [key for key in _CLAUSES.held_keys() if key[0] is index] == [(index, DOC)]  # type: ignore[index]


def test_a_lookup_replaced_after_an_upload_is_freed(tmp_path: Path) -> None:
    """The app makes a new lookup after each upload; the old one (and the figures it read) must go."""
    index = StructuredIndex(tmp_path)
    catch_up(index, FakeServer(version("sha-old", "9527.11")))
    old = StructuredLookup(index)
    old.candidates(DOC)
    old.rank(DOC, "支出预算合计")
    gone = weakref.ref(old)
    del old
    gc.collect()
    assert gone() is None
