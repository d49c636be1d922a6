"""Catalog questions through the chat: department and version from the question, candidates otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.service import Assistant

EVERYDAY = Path(__file__).resolve().parent.parent / "eval" / "sets" / "catalog_everyday.jsonl"


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    bot = Assistant.from_settings(corpus_store.settings)
    bot.warm_up()
    return bot


def test_code_with_department_and_version(assistant: Assistant) -> None:
    answer = assistant.ask("晋财综〔2023〕43号目录中，人民法院部门的A150201是什么服务？")
    assert answer.intent == "catalog" and not answer.refused
    assert "A150201 法院宣传服务（人民法院部门，晋财综〔2023〕43号" in answer.answer
    assert "没有指明目录版本" not in answer.answer
    assert answer.citations and "法院宣传服务" in answer.citations[0].quote


def test_short_department_name_and_no_version_says_which_version(assistant: Assistant) -> None:
    answer = assistant.ask("法院的A150201是什么服务？")
    assert "问题没有指明目录版本，以下按晋财综〔2024〕37号回答" in answer.answer
    assert "A150201 法院宣传服务（人民法院部门，晋财综〔2024〕37号" in answer.answer
    # the first batch names the same code differently: shown, not hidden
    assert "A150201 法院新闻宣传服务（人民法院部门，晋财综〔2021〕63号" in answer.answer
    assert "晋财综〔2023〕47号" not in answer.answer, "the B类 list has no departments"


def test_code_without_department_lists_candidates(assistant: Assistant) -> None:
    answer = assistant.ask("晋财综〔2023〕43号目录里A150201是什么服务？")
    assert not answer.refused
    assert "问题没有说明部门" in answer.answer and "请说明是哪个部门" in answer.answer
    assert "人民法院部门：法院宣传服务" in answer.answer
    assert "生态环境部门：全国低碳日宣传服务" in answer.answer
    assert len(answer.citations) > 30
    assert not answer.notes, "every candidate is cited"


def test_everyday_words_with_department(assistant: Assistant) -> None:
    answer = assistant.ask("法院请外面的团队做法院的宣传，目录代码是什么？")
    assert "A150201 法院宣传服务" in answer.answer
    answer = assistant.ask("卫健委请人给老百姓讲健康知识，代码是什么？")
    assert "卫生健康部门" in answer.answer and "A150201" in answer.answer


def test_everyday_words_without_department_list_candidates(assistant: Assistant) -> None:
    answer = assistant.ask("请人去农村处理生活污水，目录代码是什么？")
    assert "问题没有说明部门" in answer.answer
    assert "A060701 农村生活污水处理服务（生态环境部门" in answer.answer
    assert "请说明部门" in answer.answer


def test_hotline_is_a_service_not_an_undisclosed_phone_number(assistant: Assistant) -> None:
    answer = assistant.ask(
        "晋财综〔2023〕43号目录中，人民法院部门：法院找人接12368打官司的热线电话，代码是什么？"
    )
    assert not answer.refused
    assert "A180701" in answer.answer


def test_general_b_class_needs_no_department(assistant: Assistant) -> None:
    answer = assistant.ask("晋财综〔2023〕47号目录中：请人帮单位整理档案，代码是什么？")
    assert "B1202 档案管理服务" in answer.answer


def test_everyday_set_through_the_chat(assistant: Assistant) -> None:
    """catalog_everyday.jsonl with department and version put into the question, as a person would."""
    cases = [json.loads(line) for line in EVERYDAY.read_text(encoding="utf-8").splitlines() if line]
    right = 0
    for case in cases:
        scope = f"{case['department']}部门" if case["department"] else "通用（B类）"
        answer = assistant.ask(f"{case['version']}目录中，{scope}：{case['question']}，代码是什么？")
        right += all(code in answer.answer for code in case["codes"])
    assert right / len(cases) >= 0.95
