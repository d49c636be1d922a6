"""The question plan: a question becomes typed steps over the structured index, executed and shown.

`answer_with_plan(context)` returns a verified-to-be answer whose `plan` lists each step (figure look-up,
row set, argmax/argmin, arithmetic, attribute) with its inputs, result and citation, or None when the
question's shape is not one the planner knows (the single-intent handlers then answer).
"""

from assistant.plan.planner import answer_with_plan, steps_of

__all__ = ["answer_with_plan", "steps_of"]
