"""Reasons asked (为什么 / 为何 / 怎么解释): the answer quotes the document's reason sentence, also when
the reason is the sentence after the change (下降4.6%。原因是…), never only the change restated.

Wordings are the team's own (not from any eval set).
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def test_a_reason_given_in_the_sentence_after_the_change_is_quoted(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年机关运行经费减少，文件怎么解释？")
    assert "比上年减少1.34万元" in answer.answer and "文件给出的原因是：去年有3人退休" in answer.answer
    cited = answer.citations[0].quote  # the paragraph holding both sentences, not the change alone
    assert "下降4.6%" in cited and "原因是去年有3人退休" in cited


def test_a_reason_asked_with_wei_he_is_the_documents_reason(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年机关运行经费为何减少？")
    assert "比上年减少4.35万元" in answer.answer
    assert "文件给出的原因是：公务用车减少三辆" in answer.answer
