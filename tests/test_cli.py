"""The `budgetqa` command line over the corpus store: ask --json contract, catalog look-ups, errors."""

from __future__ import annotations

import json

import pytest

from ingest.stores.store import StoreError
from ui import cli
from ui.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def store_args(corpus_store) -> list[str]:  # type: ignore[no-untyped-def]
    return ["--store", str(corpus_store.store_dir), "--embedder", "hash"]


def test_ask_json_contract(corpus_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "ask", "柳林县工业和信息化局2024年三公经费是多少？", "--json", *store_args(corpus_store)
    )
    assert code == 0
    answer = json.loads(out)
    assert {"answer", "citations", "calculations", "refused", "intent", "latency_ms"} <= set(answer)
    assert "4.70" in answer["answer"] and answer["refused"] is False
    citation = answer["citations"][0]
    assert {"doc", "locator", "quote"} <= set(citation)
    assert "柳林县工业和信息化局" in citation["doc"] and "4.70" in citation["quote"]


def test_ask_refusal_exits_zero(corpus_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "ask", "柳林县医疗保障局的公车是什么品牌？", "--json", *store_args(corpus_store)
    )
    assert code == 0 and json.loads(out)["refused"] is True


def test_catalog_code_department_version(corpus_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys,
        "catalog",
        "A150201",
        "--department",
        "法院",
        "--version",
        "43号",
        "--json",
        *store_args(corpus_store),
    )
    assert code == 0
    first = json.loads(out)[0]
    assert first["entry"]["code"] == "A150201" and first["entry"]["levels"][-1] == "法院宣传服务"
    assert first["entry"]["department"] == "人民法院" and first["entry"]["version"] == "晋财综〔2023〕43号"


def test_catalog_ambiguous_version_lists_candidates(corpus_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "catalog", "A150201", "--version", "2023", *store_args(corpus_store))
    assert code == 2 and "晋财综〔2023〕43号" in err and "晋财综〔2023〕47号" in err


def test_catalog_everyday_words_and_diff(corpus_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "catalog", "找人打扫卫生", *store_args(corpus_store))
    assert code == 0 and "B1102 物业管理服务" in out.splitlines()[0]
    code, out, _ = run(capsys, "catalog", "--diff", "43号", "37号", "--json", *store_args(corpus_store))
    diff = json.loads(out)
    assert code == 0 and diff["added"] and diff["removed"] and diff["renamed"]


def test_no_store_is_a_clear_error(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "ask", "三公经费是多少", "--store", str(tmp_path / "none"))
    assert code == 2 and "budgetqa ingest" in err


def test_bad_embedder_setting_is_a_clear_error(corpus_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(
        capsys, "ask", "三公经费", "--store", str(corpus_store.store_dir), "--embedder", "word2vec"
    )
    assert code == 2 and "BUDGETQA_EMBEDDER" in err


def test_ask_json_carries_the_plan(corpus_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "ask", "晋城市信访局2024年人员经费和公用经费各多少？", "--json", *store_args(corpus_store)
    )
    answer = json.loads(out)
    assert code == 0
    assert [(s["op"], s["result"]) for s in answer["plan"]] == [
        ("figure", "412.69万元"),
        ("figure", "63.65万元"),
    ]
    assert all(s["citation"] in {c["number"] for c in answer["citations"]} for s in answer["plan"])


@pytest.mark.parametrize(
    ("question", "extra", "message"),
    [
        ("   ", [], "请输入问题"),
        ("（" * 3000, [], "问题太长：最多 500 个字"),
        ("公务接待费是多少？", ["--doc", "没有这个部门"], "没有这样的文件：没有这个部门"),
    ],
)
def test_ask_that_cannot_run_exits_two(corpus_store, capsys, question, extra, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "ask", question, *extra, *store_args(corpus_store))
    assert code == 2 and message in err and out == ""


def test_ask_doc_filter_by_department(corpus_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "ask", "公务接待费是多少？", "--doc", "晋城市信访局", *store_args(corpus_store)
    )
    assert code == 0 and "晋城市信访局2024年度部门预算" in out and "0万元" in out


def test_a_bad_setting_names_its_variable(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BUDGETQA_TOP_K", "eight")
    code, _, err = run(capsys, "docs", "--store", str(tmp_path))
    assert code == 2 and "BUDGETQA_TOP_K" in err and "Traceback" not in err


def test_a_bug_is_reported_as_a_bug_not_as_a_setting(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    def broken(args: object) -> int:
        raise KeyError("summary")  # any exception the product does not expect

    monkeypatch.setitem(cli.COMMANDS, "docs", broken)
    code, _, err = run(capsys, "docs", "--store", str(tmp_path))
    assert code == cli.EXIT_BUG == 1
    assert "Traceback" in err and "KeyError: 'summary'" in err and "报告给维护者" in err


def test_an_expected_error_is_one_line_without_traceback(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    def unreachable(args: object) -> int:
        raise StoreError("连不上 Chroma 服务 http://127.0.0.1:9")

    monkeypatch.setitem(cli.COMMANDS, "docs", unreachable)
    code, _, err = run(capsys, "docs", "--store", str(tmp_path))
    assert code == 2 and err == "budgetqa docs：连不上 Chroma 服务 http://127.0.0.1:9\n"
