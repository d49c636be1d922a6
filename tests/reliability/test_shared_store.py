"""Several app processes on one `chroma run` server on 127.0.0.1: the store stays true for all of them.

A document replaced or removed by another process is answered from its new state by every app process
(the store's change marker is read before each question); a frozen server gives a clear message
within the timeout; `docs` on a new store folder reads the server; a web upload while the server is
down says what to do.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.pipeline import Ingestor
from ingest.settings import Settings, load_settings
from ingest.stores.index import StructuredIndex
from ingest.stores.store import VectorStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "data" / "corpus"
HOST = "127.0.0.1"
XINFANG_FILE = "2024_晋城市信访局_部门预算.txt"
TOTAL_QUESTION = "晋城市信访局2024年支出预算合计是多少？"
OLD_TOTAL, NEW_TOTAL = "9527.11", "9627.11"
TIMEOUT = 2.0  # BUDGETQA_CHROMA_TIMEOUT of the app processes
WRITE_TIMEOUT = 120.0  # the ingesting process's: a big batch on a busy machine is slow, not frozen

# A long-lived app process like `budgetqa serve`: one assistant following the store, questions in on
# stdin, answers out on stdout (JSON lines).
APP = """
import json, sys
from assistant.service import Assistant
from ingest.settings import load_settings
assistant = Assistant.from_settings(load_settings())
assistant.follow_changes()  # as the web app does (ui/web/app.py load_assistant)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    try:
        answer = assistant.ask_within_budget(json.loads(line))
        out = {"answer": answer.answer, "refused": answer.refused, "docs": [c.doc for c in answer.citations]}
    except Exception as exc:
        out = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(out, ensure_ascii=False), flush=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`chroma run` on a free loopback port (its process, its URL); always stopped (and resumed) after."""
    folder = tmp_path_factory.mktemp("chroma")
    port = free_port()
    cli = Path(sys.executable).with_name("chroma")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_PROXY": HOST, "no_proxy": HOST}
    process = subprocess.Popen(
        [str(cli), "run", "--path", str(folder / "server"), "--host", HOST, "--port", str(port)],
        stdout=(folder / "chroma.log").open("wb"),
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://{HOST}:{port}"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 60
    while True:
        try:
            with direct.open(f"{url}/api/v2/heartbeat", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma run did not start: {(folder / 'chroma.log').read_text()}")
            time.sleep(0.2)
    try:
        yield process, url
    finally:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(timeout=15)


def server_settings(url: str, store_dir: Path) -> Settings:
    return load_settings(store_dir=store_dir, chroma_url=url, embedder="hash", chroma_timeout=WRITE_TIMEOUT)


@pytest.fixture(scope="module")
def ingested(chroma: tuple[Any, str], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The bundled corpus ingested into the server by a process of its own (store folder A)."""
    settings = server_settings(chroma[1], tmp_path_factory.mktemp("store_a"))
    summary = Ingestor(settings).ingest([CORPUS])
    assert not summary.failed
    return settings


class AppProcess:
    """One app process over the server, with a store folder of its own."""

    def __init__(self, url: str, store_dir: Path) -> None:
        env = {
            **os.environ,
            "BUDGETQA_STORE_DIR": str(store_dir),
            "BUDGETQA_CHROMA_URL": url,
            "BUDGETQA_EMBEDDER": "hash",
            "BUDGETQA_CHROMA_TIMEOUT": str(TIMEOUT),
            "NO_PROXY": HOST,
            "no_proxy": HOST,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", APP],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert json.loads(self.read()) == {"ready": True}

    def read(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the app process died"
        return line

    def ask(self, question: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(question, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        return dict(json.loads(self.read()))

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def apps(
    chroma: tuple[Any, str], ingested: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[AppProcess]]:
    started = [AppProcess(chroma[1], tmp_path_factory.mktemp(f"app_{n}")) for n in range(2)]
    try:
        yield started
    finally:
        for app in started:
            app.close()


def test_docs_on_a_new_store_folder_reads_the_server(ingested: Settings, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from ui.cli import main

    code = main(
        [
            "docs",
            "--json",
            "--store",
            str(tmp_path / "new"),
            "--chroma-url",
            ingested.chroma_url,
            "--embedder",
            "hash",
        ]
    )
    listed = json.loads(capsys.readouterr().out)
    assert code == 0 and sorted(d["file"] for d in listed) == sorted(p.name for p in CORPUS.glob("*.txt"))


def test_replaced_and_removed_documents_are_seen_by_every_app_process(
    apps: list[AppProcess], ingested: Settings, tmp_path: Path
) -> None:
    for app in apps:
        answer = app.ask(TOTAL_QUESTION)
        assert OLD_TOTAL in answer["answer"], answer
    changed = tmp_path / XINFANG_FILE  # same name, new figures: another process replaces the document
    changed.write_text(
        (CORPUS / XINFANG_FILE).read_text(encoding="utf-8").replace(OLD_TOTAL, NEW_TOTAL), encoding="utf-8"
    )
    summary = Ingestor(ingested).ingest([changed])
    assert [f.status for f in summary.files] == ["replaced"]
    for app in apps:
        answer = app.ask(TOTAL_QUESTION)  # the first question after the change already sees it
        assert NEW_TOTAL in answer["answer"] and OLD_TOTAL not in answer["answer"], answer
    xinfang = next(
        d.doc_id for d in StructuredIndex(ingested.store_dir).documents() if "信访局" in d.department
    )
    VectorStore.from_settings(ingested).delete_document(xinfang)  # another process removes it from the server
    for app in apps:
        answer = app.ask(TOTAL_QUESTION)
        assert answer["refused"] is True and answer["docs"] == [], answer


def test_a_frozen_server_gives_a_clear_message_within_the_timeout(
    chroma: tuple[subprocess.Popen[bytes], str], apps: list[AppProcess], ingested: Settings, tmp_path: Path
) -> None:
    from assistant.service import Assistant
    from ui.web.views import Views

    process, url = chroma
    upload_settings = ingested.replaced(admin_password="口令", chroma_timeout=TIMEOUT)
    views = Views(upload_settings, Assistant.from_settings(upload_settings))  # the web app, already running
    process.send_signal(signal.SIGSTOP)
    try:
        start = time.monotonic()
        answer = apps[0].ask("柳林县工业和信息化局2024年三公经费是多少？")
        waited = time.monotonic() - start
        assert (
            "error" in answer and f"在 {TIMEOUT:g} 秒内没有响应" in answer["error"] and url in answer["error"]
        )
        assert waited < TIMEOUT * 3
        summary, _ = views.upload([str(CORPUS / XINFANG_FILE)], True)
        assert "存储不可用" in summary and "没有响应" in summary and "报告给开发者" not in summary
    finally:
        process.send_signal(signal.SIGCONT)
    assert (
        "4.70" in apps[0].ask("柳林县工业和信息化局2024年三公经费是多少？")["answer"]
    )  # back once it resumes
