"""Vectors cached by text: a text already embedded (by the same embedder) is never embedded again.

Disclosures share much of their wording — the template's sentences, the glossary, catalog versions
printed in many documents — and a re-ingest (a changed file, a rebuilt store) repeats all of it.
`CachedEmbedder` wraps any `Embedder`: document texts are looked up in a SQLite table keyed by
(embedder spec, dimension, sha256 of the text) in the store folder (`embedding_cache.sqlite`); only the
missing ones go to the model, in one call, and are stored. Vectors are kept as float64 bytes, so a
cached vector is the very vector the model gave. Queries are not cached (each is new).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from array import array
from pathlib import Path

from ingest.settings import Settings
from ingest.stores.embeddings import Embedder, make_embedder

CACHE_FILE = "embedding_cache.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    embedder TEXT NOT NULL, text_sha256 TEXT NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (embedder, text_sha256)
) WITHOUT ROWID
"""
_CHUNK = 500  # ids per SQL statement (SQLite's variable limit is 999 on old builds)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    """An `Embedder` that asks `inner` only for document texts the cache does not hold.

    `name`, `dim` and `spec` are the inner embedder's, so the Chroma collection and its saved
    embedding-function config are the same as without the cache. `embedded` counts the texts the
    inner embedder was asked for, `reused` those found in the cache (ingest reports both).
    """

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.path = Path(path)
        self.spec = str(getattr(inner, "spec", inner.name))
        self.embedded = 0
        self.reused = 0
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def _space(self) -> str:
        """The cache key's embedder part: spec and dimension (hash:64 and hash:256 differ)."""
        return f"{self.spec}/{self.inner.dim}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [text_key(t) for t in texts]
        found = self._lookup(keys)
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
        if missing:
            vectors = self.inner.embed_documents(list(missing.values()))
            fresh = dict(zip(missing, vectors, strict=True))
            self._store(fresh)
            found.update(fresh)
        with self._lock:
            self.embedded += len(missing)
            self.reused += len(texts) - len(missing)
        return [list(found[key]) for key in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def _lookup(self, keys: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            for start in range(0, len(unique), _CHUNK):
                chunk = unique[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT text_sha256, vector FROM vectors WHERE embedder = ? AND text_sha256 IN ({marks})",
                    [self._space, *chunk],
                ).fetchall()
                for key, blob in rows:
                    found[key] = array("d", blob).tolist()
        return found

    def _store(self, vectors: dict[str, list[float]]) -> None:
        rows = [(self._space, key, array("d", vector).tobytes()) for key, vector in vectors.items()]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def count(self) -> int:
        """How many vectors the cache holds for this embedder (no __len__: an empty cache is still truthy)."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM vectors WHERE embedder = ?", (self._space,)
            ).fetchone()
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def cached_embedder(settings: Settings, inner: Embedder | None = None) -> CachedEmbedder:
    """The settings' embedder behind the cache in the settings' store folder."""
    return CachedEmbedder(inner or make_embedder(settings.embedder), settings.store_dir / CACHE_FILE)
