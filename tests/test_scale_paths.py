"""What keeps ingest and answering flat as the store grows to a thousand disclosures: the shortcuts give
the results of the long way (tokens, catalog alignment, change sentences, the saved lexical index), and
among many same-named offices the named county's own figures answer."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CorpusStore

from assistant import warm_state
from assistant.changes import _CHANGE, _change_sentences
from assistant.retrieval import _jieba, tokens
from assistant.service import Assistant
from ingest.parsing.catalog import align_with_cost
from ingest.pipeline import Ingestor
from ingest.sentences import CLAUSE_STOPS, split_sentences
from ingest.settings import load_settings
from ingest.stores.index import StructuredIndex

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2})(?![\d%％])")


def _jieba_tokens(text: str) -> list[str]:
    """The tokens as they were made before runs were cut one by one: jieba over the whole text."""
    return [t for t in _jieba().lcut(text) if t.strip() and not re.fullmatch(r"[\W_]+", t)]


def test_tokens_cut_run_by_run_equal_jieba_over_the_whole_text(corpus_store: CorpusStore) -> None:
    index = StructuredIndex(corpus_store.store_dir)
    texts = [text for _, _, text in index.texts(warm_state.LEXICAL_KINDS)]
    texts += [
        "A100101 是什么服务？",
        "2024年 12.5% ＡＢ 三公经费\n换行",
        "（一）收入：1,234.56万元",
        "",
        " 。",
    ]
    assert len(texts) > 1000
    assert [tokens(t) for t in texts] == [_jieba_tokens(t) for t in texts]
    assert tokens("柳林县医保局2024年三公经费是多少？") == _jieba_tokens("柳林县医保局2024年三公经费是多少？")


def test_index_texts_are_the_records_texts_in_order(corpus_store: CorpusStore) -> None:
    index = StructuredIndex(corpus_store.store_dir)
    expected = [(r.id, r.doc_id, r.text) for kind in ("paragraph", "row") for r in index.records(kind=kind)]
    assert index.texts(("paragraph", "row")) == expected


def test_an_aligned_page_is_the_same_each_time_and_callers_cannot_change_it() -> None:
    fragments = ["法律顾问", "服务", "技术评审鉴定评估服务对外合作与交流服务", "课题研究服务"]
    first = align_with_cost(fragments, 3)
    assert first is not None
    names = [name for name, _ in first[0]]
    assert len(names) == 3 and "".join(names) == "".join(fragments)
    first[0].clear()  # a caller editing its copy
    again = align_with_cost(fragments, 3)
    assert again is not None and [name for name, _ in again[0]] == names
    assert align_with_cost(fragments, 9) is None
    assert align_with_cost([], 0) == ([], 0.0)


def test_change_sentences_picked_by_sqlite_are_those_of_a_full_scan(corpus_store: CorpusStore) -> None:
    index = StructuredIndex(corpus_store.store_dir)
    for doc in index.documents():
        scanned = []
        for kind in ("fact", "paragraph"):
            for record in index.records(doc_id=doc.doc_id, kind=kind):
                text = str(record.payload.get("quote") or record.text)
                scanned += [(s, record.id) for s in split_sentences(text, CLAUSE_STOPS) if _CHANGE.search(s)]
        picked = [(s, record.id) for s, record in _change_sentences(index, doc.doc_id)]
        assert picked == scanned and len(picked) >= 5, doc.title


@pytest.mark.slow  # ingests four documents into its own store
def test_save_tokenises_only_the_new_documents_and_ranks_as_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(store_dir=tmp_path / "store", embedder="hash")
    files = sorted(CORPUS.glob("*.txt"))
    ingestor = Ingestor(settings)
    ingestor.ingest(files[:3], vectors=False)
    warm_state.save(ingestor.index, settings.store_dir)
    ingestor.ingest(files[3:], vectors=False)
    tokenised: list[str] = []
    real_tokens = tokens

    def counting(text: str) -> list[str]:
        tokenised.append(text)
        return real_tokens(text)

    monkeypatch.setattr("assistant.retrieval.tokens", counting)
    saved = warm_state.save(ingestor.index, settings.store_dir)
    new_doc = next(d.doc_id for d in ingestor.index.documents() if d.summary.file == files[3].name)
    new_texts = {
        text for _, doc_id, text in ingestor.index.texts(warm_state.LEXICAL_KINDS) if doc_id == new_doc
    }
    assert tokenised and set(tokenised) <= new_texts
    monkeypatch.setattr("assistant.retrieval.tokens", real_tokens)
    fresh = warm_state.build(ingestor.index, ingestor.index.documents())
    assert saved.lexical is not None and fresh.lexical is not None
    saved_bm25, fresh_bm25 = saved.lexical.get(), fresh.lexical.get()
    assert saved_bm25.ids == fresh_bm25.ids and saved_bm25.idf == fresh_bm25.idf
    for question in ("三公经费 公务接待费", "机关运行经费 比上年 减少 原因"):
        query = real_tokens(question)
        assert saved_bm25.search(query, None, 24) == fresh_bm25.search(query, None, 24)


def _scaled(text: str, factor: int) -> str:
    """Every printed amount × factor (a whole factor keeps the template's sums)."""

    def one(match: re.Match[str]) -> str:
        printed = match.group(1)
        number = Decimal(printed.replace(",", "")) * factor
        return f"{number:,.2f}" if "," in printed else f"{number:.2f}"

    return _AMOUNT.sub(one, text)


@pytest.mark.slow  # ingests four copies of the bundled 财政局 document
def test_among_same_named_offices_the_named_countys_own_figures_answer(tmp_path: Path) -> None:
    source = next(CORPUS.glob("*财政局*.txt"))
    text = source.read_text(encoding="utf-8")
    old = re.match(r"^(.+?[市县区])", source.name.split("_")[1])
    assert old is not None
    region = old.group(1)
    factors = {"正田县": 1, "正乐县": 3, "正安市": 2, "华顺县": 5}  # 正田/正乐: one character apart
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, factor in factors.items():
        moved = text.replace(region, name).replace(region[:-1], name[:-1])
        (folder / f"2026_{name}财政局_部门预算.txt").write_text(_scaled(moved, factor), "utf-8")
    settings = load_settings(store_dir=tmp_path / "store", embedder="hash")
    Ingestor(settings).ingest([folder], vectors=False)
    assistant = Assistant.from_settings(settings)
    departments = {d.title: d.department for d in assistant.index.documents()}
    figures = {}
    for name in factors:
        answer = assistant.ask(f"{name}财政局2026年机关运行经费是多少？")
        assert not answer.refused, name
        assert {departments[c.doc] for c in answer.citations} == {f"{name}财政局"}, name
        first = _AMOUNT.search(answer.answer)
        assert first is not None, answer.answer
        figures[name] = Decimal(first.group(1).replace(",", ""))
    base = figures["正田县"]
    assert base > 0
    assert {name: figures[name] / base for name in factors} == {n: Decimal(f) for n, f in factors.items()}


def test_each_file_is_looked_up_among_the_held_documents_by_index(corpus_store: CorpusStore) -> None:
    index = StructuredIndex(corpus_store.store_dir)
    for doc in index.documents():
        assert index.stored_content(doc.summary.sha256) == (doc.doc_id, doc.summary.file)
        found = index.document_by_file(doc.summary.file)
        assert found is not None and found.doc_id == doc.doc_id
        for key, value in doc.summary.identity.items():
            twin = index.same_disclosure({key: value})
            assert twin is not None and twin.doc_id == doc.doc_id, key
    plans = {
        path: " ".join(
            str(row[3])
            for row in index._query(
                f"EXPLAIN QUERY PLAN SELECT doc_id FROM documents WHERE json_extract(summary, '{path}') = ?",
                ("x",),
            )
        )
        for path in ("$.sha256", "$.file", "$.identity.text", "$.identity.tables")
    }
    assert all("USING INDEX documents_" in plan for plan in plans.values()), plans
