"""PDF disclosures → cleaned, numbered lines (the same `LoadedText` a text export gives).

Per page, with pdfplumber: `dedupe_chars()` undoes bold drawn twice at a small offset; ruled tables
(`find_tables` with the lines strategy) become one line per row with cells joined by TAB, blank cells
kept as empty fields so columns stay in place; the text outside the tables becomes ordinary lines, and
a line of an unruled table keeps its blank columns as extra spaces (`pdf_columns`).
Everything comes out in reading order, top to bottom, tables in their place, with a blank line around
each table and wherever the page leaves a paragraph gap. Line numbers run through the whole document
(1…); every line carries its 1-based page number.

Files that cannot be read raise `IngestError` saying what to do: encrypted, not a PDF, empty,
or pages without a text layer (scans, which need OCR first).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from ingest.errors import IngestError
from ingest.model import Line
from ingest.parsing.pdf_columns import rebuild_lines
from ingest.parsing.text_loader import LoadedText, clean_lines, is_furniture, undouble

TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# Bold drawn twice: same glyph within 1pt. Size is left out of the match because producers' text
# matrices give the two copies sizes like 7.0 and 6.99999999 (seen with reportlab).
DEDUPE = {"tolerance": 1, "extra_attrs": ("fontname",)}
PARAGRAPH_GAP = 0.8  # a vertical gap above this share of the line height starts a new block

_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


@dataclass
class _Item:
    """A text line or a table on one page, with its vertical extent."""

    top: float
    bottom: float
    rows: list[str]  # one text line, or the table's rows with cells joined by TAB
    is_table: bool


def load_pdf(path: Path) -> LoadedText:
    """Read a PDF disclosure; return its lines (tables as TAB-separated rows) with page numbers."""
    data = _read(path)
    pdf = _open(path, data)
    lines: list[Line] = []
    scanned: list[int] = []
    with pdf:
        pages = _pages(path, pdf)
        for page in pages:
            try:
                deduped = page.dedupe_chars(**DEDUPE)
                if not deduped.chars:
                    if page.images:
                        scanned.append(page.page_number)
                    continue
                items = _page_items(deduped)
            except IngestError:
                raise
            except Exception as error:  # pdfminer raises many kinds on a damaged page
                raise IngestError(
                    path,
                    "这一页无法解析，文件可能已损坏",
                    "请重新下载或重新导出 PDF 后再导入",
                    page.page_number,
                ) from error
            after_text = bool(lines and lines[-1].text)
            lines.extend(_number(items, page.page_number, len(lines) + 1, after_text))
        total = len(pages)
    if scanned:
        raise IngestError(
            path,
            f"{_page_list(scanned, total)}没有文字层：是扫描图片",
            "请先用 OCR 软件（如 ocrmypdf）把它转成可选中文字的 PDF，再重新导入",
        )
    if not any(line.text.strip() for line in lines):
        raise IngestError(path, "PDF 里没有任何文字", "请确认选对了文件：预算公开文件应当有可选中的文字")
    while lines and not lines[-1].text:
        lines.pop()
    return LoadedText(path=path, lines=lines, encoding="pdf", sha256=hashlib.sha256(data).hexdigest())


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(path, f"无法读取文件（{error.strerror}）", "请检查路径和读取权限") from error
    if not data.strip():
        raise IngestError(path, "文件是空的", "请检查下载或导出是否完整，然后重新导入")
    if b"%PDF-" not in data[:1024]:
        raise IngestError(path, "不是有效的 PDF（文件开头没有 PDF 标记）", _REDOWNLOAD)
    return data


_REDOWNLOAD = "文件可能已损坏或下载不完整，请重新下载或从原系统重新导出后再导入"


def _open(path: Path, data: bytes) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFEncryptionError):
            raise IngestError(
                path, "PDF 已加密，无法读取文字", "请用密码打开后另存为不加密的 PDF，或向发布单位索取公开版本"
            ) from error
        raise IngestError(path, "不是有效的 PDF", _REDOWNLOAD) from error


def _pages(path: Path, pdf: pdfplumber.PDF) -> list[Any]:
    try:
        pages = list(pdf.pages)
    except Exception as error:  # a broken page tree
        raise IngestError(path, "不是有效的 PDF（页面目录损坏）", _REDOWNLOAD) from error
    if not pages:
        raise IngestError(path, "不是有效的 PDF（找不到任何页面）", _REDOWNLOAD)
    return pages


def _page_items(page: Any) -> list[_Item]:
    """One page (chars already deduped) → its tables and text lines, top to bottom."""
    tables = page.find_tables(TABLE_SETTINGS)
    items = [
        _Item(table.bbox[1], table.bbox[3], [_row_text(row) for row in table.extract()], True)
        for table in tables
    ]
    boxes = [table.bbox for table in tables]

    def outside_tables(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside_tables) if boxes else page
    text_lines = text_page.extract_text_lines(return_chars=True)
    # Unruled tables: figure lines are rebuilt from word positions so blank columns stay visible.
    for text_line, text in zip(text_lines, rebuild_lines(text_lines), strict=True):
        if text.strip() and not is_furniture(text):
            items.append(_Item(text_line["top"], text_line["bottom"], [text], False))
    items.sort(key=lambda item: (item.top, item.is_table))
    return items


def _row_text(row: list[str | None]) -> str:
    """Table row → cells joined by TAB; blank or merged-away cells stay as empty fields."""
    return "\t".join(_cell_text(cell) for cell in row)


def _cell_text(cell: str | None) -> str:
    """A cell's wrapped lines joined: no space for Chinese or figures, a space between Latin words."""
    if not cell:
        return ""
    parts = [part.strip() for part in cell.replace("\u3000", " ").replace("\xa0", " ").split("\n")]
    text = ""
    for part in parts:
        if not part:
            continue
        if text and _LATIN_END.search(text) and _LATIN_START.match(part):
            text += " "
        text += part
    return undouble(text).strip()


