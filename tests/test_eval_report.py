"""Runner and reports: per-category table, the three report files, the diff, the exit code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation
from eval.report import percentile
from eval.runner import EXIT_BELOW_MIN_SCORE, EXIT_CANNOT_RUN, EXIT_OK, eval_command, run_eval
from eval.testset import TestCase

QUOTE = "公务接待费\t0.20\t0.20\t\t\n公务用车购置及运行费\t4.50\t4.50\n“三公”经费预算4.70万元"
CASES = [
    TestCase(id="f1", question="三公经费是多少？", category="figures", figures=("4.70",), unit="万元"),
    TestCase(id="f2", question="公务接待费是多少？", category="figures", figures=("0.20",), unit="万元"),
    TestCase(id="c1", question="人大宣传服务的代码？", category="catalog", codes=("A150201",)),
    TestCase(id="u1", question="局长的奖金是多少？", category="unanswerable"),
]


def cited(text: str, quote: str = QUOTE, latency_ms: float = 0.0) -> Answer:
    citation = Citation(number=1, doc="柳林县工业和信息化局2024年度部门预算", locator="表九", quote=quote)
    return Answer(answer=text, citations=[citation], latency_ms=latency_ms)


GOOD = {
    "三公经费是多少？": cited("三公经费4.70万元[1]。", latency_ms=100),
    "公务接待费是多少？": cited("公务接待费0.20万元[1]。", latency_ms=200),
    "人大宣传服务的代码？": cited("代码是 A150201[1]。", quote="A150201\t人大宣传服务", latency_ms=300),
    "局长的奖金是多少？": Answer(answer="文件没有说明，无法回答。", refused=True, latency_ms=400),
}


def scripted(answers: dict[str, Answer]) -> Callable[[str], Answer]:
    return lambda question: answers[question]


def worse() -> dict[str, Answer]:
    """f2 gets a wrong figure, u1 gets a made-up answer."""
    answers = dict(GOOD)
    answers["公务接待费是多少？"] = cited("公务接待费0.30万元。", latency_ms=200)
    answers["局长的奖金是多少？"] = Answer(answer="奖金为3万元。", latency_ms=400)
    return answers


def test_percentile_nearest_rank() -> None:
    assert percentile([100, 200, 300, 400], 50) == 200
    assert percentile([100, 200, 300, 400], 95) == 400
    assert percentile([], 50) == 0.0


def test_reports_hold_the_per_category_table_and_every_failure(tmp_path: Path) -> None:
    run = run_eval(CASES, scripted(worse()), {"bm25": scripted(GOOD)}, out_dir=tmp_path)
    systems = run.report.systems
    assert run.score == 0.5 and run.exit_code == EXIT_OK
    assert systems["budgetqa"].categories["figures"].passed == 1
    assert systems["budgetqa"].categories["unanswerable"].passed == 0
    assert systems["bm25"].overall.passed == 4
    assert (systems["budgetqa"].latency_p50_ms, systems["budgetqa"].latency_p95_ms) == (200, 400)

    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    summary = data["systems"]["budgetqa"]["summary"]
    assert summary["accuracy"] == 0.5
    catalog = summary["categories"]["catalog"]
    assert catalog == {"total": 1, "passed": 1, "accuracy": 1.0, "unscored": 0, "latency_p50_ms": 300.0}
    assert summary["latency_p95_ms"] == 400
    failed = {c["id"]: c for c in data["systems"]["budgetqa"]["cases"] if not c["passed"]}
    assert set(failed) == {"f2", "u1"}
    assert failed["f2"]["answer"]["answer"] == "公务接待费0.30万元。"
    assert failed["f2"]["reasons"][0].startswith("缺少数字 0.20万元")

    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| 类别 | budgetqa | bm25 |" in markdown
    assert "| figures | 1/2 (50.0%) | 2/2 (100.0%) |" in markdown
    assert "| 总体 | 2/4 (50.0%) | 4/4 (100.0%) |" in markdown
    assert "| 延迟 p95 | 400 ms | " in markdown
    assert "公务接待费0.30万元。" in markdown and "数字 0.20（万元）" in markdown

    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page  # self-contained
    assert '<td class="num">1/2 (50.0%)</td>' in page
    assert "奖金为3万元。" in page


def test_diff_lists_fixed_and_broken_cases(tmp_path: Path) -> None:
    first = run_eval(CASES, scripted(worse()), {}, out_dir=tmp_path / "one")
    answers = dict(GOOD)
    answers["三公经费是多少？"] = cited("三公经费4.07万元。")
    second = run_eval(CASES, scripted(answers), {}, out_dir=tmp_path / "two", compare=first.paths["json"])
    (diff,) = second.report.diffs
    assert [c.id for c in diff.fixed] == ["f2", "u1"]
    assert [c.id for c in diff.broken] == ["f1"]
    assert diff.broken[0].reasons[0].startswith("缺少数字 4.70万元")
    assert (diff.previous_accuracy, diff.accuracy) == (0.5, 0.75)
    markdown = (tmp_path / "two" / "report.md").read_text(encoding="utf-8")
    assert "- 修复（2）：f2、u1" in markdown and "- 退步（1）：f1" in markdown


def test_exit_code_below_min_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    testset = tmp_path / "set.jsonl"
    testset.write_text(
        "\n".join(
            json.dumps(case, ensure_ascii=False)
            for case in [
                {
                    "id": "f1",
                    "question": "三公经费是多少？",
                    "figures": ["4.70"],
                    "unit": "万元",
                    "category": "figures",
                },
                {
                    "id": "f2",
                    "question": "公务接待费是多少？",
                    "figures": ["0.20万元"],
                    "category": "figures",
                },
                {"id": "u1", "question": "局长的奖金是多少？", "category": "unanswerable"},
            ]
        ),
        encoding="utf-8",
    )
    code = eval_command([testset], scripted(worse()), None, tmp_path / "out", None, 0.9)
    assert code == EXIT_BELOW_MIN_SCORE
    out = capsys.readouterr()
    assert "figures       1/2 (50.0%)" in out.out and "总体" in out.out
    assert "低于最低分数线 90.0%" in out.err
    assert eval_command([testset], scripted(worse()), None, tmp_path / "out", None, 30) == EXIT_OK
    assert eval_command([testset], scripted(GOOD), None, tmp_path / "out", None, 1.0) == EXIT_OK
    missing = eval_command([tmp_path / "nope.jsonl"], scripted(GOOD), None, tmp_path / "out", None, None)
    assert missing == EXIT_CANNOT_RUN and "no such test set file" in capsys.readouterr().err


def test_a_crashing_answer_is_a_failed_case_not_a_crashed_run(tmp_path: Path) -> None:
    def flaky(question: str) -> Answer:
        if "奖金" in question:
            raise RuntimeError("store not found")
        return GOOD[question]

    run = run_eval(CASES, flaky, {}, out_dir=None)
    failed = [c for c in run.report.systems["budgetqa"].cases if not c.passed]
    assert [(c.id, c.reasons) for c in failed] == [("u1", ["运行出错：RuntimeError: store not found"])]
