"""Catalog cases that fix department and version are asked the way staff would type them."""

from __future__ import annotations

from eval.runner import asked_question
from eval.testset import TestCase


def test_scoped_catalog_question() -> None:
    case = TestCase(id="c1", question="请人给法院拍宣传片", codes=["A150201"],
                    extra={"department": "人民法院", "version": "晋财综〔2023〕43号"})  # fmt: skip
    assert asked_question(case) == "晋财综〔2023〕43号目录中，人民法院部门：请人给法院拍宣传片，代码是什么？"


def test_b_class_and_plain_questions() -> None:
    b_case = TestCase(
        id="c2", question="找翻译", codes=["B1201"], extra={"department": "", "version": "晋财综〔2023〕47号"}
    )
    assert asked_question(b_case).startswith("晋财综〔2023〕47号目录中，通用（B类）部门：找翻译")
    plain = TestCase(id="c3", question="工信局三公经费是多少？", figures=["4.70"])
    assert asked_question(plain) == "工信局三公经费是多少？"
