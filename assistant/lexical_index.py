"""BM25 over jieba tokens as an inverted index: only records holding a query token are scored.

In: `(record id, doc_id, tokens)` for every text record. Out: record ids ranked by Okapi BM25 with the
parameters and idf floor of `rank_bm25.BM25Okapi` (k1 1.5, b 0.75, epsilon 0.25), so the ranking is
the one the assistant had before; ties keep record order. Postings are compact arrays, so the index of
a thousand disclosures fits in memory and pickles into the store (`assistant.warm_state`).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

K1, B, EPSILON = 1.5, 0.75, 0.25  # rank_bm25.BM25Okapi's defaults


class LexicalIndex:
    """Okapi BM25 over pre-tokenised records; `search` returns record ids, best first."""

    def __init__(self, items: Iterable[tuple[str, str, Sequence[str]]]) -> None:
        self.ids: list[str] = []
        self._doc_of: array[int] = array("I")  # record position → position in self._doc_ids
        self._doc_ids: list[str] = []
        doc_position: dict[str, int] = {}
        self._lengths: array[int] = array("I")
        postings: dict[str, tuple[array[int], array[int]]] = {}
        for record_id, doc_id, words in items:
            position = len(self.ids)
            self.ids.append(record_id)
            if doc_id not in doc_position:
                doc_position[doc_id] = len(self._doc_ids)
                self._doc_ids.append(doc_id)
            self._doc_of.append(doc_position[doc_id])
            self._lengths.append(len(words))
            for word, count in Counter(words).items():
                where, counts = postings.setdefault(word, (array("I"), array("I")))
                where.append(position)
                counts.append(count)
        self._postings = postings
        total = len(self.ids)
        self._average_length = (sum(self._lengths) / total) if total else 0.0
        self._idf = self._idf_of(total)

    def _idf_of(self, total: int) -> dict[str, float]:
        """BM25Okapi's idf: log((N - n + 0.5) / (n + 0.5)), negatives raised to epsilon × the mean idf."""
        idf: dict[str, float] = {}
        negative: list[str] = []
        summed = 0.0
        for word, (where, _) in self._postings.items():
            value = math.log(total - len(where) + 0.5) - math.log(len(where) + 0.5)
            idf[word] = value
            summed += value
            if value < 0:
                negative.append(word)
        floor = EPSILON * summed / len(idf) if idf else 0.0
        for word in negative:
            idf[word] = floor
        return idf

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def idf(self) -> dict[str, float]:
        return self._idf

    def token_bags(self) -> dict[str, list[str]]:
        """Each record's tokens (as a bag: grouped by word, not in text order), read back from the
        postings: BM25 uses only counts and lengths, so an index rebuilt from these bags ranks exactly
        as one rebuilt from the texts, without tokenising them again."""
        bags: dict[str, list[str]] = {record_id: [] for record_id in self.ids}
        for word, (where, counts) in self._postings.items():
            for position, count in zip(where, counts, strict=True):
                bags[self.ids[position]].extend([word] * count)
        return bags

    def search(self, words: Sequence[str], doc_ids: Sequence[str] | None = None, k: int = 10) -> list[str]:
        """Ids of the k best records for the query tokens (each occurrence counts, as in BM25Okapi),
        restricted to `doc_ids` when given; records sharing no token are never returned."""
        allowed: set[int] | None = None
        if doc_ids is not None:
            wanted = set(doc_ids)
            allowed = {i for i, doc_id in enumerate(self._doc_ids) if doc_id in wanted}
        scores: dict[int, float] = {}
        for word in words:
            entry = self._postings.get(word)
            if entry is None:
                continue
            idf = self._idf[word]
            for position, count in zip(*entry, strict=True):
                if allowed is not None and self._doc_of[position] not in allowed:
                    continue
                norm = K1 * (1 - B + B * self._lengths[position] / self._average_length)
                scores[position] = scores.get(position, 0.0) + idf * (count * (K1 + 1) / (count + norm))
        ranked = sorted((p for p in scores if scores[p] > 0), key=lambda p: (-scores[p], p))
        return [self.ids[p] for p in ranked[:k]]
