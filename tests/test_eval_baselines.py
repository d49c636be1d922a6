"""Baselines: naive RAG (langchain splitter + embeddings + cosine) and BM25 answer from their best chunk."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest

from eval.baselines import BM25Baseline, NaiveRAG, make_baselines, split_files, tokenize
from eval.runner import run_eval
from eval.scoring import score_case
from eval.testset import TestCase

BUDGET = """柳林县工业和信息化局2024年部门预算

一、收支预算总体情况
2024年收入预算合计1234.56万元，支出预算合计1234.56万元。

二、“三公”经费预算情况
2024年“三公”经费预算4.70万元，比2023年减少0.03万元。
其中：公务接待费0.20万元，公务用车购置及运行费4.50万元。
"""

CATALOG = """政府购买服务指导性目录

A150201 人大宣传服务
A170101 技术鉴定服务
A180701 信访热线及窗口受理服务
"""


class TinyHashEmbedder:
    """Stand-in with the `ingest.stores.embeddings` duck type: character bigrams hashed into 64 buckets."""

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * 64
        for i in range(len(text) - 1):
            vector[hashlib.md5(text[i : i + 2].encode()).digest()[0] % 64] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


def embedder() -> object:
    try:
        from ingest.stores.embeddings import make_embedder
    except ImportError:
        return TinyHashEmbedder()
    return make_embedder("hash")


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    budget = tmp_path / "2024_柳林县工业和信息化局_部门预算.txt"
    budget.write_text(BUDGET, encoding="utf-8")
    catalog = tmp_path / "目录.txt"
    catalog.write_text(CATALOG, encoding="utf-8")
    return [budget, catalog]


def test_chunks_keep_their_file_and_lines(corpus: list[Path]) -> None:
    chunks = split_files(corpus, chunk_size=60, chunk_overlap=0)
    sangong = next(c for c in chunks if "公务接待费0.20万元" in c.text)
    assert sangong.file == corpus[0]
    lines = BUDGET.splitlines()
    assert lines[sangong.line_start - 1] in sangong.text and lines[sangong.line_end - 1] in sangong.text
    assert all(len(c.text) <= 60 for c in chunks)


@pytest.mark.parametrize("kind", ["naive_rag", "bm25"])
def test_baseline_answers_with_its_best_chunk(corpus: list[Path], kind: str) -> None:
    baseline: NaiveRAG | BM25Baseline
    if kind == "naive_rag":
        baseline = NaiveRAG(corpus, embedder(), chunk_size=60, chunk_overlap=0)  # type: ignore[arg-type]
    else:
        baseline = BM25Baseline(corpus, chunk_size=60, chunk_overlap=0)
    answer = baseline("公务接待费预算是多少万元？")
    assert "公务接待费0.20万元" in answer.answer
    (citation,) = answer.citations
    assert citation.file == str(corpus[0]) and citation.quote in answer.answer
    assert citation.locator == f"第{citation.line_start}–{citation.line_end}行"
    assert not answer.refused

    case = TestCase(id="jd", question="公务接待费？", figures=("0.20",), unit="万元", doc="工业和信息化局")
    assert score_case(case, answer).passed

    code = baseline("信访热线及窗口受理服务的目录代码")
    assert "A180701" in code.answer and code.citations[0].file == str(corpus[1])


def test_baselines_fail_unanswerable_cases_with_figures(corpus: list[Path]) -> None:
    bm25 = BM25Baseline(corpus, chunk_size=60, chunk_overlap=0)
    case = TestCase(id="u", question="局长2024年的奖金预算是多少万元？", category="unanswerable")
    result = score_case(case, bm25(case.question))
    assert not result.passed and "应当拒答（文件中没有答案），但给出了回答" in result.reasons


def test_bm25_tokens_are_jieba_words() -> None:
    assert "公务" in tokenize("公务接待费，0.20万元")
    assert "，" not in tokenize("公务接待费，0.20万元")


def test_make_baselines_scored_in_the_same_run(corpus: list[Path]) -> None:
    baselines = make_baselines(["naive_rag", "bm25"], corpus, embedder())  # type: ignore[arg-type]
    case = TestCase(
        id="sg", question="三公经费预算是多少？", category="figures", figures=("4.70",), unit="万元"
    )
    run = run_eval([case], baselines["bm25"], baselines, out_dir=None)
    assert list(run.report.systems) == ["budgetqa", "naive_rag", "bm25"]
    bm25 = run.report.systems["bm25"]
    # the whole file is the best chunk: 4.70 is in it, but the first figure it states is the income total
    assert (bm25.overall.total, bm25.overall.passed) == (1, 0)
    assert "答案首先给出的数字 1234.56万元 不是所问的数字（预期 4.70万元）" in bm25.cases[0].reasons
    with pytest.raises(ValueError, match="naive_rag needs an embedder"):
        make_baselines(["naive_rag"], corpus, None)
    with pytest.raises(ValueError, match="unknown baseline 'llm'"):
        make_baselines(["llm"], corpus, None)


@pytest.mark.slow
def test_bm25_over_the_bundled_corpus_finds_the_real_sangong_figure() -> None:
    files = sorted((Path(__file__).parent.parent / "data" / "corpus").glob("*.txt"))
    bm25 = BM25Baseline(files)
    answer = bm25("柳林县工业和信息化局2024年“三公”经费预算是多少？")
    assert answer.citations[0].file.endswith("2024_柳林县工业和信息化局_部门预算.txt")
    assert "4.70万元" in answer.answer
    case = TestCase(
        id="sg", question="三公经费？", figures=("4.70",), unit="万元", doc="柳林县工业和信息化局"
    )
    # the chunk holds the figure, but what it states first is another one: a chunk is not an answer
    result = score_case(case, answer)
    assert not result.passed
    assert [r for r in result.reasons if r.startswith("答案首先给出的数字") and "预期 4.70万元" in r]


def test_naive_rag_reuses_cached_chunk_vectors(corpus: list[Path], tmp_path: Path) -> None:
    class Counting(TinyHashEmbedder):
        calls = 0

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            Counting.calls += 1
            return super().embed_documents(texts)

    first = NaiveRAG(corpus, Counting(), chunk_size=60, chunk_overlap=0, cache_dir=tmp_path / "cache")
    second = NaiveRAG(corpus, Counting(), chunk_size=60, chunk_overlap=0, cache_dir=tmp_path / "cache")
    assert first("公务接待费").answer == second("公务接待费").answer
    assert Counting.calls == 1 and len(list((tmp_path / "cache").glob("naive_rag-*.npy"))) == 1
