"""Baselines scored next to the assistant: a naive RAG as most tutorials build it, and BM25 alone.

In: the raw text files of the ingested documents. Out: a callable `question -> Answer` that answers with the
best chunk's text and one citation to that chunk (file, lines, quote). Baselines never refuse and never
compute: they show what retrieval alone gets right.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.answer import Answer, Citation

BASELINE_NAMES = ("naive_rag", "bm25")


class Embedder(Protocol):
    """What `ingest.api.make_embedder(spec)` returns (duck type)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@dataclass(frozen=True)
class Chunk:
    """A piece of one file, with the lines it spans (1-based, inclusive)."""

    text: str
    file: Path
    line_start: int
    line_end: int


def split_files(files: Sequence[Path], chunk_size: int = 500, chunk_overlap: int = 50) -> list[Chunk]:
    """Chunks of every file by langchain's RecursiveCharacterTextSplitter, each with its line span."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True
    )
    chunks = []
    for path in map(Path, files):
        text = path.read_text(encoding="utf-8", errors="replace")
        for document in splitter.create_documents([text]):
            start = int(document.metadata.get("start_index", 0))
            line_start = text.count("\n", 0, max(start, 0)) + 1
            line_end = line_start + document.page_content.count("\n")
            chunks.append(Chunk(document.page_content, path, line_start, line_end))
    return chunks


def chunk_answer(chunk: Chunk) -> Answer:
    """The best chunk as the answer, cited as [1]."""
    citation = Citation(
        number=1,
        doc=chunk.file.stem,
        locator=f"第{chunk.line_start}–{chunk.line_end}行",
        quote=chunk.text,
        file=str(chunk.file),
        line_start=chunk.line_start,
        line_end=chunk.line_end,
    )
    return Answer(answer=f"{chunk.text} [1]", citations=[citation], intent="baseline")


def _no_documents(name: str) -> Answer:
    return Answer(answer=f"{name}：没有可检索的文件。", refused=True, intent="baseline")


class NaiveRAG:
    """Tutorial RAG: ~500-character chunks, the same embeddings as the assistant, cosine top-k, best chunk."""

    name = "naive_rag"

    def __init__(
        self,
        files: Sequence[Path],
        embedder: Embedder,
        chunk_size: int = 500,
        chunk_overlap: int = 50,
        top_k: int = 4,
        cache_dir: Path | None = None,
    ) -> None:
        self.files = [Path(f) for f in files]
        self.embedder = embedder
        self.cache_dir = cache_dir  # chunk vectors are kept here between runs when given
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.top_k = top_k
        self.chunks: list[Chunk] | None = None
        self.matrix: np.ndarray[Any, Any] | None = None

    def warm_up(self) -> None:
        """Split and embed every file (once; from `cache_dir` when the same chunks were embedded before)."""
        if self.chunks is not None:
            return
        self.chunks = split_files(self.files, self.chunk_size, self.chunk_overlap)
        vectors = self._embed_chunks([c.text for c in self.chunks])
        norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(self.chunks) else 1.0
        self.matrix = vectors / np.where(norms == 0, 1.0, norms)

    def _embed_chunks(self, texts: list[str]) -> np.ndarray[Any, Any]:
        if self.cache_dir is None:
            return np.asarray(self.embedder.embed_documents(texts), dtype=np.float64)
        model = str(
            getattr(self.embedder, "spec", "") or getattr(self.embedder, "name", type(self.embedder).__name__)
        )
        key = hashlib.sha256("\x1f".join([model, *texts]).encode("utf-8")).hexdigest()[:24]
        path = Path(self.cache_dir) / f"naive_rag-{key}.npy"
        if path.is_file():
            return np.load(path)
        vectors = np.asarray(self.embedder.embed_documents(texts), dtype=np.float64)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
        return vectors

    def retrieve(self, question: str) -> list[tuple[Chunk, float]]:
        """The top-k chunks by cosine similarity, best first."""
        self.warm_up()
        assert self.chunks is not None and self.matrix is not None
        if not self.chunks:
            return []
        query = np.asarray(self.embedder.embed_query(question), dtype=np.float64)
        query = query / (np.linalg.norm(query) or 1.0)
        scores = self.matrix @ query
        order = np.argsort(-scores, kind="stable")[: self.top_k]
        return [(self.chunks[i], float(scores[i])) for i in order]

    def __call__(self, question: str) -> Answer:
        hits = self.retrieve(question)
        return chunk_answer(hits[0][0]) if hits else _no_documents(self.name)


_TOKEN = re.compile(r"\w")


def tokenize(text: str) -> list[str]:
    """jieba tokens, lower-cased, punctuation and spaces dropped."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [t.lower() for t in jieba.lcut(text) if _TOKEN.search(t)]


class BM25Baseline:
    """BM25 (rank_bm25 Okapi) over jieba tokens of the same ~500-character chunks; the best chunk answers."""

    name = "bm25"

    def __init__(self, files: Sequence[Path], chunk_size: int = 500, chunk_overlap: int = 50) -> None:
        self.files = [Path(f) for f in files]
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.chunks: list[Chunk] | None = None
        self.index: Any = None

    def warm_up(self) -> None:
        """Split and index every file (once)."""
        if self.chunks is not None:
            return
        from rank_bm25 import BM25Okapi

        self.chunks = split_files(self.files, self.chunk_size, self.chunk_overlap)
        self.index = BM25Okapi([tokenize(c.text) for c in self.chunks]) if self.chunks else None

    def retrieve(self, question: str, top_k: int = 4) -> list[tuple[Chunk, float]]:
        """The top-k chunks by BM25 score, best first."""
        self.warm_up()
        assert self.chunks is not None
        if self.index is None:
            return []
        scores = self.index.get_scores(tokenize(question))
        order = np.argsort(-scores, kind="stable")[:top_k]
        return [(self.chunks[i], float(scores[i])) for i in order]

    def __call__(self, question: str) -> Answer:
        hits = self.retrieve(question, top_k=1)
        return chunk_answer(hits[0][0]) if hits else _no_documents(self.name)


def make_baselines(
    names: Sequence[str],
    files: Sequence[Path],
    embedder: Embedder | None = None,
    cache_dir: Path | None = None,
) -> dict[str, Callable[[str], Answer]]:
    """The named baselines over `files`; `naive_rag` needs the assistant's embedder (vectors cached in
    `cache_dir` when given, e.g. the store folder, so repeated runs skip re-embedding)."""
    baselines: dict[str, Callable[[str], Answer]] = {}
    for name in names:
        if name == "naive_rag":
            if embedder is None:
                raise ValueError("baseline naive_rag needs an embedder: pass the one the assistant uses")
            baselines[name] = NaiveRAG(files, embedder, cache_dir=cache_dir)
        elif name == "bm25":
            baselines[name] = BM25Baseline(files)
        else:
            raise ValueError(f"unknown baseline {name!r}; choose from {', '.join(BASELINE_NAMES)}")
    return baselines
