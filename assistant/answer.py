"""The answer contract shared by the composer, the verifier, the CLI, the web app and eval.

`Answer.to_json()` is the `budgetqa ask --json` object described in DESIGN.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    """A numbered source: document, locator (table/section, row, page or line) and quoted text."""

    number: int  # [1], [2] … as referred to in the answer text
    doc: str  # document title, e.g. 柳林县工业和信息化局2024年度部门预算
    locator: str  # rendered locator, e.g. 表十 · 公务接待费 · 第446行
    quote: str  # the source text as printed
    doc_id: str = ""
    record_id: str = ""
    file: str = ""
    line_start: int = 0
    line_end: int = 0
    blank: bool = False  # the cited row's asked cell is blank: the table states no amount (a stated 0)


@dataclass
class Calculation:
    """One calculator result: `expression` such as `4.50 + 0.20 = 4.70`, with its cited inputs."""

    expression: str
    result: str  # as shown, e.g. "4.70"
    unit: str = ""
    inputs: list[dict[str, str]] = field(default_factory=list)  # name, value, citation number
    check: str = ""  # "" or a note such as "文件写作97.32%，核算为97.33%"


@dataclass
class Answer:
    """What the assistant returns for one question."""

    answer: str
    citations: list[Citation] = field(default_factory=list)
    calculations: list[Calculation] = field(default_factory=list)
    refused: bool = False
    intent: str = ""
    latency_ms: float = 0.0
    notes: list[str] = field(default_factory=list)  # verifier notes: removed claims, scope warnings
    language: str = "zh"
    plan: list[dict[str, Any]] = field(default_factory=list)  # the question plan's steps (assistant/plan)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
