"""Unruled PDF tables → text lines whose spacing says which columns were left blank.

In: the text lines of one page outside ruled tables, each with its characters and positions.
Out: one string per line. A line holding figures is rebuilt from its words: words joined by one
space, and between two figures one extra pair of spaces per column skipped — the convention of the
space-separated text exports, which `placement` reads (blank cells collapsed, arithmetic and
spacing put the figures back). Column positions are the right edges of the figures printed in the
same table (figures are right-aligned), so a blank column is seen where a right edge is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ingest.parsing.layout import holder_name, title_number

_FIGURE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")
WORD_GAP = 1.5  # points between characters that separates two words (cells)
COLUMN_TOLERANCE = 3.0  # right edges within this many points are one column
INDENT = 40.0  # a line starting this far right of its table's left edge has its left cells blank


@dataclass
class _Word:
    text: str
    x0: float
    x1: float

    @property
    def is_figure(self) -> bool:
        return bool(_FIGURE.match(self.text))


def rebuild_lines(lines: list[dict[str, Any]]) -> list[str]:
    """pdfplumber text lines (with `chars`) → their text, figure lines rebuilt column by column."""
    words = [_words(line.get("chars") or []) for line in lines]
    texts = [str(line["text"]) for line in lines]
    out = list(texts)
    for start, stop in _segments(texts):
        segment = range(start, stop)
        anchors = _anchors([w for i in segment for w in words[i] if w.is_figure])
        left = min((ws[0].x0 for i in segment if (ws := words[i])), default=0.0)
        for i in segment:
            if len(words[i]) >= 2 and any(w.is_figure for w in words[i]) and anchors:
                out[i] = _rebuild(words[i], anchors, left)
    return out


def _words(chars: list[dict[str, Any]]) -> list[_Word]:
    words: list[_Word] = []
    for char in sorted(chars, key=lambda c: c["x0"]):
        text = char["text"]
        if not text.strip():
            continue
        if words and char["x0"] - words[-1].x1 <= WORD_GAP:
            words[-1].text += text
            words[-1].x1 = char["x1"]
        else:
            words.append(_Word(text, char["x0"], char["x1"]))
    return words


def _segments(texts: list[str]) -> list[tuple[int, int]]:
    """Runs of lines that belong to one table: a title or 单位名称 line starts the next run."""
    cuts = [0] + [i for i, t in enumerate(texts) if i and (holder_name(t) or title_number(t))] + [len(texts)]
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def _anchors(figures: list[_Word]) -> list[float]:
    edges: list[float] = []
    for x1 in sorted(w.x1 for w in figures):
        if not edges or x1 - edges[-1] > COLUMN_TOLERANCE:
            edges.append(x1)
    return edges


def _column(anchors: list[float], x1: float) -> int:
    return min(range(len(anchors)), key=lambda k: abs(anchors[k] - x1))


def _rebuild(words: list[_Word], anchors: list[float], left: float) -> str:
    text = "  " if words[0].x0 - left > INDENT else ""
    previous: _Word | None = None
    for word in words:
        if previous is not None:
            gap = " "
            if previous.is_figure and word.is_figure:
                skipped = _column(anchors, word.x1) - _column(anchors, previous.x1) - 1
                gap += "  " * max(skipped, 0)
            text += gap
        text += word.text
        previous = word
    return text
