"""A scripted chat model: a langchain chat model that answers from a fixed list of replies.

Part of the product (DESIGN.md pattern 6): it plugs in wherever a real chat model does, so the LLM
composer can be tried and tested without a network. Choose it with
`BUDGETQA_LLM_BACKEND='fake:["reply 1", "reply 2"]'` or build `ScriptedChatModel(replies=[...])`.

In: the prompt messages of each call (kept in `seen`). Out: the next reply of the script, the last one
repeating; a reply written as `{"error": "text"}` raises `ScriptedChatError(text)` instead, to play a
model that fails.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field, PrivateAttr

from ingest.api import BudgetQAError

__all__ = ["ScriptedChatError", "ScriptedChatModel"]


class ScriptError(BudgetQAError, ValueError):
    """A `fake:` backend whose script is not a JSON list of replies; the message shows the form."""


class ScriptedChatError(RuntimeError):
    """The failure a script asked for with `{"error": "..."}`."""


class ScriptedChatModel(BaseChatModel):
    """Replies from `replies` in order (the last one repeats); records every prompt in `seen`."""

    replies: list[str | dict[str, str]] = Field(min_length=1)
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    keep_seen: int = 100  # a long-running app keeps only the latest prompts
    _position: int = PrivateAttr(default=0)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def from_spec(cls, spec: str) -> ScriptedChatModel:
        """The model a `fake:` backend names: `spec` is a JSON list of replies (or one JSON string)."""
        try:
            script = json.loads(spec)
        except json.JSONDecodeError as exc:
            raise ScriptError(
                f'fake: 后面应是 JSON 回复列表，例如 fake:["回答一", "回答二"]；无法解析“{spec[:60]}”（{exc.msg}）'
            ) from exc
        if isinstance(script, str | dict):
            script = [script]
        if not isinstance(script, list) or not script or not all(_is_reply(r) for r in script):
            raise ScriptError('fake: 后面应是非空的 JSON 列表，每项是一段回复文字或 {"error": "出错信息"}')
        return cls(replies=script)

    @property
    def _llm_type(self) -> str:
        return "budgetqa-scripted-chat"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"replies": len(self.replies)}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            self.seen.append(list(messages))
            del self.seen[: -self.keep_seen]
            reply = self.replies[min(self._position, len(self.replies) - 1)]
            self._position += 1
        if isinstance(reply, dict):
            raise ScriptedChatError(reply.get("error", "scripted failure"))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=reply))])


def _is_reply(item: object) -> bool:
    if isinstance(item, str):
        return True
    return isinstance(item, dict) and set(item) == {"error"} and isinstance(item["error"], str)
