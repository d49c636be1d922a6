"""Retrieval: a structured look-up of table lines and named facts first, hybrid text retrieval second.

`StructuredLookup` scores a document's table rows, total-row columns (基本支出 of 表三's 合计 row) and
named facts against what the question asks; in: a doc_id and the question's terms, out: ranked `Evidence`.
`HybridRetriever` ranks paragraphs, facts and rows by BM25 over jieba tokens (`LexicalIndex`, usually
loaded from the store by `assistant.warm_state`) and by dense similarity (the settings' embedder through
any `DenseSource`, e.g. `VectorStore`), fused by reciprocal rank fusion, filtered by document.
The retriever is exposed as a langchain Runnable so it can be swapped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from assistant.index_cache import PerDocumentCache
from assistant.lexical_index import LexicalIndex
from assistant.pickled import Pickled
from ingest.api import Record, RowHit, StructuredIndex, parse_figure

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable
_TOTAL_ROWS = ("合计", "总计", "部门合计")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[①②③④⑤⑥⑦⑧⑨]|\d+[.、])")
_TABLE_ORDER = ["表三", "表一", "表十", "表十一", "表十二", "表十三", "表六", "表二", "表五", "表四"]
_TABLE_NAME = re.compile(r"表(?:十[一二三]|十|[一二三四五六七八九])")  # 表六一般… is 表六
_NOISE = re.compile(r"是多少|多少钱|多少|是什么|预算|安排了|安排|部门|公开|花|要|钱|的|了|吗|呢|？|\?|，|。")


@dataclass(frozen=True)
class Scope:
    """Where a figure sits: a table (`table` 表十 with its printed `title`) or the narrative (文字说明).

    `str(scope)` is the text matched against a question's words: `表十 2024年…预算表`, `文字说明`.
    For a sentence use `wording.table_scope(scope.table, scope.title)`.
    """

    table: str  # 表十, 绩效目标表3; 文字说明 for the narrative
    title: str = ""
    narrative: bool = False

    def __str__(self) -> str:
        return self.table if self.narrative else f"{self.table} {self.title}"

    @classmethod
    def of_row(cls, row: RowHit) -> Scope:
        return cls(row.table, row.table_title)


NARRATIVE = Scope("文字说明", narrative=True)


@dataclass(frozen=True)
class Evidence:
    """One figure with the record that shows it: a fact, a row's main cell, or a total row's column."""

    record: Record
    label: str  # what the figure is: 公务接待费, 基本支出, 车辆.实有
    value: Decimal | None
    unit: str
    scope: Scope  # where it sits: 表三 (2024年预算支出总表) / 文字说明
    kind: str  # "fact" | "row" | "column"
    score: float = 0.0


def bigrams(text: str) -> set[str]:
    return set(_bigrams(text))


@lru_cache(maxsize=200_000)
def _bigrams(text: str) -> frozenset[str]:
    """Kept per text: every disclosure repeats the template's labels and table titles, so a document
    read for the first time finds most of its labels' bigrams made already."""
    text = re.sub(r"[\s，,。；;：:（）()“”\"'、\[\]【】*]", "", text)
    return frozenset({text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set()))


def clean_label(label: str) -> str:
    return _NUMBERING.sub("", label).strip()


def main_cell(cells: dict[str, Decimal | None]) -> tuple[str, Decimal | None]:
    """The row's headline figure: its first 合计 column, else its first filled cell."""
    for column, value in cells.items():
        if column.endswith("合计") and value is not None:
            return column, value
    for column, value in cells.items():
        if value is not None:
            return column, value
    return "", None


@dataclass(frozen=True)
class _DocumentFigures:
    """A document's figures as the lookup ranks them, read once per document and index change."""

    candidates: tuple[Evidence, ...]
    idf: dict[str, float]
    prepared: tuple[tuple[Evidence, frozenset[str], float, frozenset[str]], ...]


