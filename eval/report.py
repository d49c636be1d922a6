"""Evaluation reports: scored cases in → JSON (machines), Markdown and self-contained HTML (people),
a console per-category table, and the diff against a previous JSON report (cases fixed, cases broken).

Accuracy counts scored cases only; unscored cases (nothing in them could be checked) are counted and listed
apart. Latency covers every case asked. Categories are whatever names the test sets use.
"""

from __future__ import annotations

import html
import json
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eval.scoring import CaseResult
from ingest.api import BudgetQAError

SCHEMA = "budgetqa-eval/1"
OVERALL = "总体"


@dataclass
class CategoryScore:
    """Passed cases out of scored cases for one category (or overall), unscored cases apart."""

    total: int = 0  # scored cases
    passed: int = 0
    unscored: int = 0
    latencies: list[float] = field(default_factory=list, repr=False)

    @property
    def latency_p50_ms(self) -> float:
        return percentile(self.latencies, 50)

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass
class SystemReport:
    """One answering system's results: the assistant itself or a baseline."""

    name: str
    cases: list[CaseResult]
    categories: dict[str, CategoryScore] = field(default_factory=dict)
    overall: CategoryScore = field(default_factory=CategoryScore)
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0

    @property
    def failures(self) -> list[CaseResult]:
        return [case for case in self.cases if case.scored and not case.passed]

    @property
    def unscored(self) -> list[CaseResult]:
        return [case for case in self.cases if not case.scored]


@dataclass
class CaseChange:
    """A case whose verdict changed between two runs."""

    id: str
    category: str
    reasons: list[str]  # why it fails now (broken) or why it failed before (fixed)


@dataclass
class RunDiff:
    """What changed for one system against a previous run."""

    system: str
    previous_accuracy: float
    accuracy: float
    fixed: list[CaseChange] = field(default_factory=list)
    broken: list[CaseChange] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class EvalReport:
    """Everything the three report files show."""

    primary: str
    systems: dict[str, SystemReport]
    meta: dict[str, Any] = field(default_factory=dict)  # started, testsets, min_score, score, exit_code
    diffs: list[RunDiff] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        names = {c for system in self.systems.values() for c in system.categories}
        return sorted(names)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of `values`; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summarise(name: str, cases: list[CaseResult]) -> SystemReport:
    """Per-category and overall accuracy over scored cases, unscored counts, latency p50/p95."""
    report = SystemReport(name=name, cases=cases)
    for case in cases:
        for score in (report.categories.setdefault(case.category, CategoryScore()), report.overall):
            score.latencies.append(case.latency_ms)
            if not case.scored:
                score.unscored += 1
                continue
            score.total += 1
            score.passed += int(case.passed)
    latencies = [case.latency_ms for case in cases]
    report.latency_p50_ms = percentile(latencies, 50)
    report.latency_p95_ms = percentile(latencies, 95)
    return report


# ---------------------------------------------------------------------------------------------- JSON


def to_json(report: EvalReport) -> dict[str, Any]:
    """The machine-readable report (schema `budgetqa-eval/1`)."""
    systems = {}
    for name, system in report.systems.items():
        systems[name] = {
            "summary": {
                "total": system.overall.total,
                "passed": system.overall.passed,
                "accuracy": round(system.overall.accuracy, 4),
                "unscored": system.overall.unscored,
                "categories": {
                    c: {
                        "total": s.total,
                        "passed": s.passed,
                        "accuracy": round(s.accuracy, 4),
                        "unscored": s.unscored,
                        "latency_p50_ms": round(s.latency_p50_ms, 1),
                    }
                    for c, s in sorted(system.categories.items())
                },
                "latency_p50_ms": round(system.latency_p50_ms, 1),
                "latency_p95_ms": round(system.latency_p95_ms, 1),
            },
            "cases": [case.to_json() for case in system.cases],
        }
    return {
        "schema": SCHEMA,
        "primary": report.primary,
        "meta": report.meta,
        "systems": systems,
        "diffs": [asdict(diff) for diff in report.diffs],
    }


class PreviousReportError(BudgetQAError, ValueError):
    """`--compare` names a file that is not the report.json of an earlier run."""


