"""A structure kept pickled inside a saved one until first asked for."""

from __future__ import annotations

import pickle
from typing import Generic, TypeVar

T = TypeVar("T")


class Pickled(Generic[T]):
    """A structure kept pickled until first asked for: a cold `catalog` needs no BM25 index, a cold
    figure question neither, and unpickling them is most of what loading the saved state costs."""

    def __init__(self, value: T) -> None:
        self._pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._value: T | None = value

    def get(self) -> T:
        if self._value is None:
            self._value = pickle.loads(self._pickled)
        return self._value

    def __getstate__(self) -> dict[str, object]:
        return {"_pickled": self._pickled, "_value": None}
