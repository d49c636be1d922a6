"""Checks on the own evaluation set (eval/sets/budgetqa_test.jsonl + budgetqa_dev.jsonl) against the corpus.

In: the two JSONL splits and data/corpus/*.txt. Out: assertions on schema, category counts, style mix, and that
every expected figure occurs in the corpus line the case cites (unless the figure is computed, in which case
the inputs of the stated calculation must occur there and the calculation must give the figure).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPLITS = {
    "test": ROOT / "eval" / "sets" / "budgetqa_test.jsonl",
    "dev": ROOT / "eval" / "sets" / "budgetqa_dev.jsonl",
}
CORPUS = ROOT / "data" / "corpus"

MINIMUM = {
    "lookup": 45,
    "comparison": 15,
    "arithmetic": 20,
    "catalog": 20,
    "glossary": 8,
    "narrative": 12,
    "listing": 8,
    "unanswerable": 18,
    "english": 10,
}
COMPUTED = {"arithmetic", "comparison"}
REQUIRED = ("id", "question", "category")
ALLOWED = {
    "id",
    "question",
    "category",
    "figures",
    "unit",
    "codes",
    "must",
    "answer",
    "doc",
    "source",
    "style",
}
CODE = re.compile(r"^[AB]\d{2,6}$")
UNIT_SUFFIX = re.compile(r"(万元|元|%|人|辆|平方米|个|台|套)$")


def load_cases(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


SPLIT_CASES = {name: load_cases(path) for name, path in SPLITS.items()}
CASES = SPLIT_CASES["test"] + SPLIT_CASES["dev"]
CORPUS_LINES = {p.name: p.read_text(encoding="utf-8").splitlines() for p in CORPUS.glob("*.txt")}


def figure_forms(figure: str) -> set[str]:
    """Spellings of one expected figure: as given, two decimals, no trailing zeros ("4.70" ~ "4.7")."""
    bare = UNIT_SUFFIX.sub("", figure.strip()).replace(",", "")
    value = Decimal(bare)
    return {bare, format(value.quantize(Decimal("0.01")), "f"), format(value.normalize(), "f")}


def occurs(figure: str, line: str) -> bool:
    """True when the figure appears in the line (commas removed) not as the tail of a longer number.

    A following digit is allowed on purpose: bold cells are drawn twice ("9527.119527.11").
    """
    text = line.replace(",", "")
    for form in figure_forms(figure):
        for match in re.finditer(re.escape(form), text):
            start = match.start()
            if start == 0 or not (text[start - 1].isdigit() or text[start - 1] == "."):
                return True
    return False


def cited_lines(source: str) -> list[tuple[str, str]]:
    """(file name, line text) for each "file:line" in a "; "-separated source."""
    out = []
    for ref in source.split(";"):
        name, _, number = ref.strip().rpartition(":")
        assert name in CORPUS_LINES, f"source names unknown corpus file {name!r}"
        lines = CORPUS_LINES[name]
        index = int(number)
        assert 1 <= index <= len(lines), f"{ref}: line out of range (file has {len(lines)} lines)"
        out.append((name, lines[index - 1]))
    return out


def test_corpus_is_present() -> None:
    assert len(CORPUS_LINES) == 4


def split_of(case_id: str) -> str:
    """The split rule: sha256 of the id, even → test, odd → dev."""
    return "test" if int(hashlib.sha256(case_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "dev"


def test_split_is_deterministic_by_id_hash() -> None:
    for name, cases in SPLIT_CASES.items():
        assert all(split_of(c["id"]) == name for c in cases), f"{name}: a case is in the wrong split"
    assert (len(SPLIT_CASES["test"]), len(SPLIT_CASES["dev"])) == (113, 117)


def test_must_phrases_occur_in_cited_lines() -> None:
    def plain(text: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()

    for case in CASES:
        if not case.get("must"):
            continue
        text = plain(" ".join(line for _, line in cited_lines(case["source"])))
        for phrase in case["must"]:
            assert any(plain(alt) in text for alt in phrase.split("|")), f"{case['id']}: {phrase!r} not cited"


def test_schema() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    questions = [c["question"] for c in CASES]
    assert len(questions) == len(set(questions)), "duplicate questions"
    for case in CASES:
        for key in REQUIRED:
            assert case.get(key), f"{case.get('id')}: missing {key}"
        assert set(case) <= ALLOWED, f"{case['id']}: unknown keys {set(case) - ALLOWED}"
        assert case["category"] in MINIMUM, f"{case['id']}: unknown category {case['category']}"
        id_pattern = rf"{case['category']}-\d{{3}}"
        assert re.fullmatch(id_pattern, case["id"]), f"{case['id']}: id must be category-NNN"
        for key in ("figures", "codes"):
            value = case.get(key, [])
            assert isinstance(value, list), f"{case['id']}: {key} must be a list"
            assert all(isinstance(v, str) and v for v in value), f"{case['id']}: {key} must hold strings"
        for figure in case.get("figures", []):
            try:
                figure_forms(figure)
            except InvalidOperation:
                pytest.fail(f"{case['id']}: figure {figure!r} is not a number")
        assert all(CODE.match(code) for code in case.get("codes", [])), f"{case['id']}: bad code"
        assert case.get("style", "informal") == "informal", f"{case['id']}: style must be 'informal'"
        if "doc" in case:
            matches = [name for name in CORPUS_LINES if case["doc"] in name]
            assert matches, f"{case['id']}: doc matches no corpus file"


def test_category_counts() -> None:
    counts = Counter(c["category"] for c in CASES)
    assert len(CASES) >= 170
    for category, minimum in MINIMUM.items():
        assert counts[category] >= minimum, f"{category}: {counts[category]} < {minimum}"
    assert counts["unanswerable"] >= 0.10 * len(CASES)
    assert sum(1 for c in CASES if c.get("style") == "informal") >= 0.20 * len(CASES)
    assert sum(1 for c in CASES if c["category"] == "catalog" and c.get("codes")) >= 20


def test_every_document_is_covered() -> None:
    per_doc = Counter(name for c in CASES for name in CORPUS_LINES if c.get("doc") and c["doc"] in name)
    assert set(per_doc) == set(CORPUS_LINES)
    assert min(per_doc.values()) >= 30, per_doc


def test_answerable_cases_are_scorable_and_cited() -> None:
    for case in CASES:
        if case["category"] == "unanswerable":
            assert not case.get("figures"), f"{case['id']}: a refusal expects no figures"
            assert not case.get("codes"), f"{case['id']}: a refusal expects no codes"
            continue
        assert case.get("source"), f"{case['id']}: answerable case needs a source"
        scorable = case.get("figures") or case.get("codes") or case.get("must")
        assert scorable, f"{case['id']}: nothing to score beyond the cited document"
        assert case.get("answer"), f"{case['id']}: needs reference answer text"
        if case["category"] == "arithmetic":
            assert case.get("figures") and "计算" in case["answer"], f"{case['id']}: say what is computed"


WITH_FIGURES = [c for c in CASES if c.get("figures") and c.get("source")]


@pytest.mark.parametrize("case", WITH_FIGURES, ids=lambda c: c["id"])
def test_figures_occur_in_cited_lines(case: dict[str, Any]) -> None:
    lines = [text for _, text in cited_lines(case["source"])]
    for figure in case["figures"]:
        if case["category"] in COMPUTED:
            continue  # computed over cited figures; the inputs are in the cited lines
        assert any(occurs(figure, line) for line in lines), f"{case['id']}: {figure} not in {case['source']}"


TOKEN = re.compile(r"\s*(\d+(?:\.\d+)?|[-+×÷()−])")
NOTE = re.compile(r"（[^）]*）")


def evaluate(expression: str) -> tuple[Decimal, list[str]]:
    """Value of an expression of + − × ÷ and parentheses over decimals, and the numbers it used (no eval)."""
    tokens = TOKEN.findall(expression.replace("−", "-"))
    assert "".join(tokens) == re.sub(r"\s", "", expression.replace("−", "-")), f"cannot parse {expression!r}"
    numbers: list[str] = []
    position = 0

    def peek() -> str:
        return tokens[position] if position < len(tokens) else ""

    def take() -> str:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def atom() -> Decimal:
        token = take()
        if token == "(":
            value = total()
            assert take() == ")", f"unbalanced parentheses in {expression!r}"
            return value
        numbers.append(token)
        return Decimal(token)

    def product() -> Decimal:
        value = atom()
        while peek() in ("×", "÷"):
            value = value * atom() if take() == "×" else value / atom()
        return value

    def total() -> Decimal:
        value = product()
        while peek() in ("+", "-"):
            value = value + product() if take() == "+" else value - product()
        return value

    result = total()
    assert position == len(tokens), f"trailing tokens in {expression!r}"
    return result, numbers


ARITHMETIC = [c for c in CASES if c["category"] == "arithmetic"]


@pytest.mark.parametrize("case", ARITHMETIC, ids=lambda c: c["id"])
def test_arithmetic_is_stated_and_correct(case: dict[str, Any]) -> None:
    """`answer` reads "计算：<expression>（note） = <result>"; inputs are cited, the result rounds right."""
    statement = NOTE.sub("", case["answer"].split("计算：", 1)[1])
    expression, _, result = statement.rpartition("=")
    value, numbers = evaluate(expression)
    rounded = format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    assert rounded == result.strip() == case["figures"][0], f"{case['id']}: {expression} = {value}"
    lines = [text for _, text in cited_lines(case["source"])]
    for number in numbers:
        if number == "100" and "× 100" in expression:
            continue  # the percent factor
        assert any(occurs(number, line) for line in lines), f"{case['id']}: input {number} not cited"


@pytest.mark.parametrize("case", [c for c in CASES if c.get("codes")], ids=lambda c: c["id"])
def test_codes_occur_in_cited_document(case: dict[str, Any]) -> None:
    names = {name for name, _ in cited_lines(case["source"])}
    text = "\n".join(line for name in names for line in CORPUS_LINES[name])
    for code in case["codes"]:
        assert code in text, f"{case['id']}: {code} not in {names}"


def test_figure_matching_rules() -> None:
    assert occurs("4.7", "合计\t4.70\t4.70")
    assert occurs("17944.67", "预算收入总计17,944.67万元")
    assert occurs("9527.11", "收入总计收入总计 9527.119527.11")
    assert occurs("16.01%", "下降16.01%")
    assert not occurs("1.60", "合计\t11.60")
    assert not occurs("4.70", "合计\t4.23")
