"""Charts of a disclosure: data found by table title (not number), a CJK font, no missing glyphs."""

from __future__ import annotations

import io
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.stores.index import StructuredIndex
from ui.web import charts


def draw_and_collect_warnings(figure: object) -> list[str]:
    """Render a figure to PNG; the texts of any warnings matplotlib raised (missing glyphs among them)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")  # type: ignore[attr-defined]
    return [str(w.message) for w in caught]


def test_missing_font_error_says_how_to_install_one(tmp_path: Path) -> None:
    with pytest.raises(charts.FontMissingError, match=r"scripts/install_system_deps\.sh"):
        charts.find_cjk_font((tmp_path / "none.ttc",))


def test_cjk_font_is_registered_and_used() -> None:
    path = charts.find_cjk_font()  # installed by scripts/install_system_deps.sh (make test runs it)
    assert path.suffix in (".ttc", ".ttf", ".otf")
    name = charts.use_cjk_font(path)
    assert name == "WenQuanYi Micro Hei" or "CJK" in name or "Hei" in name
    from matplotlib import font_manager, rcParams

    assert rcParams["font.sans-serif"][0] == name
    assert Path(font_manager.findfont(name, fallback_to_default=False)) == path


def test_bar_chart_draws_chinese_labels_without_missing_glyphs() -> None:
    data = charts.ChartData(
        title="“三公”经费构成",
        labels=["公务接待费", "公务用车运行维护费"],
        values=[Decimal("0.20"), Decimal("4.50")],
        unit="万元",
        source="柳林县工业和信息化局2024年度部门预算 · “三公”经费说明",
        raw=["0.20", "4.50"],
    )
    figure = charts.bar_chart(data)
    assert draw_and_collect_warnings(figure) == []
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["公务接待费", "公务用车运行维护费"]
    assert sorted(t.get_text() for t in axes.texts) == ["0.20", "4.50"]  # the printed values on the bars
    assert axes.get_xlabel() == "金额（万元）"


# ------------------------------------------------------------------------------------ over the corpus


@pytest.fixture(scope="module")
def index(corpus_store) -> StructuredIndex:  # type: ignore[no-untyped-def]
    """The structured index of the bundled corpus, ingested once per test session (tests/conftest.py)."""
    return StructuredIndex(corpus_store.store_dir)


def doc_id(index: StructuredIndex, department: str) -> str:
    return next(d.doc_id for d in index.documents() if d.department == department)


@pytest.mark.slow
def test_spending_by_function_from_the_expenditure_summary(index: StructuredIndex) -> None:
    data = charts.spending_by_function(index, doc_id(index, "柳林县工业和信息化局"))
    assert data is not None
    assert data.labels[:3] == ["城乡社区支出", "农林水支出", "一般公共服务支出"]
    assert data.values[:3] == [Decimal("10200.00"), Decimal("3000.00"), Decimal("2353.19")]
    assert len(data.labels) == 9 and data.unit == "万元"
    assert "表三 2024年预算支出总表" in data.source
    assert sum(data.values) == Decimal("17944.67")  # the table's own 合计


@pytest.mark.slow
def test_basic_versus_project_spending(index: StructuredIndex) -> None:
    data = charts.basic_vs_project(index, doc_id(index, "柳林县工业和信息化局"))
    assert data is not None
    assert dict(zip(data.labels, data.values, strict=True)) == {
        "基本支出": Decimal("445.45"),
        "项目支出": Decimal("17499.22"),
    }
    assert "合计行 第237行" in data.source


@pytest.mark.slow
def test_sangong_items_leave_out_totals_and_subtotals(index: StructuredIndex) -> None:
    gongxin = charts.sangong_breakdown(index, doc_id(index, "柳林县工业和信息化局"))
    assert gongxin is not None
    assert dict(zip(gongxin.labels, gongxin.raw, strict=True)) == {
        "因公出国（境）费": "0",
        "公务接待费": "0.20",
        "公务用车购置费": "0",
        "公务用车运行维护费": "4.50",
    }
    assert "合计" not in gongxin.labels and gongxin.note == ""
    yibao = charts.sangong_breakdown(index, doc_id(index, "柳林县医疗保障局"))
    assert yibao is not None and "公务用车购置及运行费" not in yibao.labels
    assert dict(zip(yibao.labels, yibao.values, strict=True))["公务用车运行维护费"] == Decimal("4.00")
    xinfang = charts.sangong_breakdown(index, doc_id(index, "晋城市信访局"))
    assert xinfang is not None and xinfang.note == "各项预算均为零"


@pytest.mark.slow
def test_every_document_gets_three_charts_in_a_cjk_font(index: StructuredIndex) -> None:
    for document in index.documents():
        figures = charts.document_charts(index, document.doc_id)
        assert list(figures) == ["支出功能分类", "基本支出与项目支出", "三公经费构成"]
        for name, figure in figures.items():
            assert figure is not None, f"{document.title}：{name}"
            assert draw_and_collect_warnings(figure) == [], f"{document.title}：{name}"
