"""The one sentence splitter (ingest/sentences.py): where it splits, for each set of stops its callers use."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sentences import CLAUSE_STOPS, FULL_STOPS, sentence_around, split_sentences

ANSWER = "合计4.70万元。[1]其中公务接待费0.20万元[2]！Total 4.70 wan. Next line\n- 4.50"
PROSE = "一般公共预算支出1,234.56万元，占95.00%；其中：基本支出800.00万元。项目支出“434.56万元”。\n第二段"


def test_every_stop_keeps_decimals_markers_and_closers() -> None:
    parts = split_sentences(ANSWER)
    assert "".join(parts) == ANSWER
    assert parts == [
        "合计4.70万元。[1]",
        "其中公务接待费0.20万元[2]！",
        "Total 4.70 wan.",
        " Next line\n",
        "- 4.50",
    ]


def test_clause_stops_leave_periods_and_newlines_inside() -> None:
    parts = split_sentences(PROSE, CLAUSE_STOPS)
    assert parts == [
        "一般公共预算支出1,234.56万元，占95.00%；",
        "其中：基本支出800.00万元。",
        "项目支出“434.56万元”。",
        "\n第二段",
    ]
    assert split_sentences("第一句\n第二句。\n", CLAUSE_STOPS + "\n") == ["第一句\n", "第二句。", "\n"]


def test_full_stops_keep_a_semicolon_list_together() -> None:
    assert split_sentences(PROSE, FULL_STOPS) == [
        "一般公共预算支出1,234.56万元，占95.00%；其中：基本支出800.00万元。",
        "项目支出“434.56万元”。",
        "\n第二段",
    ]


def test_each_stop_of_a_run_ends_a_sentence() -> None:
    assert split_sentences("真的吗？！好。") == ["真的吗？", "！", "好。"]
    assert split_sentences("减少了0.25万元。;公务用车", CLAUSE_STOPS) == ["减少了0.25万元。", ";", "公务用车"]


@pytest.mark.parametrize("text", ["", "没有句号", "。", "。。；"])
def test_pieces_join_back(text: str) -> None:
    assert "".join(split_sentences(text)) == text
    assert "".join(split_sentences(text, FULL_STOPS)) == text


def test_sentence_around_a_span() -> None:
    text = "在职人员12人；人员经费100.00万元。公用经费20.00万元。"
    start = text.index("100.00")
    assert sentence_around(text, start, start + 6) == "人员经费100.00万元。"
    assert sentence_around(text, 0, 2) == "在职人员12人；"
    assert sentence_around("无句号 12人 ", 4, 6) == "无句号 12人"


def test_no_stop_at_all_is_refused() -> None:
    with pytest.raises(ValueError, match="句末标点"):
        split_sentences("文字", "")


# How a hand-written splitter shows itself: a run of non-stops, a split after a stop, a scan for stops.
_SPLITTER_SHAPES = ("[^。]+", "[^。；", "(?<=[。", 'in "。', "rfind(ch")


def test_no_other_sentence_splitter_in_product_code() -> None:
    root = Path(__file__).resolve().parent.parent
    found = [
        f"{path.relative_to(root).as_posix()}: {shape}"
        for package in ("ingest", "assistant", "ui")
        for path in sorted((root / package).rglob("*.py"))
        if path.relative_to(root).as_posix() != "ingest/sentences.py"
        for shape in _SPLITTER_SHAPES
        if shape in path.read_text(encoding="utf-8")
    ]
    assert not found, "split with ingest.sentences.split_sentences instead:\n" + "\n".join(found)
