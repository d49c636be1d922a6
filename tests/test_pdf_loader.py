"""ingest.parsing.pdf_loader on PDFs generated from the bundled text exports, and on bad inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdf_fixtures  # tests/ has no __init__.py: pytest puts tests/ itself on sys.path
import pdfplumber
import pytest

from ingest.errors import IngestError
from ingest.model import BudgetTable, Disclosure
from ingest.parsing.pdf_loader import load_pdf
from ingest.parsing.text_loader import LoadedText

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
GONGXIN = "2024_柳林县工业和信息化局_部门预算"
TAB_SEPARATED = [GONGXIN, "2025_柳林县医疗保障局_部门预算", "2026_孝义市财政局_部门预算"]


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdfs")


@pytest.fixture(scope="session")
def disclosure_pdf(pdf_dir: Path) -> Callable[[str], Path]:
    """Name of a corpus file → its generated PDF, made once per session."""
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            made[name] = pdf_fixtures.make_disclosure_pdf(CORPUS / f"{name}.txt", pdf_dir / f"{name}.pdf")
        return made[name]

    return make


@pytest.fixture(scope="session")
def loaded_pdf(disclosure_pdf: Callable[[str], Path]) -> Callable[[str], LoadedText]:
    """Name of a corpus file → load_pdf of its generated PDF, loaded once per session."""
    loaded: dict[str, LoadedText] = {}

    def load(name: str) -> LoadedText:
        if name not in loaded:
            loaded[name] = load_pdf(disclosure_pdf(name))
        return loaded[name]

    return load


def _cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.split("\t")]


def _line(loaded: LoadedText, text: str) -> int:
    """Index of the line whose text is exactly `text`."""
    return next(i for i, line in enumerate(loaded.lines) if line.text == text)


# --- (a) the generated PDF of the 柳林县工业和信息化局 disclosure --------------------------------


def test_generated_pdf_really_draws_bold_twice(disclosure_pdf: Callable[[str], Path]) -> None:
    """The fixture must exercise dedupe_chars: without it the text is doubled."""
    with pdfplumber.open(disclosure_pdf(GONGXIN)) as pdf:
        raw = "\n".join(page.extract_text() for page in pdf.pages)
    assert "收收入入总总计计" in raw
    assert "22002244年年预预算算收收支支总总表表" in raw


def test_table_rows_equal_the_text_export_cell_for_cell(loaded_pdf: Callable[[str], LoadedText]) -> None:
    loaded = loaded_pdf(GONGXIN)
    source = pdf_fixtures.source_lines(CORPUS / f"{GONGXIN}.txt")
    expected = [_cells(line) for line in source if "\t" in line]
    got = [_cells(line.text) for line in loaded.lines if "\t" in line.text]
    assert len(expected) == 279  # every row of 表一…表十三 in 第二部分
    assert got == expected


def test_known_rows_of_表一_and_三公(loaded_pdf: Callable[[str], LoadedText]) -> None:
    texts = [line.text for line in loaded_pdf(GONGXIN).lines]
    assert "一、一般公共预算\t17464.07\t一、一般公共服务支出\t2353.19\t2325.19\t28.00" in texts
    assert "收入总计\t17944.67\t支出总计\t17944.67\t17486.07\t458.60" in texts
    assert "公务用车购置及运行费\t4.50\t4.50\t\t" in texts
    assert "合计\t4.70\t4.70\t\t" in texts
    # a wrapped 项目名称 cell comes back whole, without spaces
    assert "上年结转商业零售企业奖励资金（柳财建【2023】717号）\t20.00\t20.00\t\t" in texts


def test_wrapped_cells_are_rejoined(disclosure_pdf: Callable[[str], Path]) -> None:
    """The generator wraps long cells onto two lines; pdfplumber reports them with a newline."""
    with pdfplumber.open(disclosure_pdf(GONGXIN)) as pdf:
        cells = [
            cell
            for page in pdf.pages
            for table in page.dedupe_chars().extract_tables()
            for row in table
            for cell in row
        ]
    assert any(cell and "\n" in cell for cell in cells)


def test_no_doubled_text_and_titles_in_place(loaded_pdf: Callable[[str], LoadedText]) -> None:
    loaded = loaded_pdf(GONGXIN)
    whole = "\n".join(line.text for line in loaded.lines)
    assert "合计合计" not in whole
    assert "17944.6717944.67" not in whole
    title = _line(loaded, "2024年预算收支总表")
    unit = _line(loaded, "单位：万元")
    first_row = _line(loaded, "收入\t\t支出\t\t\t")
    assert title < unit < first_row
    assert loaded.lines[0].text == "柳林县工业和信息化局[部门]"
    assert _line(loaded, "2024年财政拨款安排“三公”经费支出预算表") < _line(loaded, "合计\t4.70\t4.70\t\t")
    assert whole.count("注：本表无数据") == 2
    # a table is set off by blank lines, as in the text export
    assert loaded.lines[first_row - 1].text == ""


def test_line_numbers_and_pages(loaded_pdf: Callable[[str], LoadedText]) -> None:
    loaded = loaded_pdf(GONGXIN)
    assert [line.number for line in loaded.lines] == list(range(1, len(loaded.lines) + 1))
    pages = [line.page for line in loaded.lines]
    assert None not in pages
    assert pages == sorted(pages)  # type: ignore[type-var]
    assert pages[0] == 1
    assert pages[-1] == 9
    by_text = {line.text: line.page for line in loaded.lines}
    assert by_text["一、一般公共预算\t17464.07\t一、一般公共服务支出\t2353.19\t2325.19\t28.00"] == 1
    assert by_text["收入总计\t17944.67\t支出总计\t17944.67\t17486.07\t458.60"] == 2
    assert by_text["合计\t4.70\t4.70\t\t"] == 8
    assert loaded.encoding == "pdf"
    assert len(loaded.sha256) == 64


# --- (b) bad inputs -----------------------------------------------------------------------------


def _error(path: Path) -> str:
    with pytest.raises(IngestError) as caught:
        load_pdf(path)
    message = str(caught.value)
    assert path.name in message
    return message


def test_encrypted_pdf(tmp_path: Path) -> None:
    message = _error(pdf_fixtures.make_encrypted_pdf(tmp_path / "加密.pdf"))
    assert "PDF 已加密" in message
    assert "另存为不加密的 PDF" in message


def test_scanned_pages_are_named(tmp_path: Path) -> None:
    path = pdf_fixtures.make_scanned_pdf(tmp_path / "扫描件.pdf", text_pages=1, image_pages=2)
    message = _error(path)
    assert "第2–3页没有文字层：是扫描图片" in message
    assert "OCR" in message


def test_whole_document_scanned(tmp_path: Path) -> None:
    one = _error(pdf_fixtures.make_scanned_pdf(tmp_path / "一页.pdf", text_pages=0, image_pages=1))
    assert "第1页没有文字层：是扫描图片" in one
    three = _error(pdf_fixtures.make_scanned_pdf(tmp_path / "三页.pdf", text_pages=0, image_pages=3))
    assert "全部3页（第1–3页）都没有文字层" in three


def test_truncated_pdf(tmp_path: Path) -> None:
    message = _error(pdf_fixtures.make_truncated_pdf(tmp_path / "下载中断.pdf"))
    assert "不是有效的 PDF" in message
    assert "重新下载" in message


def test_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    assert "不是有效的 PDF" in _error(pdf_fixtures.make_not_pdf(tmp_path / "网页.pdf"))


def test_empty_file(tmp_path: Path) -> None:
    assert "文件是空的" in _error(pdf_fixtures.make_empty_file(tmp_path / "空.pdf"))


def test_damaged_page_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page pdfminer cannot parse is reported with its number instead of a stack trace."""
    from pdfminer.psexceptions import PSSyntaxError

    def broken(self: object, *args: object, **kwargs: object) -> None:
        raise PSSyntaxError("Invalid dictionary construct")

    monkeypatch.setattr(pdfplumber.page.Page, "find_tables", broken)
    path = pdf_fixtures.make_text_pdf(tmp_path / "坏页.pdf", ["2024年预算收支总表"])
    with pytest.raises(IngestError) as caught:
        load_pdf(path)
    assert caught.value.page == 1
    assert "坏页.pdf 第1页：这一页无法解析" in str(caught.value)


