"""Columns of one named row (X的A和B各多少 / “X”这一类，A、B分别多少): the row's own cells, not the
table's totals of A and B nor X's total. Wordings are the team's own."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _figures(answer: Any) -> list[tuple[str, str]]:
    # the column as printed, without the header rows above it (2024年预算数/基本支出 → 基本支出)
    return [(s["inputs"]["label"].split("/")[-1], s["result"]) for s in answer.plan if s["op"] == "figure"]


def test_a_row_named_before_de_gives_its_own_columns(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年一般公共服务支出的基本支出和项目支出各多少？")
    assert _figures(answer) == [("基本支出", "350.16万元"), ("项目支出", "9050.78万元")]
    assert "“一般公共服务支出”一行：基本支出为350.16万元，项目支出为9050.78万元" in answer.answer


def test_a_quoted_row_then_its_columns(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年“一般公共服务支出”这一大类里，基本支出、项目支出分别多少？")
    assert [figure for _, figure in _figures(answer)] == ["980.49万元", "967.92万元"]
    assert "1948.41" not in answer.answer.split("[1]")[0]  # the row's total is not what was asked
