"""Answers kept for repeated questions: served as copies, dropped oldest first, never across a change
to the documents (another commit to the index, another filter, another question)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer import Answer, Citation
from assistant.answer_cache import AnswerCache
from assistant.service import Assistant

QUESTION = "医保局2025年请客吃饭花了多少？"


def test_a_kept_answer_is_served_as_a_copy_and_the_oldest_goes_first() -> None:
    cache = AnswerCache(size=2)
    cache.put("a", Answer("甲", citations=[Citation(1, "文档", "表十", "公务接待费")]))
    served = cache.get("a")
    assert served is not None and served.answer == "甲"
    served.citations.clear()  # a caller merging or renumbering must not change what is kept
    again = cache.get("a")
    assert again is not None and len(again.citations) == 1
    cache.put("b", Answer("乙"))
    cache.get("a")  # used: "b" is now the oldest
    cache.put("c", Answer("丙"))
    assert cache.get("b") is None and cache.get("a") is not None and len(cache) == 2


@pytest.fixture
def assistant(corpus_store: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Assistant, list[str]]:
    bot = Assistant.from_settings(corpus_store.settings)
    drafted: list[str] = []
    draft = bot._draft

    def counting(context: Any) -> Answer:
        drafted.append(context.query.question)
        return draft(context)

    monkeypatch.setattr(bot, "_draft", counting)
    return bot, drafted


def test_a_repeated_question_is_answered_once_until_the_index_changes(
    assistant: tuple[Assistant, list[str]],
) -> None:
    bot, drafted = assistant
    first = bot.ask(QUESTION)
    second = bot.ask(QUESTION)
    assert "0.23万元" in first.answer and second.answer == first.answer
    assert [c.quote for c in second.citations] == [c.quote for c in first.citations]
    assert len(drafted) == 1
    bot.ask(QUESTION, doc_ids=[first.citations[0].doc_id])  # another filter: answered anew
    assert len(drafted) == 2
    with bot.index._transaction():  # any commit (a vector sent, another process's write) moves the token
        pass
    assert "0.23万元" in bot.ask(QUESTION).answer
    assert len(drafted) == 3


def test_known_answer_serves_only_what_was_asked_over_the_same_documents(
    assistant: tuple[Assistant, list[str]],
) -> None:
    bot, drafted = assistant
    assert bot.known_answer(QUESTION) is None  # never asked: the web handler answers it in time
    asked = bot.ask(QUESTION)
    known = bot.known_answer(QUESTION)
    assert known is not None and known.answer == asked.answer and len(drafted) == 1
    with bot.index._transaction():
        pass
    assert bot.known_answer(QUESTION) is None
