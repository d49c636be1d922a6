"""Test PDFs made with reportlab from the bundled text exports, and bad inputs.

`make_disclosure_pdf(text export, out)` renders a disclosure's title lines and its 第二部分 tables
the way the provincial PDFs look: every block of consecutive tab-separated lines becomes a ruled
table (GRID), the other lines (表 titles, 部门名称：…, 单位：万元, 注：本表无数据) are text, and
headings, header rows and 合计 rows are drawn twice at a small offset (fake bold), which the loader's
`dedupe_chars()` must undo. The bad-input generators make an encrypted PDF, an image-only (scanned)
PDF, a truncated PDF and an empty file. Everything takes well under a second per file.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
BOLD_OFFSET = 0.4  # points; pdfplumber's dedupe_chars tolerance is 1
PAGE = landscape(A4)
MARGIN = 28.0
TABLE_FONT_SIZE = 7.0
MAX_COLUMN = 150.0  # points: long project names wrap inside their cell, as in the real PDFs
CELL_PADDING = 2.0

_HEADING = re.compile(r"^(第[一二三四]部分|\d{4}年.*表(（.*）|\(.*\))?$|.*部门预算公开$)")


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


class DoubledParagraph(Paragraph):
    """A paragraph drawn twice, the second copy shifted by BOLD_OFFSET: how PDF producers fake bold."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x + BOLD_OFFSET, y - BOLD_OFFSET, _sW)
        super().drawOn(canvas, x, y, _sW)


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    text = ParagraphStyle("text", fontName=FONT, fontSize=10, leading=13, wordWrap="CJK")
    heading = ParagraphStyle("heading", fontName=FONT, fontSize=14, leading=18, wordWrap="CJK")
    cell = ParagraphStyle(
        "cell", fontName=FONT, fontSize=TABLE_FONT_SIZE, leading=TABLE_FONT_SIZE + 1.5, wordWrap="CJK"
    )
    return text, heading, cell


def source_lines(text_path: Path) -> list[str]:
    """The lines the PDF shows: the title lines before 目 录, then 第二部分 up to the 第三部分 heading."""
    lines = text_path.read_text(encoding="utf-8").splitlines()
    titles: list[str] = []
    for line in lines:
        if line.replace(" ", "") == "目录":
            break
        if line.strip() and line.strip() != "仅供内部审核":
            titles.append(line.strip())
    start = _body_heading(lines, "第二部分")
    end = _body_heading(lines, "第三部分")
    return [*titles, "", *lines[start : end + 1]]


def _body_heading(lines: list[str], part: str) -> int:
    """Index of the body heading of `part` (not its 目录 entry, which has dots or a tab)."""
    for index, line in enumerate(lines):
        if line.strip().startswith(part) and "\t" not in line and "..." not in line:
            return index
    raise ValueError(f"no {part} heading")


def _column_widths(rows: list[list[str]], available: float) -> list[float]:
    """Widths that fit each column's longest cell, water-filled down to the available width."""
    count = max(len(row) for row in rows)
    needed = [12.0] * count
    for row in rows:
        for i, cell in enumerate(row):
            width = pdfmetrics.stringWidth(cell, FONT, TABLE_FONT_SIZE) + 2 * CELL_PADDING + 6
            needed[i] = max(needed[i], width)
    needed = [min(width, MAX_COLUMN) for width in needed]
    if sum(needed) <= available:
        return needed
    low, high = 0.0, max(needed)
    for _ in range(40):  # bisection on the cap
        cap = (low + high) / 2
        if sum(min(w, cap) for w in needed) > available:
            high = cap
        else:
            low = cap
    return [min(w, low) for w in needed]


def _is_bold_row(row: list[str], index: int) -> bool:
    first = next((cell for cell in row if cell.strip()), "")
    return index == 0 or "合计" in first or "总计" in first


def _table(rows: list[list[str]], cell_style: ParagraphStyle, fake_bold: bool) -> Table:
    count = max(len(row) for row in rows)
    rows = [row + [""] * (count - len(row)) for row in rows]
    widths = _column_widths(rows, PAGE[0] - 2 * MARGIN)
    data: list[list[Any]] = []
    for index, row in enumerate(rows):
        bold = fake_bold and _is_bold_row(row, index)
        out: list[Any] = []
        for cell, width in zip(row, widths, strict=True):
            text = cell.strip()
            fits = pdfmetrics.stringWidth(text, FONT, TABLE_FONT_SIZE) + 2 * CELL_PADDING + 4 < width
            if bold and text:
                out.append(DoubledParagraph(escape(text), cell_style))
            elif fits:
                out.append(text)
            else:
                out.append(Paragraph(escape(text), cell_style))
        data.append(out)
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONT", (0, 0), (-1, -1), FONT, TABLE_FONT_SIZE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING + 4),  # room for hanging 】，。
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def make_disclosure_pdf(text_path: Path, out: Path, fake_bold: bool = True) -> Path:
    """Render `text_path`'s title lines and 第二部分 tables as a landscape A4 PDF at `out`."""
    _register_font()
    text_style, heading_style, cell_style = _styles()
    story: list[Flowable] = []
    block: list[list[str]] = []

    def flush() -> None:
        if block:
            story.append(_table(block, cell_style, fake_bold))
            block.clear()

    for line in source_lines(text_path):
        if "\t" in line:
            block.append(line.split("\t"))
            continue
        flush()
        text = line.strip()
        if not text:
            story.append(Spacer(1, 10))
        elif _HEADING.match(text):
            kind = DoubledParagraph if fake_bold else Paragraph
            story.append(kind(escape(text), heading_style))
        else:
            story.append(Paragraph(escape(text), text_style))
    flush()
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(out),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=text_path.stem,
    )
    doc.build(story)
    return out