def load_previous(path: Path) -> dict[str, Any]:
    """A previous run's JSON report, checked enough to diff against."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise PreviousReportError(
            f"{path}: previous report not found; pass the report.json of an earlier run"
        ) from error
    except json.JSONDecodeError as error:
        raise PreviousReportError(
            f"{path}: not a JSON report ({error.msg} at line {error.lineno})"
        ) from error
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise PreviousReportError(f"{path}: not a budgetqa eval report (expected schema {SCHEMA!r})")
    return data


def diff_runs(previous: dict[str, Any], report: EvalReport) -> list[RunDiff]:
    """Cases fixed and broken per system present in both runs, the primary system first."""
    diffs = []
    order = [report.primary] + [name for name in report.systems if name != report.primary]
    for name in order:
        if name not in previous.get("systems", {}) or name not in report.systems:
            continue
        before = {c["id"]: c for c in previous["systems"][name]["cases"]}
        now = {c.id: c for c in report.systems[name].cases}
        diff = RunDiff(
            system=name,
            previous_accuracy=float(previous["systems"][name]["summary"]["accuracy"]),
            accuracy=round(report.systems[name].overall.accuracy, 4),
            added=sorted(set(now) - set(before)),
            removed=sorted(set(before) - set(now)),
        )
        for case_id, case in now.items():
            old = before.get(case_id)
            if (
                old is None
                or not case.scored
                or not old.get("scored", True)
                or bool(old["passed"]) == case.passed
            ):
                continue
            if case.passed:
                diff.fixed.append(CaseChange(case_id, case.category, list(old.get("reasons", []))))
            else:
                diff.broken.append(CaseChange(case_id, case.category, case.reasons))
        diffs.append(diff)
    return diffs


# ------------------------------------------------------------------------------------ tables (text)


def _cell(score: CategoryScore | None) -> str:
    if score is None or not (score.total or score.unscored):
        return "—"
    text = f"{score.passed}/{score.total} ({score.accuracy:.1%})" if score.total else "—"
    return text + (f"，未评分 {score.unscored}" if score.unscored else "")


def category_rows(report: EvalReport) -> list[list[str]]:
    """Header + one row per category (+ its p50 latency) + overall + latency rows, systems as columns."""
    names = list(report.systems)
    rows = [["类别", *names]]
    for category in report.categories:
        scores = [report.systems[n].categories.get(category) for n in names]
        rows.append([category, *(_cell(s) for s in scores)])
    rows.append([OVERALL, *(_cell(report.systems[n].overall) for n in names)])
    rows.append(["未评分题目", *(str(report.systems[n].overall.unscored) for n in names)])
    rows.append(["延迟 p50", *(f"{report.systems[n].latency_p50_ms:.0f} ms" for n in names)])
    rows.append(["延迟 p95", *(f"{report.systems[n].latency_p95_ms:.0f} ms" for n in names)])
    return rows


def latency_rows(report: EvalReport) -> list[list[str]]:
    """Header + one row per category: p50 latency of each system over that category's cases."""
    names = list(report.systems)
    rows = [["类别（延迟 p50）", *names]]
    for category in report.categories:
        scores = [report.systems[n].categories.get(category) for n in names]
        rows.append([category, *(f"{s.latency_p50_ms:.0f} ms" if s else "—" for s in scores)])
    return rows


def _unscored_text(report: EvalReport) -> str:
    cases = report.systems[report.primary].unscored if report.primary in report.systems else []
    return "、".join(f"{c.id}（{c.category}）" for c in cases)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def console_table(report: EvalReport) -> str:
    """The per-category table, aligned for a terminal (Chinese characters count double)."""
    rows = category_rows(report)
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _expected_text(case: CaseResult) -> str:
    exp = case.expected
    parts = []
    if exp.get("refusal"):
        parts.append("拒答")
    if exp.get("figures"):
        parts.append("数字 " + "、".join(exp["figures"]) + (f"（{exp['unit']}）" if exp.get("unit") else ""))
    if exp.get("codes"):
        parts.append("代码 " + "、".join(exp["codes"]))
    if exp.get("must"):
        parts.append("关键内容 " + "、".join(exp["must"]))
    if exp.get("doc"):
        parts.append("引用 " + "、".join(exp["doc"]))
    if exp.get("answer"):
        parts.append(f"参考答案：{exp['answer']}")
    return "；".join(parts)


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _diff_lines(diffs: Iterable[RunDiff]) -> list[str]:
    lines = []
    for diff in diffs:
        lines.append(f"### {diff.system}：{diff.previous_accuracy:.1%} → {diff.accuracy:.1%}")
        lines.append("")
        for label, changes in (("修复", diff.fixed), ("退步", diff.broken)):
            lines.append(f"- {label}（{len(changes)}）：" + ("、".join(c.id for c in changes) or "无"))
            lines += [f"  - `{c.id}`（{c.category}）：{'；'.join(c.reasons)}" for c in changes if c.reasons]
        if diff.added:
            lines.append("- 新增题目：" + "、".join(diff.added))
        if diff.removed:
            lines.append("- 删除题目：" + "、".join(diff.removed))
        lines.append("")
    return lines