class StructuredLookup:
    """Ranks the figures of one document against the words of a question."""

    def __init__(self, index: StructuredIndex) -> None:
        self.index = index
        # Per lookup, not per class: the app makes a new lookup after each upload, and a class-level
        # cache kept the old lookups' figures alive.
        self._per_document: PerDocumentCache[_DocumentFigures] = PerDocumentCache(maxsize=64)

    def candidates(self, doc_id: str) -> tuple[Evidence, ...]:
        return self._figures(doc_id).candidates

    def idf(self, doc_id: str) -> dict[str, float]:
        return self._figures(doc_id).idf

    def _prepared(self, doc_id: str) -> tuple[tuple[Evidence, frozenset[str], float, frozenset[str]], ...]:
        return self._figures(doc_id).prepared

    def _figures(self, doc_id: str) -> _DocumentFigures:
        return self._per_document.get(doc_id, self.index.change_token(), lambda: self._read(doc_id))

    def _read(self, doc_id: str) -> _DocumentFigures:
        out: list[Evidence] = []
        for fact in self.index.facts(doc_id=doc_id):
            out.append(Evidence(fact.record, fact.name, fact.value, fact.unit, NARRATIVE, "fact"))
        for row in self.index.rows(doc_id=doc_id):
            scope = Scope.of_row(row)
            label = clean_label(row.label)
            _, value = main_cell(row.cells)
            out.append(Evidence(row.record, label, value, row.unit, scope, "row"))
            if label in _TOTAL_ROWS:
                subject = re.sub(r"^\d{4}年?", "", row.table_title)
                subject = re.sub(r"（[^）]*）|表$", "", subject)
                out.append(Evidence(row.record, subject, value, row.unit, scope, "title"))
                for column, cell in row.cells.items():
                    name = column.split("/")[-1]
                    if cell is not None and not name.endswith("合计"):
                        out.append(Evidence(row.record, name, cell, row.unit, scope, "column"))
        candidates = tuple(out)
        idf = _idf(candidates)
        # Each candidate with its label's bigrams, their idf weight and its scope's bigrams: computed
        # once per document, not once per question.
        prepared = []
        for ev in candidates:
            own = _bigrams(ev.label.replace(".", " "))
            if own:
                prepared.append((ev, own, sum(idf.get(g, 1.0) for g in own), _bigrams(str(ev.scope))))
        return _DocumentFigures(candidates, idf, tuple(prepared))

    def rank(self, doc_id: str, terms: str, k: int = 5) -> list[Evidence]:
        """The k figures whose label best matches `terms` (the question without names and years)."""
        query = _NOISE.sub(" ", terms)
        grams = bigrams(query)
        idf = self.idf(doc_id)
        tables = [m.group(0) for m in _TABLE_NAME.finditer(terms)]
        scored: list[Evidence] = []
        for ev, own, total, scope_grams in self._prepared(doc_id):
            shared = own & grams
            if not shared:
                continue
            matched = sum(idf.get(g, 1.0) for g in shared)
            score = matched / math.sqrt(total)
            last = ev.label.split(".")[-1]
            if clean_label(last) and clean_label(last) in query.replace(" ", ""):
                score *= 1.5
            title_bonus = len(scope_grams & grams) * 0.05
            order = _TABLE_ORDER.index(ev.scope.table) if ev.scope.table in _TABLE_ORDER else 10
            score += title_bonus - order * 0.002 + (0.01 if ev.value is not None else -0.5)
            if tables and ev.scope.table in tables:
                score += 1.0
            scored.append(_with_score(ev, score))
        named = [ev for ev in scored if tables and ev.scope.table in tables]
        if named:  # the question names its table: figures of other tables are not what it asks
            scored = named
        scored.sort(key=lambda e: -e.score)
        return scored[:k]


def _with_score(ev: Evidence, score: float) -> Evidence:
    return Evidence(ev.record, ev.label, ev.value, ev.unit, ev.scope, ev.kind, score)


