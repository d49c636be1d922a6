"""The real `openai:` path (ChatOpenAI over HTTP) against a local stub of the OpenAI chat API.

The stub listens on 127.0.0.1 only; nothing here reaches any other address.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from assistant.llm_composer import NOTE_UNAVAILABLE, LLMComposer
from assistant.service import Assistant

QUESTION = "柳林县工信局2024年“三公”经费是多少？"
QUOTE = "2024年柳林县工业和信息化局[部门]财政拨款安排的“三公”经费预算4.70万元比2023年减少0.03万元"


@dataclass
class StubState:
    """What the stub received, and how it should behave."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    delay_s: float = 0.0
    status: int = 200


def _rewrite(body: dict[str, Any]) -> str:
    """A canned plain-language rewrite echoing the first 万元 figure of the user message."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    figure = re.search(r"\d+(?:\.\d+)?万元", user)
    return f"通俗地说：这个部门2024年“三公”经费的预算是{figure.group(0) if figure else '多少文件没说'}[1]。"


def _handler(state: StubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.paths.append(self.path)
            state.requests.append(body)
            if state.delay_s:
                time.sleep(state.delay_s)
            if self.path != "/v1/chat/completions" or state.status != 200:
                self._send(state.status if state.status != 200 else 404, {"error": {"message": "stub"}})
                return
            self._send(
                200,
                {
                    "id": "chatcmpl-stub",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": _rewrite(body)},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                },
            )

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

        def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
            return

    return Handler


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, StubState]]:
    """A running stub; yields its base URL (http://127.0.0.1:PORT/v1) and its state."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "OPENAI_BASE_URL",
        "OPENAI_API_BASE",
        "LANGSMITH_TRACING",
        "LANGCHAIN_TRACING_V2",
        "LANGSMITH_GATEWAY",
    ):
        monkeypatch.delenv(name, raising=False)
    state = StubState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _assistant(corpus_store: Any, base_url: str) -> Assistant:
    settings = corpus_store.settings.replaced(
        llm_backend="openai:stub-model", llm_base_url=base_url, llm_api_key="test-key"
    )
    return Assistant.from_settings(settings)


def test_answer_comes_from_the_endpoint_and_is_verified(
    corpus_store: Any, stub: tuple[str, StubState]
) -> None:
    base_url, state = stub
    assistant = _assistant(corpus_store, base_url)
    assert isinstance(assistant.llm_composer, LLMComposer)
    answer = assistant.ask(QUESTION)
    assert answer.answer == "通俗地说：这个部门2024年“三公”经费的预算是4.70万元[1]。"
    assert not answer.refused and answer.notes == []
    assert answer.citations[0].doc == "柳林县工业和信息化局2024年度部门预算"
    assert QUOTE in answer.citations[0].quote
    assert state.paths == ["/v1/chat/completions"]
    (request,) = state.requests
    assert request["model"] == "stub-model"
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert QUOTE in request["messages"][1]["content"]
    assert QUESTION in request["messages"][1]["content"]


def test_server_error_falls_back_without_retrying(corpus_store: Any, stub: tuple[str, StubState]) -> None:
    base_url, state = stub
    state.status = 500
    answer = _assistant(corpus_store, base_url).ask(QUESTION)
    assert "4.70万元[1]" in answer.answer and not answer.answer.startswith("通俗地说")
    assert answer.notes == [NOTE_UNAVAILABLE]
    assert len(state.requests) == 1  # max_retries=0


def test_timeout_falls_back(corpus_store: Any, stub: tuple[str, StubState]) -> None:
    base_url, state = stub
    # The stub answers only after 5 s; a 0.3 s client timeout must give up and fall back. (No wall-clock
    # assertion: the machines are shared; the note and the single request show the timeout fired.)
    state.delay_s = 5.0
    assistant = _assistant(corpus_store, base_url)
    assert assistant.settings is not None
    assistant.llm_composer = LLMComposer.from_settings(assistant.settings, timeout=0.3)
    answer = assistant.ask(QUESTION)
    assert "4.70万元[1]" in answer.answer and answer.notes == [NOTE_UNAVAILABLE]
    assert len(state.requests) == 1
