"""原文 view: the cited lines of an answer's sources, shown in the page with the lines around them.

In: an assistant message as the chat holds it (its 来源 items carry `data-doc` and `data-lines`), the
`StructuredIndex` (document titles and file names) and the store folder (a copy of every ingested
file is kept in `<store>/sources/`). Out: HTML: per citation, the document title, table or section,
the PDF page when there is one, and the source text lines with the cited ones highlighted.
Cached per file: a document is read once per process.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ingest.api import Line, StructuredIndex
from ui.web.render import escape

CONTEXT_LINES = 3
_ITEM = re.compile(
    r'<li class="bqa-citation" data-n="(\d+)" data-doc="([^"]*)" data-lines="(\d+)-(\d+)">'
    r'.*?<span class="bqa-where">(.*?)</span>'
)
EMPTY = "点一条回答，这里显示它引用的原文。"
NONE = "这条消息没有引用原文。"


def cited(message: str) -> list[tuple[int, str, int, int, str]]:
    """(number, doc_id, first line, last line, where — already escaped) of each 来源 item in a message."""
    return [(int(n), doc, int(a), int(b), where) for n, doc, a, b, where in _ITEM.findall(message or "")]


@lru_cache(maxsize=16)
def _lines(path: Path, mtime: float) -> tuple[Line, ...]:
    from ingest.api import load_any

    return tuple(load_any(path).lines)


def source_lines(path: Path, start: int, end: int, context: int = CONTEXT_LINES) -> list[Line]:
    """The cleaned lines `start`…`end` of a kept source file, with `context` lines either side."""
    if not path.is_file():
        return []
    lines = _lines(path, path.stat().st_mtime)
    return [
        line
        for line in lines
        if start - context <= line.number <= end + context
        and (line.text.strip() or start <= line.number <= end)  # blank lines around are left out
    ]


def render_source_view(message: str, index: StructuredIndex, store_dir: Path) -> str:
    """The 原文 panel for one assistant message: every cited passage with its lines highlighted."""
    items = cited(message)
    if not items:
        return f'<div class="bqa-source-view">{NONE}</div>'
    documents = {d.doc_id: d for d in index.documents()}
    parts = []
    for number, doc_id, start, end, where in items:
        doc = documents.get(doc_id)
        file_name = doc.summary.file if doc else ""
        lines = source_lines(store_dir / "sources" / file_name, start, end) if file_name else []
        if not lines:
            body = '<div class="bqa-source-missing">原文文件不在本机的资料库中，无法显示。</div>'
        else:
            pages = sorted(
                {line.page for line in lines if line.page is not None and start <= line.number <= end}
            )
            page = f"（第{'、'.join(str(p) for p in pages)}页）" if pages else ""
            rows = "".join(
                f'<div class="bqa-src-line{" bqa-cited" if start <= line.number <= end else ""}">'
                f'<span class="bqa-src-no">{line.number}</span>'
                f'<span class="bqa-src-text">{escape(line.text.replace(chr(9), "　"))}</span></div>'
                for line in lines
            )
            body = f'<div class="bqa-src-meta">{page}</div><div class="bqa-src-lines">{rows}</div>'
        parts.append(
            f'<div class="bqa-source" data-n="{number}"><div class="bqa-src-title"><b>[{number}]</b> {where}</div>'
            f"{body}</div>"
        )
    return (
        '<div class="bqa-source-view"><div class="bqa-src-head">原文（高亮的是引用的行）</div>'
        + "".join(parts)
        + "</div>"
    )
