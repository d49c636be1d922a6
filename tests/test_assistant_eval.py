"""The 230-case test set through the Assistant: ≥90% pass, no unverified figure, no made-up refusal answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.service import Assistant
from eval.runner import answer_case
from eval.testset import load_testsets

TESTSET = Path(__file__).resolve().parent.parent / "eval" / "sets" / "budgetqa.jsonl"


@pytest.mark.slow
def test_budgetqa_set(corpus_store: Any) -> None:
    assistant = Assistant.from_settings(corpus_store.settings)
    assistant.warm_up()
    results = [answer_case(case, assistant.ask) for case in load_testsets([TESTSET])]
    passed = sum(r.passed for r in results)
    unverified = [r.id for r in results if any("未见于任何引用原文或计算" in reason for reason in r.reasons)]
    made_up = [r.id for r in results if r.category == "unanswerable" and not r.passed]
    assert not unverified
    assert not made_up
    assert passed / len(results) >= 0.90, f"{passed}/{len(results)}"