def _idf(candidates: Sequence[Evidence]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for ev in candidates:
        frequency.update(_bigrams(ev.label))
    total = max(len(candidates), 1)
    return {g: math.log(1 + total / n) for g, n in frequency.items()}


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """jieba, imported and quietened on first use (its dictionary takes a second to load)."""
    import jieba

    jieba.setLogLevel(60)
    return jieba


def load_tokenizer() -> None:
    """Load jieba's dictionary now (it loads on the first text cut otherwise)."""
    _jieba().initialize()


def tokens(text: str) -> list[str]:
    """jieba tokens without punctuation and spaces.

    jieba cuts each run of its `re_han_default` characters on its own (between them only punctuation
    and spaces), so the text's tokens are its runs' tokens in order. Runs repeat across disclosures
    (one template: the same clauses, labels and glossary in every document), so each distinct run is
    cut once per process: the same tokens, a thousand documents tokenised at the cost of a few."""
    out: list[str] = []
    for block in _jieba().re_han_default.split(text):
        if block:
            out.extend(_block_tokens(block))
    return out


@lru_cache(maxsize=500_000)
def _block_tokens(block: str) -> tuple[str, ...]:
    return tuple(t for t in _jieba().lcut(block) if t.strip() and not re.fullmatch(r"[\W_]+", t))


class DenseSource(Protocol):
    """Nearest records by meaning: `ingest.api.VectorStore` or anything with its `query`."""

    def query(
        self, text: str, k: int = 8, where: dict[str, Any] | None = None
    ) -> list[tuple[Record, float]]: ...


MAX_QUERY_TOKENS = 64  # far above a real question's; BM25 costs one pass over the corpus per token
MAX_DENSE_CHARS = 200  # of a question, embedded for the dense ranking (real questions are far shorter)


def query_tokens(words: list[str], idf: dict[str, float]) -> Counter[str]:
    """The question's distinct tokens for BM25 with how often each occurs; a long paste keeps its
    MAX_QUERY_TOKENS rarest ones (the ones that rank)."""
    counts = Counter(words)
    if len(counts) <= MAX_QUERY_TOKENS:
        return counts
    kept = sorted(counts, key=lambda w: -idf.get(w, 0.0))[:MAX_QUERY_TOKENS]
    return Counter({w: counts[w] for w in kept})


class HybridRetriever:
    """BM25 (jieba) + dense (a `DenseSource`) over text records, fused by reciprocal rank fusion."""

    KINDS = ("paragraph", "fact", "row", "glossary")

    def __init__(
        self,
        index: StructuredIndex,
        store: DenseSource | None = None,
        rrf_k: int = 60,
        lexical_index: LexicalIndex | Pickled[LexicalIndex] | None = None,
    ) -> None:
        self.index = index
        self.store = store
        self.rrf_k = rrf_k
        self._lexical = lexical_index

    def warm_up(self) -> None:
        """Tokenise every text record once and build the BM25 index (unless one was given: a saved one
        is unpickled now, on the first question that needs it)."""
        if isinstance(self._lexical, Pickled):
            self._lexical = self._lexical.get()
        if self._lexical is not None:
            return
        records = [r for kind in self.KINDS for r in self.index.records(kind=kind)]
        self._lexical = LexicalIndex((r.id, r.doc_id, tokens(r.text) or ["_"]) for r in records)

    def lexical(self, text: str, doc_ids: Sequence[str] | None, k: int) -> list[Record]:
        self.warm_up()
        assert isinstance(self._lexical, LexicalIndex)
        words = list(query_tokens(tokens(text), self._lexical.idf).elements())  # a long paste: its rarest
        ids = self._lexical.search(words, doc_ids, k)
        return [self.index.record(record_id) for record_id in ids]

    def dense(self, text: str, doc_ids: Sequence[str] | None, k: int) -> list[Record]:
        if self.store is None:
            return []
        where: dict[str, Any] | None = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        try:
            hits = [record for record, _ in self.store.query(text[:MAX_DENSE_CHARS], k=k, where=where)]
        except Exception:  # a dense backend failing must not lose the lexical answer
            return []
        # Vectors trail the index during ingest (and a replaced document's may linger a moment):
        # only records the index holds are evidence; until a document's vectors exist, lexical alone.
        known = self.index.known_ids(r.id for r in hits)
        return [r for r in hits if r.id in known]

    def retrieve(self, text: str, doc_ids: Sequence[str] | None = None, k: int = 8) -> list[Record]:
        """The k best records for `text`, fused from both rankings (catalog entries left out)."""
        fused: dict[str, float] = {}
        by_id: dict[str, Record] = {}
        for ranking in (self.lexical(text, doc_ids, k * 3), self.dense(text, doc_ids, k * 3)):
            for rank, record in enumerate(ranking):
                if record.kind not in self.KINDS:
                    continue
                by_id[record.id] = record
                fused[record.id] = fused.get(record.id, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        best = sorted(fused, key=lambda rid: -fused[rid])[:k]
        return [by_id[rid] for rid in best]

    def as_runnable(self) -> Runnable[dict[str, Any], list[Record]]:
        """`{"text": ..., "doc_ids": [...], "k": 8}` → records, as a langchain Runnable."""
        from langchain_core.runnables import RunnableLambda

        return RunnableLambda(lambda d: self.retrieve(d["text"], d.get("doc_ids"), d.get("k", 8)))


def figure_of(record: Record) -> Decimal | None:
    """The headline figure of a fact or row record."""
    if record.kind == "fact":
        return parse_figure(record.payload.get("value"))
    if record.kind == "row":
        cells = {k: parse_figure(v) for k, v in record.payload.get("cells", {}).items()}
        return main_cell(cells)[1]
    return None
