"""The saved catalog and lexical structures: same rankings as building them, reused while the index is
unchanged, rebuilt when it changes; the BM25 inverted index ranks as rank_bm25 does."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rank_bm25 import BM25Okapi

from assistant import warm_state
from assistant.lexical_index import LexicalIndex
from assistant.retrieval import tokens
from assistant.service import Assistant
from ingest.pipeline import Ingestor
from ingest.running import RUNNING
from ingest.settings import load_settings
from ingest.stores.index import StructuredIndex
from ui.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
QUESTIONS = ["三公经费 公务接待费", "机关运行经费 比上年 减少 原因", "政府采购 预算", "名词解释 一般公共预算"]


def _bm25_order(corpus: list[list[str]], query: list[str], allowed: list[bool], k: int) -> list[int]:
    """The ranking HybridRetriever had with rank_bm25: positive scores, best first, ties by position."""
    scores = BM25Okapi(corpus).get_scores(query)
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return [i for i in order if scores[i] > 0 and allowed[i]][:k]


def test_lexical_index_ranks_as_rank_bm25(corpus_store: Any) -> None:
    index = StructuredIndex(corpus_store.store_dir)
    records = [r for kind in warm_state.LEXICAL_KINDS for r in index.records(kind=kind)]
    corpus = [tokens(r.text) or ["_"] for r in records]
    lexical = LexicalIndex((r.id, r.doc_id, words) for r, words in zip(records, corpus, strict=True))
    one_doc = records[0].doc_id
    for question in QUESTIONS:
        query = tokens(question)
        expected = _bm25_order(corpus, query, [True] * len(records), 24)
        assert lexical.search(query, None, 24) == [records[i].id for i in expected]
        in_doc = _bm25_order(corpus, query, [r.doc_id == one_doc for r in records], 12)
        assert lexical.search(query, [one_doc], 12) == [records[i].id for i in in_doc]
        assert len(in_doc) > 0


@pytest.fixture()
def own_store(tmp_path: Path) -> Any:
    """A store of three bundled documents (the fourth is added by a test)."""
    settings = load_settings(store_dir=tmp_path / "store", embedder="hash")
    files = sorted(CORPUS.glob("*.txt"))
    Ingestor(settings).ingest(files[:3])
    return settings, files


@pytest.mark.slow  # ingests three documents into its own store
def test_state_is_saved_then_reused_while_the_index_is_unchanged(own_store: Any, monkeypatch: Any) -> None:
    settings, _ = own_store
    first = Assistant.from_settings(settings)
    saved = settings.store_dir / warm_state.STATE_FILE
    assert saved.exists()
    built: list[str] = []
    monkeypatch.setattr(warm_state, "build", lambda *a, **k: built.append("x") or pytest.fail("rebuilt"))
    second = Assistant.from_settings(settings)
    assert built == []
    question = "柳林县医保局三公经费是多少"
    assert second.ask(question).answer == first.ask(question).answer
    assert [h.entry.code for h in second.catalog.search("法律顾问")] == [
        h.entry.code for h in first.catalog.search("法律顾问")
    ]


@pytest.mark.slow  # ingests three documents into its own store
def test_state_is_rebuilt_when_a_document_is_added_or_removed(own_store: Any) -> None:
    settings, files = own_store
    before = Assistant.from_settings(settings)
    stamp = warm_state.fingerprint(before.index, before.index.documents())
    Ingestor(settings).ingest([files[3]])
    after = Assistant.from_settings(settings)
    added = warm_state.fingerprint(after.index, after.index.documents())
    assert added != stamp
    new_doc = next(d for d in after.index.documents() if d.summary.file == files[3].name)
    assert len(after.retriever.lexical("三公经费", [new_doc.doc_id], 5)) == 5
    assert before.retriever.lexical("三公经费", [new_doc.doc_id], 5) == []
    after.index.delete_document(new_doc.doc_id)
    assert warm_state.fingerprint(after.index, after.index.documents()) not in (stamp, added)
    removed = Assistant.from_settings(settings)
    assert removed.retriever.lexical("三公经费", [new_doc.doc_id], 5) == []


@pytest.mark.slow  # ingests three documents into its own store
def test_a_broken_state_file_is_rebuilt(own_store: Any) -> None:
    settings, _ = own_store
    Assistant.from_settings(settings)
    saved = settings.store_dir / warm_state.STATE_FILE
    saved.write_bytes(b"not a pickle")
    assistant = Assistant.from_settings(settings)
    assert len(assistant.retriever.lexical("三公经费", None, 3)) == 3
    assert saved.read_bytes() != b"not a pickle"


@pytest.mark.slow  # ingests three documents into its own store
def test_state_from_a_copied_store_is_reused(own_store: Any, tmp_path: Path, monkeypatch: Any) -> None:
    settings, _ = own_store
    Assistant.from_settings(settings)
    copy = tmp_path / "copy"
    shutil.copytree(settings.store_dir, copy)
    monkeypatch.setattr(warm_state, "build", lambda *a, **k: pytest.fail("rebuilt"))
    assistant = Assistant.from_settings(load_settings(store_dir=copy, embedder="hash"))
    assert assistant.catalog.search("法律顾问")


def test_mid_ingest_state_skips_the_lexical_index_and_is_not_saved(corpus_store: Any, tmp_path: Path) -> None:
    """While another process ingests (its marker names a live pid), a figure is answered without
    tokenising every text, and nothing is saved (the index is about to change); afterwards the state
    is built whole and saved."""
    store = tmp_path / "store"
    shutil.copytree(corpus_store.store_dir, store, ignore=shutil.ignore_patterns(warm_state.STATE_FILE))
    settings = load_settings(store_dir=store, embedder="hash")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (store / RUNNING).write_text(str(other.pid))
        mid = Assistant.from_settings(settings)
        assert mid.retriever._lexical is None and not (store / warm_state.STATE_FILE).exists()
        answer = mid.ask("柳林县医保局2025年公务接待费是多少")
        assert not answer.refused and "0.23万元" in answer.answer
        assert len(mid.retriever.lexical("三公经费", None, 3)) == 3  # built on first use
    finally:
        other.kill()
        other.wait()
    after = Assistant.from_settings(settings)  # the marker's process is gone: an ordinary build
    assert after.retriever._lexical is not None and (store / warm_state.STATE_FILE).exists()


def test_cli_ingest_saves_the_state_before_the_vectors(tmp_path: Path, monkeypatch: Any) -> None:
    """`budgetqa ingest` saves the assistant's structures once its documents are committed, so an
    `ask` during the embedding phase (or after it) loads them instead of building them."""
    store = tmp_path / "store"
    seen: list[bool] = []
    send = Ingestor.send_vectors

    def vectors_after_state(self: Ingestor, progress: Any = None) -> int:
        seen.append((store / warm_state.STATE_FILE).exists())
        return send(self, progress)

    monkeypatch.setattr(Ingestor, "send_vectors", vectors_after_state)
    assert (
        main(["ingest", str(sorted(CORPUS.glob("*.txt"))[0]), "--store", str(store), "--embedder", "hash"])
        == 0
    )
    assert seen == [True]
    monkeypatch.setattr(warm_state, "build", lambda *a, **k: pytest.fail("rebuilt"))
    assistant = Assistant.from_settings(load_settings(store_dir=store, embedder="hash"))
    assert assistant.retriever._lexical is not None


def test_phase_one_does_not_load_chromadb(tmp_path: Path) -> None:
    """Committing a document to the structured index needs no vector store: the first document is
    answerable without waiting for chromadb to import (seconds on a loaded machine)."""
    code = (
        "import sys; from pathlib import Path; from ingest.pipeline import Ingestor;"
        "from ingest.settings import load_settings;"
        f"i = Ingestor(load_settings(store_dir=Path({str(tmp_path)!r}), embedder='hash'));"
        f"r = i.ingest_file(Path({str(sorted(CORPUS.glob('*.txt'))[0])!r}));"
        "print(r.status, 'chromadb' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.split() == ["ingested", "False"]


def test_refresh_sees_another_process_remove_a_document(corpus_store: Any, tmp_path: Path) -> None:
    """The embedded store's change marker (document ids, read before every question) moves when another
    index connection removes a document, and only then."""
    store = tmp_path / "store"
    shutil.copytree(corpus_store.store_dir, store)
    assistant = Assistant.from_settings(load_settings(store_dir=store, embedder="hash"))
    assert assistant.refresh() is False
    other = StructuredIndex(store)
    gone = other.documents()[0].doc_id
    other.delete_document(gone)
    assert assistant.refresh() is True and assistant.refresh() is False
    assert gone not in {d.doc_id for d in assistant.index.documents()}


@pytest.mark.slow  # ingests three documents into its own store
def test_a_rebuild_from_the_previous_state_equals_a_fresh_one(own_store: Any, monkeypatch: Any) -> None:
    settings, files = own_store
    index = StructuredIndex(settings.store_dir)
    previous = warm_state.build(index, index.documents())
    Ingestor(settings).ingest([files[3]])
    documents = index.documents()
    fresh = warm_state.build(index, documents)
    tokenised: list[str] = []
    real_tokens = tokens

    def counting(text: str) -> list[str]:
        tokenised.append(text)
        return real_tokens(text)

    monkeypatch.setattr("assistant.retrieval.tokens", counting)
    again = warm_state.build(index, documents, previous=previous)
    new_doc = next(d.doc_id for d in documents if d.summary.file == files[3].name)
    new_texts = {
        r.text for kind in warm_state.LEXICAL_KINDS for r in index.records(kind=kind, doc_id=new_doc)
    }
    assert tokenised and set(tokenised) <= new_texts  # only the added document's texts were tokenised
    assert again.lexical is not None and fresh.lexical is not None
    rebuilt, built = again.lexical.get(), fresh.lexical.get()
    assert rebuilt.ids == built.ids and rebuilt.idf == built.idf
    for question in QUESTIONS:
        query = real_tokens(question)
        assert rebuilt.search(query, None, 24) == built.search(query, None, 24)
    # the catalog search is kept exactly when the entries did not change
    unchanged = previous.catalog.get().entries == fresh.catalog.get().entries
    assert (again.catalog is previous.catalog) == unchanged
    assert again.catalog.get().entries == fresh.catalog.get().entries
