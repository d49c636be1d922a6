"""The deterministic composer: numbered citations in first-cited order, quotes, scope notes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assistant.composer import CitationBook, Statement, compose, fmt, quote_of
from assistant.retrieval import StructuredLookup
from assistant.service import Assistant
from ingest.stores.index import DocumentHit, StructuredIndex


@pytest.fixture(scope="module")
def index(corpus_store: Any) -> StructuredIndex:
    return StructuredIndex(corpus_store.store_dir)


@pytest.fixture(scope="module")
def gongxin(index: StructuredIndex) -> DocumentHit:
    return next(d for d in index.documents() if d.department == "柳林县工业和信息化局")


def test_numbered_citations_in_first_cited_order(index: StructuredIndex, gongxin: DocumentHit) -> None:
    row, fact = StructuredLookup(index).rank(gongxin.doc_id, "公务接待费", k=2)
    answer = compose(
        [
            Statement("表十中公务接待费为0.20万元", [row.record]),
            Statement("文字说明也写公务接待费0.20万元。", [fact.record]),
            Statement("两处一致", [row.record, fact.record]),
        ]
    )
    assert answer.answer == (
        "表十中公务接待费为0.20万元[1]。文字说明也写公务接待费0.20万元[2]。两处一致[1][2]。"
    )
    assert [c.number for c in answer.citations] == [1, 2]
    first = answer.citations[0]
    assert first.doc == "柳林县工业和信息化局2024年度部门预算"
    assert "公务接待费" in first.quote and "0.20" in first.quote
    assert first.locator.startswith("表十") and first.line_start > 0
    assert first.record_id == row.record.id
    assert answer.citations[1].quote == quote_of(fact.record)


def test_citation_book_reuses_numbers(index: StructuredIndex, gongxin: DocumentHit) -> None:
    ranked = StructuredLookup(index).rank(gongxin.doc_id, "公务用车运行维护费", k=2)
    book = CitationBook()
    assert book.markers([ranked[0].record, ranked[0].record]) == "[1]"
    assert book.markers([ranked[1].record, ranked[0].record]) == "[2][1]"
    assert len(book.citations) == 2


def test_statement_without_records_has_no_marker_but_ends_its_sentence() -> None:
    answer = compose([Statement("相差：|0.20 − 4.50| = 4.30"), Statement("候选如下：")])
    assert answer.answer == "相差：|0.20 − 4.50| = 4.30。候选如下："
    answer = compose([Statement("Total: 4.70"), Statement("done.")], language="en")
    assert answer.answer == "Total: 4.70. done."
    assert answer.citations == []


def test_fmt() -> None:
    assert fmt(Decimal("4.70"), "万元") == "4.70万元"
    assert fmt(None, "辆") == "0辆"
    assert fmt(Decimal("962"), "平方米") == "962平方米"


def test_scope_note_when_labels_collide(corpus_store: Any) -> None:
    """基本支出: 445.45万元 in 表三 (all funds) and 158.45万元 in 表六 (general budget by economic class)."""
    bot = Assistant.from_settings(corpus_store.settings)
    answer = bot.ask("柳林县工信局2024年基本支出是多少？")
    assert answer.answer.startswith(
        "柳林县工业和信息化局2024年度部门预算表三（2024年预算支出总表）中，基本支出为445.45万元[1]。注意：表六（"
    )
    assert answer.answer.endswith("中的“合计”为158.45万元，口径不同[2]。")
    assert answer.citations[1].locator.startswith("表六")
    assert not answer.notes