def _number(items: list[_Item], page: int, start: int, after_text: bool) -> list[Line]:
    """Items of one page → numbered lines, blank lines around tables and at paragraph gaps.

    `after_text`: the previous page ended with a non-blank line (a table at the top needs a blank first).
    """
    lines: list[Line] = []
    previous: _Item | None = None

    def add(text: str) -> None:
        if not text and (not lines or not lines[-1].text):
            return  # no leading or doubled blank lines on a page
        lines.append(Line(number=start + len(lines), text=text, page=page))

    if items and items[0].is_table and after_text:
        lines.append(Line(number=start, text="", page=page))
    for item in items:
        if previous is not None and _block_break(previous, item):
            add("")
        if item.is_table:
            for row in item.rows:
                add(row)
        else:
            cleaned = clean_lines(item.rows, page=page, start=start + len(lines))[0]
            add(cleaned.text)
        previous = item
    if previous is not None and previous.is_table:
        add("")
    return lines


def _block_break(previous: _Item, item: _Item) -> bool:
    if previous.is_table or item.is_table:
        return True
    height = max(previous.bottom - previous.top, item.bottom - item.top)
    return item.top - previous.bottom > PARAGRAPH_GAP * height


def _page_list(pages: list[int], total: int) -> str:
    """[2, 3, 4, 7] → 第2–4、7页; every page of the file → 全部N页."""
    if len(pages) == total and total > 1:
        return f"全部{total}页（第1–{total}页）都"
    runs: list[str] = []
    first = last = pages[0]
    for number in [*pages[1:], None]:
        if number is not None and number == last + 1:
            last = number
            continue
        runs.append(str(first) if first == last else f"{first}–{last}")
        if number is not None:
            first = last = number
    return f"第{'、'.join(runs)}页"
