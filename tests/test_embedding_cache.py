"""The embedding cache: a text embedded once is never embedded again (same vector back), per embedder."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import Ingestor
from ingest.settings import load_settings
from ingest.stores.embedding_cache import CACHE_FILE, CachedEmbedder
from ingest.stores.embeddings import HashEmbedder

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


class CountingEmbedder(HashEmbedder):
    """The hash embedder, counting every text it is asked to embed."""

    def __init__(self, dim: int = 64) -> None:
        super().__init__(dim)
        self.calls: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.extend(texts)
        return super().embed_documents(texts)


def test_a_repeated_text_is_embedded_once_and_gives_the_same_vector(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    cache = CachedEmbedder(inner, tmp_path / CACHE_FILE)
    first = cache.embed_documents(["名词解释：一般公共预算", "三公经费", "名词解释：一般公共预算"])
    assert inner.calls == ["名词解释：一般公共预算", "三公经费"]
    second = cache.embed_documents(["三公经费", "机关运行经费"])
    assert inner.calls[2:] == ["机关运行经费"]
    assert second[0] == first[1] == HashEmbedder(64).embed_documents(["三公经费"])[0]
    assert first[0] == first[2]
    assert (cache.embedded, cache.reused) == (3, 2)


def test_the_cache_outlives_the_process_and_keeps_embedders_apart(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    CachedEmbedder(CountingEmbedder(64), path).embed_documents(["三公经费"])
    again = CountingEmbedder(64)
    reopened = CachedEmbedder(again, path)
    assert reopened.embed_documents(["三公经费"]) == HashEmbedder(64).embed_documents(["三公经费"])
    assert again.calls == [] and reopened.count() == 1
    other = CountingEmbedder(32)  # another vector space: never served 64-d vectors
    vector = CachedEmbedder(other, path).embed_documents(["三公经费"])[0]
    assert other.calls == ["三公经费"] and len(vector) == 32


def test_reingesting_into_a_new_store_embeds_nothing(tmp_path: Path) -> None:
    files = sorted(CORPUS.glob("*.txt"))[:1]
    first = Ingestor(load_settings(store_dir=tmp_path / "one", embedder="hash"))
    first.ingest(files)
    embedder = first.store.embedder
    assert isinstance(embedder, CachedEmbedder) and embedder.embedded > 50
    # A rebuilt store with the old cache (the file copied over): every vector comes from the cache.
    embedder.close()  # the last connection folds the write-ahead log into the file
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / CACHE_FILE).write_bytes((tmp_path / "one" / CACHE_FILE).read_bytes())
    second = Ingestor(load_settings(store_dir=tmp_path / "two", embedder="hash"))
    second.ingest(files)
    cached = second.store.embedder
    assert (
        isinstance(cached, CachedEmbedder)
        and cached.embedded == 0
        and cached.reused == embedder.embedded + embedder.reused
    )
    assert second.store.count() == first.store.count()
