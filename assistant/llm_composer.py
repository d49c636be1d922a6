"""The optional LLM composer: rewrites a verified draft in plainer words with any langchain chat model.

DESIGN.md invariant 5: an LLM improves phrasing, never a requirement. In: the question and the
deterministic draft `Answer` (text, numbered citations with their quotes, calculator results). Out: a
copy of the draft whose text the model rewrote; citations and calculations are unchanged, and the
service passes the result through the same verifier as any other answer, so a figure the model altered
or invented is removed there. When the model fails or times out, the draft comes back unchanged with a
note.

Backends (`BUDGETQA_LLM_BACKEND`): `openai:<model>` (any OpenAI-compatible endpoint at
`BUDGETQA_LLM_BASE_URL`), `ollama:<model>` (Ollama's OpenAI-compatible endpoint, by default
http://127.0.0.1:11434/v1), `fake:<JSON list of replies>` (the scripted model in fake_chat.py).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from assistant.answer import Answer
from assistant.fake_chat import ScriptedChatModel
from ingest.api import BudgetQAError, Settings

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "NOTE_EMPTY",
    "NOTE_UNAVAILABLE",
    "OLLAMA_BASE_URL",
    "LLMBackendError",
    "LLMComposer",
    "build_chat_model",
]

log = logging.getLogger(__name__)

OLLAMA_BASE_URL = "http://127.0.0.1:11434/v1"
DEFAULT_TIMEOUT_S = 60.0
NOTE_UNAVAILABLE = "语言模型不可用，已使用确定性回答"
NOTE_EMPTY = "语言模型没有返回内容，已使用确定性回答"

_FORMS = "`openai:<模型名>`、`ollama:<模型名>` 或 `fake:<JSON 回复列表>`；留空则不用语言模型"

_SYSTEM_ZH = """你是政府部门预算公开文件的解读助手。用户给出一个问题、一份已经核对过的回答草稿、草稿引用的来源和计算器的计算结果。
请把草稿改写成普通市民一读就懂的简明中文。必须遵守：
1. 草稿中的每个数字、单位和年份都原样照抄，不得改动、换算、四舍五入，也不得新增任何数字；
2. 保留每个引用标记 [n]，放在它所支持的那句话末尾；不要新增编号；
3. 计算式（如 a + b = c）原样保留；
4. 只使用草稿和来源里的信息，不补充来源中没有的事实、原因或评价；文件没说的就不说。
只输出改写后的回答正文，不要标题、开场白或解释。"""

_HUMAN_ZH = """问题：{question}

回答草稿：
{draft}

来源：
{sources}

计算器结果：
{calculations}"""

_SYSTEM_EN = """You explain Chinese government department budget disclosures. You are given a question, a checked draft answer, the sources it cites and the calculator's results.
Rewrite the draft in plain English a citizen understands at once. Rules:
1. Copy every figure, unit and year exactly as in the draft: do not change, convert or round any figure, and add none;
2. keep every citation marker [n] at the end of the sentence it supports; add no new numbers;
3. keep calculation expressions (such as a + b = c) as written;
4. use only what the draft and the sources say; add no fact, reason or opinion the sources do not state. Keep Chinese names as they are.
Reply with the rewritten answer only: no heading, preamble or explanation."""

_HUMAN_EN = """Question: {question}

Draft answer:
{draft}

Sources:
{sources}

Calculator results:
{calculations}"""

_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL)


class LLMBackendError(BudgetQAError, ValueError):
    """`BUDGETQA_LLM_BACKEND` names no backend this build knows, or lacks its model name."""


def build_chat_model(settings: Settings, timeout: float = DEFAULT_TIMEOUT_S) -> BaseChatModel:
    """The chat model `settings.llm_backend` names (no request is made here)."""
    backend = settings.llm_backend.strip()
    kind, _, rest = backend.partition(":")
    kind = kind.strip().lower()
    if kind == "fake":
        return ScriptedChatModel.from_spec(rest)
    if kind not in ("openai", "ollama"):
        raise LLMBackendError(f"无法识别 BUDGETQA_LLM_BACKEND=“{backend}”：应为 {_FORMS}")
    model = rest.strip()
    if not model:
        raise LLMBackendError(f"BUDGETQA_LLM_BACKEND=“{backend}” 缺少模型名：应为 {_FORMS}")
    from langchain_openai import ChatOpenAI  # imported here: only an LLM backend needs it

    base_url = settings.llm_base_url.strip().rstrip("/") or (OLLAMA_BASE_URL if kind == "ollama" else None)
    if kind == "ollama" and base_url and not base_url.endswith("/v1"):
        base_url += "/v1"  # Ollama serves the OpenAI-compatible API under /v1
    return ChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=settings.llm_api_key or "not-needed",  # type: ignore[arg-type]
        timeout=timeout,
        max_retries=0,
        temperature=0,
    )


class LLMComposer:
    """Rewrites a draft answer with `model` (any langchain chat model) over the draft's own facts."""

    def __init__(self, model: BaseChatModel, name: str = "") -> None:
        self.model = model
        self.name = name or getattr(model, "model_name", "") or model._llm_type
        parse = StrOutputParser()
        self._chains: dict[str, Runnable[dict[str, str], str]] = {
            "zh": ChatPromptTemplate.from_messages([("system", _SYSTEM_ZH), ("human", _HUMAN_ZH)])
            | model
            | parse,
            "en": ChatPromptTemplate.from_messages([("system", _SYSTEM_EN), ("human", _HUMAN_EN)])
            | model
            | parse,
        }

    @classmethod
    def from_settings(cls, settings: Settings, timeout: float | None = None) -> LLMComposer:
        """The composer for `settings.llm_backend`; raises LLMBackendError for an unknown backend."""
        timeout = settings.llm_timeout if timeout is None else timeout  # an explicit timeout wins
        return cls(build_chat_model(settings, timeout), name=settings.llm_backend.split(":", 1)[0])

    def prompt_inputs(self, question: str, draft: Answer) -> dict[str, str]:
        """The prompt variables: question, draft text, numbered sources and calculator results."""
        english = draft.language.lower().startswith("en")
        none = "(none)" if english else "（无）"
        quote_label = "Quote" if english else "原文"
        sources = "\n".join(
            f"[{c.number}] {c.doc}" + (f" · {c.locator}" if c.locator else "") + f"\n{quote_label}：{c.quote}"
            for c in draft.citations
        )
        calculations = "\n".join(
            f"- {c.expression}{(' ' + c.unit) if c.unit else ''}" + (f"（{c.check}）" if c.check else "")
            for c in draft.calculations
        )
        return {
            "question": question,
            "draft": draft.answer,
            "sources": sources or none,
            "calculations": calculations or none,
        }

    def rewrite(self, question: str, draft: Answer) -> Answer:
        """`draft` with its text rewritten by the model; unchanged, with a note, if the model fails."""
        chain = self._chains["en" if draft.language.lower().startswith("en") else "zh"]
        try:
            text = chain.invoke(self.prompt_inputs(question, draft))
        except Exception as exc:  # any backend failure (HTTP, timeout, bad reply) falls back to the draft
            log.warning("LLM composer %s failed, using the deterministic answer: %s", self.name, exc)
            return replace(draft, notes=[*draft.notes, NOTE_UNAVAILABLE])
        text = _THINKING.sub("", text).strip()
        if not text:
            return replace(draft, notes=[*draft.notes, NOTE_EMPTY])
        return replace(
            draft,
            answer=text,
            citations=list(draft.citations),
            calculations=list(draft.calculations),
            notes=list(draft.notes),
        )
