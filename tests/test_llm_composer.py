"""The LLM composer with the scripted chat model: rewrites pass the verifier, failures fall back."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant.answer import Answer, Citation
from assistant.fake_chat import ScriptedChatError, ScriptedChatModel
from assistant.llm_composer import NOTE_EMPTY, NOTE_UNAVAILABLE, LLMBackendError, LLMComposer
from assistant.service import Assistant
from ingest.settings import Settings, load_settings

QUESTION = "柳林县工信局2024年“三公”经费是多少？"
FAITHFUL = (
    "柳林县工业和信息化局2024年“三公”经费预算是4.70万元[1]。"
    "比2023年少了0.03万元，主要是公务接待费减少了0.03万元[1]。"
)
ALTERED = (
    "柳林县工业和信息化局2024年“三公”经费预算是4.80万元[1]。"
    "比2023年少了0.03万元，主要是公务接待费减少了0.03万元[1]。"
    "其中出国经费占到了35%[1]。"
)


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    bot = Assistant.from_settings(corpus_store.settings)
    bot.warm_up()
    return bot


def _ask_with(assistant: Assistant, model: ScriptedChatModel, question: str = QUESTION) -> Answer:
    assistant.llm_composer = LLMComposer(model)
    try:
        return assistant.ask(question)
    finally:
        assistant.llm_composer = None


def test_faithful_rewrite_is_kept_with_its_citation(assistant: Assistant) -> None:
    model = ScriptedChatModel(replies=[FAITHFUL])
    answer = _ask_with(assistant, model)
    assert answer.answer == FAITHFUL
    assert not answer.refused and answer.notes == []
    assert answer.citations[0].doc == "柳林县工业和信息化局2024年度部门预算"
    assert "“三公”经费预算4.70万元比2023年减少0.03万元" in answer.citations[0].quote
    assert answer.citations[0].line_start == 569
    # the model saw the draft, its numbered source and the question
    prompt = "\n".join(str(m.content) for m in model.seen[0])
    assert QUESTION in prompt
    assert "[1] 柳林县工业和信息化局2024年度部门预算" in prompt
    assert "4.70万元" in prompt and "公务接待费减少0.03万元" in prompt
    assert "原样照抄" in prompt  # the Chinese instructions


def test_altered_figure_and_invented_sentence_are_removed(assistant: Assistant) -> None:
    answer = _ask_with(assistant, ScriptedChatModel(replies=[ALTERED]))
    assert "4.80" not in answer.answer and "35%" not in answer.answer
    assert "公务接待费减少了0.03万元[1]" in answer.answer
    assert any("4.80万元" in note for note in answer.notes)
    assert any("35%" in note for note in answer.notes)
    assert not answer.refused


def test_a_rewrite_that_loses_every_figure_falls_back_to_the_deterministic_answer(
    assistant: Assistant,
) -> None:
    deterministic = assistant.ask(QUESTION)
    answer = _ask_with(assistant, ScriptedChatModel(replies=["三公经费是4.80万元[1]。"]))
    assert not answer.refused and "4.80" not in answer.answer
    assert answer.answer == deterministic.answer and "4.70万元" in answer.answer
    assert "语言模型改写未通过核对，已使用确定性回答" in answer.notes


def test_model_error_falls_back_to_the_deterministic_answer(assistant: Assistant) -> None:
    deterministic = assistant.ask(QUESTION)
    model = ScriptedChatModel(replies=[{"error": "connection refused"}])
    answer = _ask_with(assistant, model)
    assert answer.answer == deterministic.answer
    assert "4.70万元[1]" in answer.answer
    assert answer.notes == [NOTE_UNAVAILABLE]
    assert len(model.seen) == 1


def test_calculation_survives_a_rewrite(assistant: Assistant) -> None:
    question = "柳林县工信局2023年的“三公”经费预算是多少？（按2024年公开的变化推算）"
    reply = "2024年“三公”经费是4.70万元，比上年少0.03万元[1]。所以2023年约为：4.70 + 0.03 = 4.73万元。"
    model = ScriptedChatModel(replies=[reply])
    answer = _ask_with(assistant, model, question)
    assert answer.answer == reply
    assert [c.expression for c in answer.calculations] == ["4.70 + 0.03 = 4.73"]
    assert "- 4.70 + 0.03 = 4.73 万元" in str(model.seen[0][-1].content)


def test_refusals_are_not_sent_to_the_model(assistant: Assistant) -> None:
    model = ScriptedChatModel(replies=["柳林县教育局三公经费是9.99万元。"])
    answer = _ask_with(assistant, model, "柳林县教育局2024年“三公”经费是多少？")
    assert answer.refused and "9.99" not in answer.answer
    assert model.seen == []


# --- the composer on its own ---------------------------------------------------------------------

DRAFT = Answer(
    answer="The document says: 三公经费合计为4.70万元[1].",
    citations=[
        Citation(number=1, doc="柳林县工业和信息化局2024年度部门预算", locator="表九", quote="合计 4.70")
    ],
    language="en",
    notes=["范围说明"],
)


def test_english_prompt_and_thinking_is_stripped() -> None:
    model = ScriptedChatModel(replies=["<think>plan</think>\n The 三公 spending is 4.70万元 [1]. "])
    out = LLMComposer(model).rewrite("How much?", DRAFT)
    assert out.answer == "The 三公 spending is 4.70万元 [1]."
    assert out.citations == DRAFT.citations and out.notes == ["范围说明"]
    assert out is not DRAFT and DRAFT.answer.startswith("The document says")
    system, human = model.seen[0]
    assert "plain English" in str(system.content)
    assert "Quote：合计 4.70" in str(human.content) and "Calculator results:\n(none)" in str(human.content)


def test_empty_reply_keeps_the_draft() -> None:
    out = LLMComposer(ScriptedChatModel(replies=["  "])).rewrite("How much?", DRAFT)
    assert out.answer == DRAFT.answer and out.notes == ["范围说明", NOTE_EMPTY]


def test_script_repeats_its_last_reply_and_raises_scripted_errors() -> None:
    model = ScriptedChatModel(replies=["a", {"error": "boom"}])
    assert model.invoke("x").content == "a"
    for _ in range(2):
        with pytest.raises(ScriptedChatError, match="boom"):
            model.invoke("x")
    assert len(model.seen) == 3


# --- backends from settings ----------------------------------------------------------------------


def _settings(**values: Any) -> Settings:
    return load_settings(store_dir="/nonexistent", **values)


def test_fake_backend_from_settings() -> None:
    replies = [FAITHFUL, {"error": "down"}]
    composer = LLMComposer.from_settings(_settings(llm_backend="fake:" + json.dumps(replies)))
    assert isinstance(composer.model, ScriptedChatModel)
    assert composer.model.replies == replies


def test_openai_and_ollama_backends_from_settings() -> None:
    openai = LLMComposer.from_settings(
        _settings(llm_backend="openai:qwen2.5-7b", llm_base_url="http://127.0.0.1:9/v1", llm_api_key="k")
    ).model
    assert openai.model_name == "qwen2.5-7b"  # type: ignore[attr-defined]
    assert openai.openai_api_base == "http://127.0.0.1:9/v1"  # type: ignore[attr-defined]
    assert openai.max_retries == 0  # type: ignore[attr-defined]
    assert openai.request_timeout == 60.0  # type: ignore[attr-defined]
    ollama = LLMComposer.from_settings(_settings(llm_backend="ollama:qwen2.5:7b")).model
    assert ollama.model_name == "qwen2.5:7b"  # type: ignore[attr-defined]
    assert ollama.openai_api_base == "http://127.0.0.1:11434/v1"  # type: ignore[attr-defined]
    remote = LLMComposer.from_settings(
        _settings(llm_backend="ollama:qwen2.5:7b", llm_base_url="http://10.0.0.5:11434/")
    ).model
    assert remote.openai_api_base == "http://10.0.0.5:11434/v1"  # type: ignore[attr-defined]


@pytest.mark.parametrize("backend", ["anthropic:claude", "openai:", "ollama", "gpt-4o"])
def test_unknown_backend_names_the_setting_and_the_valid_forms(backend: str) -> None:
    with pytest.raises(LLMBackendError, match="BUDGETQA_LLM_BACKEND") as info:
        LLMComposer.from_settings(_settings(llm_backend=backend))
    assert "openai:<模型名>" in str(info.value) and "ollama:<模型名>" in str(info.value)


@pytest.mark.parametrize("spec", ["not json", "[]", "[1]", '{"oops": "x"}'])
def test_bad_fake_script_says_what_to_write(spec: str) -> None:
    with pytest.raises(ValueError, match="fake:"):
        LLMComposer.from_settings(_settings(llm_backend="fake:" + spec))
