"""What a question must be before any work is spent on it, and how long that work may take.

In: the question as typed, the length limit (`Settings.max_question_chars`). Out: the cleaned question,
or a message saying why it is not sent (empty, no words, too long). Every front end (CLI, web, the
assistant itself) uses the same check, so the same question gets the same message everywhere.
`within_budget` runs one question with a deadline (`Settings.question_seconds`).
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from ingest.api import BudgetQAError

T = TypeVar("T")

ASK_FOR_QUESTION = "请输入问题，例如：某局今年“三公”经费是多少？"


def has_words(text: str) -> bool:
    """True when the text holds a CJK character or a Latin letter: something a question can ask about.

    Punctuation, emoji, digits and spaces alone (`?!`, `😀😀`, `123`) are not a question. Linear time.
    """
    for char in unicodedata.normalize("NFKC", text):
        if ("a" <= char.lower() <= "z") or unicodedata.category(char) == "Lo":
            return True
    return False


def too_long_message(length: int, limit: int) -> str:
    return f"问题太长：最多 {limit} 个字，现在 {length} 个字。请删短后再发送。"


def check_question(question: str | None, limit: int) -> tuple[str, str]:
    """(cleaned question, "") when it can be answered; ("", message) saying why not.

    The length is checked first, so an over-long paste is refused without reading it further.
    """
    text = (question or "").strip()
    if len(text) > limit:
        return "", too_long_message(len(text), limit)
    if not text or not has_words(text):
        return "", ASK_FOR_QUESTION
    return text, ""


class QuestionTimeout(BudgetQAError, RuntimeError):
    """A question took longer than its time budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"这个问题在 {seconds:g} 秒内没有答完，已停止等待。请把问题问得更具体些（点明部门和年度）后重试；"
            "如果简单的问题也超时，请联系管理员（上限由 BUDGETQA_QUESTION_SECONDS 设定）。"
        )
        self.seconds = seconds


def within_budget(seconds: float, work: Callable[[], T]) -> T:
    """`work()`'s result, or `QuestionTimeout` once `seconds` have passed (0 or less: no limit).

    The work runs in a daemon thread: Python cannot stop it midway, but the caller gets its answer
    on time and the process can still exit. Errors from `work` are raised here unchanged.
    """
    if seconds <= 0:
        return work()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="budgetqa-question", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QuestionTimeout(seconds)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
