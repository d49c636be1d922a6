"""Frozen test sets: their bytes are pinned, and the two refusal sets are checked against the corpus.

A frozen file measures the product only while nobody edits it to pass. Changing one of these files fails
here until its pin is changed in the same commit, on purpose, with the reason in the commit message
(see eval/sets/README.md, "Freeze rule").
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from eval.scoring import scorable_checks
from eval.testset import load_testset

ROOT = Path(__file__).resolve().parents[1]
SETS = ROOT / "eval" / "sets"
CORPUS = ROOT / "data" / "corpus"

PINS = {
    "heldout_questions.jsonl": "dc70bf97e8ff52933931be1b4e761e1d6b1b6e734bbb4a4653dab20457215050",
    "heldout2_questions.jsonl": "fb8bce9428d5ddf5e55cb6ae6a3b8f43df80aa5c823ab291dea0182b32c09a79",
    "heldout3_questions.jsonl": "8efea0057ebfd13ab630f472a86fdd766ef08b05d99653355a3a766fd36be084",
    "budgetqa_test.jsonl": "cf92db03eb996345117f9bdcb2472ac7f51cd36de4e92111be71c491af988d8a",
    "refusal_nearmiss.jsonl": "2ea357746d24c7c10631cd6be16e4d92b05ef5d355ca73830c0f5017a493264b",
    "refusal_words_answerable.jsonl": "004afb2e4366cf4618f0adf14291a897914807d1e9e0035d2fd413eb414ebf85",
}
HELD = ("晋城市信访局", "柳林县工业和信息化局", "柳林县医疗保障局", "孝义市财政局")
CORPUS_LINES = {p.name: p.read_text(encoding="utf-8").splitlines() for p in CORPUS.glob("*.txt")}


def rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (SETS / name).read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("name", sorted(PINS))
def test_frozen_file_is_unchanged(name: str) -> None:
    digest = hashlib.sha256((SETS / name).read_bytes()).hexdigest()
    assert digest == PINS[name], (
        f"{name} changed (sha256 {digest}). It is frozen: develop on budgetqa_dev.jsonl instead; if the "
        "change is deliberate (a wrong expected figure, say), update the pin and give the reason in the commit"
    )


def test_nearmiss_set_expects_refusals_only() -> None:
    cases = load_testset(SETS / "refusal_nearmiss.jsonl")
    assert len(cases) >= 30
    assert all(c.category == "unanswerable" and not (c.figures or c.codes) for c in cases)
    assert all(scorable_checks(c) == ["refusal"] for c in cases)
    assert len({c.question for c in cases}) == len(cases)
    kinds = {c.extra["kind"] for c in cases}
    expected = {"name", "pay", "brand", "address", "actual", "year", "department"}
    assert kinds >= expected | {"finer", "future", "region", "scope"}
    assert all(c.extra.get("why") for c in cases), "say why each question cannot be answered"
    for case in cases:  # a case about a held document names it; the others name no held department
        assert all(doc in HELD for doc in case.doc), case.id
        if not case.doc:
            assert not any(dept in case.question for dept in HELD), case.id


def occurs(figure: str, line: str) -> bool:
    text = line.replace(",", "")
    value = Decimal(figure)
    forms = {figure, format(value.normalize(), "f")}
    return any(re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text) for form in forms)


def test_answerable_set_with_refusal_words_is_cited_and_checked() -> None:
    cases = load_testset(SETS / "refusal_words_answerable.jsonl")
    assert len(cases) >= 30
    words = set()
    for case in cases:
        assert case.figures and case.unit and len(case.doc) == 1 and case.doc[0] in HELD, case.id
        assert case.extra["word"] in case.question, f"{case.id}: the question must contain its refusal word"
        words.add(case.extra["word"])
        cited = []
        for ref in str(case.extra["source"]).split(";"):
            name, _, number = ref.strip().rpartition(":")
            assert case.doc[0] in name, f"{case.id}: source is not the case's document"
            cited.append(CORPUS_LINES[name][int(number) - 1])
        for figure in case.figures:
            assert any(occurs(figure, line) for line in cited), f"{case.id}: {figure} not in {cited}"
    assert words >= {"名字", "工资", "以后", "转移支付", "品牌", "地址", "决算", "每人", "每月", "明年"}


CHINESE_DIGITS = dict(zip("123456789", "一二三四五六七八九", strict=True))
HELDOUT_CATEGORIES = {
    "multi_part",
    "derived",
    "comparison_cross_doc",
    "superlative",
    "attribute",
    "zero_or_absent_value",
    "unanswerable",
    "list",
    "plain_citizen",
}


def stated_calculation(answer: str) -> tuple[Decimal, list[str], str]:
    """The value of "计算：<expression> = <result>" in a reference answer, its numbers and the stated result."""
    statement = answer.split("计算：", 1)[1].split("。", 1)[0]
    expression, _, result = statement.rpartition("=")
    python = expression.replace("×", "*").replace("÷", "/").replace("−", "-")
    assert re.fullmatch(r"[\d.\s+\-*/()]+", python), f"cannot read the calculation {expression!r}"
    numbers = re.findall(r"\d+(?:\.\d+)?", python)

    def value(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        assert isinstance(node, ast.BinOp), f"unexpected term in {expression!r}"
        left, right = value(node.left), value(node.right)
        operations = {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}
        return operations[type(node.op)] if type(node.op) in operations else left / right

    total = value(ast.parse(python.strip(), mode="eval").body)
    return total, numbers, re.sub(r"[^\d.]", "", re.sub(r"（[^）]*）", "", result))  # notes in （…） dropped


HELDOUT_SETS = {  # file: (id prefix, number of cases)
    "heldout_questions.jsonl": ("H", 40),
    "heldout2_questions.jsonl": ("K", 48),
    "heldout3_questions.jsonl": ("L", 48),
}


@pytest.mark.parametrize("name", sorted(HELDOUT_SETS))
def test_heldout_set_is_cited_and_checked(name: str) -> None:
    """A held-out set: nine field categories over the four documents; figures checked against cited lines."""
    prefix, size = HELDOUT_SETS[name]
    cases = load_testset(SETS / name)
    assert [c.id for c in cases] == [f"{prefix}{n:02d}" for n in range(1, size + 1)]
    counts = {category: sum(c.category == category for c in cases) for category in HELDOUT_CATEGORIES}
    assert set(c.category for c in cases) == HELDOUT_CATEGORIES and min(counts.values()) >= 4, counts
    assert {doc for c in cases for doc in c.doc} == set(HELD)
    others = {c.question for path in SETS.glob("*.jsonl") if path.name != name for c in load_testset(path)}
    assert not others & {c.question for c in cases}, "a held-out question repeats another set's question"
    for case in cases:
        cited = []
        for ref in str(case.extra["source"]).split(";"):
            name, _, number = ref.strip().rpartition(":")
            assert any(doc in name for doc in case.doc), (
                f"{case.id}: {name} is not one of the case's documents"
            )
            cited.append(CORPUS_LINES[name][int(number) - 1])
        if case.unanswerable:
            assert not case.figures and case.extra.get("why"), (
                f"{case.id}: a refusal has no figures, says why"
            )
            continue
        computed = set()
        if "计算：" in case.answer:
            total, numbers, result = stated_calculation(case.answer)
            assert total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal(result), case.id
            for number in numbers:
                if number == "100" and "× 100" in case.answer:
                    continue  # the percent factor
                written = {number, CHINESE_DIGITS.get(number, number)}
                assert any(
                    (occurs(n, line) if n.isascii() else n in line) for n in written for line in cited
                ), (case.id, number)
            computed.add(Decimal(result))
        for figure in case.figures:
            if Decimal(figure) not in computed:
                assert any(occurs(figure, line) for line in cited), f"{case.id}: {figure} not in {cited}"
