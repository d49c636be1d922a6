"""Values derived from one document of the index, kept until the index changes.

A replaced document keeps its doc_id, so a cache keyed by the id alone would serve the old version's
text; keyed by the index's change token as well, every upload would leave one more stale entry until
the cache is full (a long-running app grew with each admin upload). Here each key holds one value with
the token it was built at: a moved token rebuilds the value in place, so old versions are neither
served nor kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class PerDocumentCache(Generic[V]):
    """At most `maxsize` values, least recently used dropped first; each valid for one change token."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._values: OrderedDict[Hashable, tuple[object, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, token: object, build: Callable[[], V]) -> V:
        with self._lock:
            held = self._values.get(key)
            if held is not None and held[0] == token:
                self._values.move_to_end(key)
                return held[1]
        value = build()  # outside the lock: two threads may build the same value once each, harmlessly
        with self._lock:
            self._values[key] = (token, value)
            self._values.move_to_end(key)
            while len(self._values) > self.maxsize:
                self._values.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._values)

    def held_keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
