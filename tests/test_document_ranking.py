"""Which body has the least or most of an item (谁的X最少, with a long X, or over a list of short names):
the extreme is the answer, said first, over every named document. Wordings are the team's own."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


@pytest.mark.parametrize(
    "question",
    [
        "工信局、医保局、财政局和信访局里，谁的机关运行经费最少？",
        "这四家单位中谁一年的机关运行经费安排得最少？",
    ],
)
def test_the_least_over_named_bodies_is_said_first(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    (step,) = [s for s in answer.plan if s["op"] == "argmin"]
    assert step["result"] == "8.06万元"
    assert answer.answer.index("8.06万元") < min(answer.answer.index(f) for f in ("27.40", "63.65", "70.51"))
    assert "柳林县医疗保障局" in answer.answer.split("[1]")[0]
