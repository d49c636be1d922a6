"""Arithmetic answers (placeholder, filled in next)."""

from __future__ import annotations

from assistant.answer import Answer
from assistant.context import AskContext


def answer(context: AskContext) -> Answer | None:
    from assistant.answers_figures import answer_lookup

    return answer_lookup(context)
