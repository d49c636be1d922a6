"""Two writer processes publishing documents to one `chroma run` server at the same instant: a third
process following the server sees every document, each exactly once.

Each writer sends its documents as `send_vectors` does (the records, then a manifest entry); the
reader follows the change marker and catches up as an app process does. A manifest kept as one
read-modify-write blob loses an entry when two publishes cross, and that document then stays hidden
from every other process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import OFFLINE, ROOT, chroma_server

pytestmark = pytest.mark.slow

DOCUMENTS_PER_WRITER = 40

# One writer: `count` small documents of its own, each sent and published as ingest does, from `start`.
WRITER = """
import sys, time
from ingest.stores.embeddings import make_embedder
from ingest.records import Record, stable_id, version_of
from ingest.stores.store import VectorStore
url, name, count, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
store = VectorStore(None, make_embedder("hash"), server_url=url, timeout=60)
time.sleep(max(0.0, start - time.time()))  # both writers begin at the same instant
for i in range(count):
    doc = f"{name}_{i:03d}"
    meta = {"doc_id": doc, "department": name, "year": 2025, "sha256": f"sha-{doc}"}
    records = [
        Record(stable_id(doc, kind, text), doc, kind, text, {**meta, "kind": kind})
        for kind, text in (("paragraph", f"{doc} 支出预算合计{i}.00万元。"), ("document", f"{doc} 部门预算"))
    ]
    store.upsert(records)
    store.publish({doc: version_of(records)})
"""

# The reader: follows the change marker like `Assistant.refresh`, counting each document it copies,
# until `done` exists; then one last look, and it prints what it holds and how often it copied each.
READER = """
import json, sys, time
from pathlib import Path
from ingest.stores.embeddings import make_embedder
from ingest.stores.follow import catch_up
from ingest.stores.index import StructuredIndex
from ingest.stores.store import VectorStore
url, folder, done = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
store = VectorStore(None, make_embedder("hash"), server_url=url, timeout=60)
index = StructuredIndex(folder)
copied, seen = {}, None
while True:
    finished = done.exists()
    marker = store.change_marker()
    if marker != seen:
        for doc_id in catch_up(index, store):
            copied[doc_id] = copied.get(doc_id, 0) + 1
        seen = marker
    if finished:
        break
    time.sleep(0.05)
print(json.dumps({"held": sorted(index.document_versions()), "copied": copied}))
"""


def test_two_writers_publishing_at_once_lose_no_document(tmp_path: Path) -> None:
    env = {**os.environ, **OFFLINE, "PYTHONPATH": str(ROOT)}
    done = tmp_path / "writers-done"
    with chroma_server(tmp_path / "chroma") as url:
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, url, str(tmp_path / "reader"), str(done)],
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            text=True,
        )
        start = time.time() + 3.0  # both interpreters are up and connected by then
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, url, name, str(DOCUMENTS_PER_WRITER), str(start)],
                env=env,
                cwd=ROOT,
            )
            for name in ("甲单位", "乙单位")
        ]
        for writer in writers:
            assert writer.wait(timeout=300) == 0, "a writer failed: see its stderr above"
        done.touch()
        out, _ = reader.communicate(timeout=300)
    assert reader.returncode == 0
    seen = json.loads(out)
    expected = sorted(f"{name}_{i:03d}" for name in ("甲单位", "乙单位") for i in range(DOCUMENTS_PER_WRITER))
    missing = sorted(set(expected) - set(seen["held"]))
    assert missing == [], f"{len(missing)} documents never reached the reader: {missing[:5]}"
    assert seen["held"] == expected
    assert seen["copied"] == dict.fromkeys(expected, 1)  # each copied once: no flicker, no re-copy