def _simple_pdf(out: Path, lines: list[str], encrypt: str | None = None) -> Path:
    _register_font()
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf = pdfcanvas.Canvas(str(out), pagesize=A4, encrypt=encrypt)
    pdf.setFont(FONT, 12)
    for i, line in enumerate(lines):
        pdf.drawString(72, 760 - 20 * i, line)
    pdf.showPage()
    pdf.save()
    return out


def make_text_pdf(out: Path, lines: list[str]) -> Path:
    """A one-page PDF with the given text lines (a valid, unencrypted control)."""
    return _simple_pdf(out, lines)


def make_encrypted_pdf(out: Path, password: str = "secret") -> Path:
    """A PDF that needs a user password to open."""
    return _simple_pdf(out, ["2024年预算收支总表", "单位：万元"], encrypt=password)


def make_scanned_pdf(out: Path, text_pages: int = 1, image_pages: int = 2) -> Path:
    """`text_pages` pages with text, then `image_pages` pages that are only a picture (no text layer)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    _register_font()
    picture = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(20, 280, 24):
        draw.line((20, y, 380, y), fill="black", width=2)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf = pdfcanvas.Canvas(str(out), pagesize=A4)
    for _ in range(text_pages):
        pdf.setFont(FONT, 12)
        pdf.drawString(72, 760, "2024年度部门预算公开")
        pdf.showPage()
    for _ in range(image_pages):
        buffer.seek(0)
        pdf.drawImage(ImageReader(buffer), 72, 300, width=400, height=300)
        pdf.showPage()
    pdf.save()
    return out


def make_truncated_pdf(out: Path, keep: float = 0.3) -> Path:
    """A real PDF cut off after `keep` of its bytes, like an interrupted download."""
    whole = _simple_pdf(out.with_name(out.stem + ".whole.pdf"), ["2024年预算收支总表"])
    data = whole.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])
    whole.unlink()
    return out


def make_not_pdf(out: Path) -> Path:
    """A file named .pdf that is something else (an HTML error page saved by a browser)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("<html><body>404 Not Found</body></html>", encoding="utf-8")
    return out


def make_empty_file(out: Path) -> Path:
    """A zero-byte .pdf."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(b"")
    return out


UNRULED_FONT_SIZE = 7.0
UNRULED_LEADING = 12.0
COLUMN_GAP = 14.0  # points between unruled columns


def _figure(cell: str) -> bool:
    return bool(re.fullmatch(r"[-−]?[\d,]+\.\d+", cell.strip()))


def _is_header_row(row: list[str]) -> bool:
    return not any(_figure(cell) for cell in row) and not row[0].strip().startswith("合计")


def make_unruled_pdf(text_path: Path, out: Path, break_in: str = "预算收入总表") -> Path:
    """The title lines and 第二部分 tables drawn without ruling lines, each cell placed at its column's
    position (text left-aligned, figures right-aligned), as many producers print them. Pages end with a
    page number; a table cut by a page break prints its header rows again at the top of the next page.
    The table whose title contains `break_in` is always cut in the middle of its rows."""
    _register_font()
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf = pdfcanvas.Canvas(str(out), pagesize=PAGE)
    top, bottom = PAGE[1] - MARGIN, MARGIN + 20
    state = {"y": top, "page": 1}

    def new_page() -> None:
        pdf.setFont(FONT, 8)
        pdf.drawCentredString(PAGE[0] / 2, MARGIN, f"- {state['page']} -")
        pdf.showPage()
        state["page"] += 1
        state["y"] = top

    def draw_row(row: list[str], widths: list[float]) -> None:
        if state["y"] < bottom:
            new_page()
        pdf.setFont(FONT, UNRULED_FONT_SIZE)
        x = MARGIN
        for cell, width in zip(row, widths, strict=False):
            text = cell.strip()
            if _figure(text):
                pdf.drawRightString(x + width, state["y"], text)
            elif text:
                pdf.drawString(x, state["y"], text)
            x += width + COLUMN_GAP
        state["y"] -= UNRULED_LEADING

    def draw_table(rows: list[list[str]], cut: bool) -> None:
        count = max(len(row) for row in rows)
        rows = [row + [""] * (count - len(row)) for row in rows]
        widths = [
            max(pdfmetrics.stringWidth(row[i].strip(), FONT, UNRULED_FONT_SIZE) for row in rows) + 2
            for i in range(count)
        ]
        header = [row for row in rows[:4] if _is_header_row(row)]
        header = rows[: len(header)] if all(_is_header_row(r) for r in rows[: len(header)]) else []
        body = rows[len(header) :]
        for row in header:
            draw_row(row, widths)
        for k, row in enumerate(body):
            if (cut and k == len(body) // 2) or state["y"] < bottom:
                new_page()
                for again in header:
                    draw_row(again, widths)
            draw_row(row, widths)

    block: list[list[str]] = []
    cut_next = False
    for line in source_lines(text_path):
        if "\t" in line:
            block.append(line.split("\t"))
            continue
        if block:
            draw_table(block, cut_next)
            block, cut_next = [], False
        text = line.strip()
        if not text:
            state["y"] -= UNRULED_LEADING / 2
            continue
        if state["y"] < bottom + 3 * UNRULED_LEADING:
            new_page()
        size = 12.0 if _HEADING.match(text) else 9.0
        pdf.setFont(FONT, size)
        pdf.drawString(MARGIN, state["y"], text)
        state["y"] -= size + 6
        cut_next = cut_next or break_in in text
    if block:
        draw_table(block, cut_next)
    pdf.setFont(FONT, 8)
    pdf.drawCentredString(PAGE[0] / 2, MARGIN, f"- {state['page']} -")
    pdf.showPage()
    pdf.save()
    return out