def to_markdown(report: EvalReport) -> str:
    """The report for people, as Markdown."""
    rows = category_rows(report)
    lines = ["# budgetqa 评测报告", ""]
    lines += [f"- {key}：{value}" for key, value in report.meta.items()]
    lines += ["", "## 各类别准确率", ""]
    lines.append("| " + " | ".join(rows[0]) + " |")
    lines.append("|" + "|".join(["---"] * len(rows[0])) + "|")
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows[1:]]
    lines += ["", "## 各类别延迟", ""]
    latency = latency_rows(report)
    lines.append("| " + " | ".join(latency[0]) + " |")
    lines.append("|" + "|".join(["---"] * len(latency[0])) + "|")
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in latency[1:]]
    lines.append("")
    if _unscored_text(report):
        lines += ["## 未评分题目（没有可核对的内容，不计入准确率）", "", _unscored_text(report), ""]
    if report.diffs:
        lines += ["## 与上次运行相比", "", *_diff_lines(report.diffs)]
    for name, system in report.systems.items():
        failures = system.failures
        lines += [f"## {name} 的失败题目（{len(failures)}）", ""]
        if not failures:
            lines += ["全部通过。", ""]
            continue
        lines += ["| 编号 | 类别 | 问题 | 给出的答案 | 预期 | 原因 |", "|---|---|---|---|---|---|"]
        for case in failures:
            cells = [case.id, case.category, case.question, case.answer.get("answer", "")]
            cells += [_expected_text(case), "；".join(case.reasons)]
            lines.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
        lines.append("")
    return "\n".join(lines)


_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222}
body{max-width:80rem}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.3rem .6rem;vertical-align:top}
th{background:#f3f3f3;text-align:left}td.num{text-align:right;white-space:nowrap}
tr.overall td{font-weight:bold}.reason{color:#a40000}.answer{white-space:pre-wrap;max-width:30rem}
.fixed{color:#006100}.broken{color:#a40000}
"""


def _h(text: object) -> str:
    return html.escape(str(text))


def to_html(report: EvalReport) -> str:
    """The report for people, as one self-contained HTML page (inline CSS, no scripts, no external links)."""
    rows = category_rows(report)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8"><title>budgetqa 评测报告</title>',
        f"<style>{_CSS}</style></head><body>",
        "<h1>budgetqa 评测报告</h1><ul>",
        *(f"<li>{_h(k)}：{_h(v)}</li>" for k, v in report.meta.items()),
        "</ul><h2>各类别准确率</h2><table><tr>",
        *(f"<th>{_h(cell)}</th>" for cell in rows[0]),
        "</tr>",
    ]
    for row in rows[1:]:
        css = ' class="overall"' if row[0] == OVERALL else ""
        out.append(
            f"<tr{css}><td>{_h(row[0])}</td>" + "".join(f'<td class="num">{_h(c)}</td>' for c in row[1:])
        )
        out.append("</tr>")
    out.append("</table><h2>各类别延迟</h2><table><tr>")
    latency = latency_rows(report)
    out += [f"<th>{_h(cell)}</th>" for cell in latency[0]]
    out.append("</tr>")
    for row in latency[1:]:
        out.append(
            f"<tr><td>{_h(row[0])}</td>" + "".join(f'<td class="num">{_h(c)}</td>' for c in row[1:]) + "</tr>"
        )
    out.append("</table>")
    if _unscored_text(report):
        out.append(
            f"<h2>未评分题目（没有可核对的内容，不计入准确率）</h2><p>{_h(_unscored_text(report))}</p>"
        )
    if report.diffs:
        out.append("<h2>与上次运行相比</h2>")
        for diff in report.diffs:
            out.append(f"<h3>{_h(diff.system)}：{diff.previous_accuracy:.1%} → {diff.accuracy:.1%}</h3><ul>")
            for label, css, changes in (("修复", "fixed", diff.fixed), ("退步", "broken", diff.broken)):
                items = "".join(
                    f"<li><code>{_h(c.id)}</code> {_h('；'.join(c.reasons))}</li>" for c in changes
                )
                out.append(f'<li class="{css}">{label}（{len(changes)}）<ul>{items}</ul></li>')
            out.append("</ul>")
    for name, system in report.systems.items():
        failures = system.failures
        out.append(f"<h2>{_h(name)} 的失败题目（{len(failures)}）</h2>")
        if not failures:
            out.append("<p>全部通过。</p>")
            continue
        out.append(
            "<table><tr><th>编号</th><th>类别</th><th>问题</th><th>给出的答案</th><th>预期</th><th>原因</th></tr>"
        )
        for case in failures:
            reasons = "<br>".join(f'<span class="reason">{_h(r)}</span>' for r in case.reasons)
            out.append(
                f"<tr><td><code>{_h(case.id)}</code></td><td>{_h(case.category)}</td><td>{_h(case.question)}</td>"
                f'<td class="answer">{_h(case.answer.get("answer", ""))}</td>'
                f"<td>{_h(_expected_text(case))}</td>"
                f"<td>{reasons}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def write_reports(report: EvalReport, out_dir: Path) -> dict[str, Path]:
    """Write report.json, report.md and report.html into `out_dir`; returns their paths by format."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "report.json",
        "markdown": out_dir / "report.md",
        "html": out_dir / "report.html",
    }
    paths["json"].write_text(json.dumps(to_json(report), ensure_ascii=False, indent=2), encoding="utf-8")
    paths["markdown"].write_text(to_markdown(report), encoding="utf-8")
    paths["html"].write_text(to_html(report), encoding="utf-8")
    return paths
