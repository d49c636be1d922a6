"""VectorStore against a real `chroma run` server on 127.0.0.1 (client/server mode)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.records import Record, stable_id
from ingest.stores.embeddings import HashEmbedder
from ingest.stores.store import VectorStore

HOST = "127.0.0.1"
LIULIN = "2024_柳林县工业和信息化局_部门预算"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def chroma_cli() -> Path:
    path = Path(sys.executable).with_name("chroma")
    if not path.exists():
        pytest.fail(f"the chroma CLI is missing next to {sys.executable}: reinstall chromadb")
    return path


@pytest.fixture
def server_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Start `chroma run` on a free loopback port, wait for its heartbeat, always stop it."""
    for name in ("NO_PROXY", "no_proxy"):  # loopback traffic never goes through a proxy
        monkeypatch.setenv(name, HOST)
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    port = free_port()
    log = (tmp_path / "chroma.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    process = subprocess.Popen(
        [str(chroma_cli()), "run", "--path", str(tmp_path / "server"), "--host", HOST, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"chroma run exited with {process.returncode}: {(tmp_path / 'chroma.log').read_text()}"
                )
            try:
                with direct.open(f"{url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("chroma run did not answer its heartbeat within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        log.close()


def record(line: int, label: str, total: str) -> Record:
    text = f"表十 · {label}\t{total}\t{total}"
    locator = f"表十 · {label} · 第{line}行"
    return Record(
        id=stable_id(LIULIN, "row", locator, text),
        doc_id=LIULIN,
        kind="row",
        text=text,
        metadata={
            "doc_id": LIULIN,
            "kind": "row",
            "department": "柳林县工业和信息化局",
            "year": 2024,
            "file": f"{LIULIN}.txt",
            "locator": locator,
            "line_start": line,
            "line_end": line,
            "sha256": "sha",
        },
        payload={"table": "表十", "unit": "万元", "row_label": label, "cells": {"合计": total}},
    )


@pytest.mark.slow
def test_store_through_a_chroma_server(server_url: str, tmp_path: Path) -> None:
    records = [
        record(450, "公务接待费", "0.20"),
        record(451, "公务用车购置及运行费", "4.50"),
        record(454, "合计", "4.70"),
    ]
    store = VectorStore(None, HashEmbedder(), server_url=server_url)
    assert store.upsert(records) == 3
    assert store.upsert(records) == 3
    assert store.count() == 3
    assert not (tmp_path / "chroma").exists()  # nothing embedded on the client side

    # A second, stateless client (another app process) sees the same data.
    other = VectorStore(None, HashEmbedder(), server_url=server_url)
    best, score = other.query("公务接待费", k=1, where={"department": "柳林县工业和信息化局"})[0]
    assert best.payload["cells"] == {"合计": "0.20"}
    assert best.metadata["locator"] == "表十 · 公务接待费 · 第450行"
    assert score > 0.5
    assert other.document_ids() == {LIULIN: "sha"}
    assert other.delete_document(LIULIN) == 3
    assert store.count() == 0


@pytest.mark.slow
def test_two_app_processes_share_one_server(server_url: str, tmp_path: Path) -> None:
    """Ingest through the server from one store folder; an app with an empty folder of its own answers
    the same questions (figures, citations, catalog codes) after syncing its index from the server."""
    from assistant.service import Assistant
    from ingest.pipeline import Ingestor
    from ingest.settings import load_settings

    corpus = (
        Path(__file__).resolve().parents[1] / "data" / "corpus" / "2024_柳林县工业和信息化局_部门预算.txt"
    )
    writer = load_settings(store_dir=tmp_path / "writer", chroma_url=server_url, embedder="hash")
    summary = Ingestor(writer).ingest([corpus])
    assert [f.status for f in summary.files] == ["ingested"]

    reader = load_settings(store_dir=tmp_path / "reader", chroma_url=server_url, embedder="hash")
    assistant = Assistant.from_settings(reader)
    answer = assistant.ask("柳林县工业和信息化局2024年三公经费是多少？")
    assert "4.70" in answer.answer and answer.citations and not answer.refused
    assert assistant.catalog.by_code("A150201", department="人民法院")[0].name == "法院宣传服务"
