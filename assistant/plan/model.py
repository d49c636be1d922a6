"""Plan steps: what the question became, each step with its inputs, result and the record it cites.

In: built by the planner while it executes. Out: `Plan.to_json()` is the `plan` list of `ask --json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.api import Record


@dataclass
class Step:
    """One step: `op` (figure, rows, argmax, argmin, filter, sum, difference, share, previous_year,
    attribute, compare, missing), its named inputs, its result as shown, and the record it cites."""

    op: str
    inputs: dict[str, str] = field(default_factory=dict)
    result: str = ""
    record: Record | None = None

    def to_json(self, citation: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "inputs": dict(self.inputs), "result": self.result}
        if citation is not None:
            out["citation"] = citation
        return out


@dataclass
class Plan:
    """The steps of one question, in execution order, and the shape the planner recognised."""

    shape: str
    steps: list[Step] = field(default_factory=list)

    def add(self, op: str, result: str = "", record: Record | None = None, **inputs: str) -> Step:
        step = Step(op, {k: v for k, v in inputs.items() if v}, result, record)
        self.steps.append(step)
        return step
