"""Run a test set through the assistant and the baselines, score, report, and decide the exit code.

`run_eval` is the library entry; `eval_command` is what `budgetqa eval` calls (it prints the per-category
table and returns the exit code: 0 passed, 1 below `--min-score`, 2 could not run).
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from assistant.answer import Answer
from eval.report import EvalReport, console_table, diff_runs, load_previous, summarise, write_reports
from eval.scoring import CaseResult, score_case
from eval.testset import TestCase, TestSetError, load_sources, load_testsets, missing_documents
from ingest.api import SettingsError

AnswerFn = Callable[[str], Answer]
PRIMARY = "budgetqa"
EXIT_OK, EXIT_BELOW_MIN_SCORE, EXIT_CANNOT_RUN = 0, 1, 2


@dataclass
class EvalRun:
    """The outcome of one evaluation: the report, where it was written, the score and the exit code."""

    report: EvalReport
    paths: dict[str, Path] = field(default_factory=dict)
    score: float = 0.0  # the primary system's overall accuracy, 0..1
    exit_code: int = EXIT_OK


def normalise_min_score(min_score: float | None) -> float | None:
    """`--min-score` as a fraction: 0.8 and 80 both mean 80 %."""
    if min_score is None:
        return None
    if not 0 <= min_score <= 100:
        raise SettingsError(
            f"--min-score {min_score} is out of range; give a fraction (0.8) or a percentage (80)"
        )
    return min_score / 100 if min_score > 1 else min_score


def asked_question(case: TestCase) -> str:
    """The question as a user would type it: a case that fixes the catalog department and version
    (as staff do with the filters of `budgetqa catalog`) names them in the question."""
    department = str(case.extra.get("department", "") or "")
    version = str(case.extra.get("version", "") or "")
    if not (department or version):
        return case.question
    scope = department or "通用（B类）"
    prefix = f"{version}目录中，{scope}部门：" if version else f"{scope}部门："
    return f"{prefix}{case.question.rstrip('？?。')}，代码是什么？"


def answer_case(case: TestCase, answer_fn: AnswerFn) -> CaseResult:
    """Ask one question and score it; a crash becomes a failed case with the error as its reason."""
    start = time.perf_counter()
    try:
        answer = answer_fn(asked_question(case))
    except Exception as error:  # one bad case must not end the run: it is reported as failed
        elapsed = (time.perf_counter() - start) * 1000
        last = traceback.format_exception_only(error)[-1].strip()
        result = score_case(case, Answer(answer=""), elapsed)
        result.passed = False
        result.reasons = [f"运行出错：{last}"]
        return result
    return score_case(case, answer, (time.perf_counter() - start) * 1000)


def run_eval(
    cases: Sequence[TestCase],
    answer_fn: AnswerFn,
    baselines: dict[str, AnswerFn] | None = None,
    out_dir: Path | None = None,
    compare: Path | None = None,
    min_score: float | None = None,
    meta: dict[str, object] | None = None,
) -> EvalRun:
    """Score `answer_fn` (and each baseline) on `cases`; write reports to `out_dir` when given."""
    threshold = normalise_min_score(min_score)
    previous = load_previous(compare) if compare else None  # fail before the slow part
    systems = {PRIMARY: summarise(PRIMARY, [answer_case(case, answer_fn) for case in cases])}
    for name, baseline in (baselines or {}).items():
        warm_up = getattr(baseline, "warm_up", None)
        if callable(warm_up):
            warm_up()  # index building is set-up, not answer latency
        systems[name] = summarise(name, [answer_case(case, baseline) for case in cases])
    score = systems[PRIMARY].overall.accuracy
    exit_code = EXIT_BELOW_MIN_SCORE if threshold is not None and score < threshold else EXIT_OK
    report = EvalReport(primary=PRIMARY, systems=systems)
    report.meta = {
        "时间": datetime.now(UTC).isoformat(timespec="seconds"),
        "题目数": len(cases),
        # cases with nothing to check: reported, left out of the accuracy
        "未评分题目": systems[PRIMARY].overall.unscored,
        "得分": f"{score:.1%}",
        "最低分数线": "—" if threshold is None else f"{threshold:.1%}",
        "结论": "未达到最低分数线" if exit_code else "通过",
        **(meta or {}),
    }
    if previous is not None:
        report.meta["对比"] = str(compare)
        report.diffs = diff_runs(previous, report)
    run = EvalRun(report=report, score=score, exit_code=exit_code)
    if out_dir is not None:
        run.paths = write_reports(report, out_dir)
    return run


def eval_command(
    testsets: list[Path],
    answer_fn: AnswerFn,
    baselines: dict[str, AnswerFn] | None,
    out_dir: Path | None,
    compare: Path | None,
    min_score: float | None,
    held_sha256: set[str] | None = None,
) -> int:
    """`budgetqa eval`: load, run, print the per-category table and the diff; return the exit code.

    `held_sha256`: the files the store holds; a set that declares its documents (`corpus`) stops here,
    before any question, when they are not ingested."""
    try:
        cases = load_testsets(testsets)
        if held_sha256 is not None and (missing := missing_documents(load_sources(testsets), held_sha256)):
            raise TestSetError(missing)
        run = run_eval(
            cases,
            answer_fn,
            baselines,
            out_dir or Path("budgetqa-eval"),
            compare,
            min_score,
            meta={"测试集": "、".join(str(p) for p in testsets)},
        )
    except (TestSetError, ValueError) as error:
        print(f"评测无法运行：{error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    print(console_table(run.report))
    for diff in run.report.diffs:
        fixed = "、".join(c.id for c in diff.fixed) or "无"
        broken = "、".join(c.id for c in diff.broken) or "无"
        print(
            f"\n与上次相比（{diff.system}）："
            f"修复 {len(diff.fixed)}：{fixed}；退步 {len(diff.broken)}：{broken}"
            f"；新增题目 {len(diff.added)}，删除题目 {len(diff.removed)}"
        )
    print("\n报告：" + "  ".join(str(p) for p in run.paths.values()))
    if run.exit_code == EXIT_BELOW_MIN_SCORE:
        print(f"得分 {run.score:.1%} 低于最低分数线 {normalise_min_score(min_score):.1%}", file=sys.stderr)
    return run.exit_code
