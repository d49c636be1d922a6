"""Web limits: who may upload, how fast passwords may be guessed, how big a file may be, what noise gets.

The upload route (`POST /gradio_api/upload`) answers only an admin session's cookie; a wrong password
makes the next try from that client wait 1, 2, 4 … s; no file over `max_upload_mb` is taken; an upload's
temporary file is deleted once ingested; a wordless question gets the same message as in the CLI.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.settings import Settings, load_settings
from ui.web.admin import COOKIE, SESSION_ROUTE, UPLOAD_ROUTE, AdminGate

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
PASSWORD = "口令-limits"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_passwords_make_the_next_try_wait_longer() -> None:
    clock = Clock()
    gate = AdminGate(PASSWORD, clock=clock)
    assert gate.log_in("wrong", "10.0.0.1") == (None, "⚠ 管理员密码不正确。请 1 秒后再试。")
    token, message = gate.log_in(PASSWORD, "10.0.0.1")  # right, but too soon: not even checked
    assert token is None and "请 1 秒后再试" in message
    assert gate.log_in(PASSWORD, "10.0.0.2")[0] is not None  # another client is not slowed
    clock.now += 1.1
    assert "请 2 秒后再试" in gate.log_in("wrong", "10.0.0.1")[1]
    clock.now += 2.1
    assert "请 4 秒后再试" in gate.log_in("wrong again", "10.0.0.1")[1]
    clock.now += 4.1
    token, message = gate.log_in(PASSWORD, "10.0.0.1")
    assert token and "已进入管理员模式" in message and gate.is_session(token)
    clock.now += 4.1
    assert "请 1 秒后再试" in gate.log_in("wrong", "10.0.0.1")[1]  # a success starts the count again
    assert not gate.is_session("guessed") and not gate.is_session(None)
    clock.now += 13 * 3600
    assert not gate.is_session(token)  # sessions expire


def test_no_password_means_no_admin() -> None:
    assert AdminGate("").log_in("", "x") == (
        None,
        "⚠ 未设置管理员密码（BUDGETQA_ADMIN_PASSWORD），上传已关闭。",
    )


def call(
    gate: AdminGate, method: str, path: str, body: bytes = b"", cookie: str = ""
) -> tuple[int, dict[str, str], bool]:
    """(status, headers, whether the app behind the gate was reached) for one request through the gate."""
    reached = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"app"})

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"cookie", cookie.encode())] if cookie else []
    scope = {"type": "http", "method": method, "path": path, "headers": headers}
    asyncio.run(gate.upload_gate(app)(scope, receive, send))
    start = sent[0]
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, bool(reached)


def test_the_upload_route_needs_an_admin_session_cookie() -> None:
    gate = AdminGate(PASSWORD)
    assert call(gate, "POST", UPLOAD_ROUTE)[::2] == (403, False)
    assert call(gate, "POST", UPLOAD_ROUTE, cookie=f"{COOKIE}=guessed")[::2] == (403, False)
    token, _ = gate.log_in(PASSWORD, "me")
    assert token is not None
    assert call(gate, "POST", SESSION_ROUTE, body=b"not-a-token")[0] == 403
    status, headers, reached = call(gate, "POST", SESSION_ROUTE, body=token.encode())
    assert status == 200 and not reached and headers["set-cookie"].startswith(f"{COOKIE}={token};")
    assert "HttpOnly" in headers["set-cookie"]
    assert call(gate, "POST", UPLOAD_ROUTE, cookie=f"other=1; {COOKIE}={token}")[::2] == (200, True)
    assert call(gate, "GET", "/")[::2] == (200, True)  # everything else is untouched
    assert call(gate, "POST", "/gradio_api/queue/join")[::2] == (200, True)


def test_default_limits_fit_fifty_users_and_small_uploads() -> None:
    settings = Settings()
    assert settings.max_queue >= 50 * 4  # 50 users with 4 questions each all wait, none is turned away
    assert settings.max_upload_mb == 20 and settings.question_seconds > 0 and settings.chroma_timeout > 0


@pytest.fixture(scope="module")
def limited_settings(corpus_store) -> Settings:  # type: ignore[no-untyped-def]
    return load_settings(
        store_dir=corpus_store.store_dir, embedder="hash", admin_password=PASSWORD, max_upload_mb=1
    )


def test_noise_in_the_chat_gets_the_cli_message_or_a_refusal(limited_settings: Settings) -> None:
    import gradio as gr

    from ui.web.app import load_assistant
    from ui.web.views import Views

    views = Views(limited_settings, load_assistant(limited_settings))
    for question in ["😀🙏", "？？？", "(" * 600]:
        history, kept, hint = list(views.respond(question, []))[-1]
        assert history == [] and kept == question and ("请输入问题" in hint or "问题太长" in hint)
        with pytest.raises(gr.Error):
            views.ask(question)
    answer = views.ask("'; DROP TABLE records; --")
    assert answer["refused"] is True and answer["citations"] == [] and "「" not in answer["html"]


def test_an_ingested_upload_leaves_no_temporary_file(limited_settings: Settings) -> None:
    from gradio.utils import get_upload_folder

    from ui.web.app import load_assistant
    from ui.web.views import Views

    folder = Path(get_upload_folder()) / "budgetqa-test-upload"
    folder.mkdir(parents=True, exist_ok=True)
    uploaded = folder / "2024_晋城市信访局_部门预算.txt"
    uploaded.write_bytes((CORPUS / uploaded.name).read_bytes())
    summary, _ = Views(limited_settings, load_assistant(limited_settings)).upload([str(uploaded)], True)
    assert "未变 1" in summary and not uploaded.exists() and not folder.exists()


@pytest.mark.slow
def test_served_app_refuses_anonymous_and_oversized_uploads(limited_settings: Settings) -> None:
    from gradio_client import Client

    from ui.web.app import build_app, launch

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    demo = launch(build_app(limited_settings), limited_settings, "127.0.0.1", port, block=False)
    url = f"http://127.0.0.1:{port}"
    try:
        big = {"files": ("big.txt", b"0" * (2 * 2**20))}
        small = {"files": ("small.txt", "三公经费".encode())}
        anonymous = httpx.post(f"{url}{UPLOAD_ROUTE}", files=big, timeout=60)
        assert anonymous.status_code == 403 and "管理员" in anonymous.json()["detail"]
        *_, token = Client(url + "/", verbose=False).predict(PASSWORD, api_name="/admin_login")
        with httpx.Client(base_url=url, timeout=60) as admin:
            assert admin.post(SESSION_ROUTE, content=token).status_code == 200  # as the page does
            assert admin.post(UPLOAD_ROUTE, files=big).status_code == 413  # over max_upload_mb
            stored = admin.post(UPLOAD_ROUTE, files=small)
            assert stored.status_code == 200 and stored.json()[0].endswith("small.txt")
    finally:
        demo.close()
