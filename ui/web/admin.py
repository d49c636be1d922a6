"""Who may upload: the admin password, slowed after failures, and a session cookie the upload route needs.

In: `Settings.admin_password`. Out: `AdminGate` — `log_in(password, client)` gives a message and, on
success, a session token; `upload_gate(app)` is ASGI middleware that answers Gradio's file route
(`POST /gradio_api/upload`) with 403 unless the request carries a live admin session cookie, so no
anonymous visitor can store files on the server. The page turns the token into that cookie by posting
it to `/budgetqa/admin_session` right after a successful login (see `layout.admin_login`).
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

COOKIE = "bqa_admin"
SESSION_ROUTE = "/budgetqa/admin_session"
UPLOAD_ROUTE = "/gradio_api/upload"
SESSION_SECONDS = 12 * 3600
# After the n-th wrong password in a row from one client, the next try waits 2^(n-1) s, at most 60 s.
FIRST_WAIT, LONGEST_WAIT = 1.0, 60.0

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class _Failures:
    count: int = 0
    next_try: float = 0.0  # monotonic time before which this client's tries are refused unread


@dataclass
class AdminGate:
    """The admin password check, its per-client slow-down, and the live admin sessions."""

    password: str
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, _Failures] = field(default_factory=dict)
    _sessions: dict[str, float] = field(default_factory=dict)  # token → expiry (monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def log_in(self, password: str | None, client: str) -> tuple[str | None, str]:
        """(session token or None, message). A client that just failed must wait before its next try."""
        if not self.password:
            return None, "⚠ 未设置管理员密码（BUDGETQA_ADMIN_PASSWORD），上传已关闭。"
        now = self.clock()
        with self._lock:
            failures = self._failures.setdefault(client, _Failures())
            if now < failures.next_try:
                wait = failures.next_try - now
                return None, f"⚠ 密码错误次数过多，请 {wait:.0f} 秒后再试。"
            if hmac.compare_digest((password or "").encode(), self.password.encode()):
                self._failures.pop(client, None)
                token = secrets.token_urlsafe(32)
                self._sessions = {t: end for t, end in self._sessions.items() if end > now}
                self._sessions[token] = now + SESSION_SECONDS
                return token, "✓ 已进入管理员模式：上传页和评估示例问题已显示。"
            failures.count += 1
            wait = min(LONGEST_WAIT, FIRST_WAIT * 2 ** (failures.count - 1))
            failures.next_try = now + wait
            return None, f"⚠ 管理员密码不正确。请 {wait:.0f} 秒后再试。"

    def is_session(self, token: str | None) -> bool:
        """True when `token` is a live admin session."""
        if not token:
            return False
        with self._lock:
            end = self._sessions.get(token)
        return end is not None and end > self.clock()

    def upload_gate(self, app: ASGIApp) -> ASGIApp:
        """ASGI middleware: Gradio's upload route only for admin sessions; the cookie route."""

        async def gate(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope.get("method") == "POST":
                path = str(scope.get("path", ""))
                if path.endswith(SESSION_ROUTE):
                    await self._set_cookie(receive, send)
                    return
                if path.endswith(UPLOAD_ROUTE) and not self.is_session(_cookie(scope)):
                    # Refused before the body is read: nothing reaches the disk or memory.
                    await _reply(send, 403, "上传文件需要先以管理员身份登录（管理员登录）。")
                    return
            await app(scope, receive, send)

        return gate

    async def _set_cookie(self, receive: Receive, send: Send) -> None:
        body = b""
        while len(body) < 1024:  # a token is 43 characters; never read more than this
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        token = body[:1024].decode("utf-8", "replace").strip()
        if not self.is_session(token):
            await _reply(send, 403, "管理员会话无效或已过期，请重新登录。")
            return
        cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECONDS}"
        await _reply(send, 200, "ok", [(b"set-cookie", cookie.encode())])


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


async def _reply(
    send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"detail": text}, ensure_ascii=False).encode()
    head = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": head + (headers or [])})
    await send({"type": "http.response.body", "body": body})
