"""Split Chinese (and English) text into sentences: the one sentence splitter of the product.

In: a text and, optionally, the stops that end a sentence. Out: the pieces, which join back to the text
unchanged (nothing dropped, nothing added), so a piece's position in the text is known.

- `split_sentences(text)` ends a sentence at 。！？!?；; and at a newline, and at a `.` followed by a
  space or the end (so 4.70 stays whole). Closing quotes and brackets, and citation markers written after
  the stop (`。[1]`), stay with their sentence. Each stop ends a sentence: `？！` gives `？` and `！`.
- `stops` narrows what ends a sentence: `FULL_STOPS` (。 only) keeps a sentence with its ；-separated
  parts together, as a share stated after a ； still refers to the total stated before it.
- `sentence_around(text, start, end)` is the sentence holding `text[start:end]`.

The evaluation splits sentences with its own code on purpose (see eval/scoring.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["CLAUSE_STOPS", "FULL_STOPS", "SENTENCE_STOPS", "sentence_around", "split_sentences"]

SENTENCE_STOPS = "。！？!?；;\n."
"""Every stop: Chinese and English end marks, semicolons, newlines, and a `.` before a space or the end."""
CLAUSE_STOPS = "。！？；;"
"""The stops of Chinese prose, newlines and English periods left inside (a PDF line break is no stop)."""
FULL_STOPS = "。"
"""句号 only: a ；-separated list stays one sentence."""

_CLOSERS = r"[”’\"')）]*"  # closing quotes and brackets stay with their sentence
_MARKERS = (
    r"(?:[ \t]*[\[【]\s*\d{1,3}(?:\s*[,，、]\s*\d{1,3})*\s*[\]】])*"  # so do markers put after the stop
)


@lru_cache(maxsize=16)
def _sentence_end(stops: str) -> re.Pattern[str]:
    marks = "".join(ch for ch in stops if ch not in ".\n")
    ends = []
    if marks:
        ends.append(f"[{re.escape(marks)}]")  # each mark ends one: `。;` is a sentence and an empty one
    if "." in stops:
        ends.append(r"\.(?=\s|$)")  # an English period, never the point of 4.70
    if "\n" in stops:
        ends.append(r"\n")
    if not ends:
        raise ValueError(f"没有可用的句末标点：{stops!r}（请给出如 。；; 的标点）")
    return re.compile(f"(?:{'|'.join(ends)}){_CLOSERS}{_MARKERS}")


def split_sentences(text: str, stops: str = SENTENCE_STOPS) -> list[str]:
    """The sentences of `text`, ended by the characters of `stops`; `"".join(result) == text`."""
    pieces: list[str] = []
    position = 0
    for match in _sentence_end(stops).finditer(text):
        if match.end() > position:
            pieces.append(text[position : match.end()])
            position = match.end()
    if position < len(text):
        pieces.append(text[position:])
    return pieces


def sentence_around(text: str, start: int, end: int, stops: str = CLAUSE_STOPS) -> str:
    """The sentence (or sentences) of `text` holding `text[start:end]`, without surrounding spaces."""
    position = 0
    held: list[str] = []
    for piece in split_sentences(text, stops):
        piece_end = position + len(piece)
        if piece_end > start and position < max(end, start + 1):
            held.append(piece)
        position = piece_end
    return "".join(held).strip()
