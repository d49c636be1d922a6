"""The own set (frozen test split + dev split) through the Assistant under the strict scoring: no unverified
figure, no made-up answer to an unanswerable case, and accuracy above a regression floor.

The floor was set when the strict scoring landed (hash embedder: test split 101/113, both splits 206/230,
before the question plan of issue 9) and raised with the plan (test split 105/113, both 212/230);
issue 9's target for the test split is 95%.
Raise the floor as the assistant improves; never lower it to let a change through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.service import Assistant
from eval.runner import answer_case
from eval.testset import load_testset

SETS = Path(__file__).resolve().parent.parent / "eval" / "sets"
FLOOR = 0.90


@pytest.mark.slow
def test_budgetqa_set(corpus_store: Any) -> None:
    assistant = Assistant.from_settings(corpus_store.settings)
    assistant.warm_up()
    results = {
        split: [answer_case(case, assistant.ask) for case in load_testset(SETS / f"budgetqa_{split}.jsonl")]
        for split in ("test", "dev")
    }
    every = results["test"] + results["dev"]
    assert all(r.scored for r in every), [r.id for r in every if not r.scored]
    unverified = [r.id for r in every if any("未见于任何引用原文或计算" in reason for reason in r.reasons)]
    made_up = [r.id for r in every if r.category == "unanswerable" and not r.passed]
    assert not unverified
    assert not made_up
    for name, split in (("test", results["test"]), ("all", every)):
        passed = sum(r.passed for r in split)
        assert passed / len(split) >= FLOOR, f"{name}: {passed}/{len(split)}"
