"""How deterministic answers read: exact sentences for real questions, plain labels, one citation per source."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from assistant import wording
from assistant.numbers import extract_figures
from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    bot = Assistant.from_settings(corpus_store.settings)
    bot.warm_up()
    return bot


EXACT = [
    (
        "How much did the Liulin county industry bureau budget for the three public expenses in 2024?",
        "柳林县工业和信息化局2024年度部门预算 sets aside 4.70万元 for the “three public expenses” (三公经费) [1].",
    ),
    (
        "How large is the office floor area used by the Xiaoyi Finance Bureau (孝义市财政局) according to its 2026 budget disclosure?",
        "孝义市财政局2026年度部门预算 gives office floor area (办公用房面积) as 962 square metres [1].",
    ),
    (
        "工信局有多少人？（柳林县工信局2024年）",
        "柳林县工业和信息化局2024年度部门预算“(二) 工信局人员构成”中写明：全局机关现有干部职工29人[1]。",
    ),
    (
        "柳林县工信局2024年办公用房面积是多少？",
        "柳林县工业和信息化局2024年度部门预算文字说明中，办公用房面积为290平方米[1]。",
    ),
    (
        "柳林县医保局2025年公务用车购置及运行费是多少？",
        "柳林县医疗保障局2025年度部门预算表十（2025年财政拨款安排“三公”经费支出预算表）中，"
        "公务用车购置及运行费为4.00万元[1]。",
    ),
    (
        "柳林县医保局2025年公务用车是什么品牌型号？",
        "预算公开文件没有披露公务用车的品牌型号。文件披露了公务用车的实有数和编制数（见[1]）。",
    ),
    (
        "柳林县工信局2024年公车都有哪些？",
        "公务用车编制2辆，实有2辆，其中：机要通信用车1辆、领导用车1辆[1]。",
    ),
]


@pytest.mark.parametrize(("question", "expected"), EXACT)
def test_exact_sentences(assistant: Assistant, question: str, expected: str) -> None:
    answer = assistant.ask(question)
    assert answer.answer == expected
    assert len(answer.citations) == 1
    assert not answer.notes  # the verifier accepted every figure as written


def test_english_answer_cites_the_fact_sentence(assistant: Assistant) -> None:
    answer = assistant.ask(EXACT[0][0])
    assert answer.language == "en" and not answer.refused
    assert answer.citations[0].quote.startswith(
        "2024年柳林县工业和信息化局[部门]财政拨款安排的“三公”经费预算4.70万元"
    )


def test_refusal_cites_one_sentence_once_and_carries_no_figure(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年公务用车是什么品牌型号？")
    assert answer.refused
    assert "编制2辆，实有2辆" in answer.citations[0].quote
    assert extract_figures(answer.answer) == []


def test_same_source_is_cited_once(assistant: Assistant) -> None:
    """Two facts read from one sentence (编制人数 and 在职人数) are one source, never [1] and [2]."""
    for question in (
        "How many staff does the petitions bureau have?",
        "柳林县工信局的两辆公车是什么牌子的？",
        "晋城市信访局2024年三公经费为什么减少？",
    ):
        answer = assistant.ask(question)
        sources = [(c.doc, c.locator, c.quote) for c in answer.citations]
        assert len(sources) == len(set(sources)), question
        assert not re.search(r"[。.]{2}|。\[\d+\]。|[；，]\[\d+\]", answer.answer), answer.answer


def test_fact_labels() -> None:
    assert wording.fact_label("人员.编制") == "编制人数"
    assert wording.fact_label("三公经费.合计") == "“三公”经费合计"
    assert wording.fact_label("房屋.办公用房面积") == "办公用房面积"
    assert wording.fact_label("三公经费.公务接待费") == "公务接待费"
    assert wording.fact_label("机关运行经费") == "机关运行经费"
    assert wording.disclosed_facts(["车辆.编制", "车辆.实有"]) == "公务用车的编制数和实有数"
    assert wording.disclosed_facts(["车辆.领导用车"]) == "公务用车的领导用车数"
    assert wording.disclosed_facts(["人员.编制", "房屋.办公用房面积"]) == "编制人数和办公用房面积"


def test_sub_unit_scope() -> None:
    assert wording.scope_note("(六) 城镇集体联合社机构设置") == "（文件在“城镇集体联合社机构设置”部分说明）"
    assert wording.scope_note("二、机构设置情况") == ""
    assert wording.scope_note("2、房屋情况：") == ""
    assert wording.scope_note("七、“三公”经费增减变动原因说明") == ""


def test_english_amounts_read_back_in_the_same_unit() -> None:
    for value, unit in (("4.70", "万元"), ("962", "平方米"), ("2", "辆"), ("8", "人")):
        shown = wording.english_amount(Decimal(value), unit)
        [figure] = extract_figures(f"It is {shown} [1].")
        assert figure.value == Decimal(value) and figure.unit == unit.split("（")[0]


def test_unit_words_are_not_extra_figures() -> None:
    """`4.70 (10,000 yuan)` is one figure in 万元, not also 10,000元."""
    [figure] = extract_figures("set aside 4.70 (10,000 yuan) for it")
    assert str(figure.value) == "4.70" and figure.unit == "万元"
