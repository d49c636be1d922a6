"""Shared pieces of the reliability tests: a `chroma run` server on 127.0.0.1, the fork runner, the
bundled disclosure they ingest and its variants (changed, renamed)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "data" / "corpus"
# The smallest bundled disclosure that prints two catalog versions: quick to parse, every kind of record.
YIBAO = "2025_柳林县医疗保障局_部门预算.txt"
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "NO_PROXY": HOST,
    "no_proxy": HOST,
}


_CODE = re.compile(r"^[A-Z]\d*$")


def fewer_catalog_departments(source: Path, out: Path, departments: int = 8) -> Path:
    """The disclosure with each printed catalog table cut to its first `departments` departments:
    every kind of record still there, a few hundred catalog entries instead of thousands (quick to
    send to a Chroma server again and again)."""
    kept: list[str] = []
    in_table, seen = False, 0
    for line in source.read_text(encoding="utf-8").split("\n"):
        first = line.split("\t", 1)[0].strip()
        if line.startswith("代码\t"):
            in_table = True  # the header is printed again on every page of the same table
        elif in_table and line.strip() and "\t" not in line:
            in_table, seen = False, 0  # prose: the table is over
        elif in_table and first and not _CODE.match(first):
            seen += 1  # a department's name line opens its codes
        if not in_table or seen <= departments:
            kept.append(line)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(kept), encoding="utf-8")
    return out


def changed_copy(source: Path, out: Path) -> Path:
    """The same file name with one line added after the title: every locator, hence every id, moves."""
    lines = source.read_text(encoding="utf-8").split("\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join([lines[0], "（更正稿）", *lines[1:]]), encoding="utf-8")
    return out


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def chroma_server(folder: Path) -> Iterator[str]:
    """`chroma run` on a free loopback port until the block ends; yields its URL."""
    cli = Path(sys.executable).with_name("chroma")
    assert cli.exists(), f"the chroma CLI is missing next to {sys.executable}: reinstall chromadb"
    port = _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = (folder / "chroma.log").open("wb")
    process = subprocess.Popen(
        [str(cli), "run", "--path", str(folder / "data"), "--host", HOST, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **OFFLINE},
    )
    url = f"http://{HOST}:{port}"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (folder / "chroma.log").read_text()
            try:
                with direct.open(f"{url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "chroma run did not answer its heartbeat within 60 s"
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


class ForkRunner:
    """Drives `fork_runner.py`: each command runs in a fresh child of one warm interpreter."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.count = 0
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("fork_runner.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            # batches of 50 vectors: a document's ~110 vectors cross several batch windows to kill in
            env={**os.environ, **OFFLINE, "BUDGETQA_VECTOR_BATCH": "50"},
            text=True,
        )

    def _send(self, command: dict[str, Any]) -> dict[str, int]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"fork runner died (exit {self.process.poll()})"
        return dict(json.loads(line))

    def cli(self, argv: list[str], env: dict[str, str] | None = None) -> tuple[dict[str, int], str]:
        """Run `budgetqa argv…` in a child; returns how it ended ({"exit": n} or {"signal": n}) and its output."""
        self.count += 1
        log = self.logs / f"run{self.count}.log"
        ended = self._send({"cli": argv, "env": env or {}, "log": str(log)})
        return ended, log.read_text(encoding="utf-8") if log.exists() else ""

    def snapshot(self, store_dir: Path, chroma_url: str = "", collection: str = "budgetqa") -> dict[str, Any]:
        self.count += 1
        out = self.logs / f"snapshot{self.count}.json"
        target = {"store_dir": str(store_dir), "chroma_url": chroma_url, "collection": collection}
        ended = self._send({"snapshot": target, "out": str(out)})
        assert ended == {"exit": 0}, f"snapshot of {store_dir} failed: {ended}"
        return dict(json.loads(out.read_text(encoding="utf-8")))

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)