def test_small_valid_pdf_loads(tmp_path: Path) -> None:
    """Control for the bad inputs: the same canvas route without damage loads fine."""
    path = pdf_fixtures.make_text_pdf(tmp_path / "ok.pdf", ["2024年预算收支总表", "单位：万元"])
    loaded = load_pdf(path)
    assert [(line.text, line.page) for line in loaded.lines] == [("2024年预算收支总表", 1), ("单位：万元", 1)]


# --- (c) the parser sees the same tables in the PDF as in the text export -------------------------


@pytest.mark.parametrize("name", TAB_SEPARATED)
def test_parsed_tables_match_the_text_export(name: str, loaded_pdf: Callable[[str], LoadedText]) -> None:
    parse = pytest.importorskip("ingest.parsing.parse")
    from ingest.parsing.text_loader import load_text_file

    from_text = parse.parse_document(load_text_file(CORPUS / f"{name}.txt"))
    from_pdf = parse.parse_document(loaded_pdf(name))

    def standard(disclosure: Disclosure) -> dict[str, BudgetTable]:
        return {table.key: table for table in disclosure.tables if table.kind == "standard"}

    text_tables, pdf_tables = standard(from_text), standard(from_pdf)
    assert len(text_tables) == 13, sorted(text_tables)
    assert sorted(pdf_tables) == sorted(text_tables)
    differing: dict[str, str] = {}
    for key, text_table in text_tables.items():
        pdf_table = pdf_tables[key]
        assert pdf_table.title == text_table.title, key
        assert pdf_table.unit == text_table.unit, key
        assert pdf_table.empty == text_table.empty, key
        assert len(pdf_table.rows) == len(text_table.rows), key
        for text_row, pdf_row in zip(text_table.rows, pdf_table.rows, strict=True):
            if (text_row.label, text_row.code, text_row.cells) != (
                pdf_row.label,
                pdf_row.code,
                pdf_row.cells,
            ):
                differing.setdefault(key, f"text {text_row.label!r} vs pdf {pdf_row.label!r}")
    # rows read from the PDF cite their page
    assert all(row.locator.page for table in pdf_tables.values() for row in table.rows)
    assert differing == {}
