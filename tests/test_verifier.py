"""The verifier: figures in answers must be backed by cited quotes or the calculator."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from assistant.answer import Answer, Calculation, Citation
from assistant.calculator import Operand, add, share_percent, to_calculation
from assistant.verifier import REFUSAL_ZH, verify

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
GONGXIN = CORPUS / "2024_柳林县工业和信息化局_部门预算.txt"
DOC = "柳林县工业和信息化局2024年度部门预算"


def corpus_line(needle: str) -> str:
    for line in GONGXIN.read_text(encoding="utf-8").splitlines():
        if needle in line:
            return line
    raise AssertionError(needle)


INCOME = corpus_line("主要包括一般公共预算拨款收入")
HOSPITALITY = corpus_line("公务接待费\t0.20")
CAR = corpus_line("②公务用车运行维护费\t4.50")
SANGONG = corpus_line("“三公”经费预算4.70万元")


def car_and_hospitality(hospitality: str) -> tuple[Operand, Operand]:
    """表十 inputs: 公务用车运行维护费 4.50 [3] and 公务接待费 (given) [2]."""
    return (
        Operand("公务用车运行维护费", Decimal("4.50"), "万元", 3),
        Operand("公务接待费", Decimal(hospitality), "万元", 2),
    )


def citations() -> list[Citation]:
    return [
        Citation(1, DOC, "第三部分 · 二、收入预算情况说明", INCOME),
        Citation(2, DOC, "表十 · 公务接待费", HOSPITALITY),
        Citation(3, DOC, "表十 · 公务用车运行维护费", CAR),
    ]


def test_supported_answer_passes_unchanged():
    text = "2024年一般公共预算拨款收入17,464.07万元，占预算收入17,944.67万元的97.32%[1]。"
    checked, report = verify(Answer(text, citations()), {}, [])
    assert checked.answer == text
    assert report.ok
    assert checked.notes == []
    assert not checked.refused


def test_wrong_share_is_removed_with_a_note():
    text = "一般公共预算拨款收入17,464.07万元[1]。占比为85%[1]。"
    checked, report = verify(Answer(text, citations()), {}, [])
    assert checked.answer == "一般公共预算拨款收入17,464.07万元[1]。"
    assert report.unverified == ["85%"]
    assert report.removed_sentences == ["占比为85%[1]。"]
    assert checked.notes == ["已删除无法核对的数字 85%"]
    assert not report.ok


def test_85_percent_against_a_source_saying_87_percent_becomes_a_refusal():
    cited = [Citation(1, DOC, "绩效目标表", "使用人员满意度\t≥87%")]
    checked, report = verify(Answer("使用人员满意度指标为85%[1]。", cited), {1: "使用人员满意度\t≥87%"}, [])
    assert checked.refused
    assert checked.answer == REFUSAL_ZH
    assert "已删除无法核对的数字 85%" in checked.notes
    assert report.refused
    ok, _ = verify(Answer("使用人员满意度指标为87%[1]。", cited), {}, [])
    assert not ok.refused


def test_unknown_citation_number_is_dropped():
    text = "公务接待费0.20万元[2][3]。"
    only_two = [c for c in citations() if c.number == 2]
    checked, report = verify(Answer(text, only_two), {}, [])
    assert checked.answer == "公务接待费0.20万元[2]。"
    assert report.dropped_citations == [3]
    assert "已删除不存在的引用 [3]" in checked.notes
    checked, _ = verify(Answer("公务接待费0.20万元[2, 7]。", only_two), {}, [])
    assert checked.answer == "公务接待费0.20万元[2]。"


def test_figure_must_be_in_the_citation_it_refers_to():
    # 4.50 is in [3], not in [2]
    checked, report = verify(Answer("公务用车运行维护费4.50万元[2]。", citations()), {}, [])
    assert checked.refused
    assert report.unverified == ["4.50万元"]
    # without any [n] every cited quote counts
    checked, report = verify(Answer("公务用车运行维护费4.50万元。", citations()), {}, [])
    assert report.ok
    assert checked.answer == "公务用车运行维护费4.50万元。"


def test_yuan_in_the_answer_and_wan_yuan_in_the_source():
    cited = [Citation(1, DOC, "七、“三公”经费", SANGONG)]
    checked, report = verify(Answer("三公经费预算为47,000元[1]。", cited), {}, [])
    assert report.ok, report
    assert checked.answer == "三公经费预算为47,000元[1]。"
    # a table cell without unit, read as 万元
    _, report = verify(Answer("公务接待费2000元[2]。", citations()), {}, [])
    assert report.ok
    _, report = verify(Answer("公务接待费20000元[2]。", citations()), {}, [])
    assert report.unverified == ["20000元"]


def test_calculation_results_and_expressions_are_supported():
    total = add(
        Operand("公务用车运行维护费", Decimal("4.50"), "万元", 3),
        Operand("公务接待费", Decimal("0.20"), "万元", 2),
    )
    text = f"三公经费合计4.70万元，即 {total.expression}[2][3]。"
    answer = Answer(text, citations(), calculations=[to_calculation(total)])
    checked, report = verify(answer, {}, [total])
    assert report.ok, report
    assert checked.calculations == [to_calculation(total)]
    share = share_percent(
        Operand("国有资本经营预算拨款收入", Decimal("22.00"), "万元", 1),
        Operand("预算收入", Decimal("17944.67"), "万元", 1),
    )
    text = f"国有资本经营预算拨款收入占0.12%（{share.expression}）[1]。"
    checked, report = verify(Answer(text, citations()), {}, [share])
    assert report.ok, report


def test_calculation_without_calculator_or_with_unfound_inputs_is_dropped():
    fake = Calculation(expression="4.50 + 0.30 = 4.80", result="4.80", unit="万元")
    checked, report = verify(Answer("三公经费合计4.80万元[2][3]。", citations(), calculations=[fake]), {}, [])
    assert checked.calculations == []
    assert report.dropped_calculations == ["4.50 + 0.30 = 4.80"]
    assert checked.refused
    bad_input = add(
        Operand("公务用车运行维护费", Decimal("4.50"), "万元", 3),
        Operand("公务接待费", Decimal("0.30"), "万元", 2),
    )
    checked, report = verify(Answer("合计4.80万元[2][3]。", citations()), {}, [bad_input])
    assert report.dropped_calculations == [bad_input.expression]
    assert report.unverified == ["4.80万元"]


def test_years_codes_and_markers_are_not_checked():
    text = "根据晋财综〔2023〕43号目录，A150201 是2024年度的服务；科目2230105见表10第446行[1]。"
    checked, report = verify(Answer(text, citations()), {}, [])
    assert report.ok
    assert checked.answer == text


def test_english_answer():
    text = (
        "In 2024 the general public budget appropriation was 17,464.07 ten thousand yuan [1]. "
        "That is 97.32% of revenue [1]. "
        "Hospitality costs were RMB 2,000 [2]. "
        "Spending rose 85% [1]."
    )
    checked, report = verify(Answer(text, citations(), language="en"), {}, [])
    assert report.unverified == ["85%"]
    assert report.removed_sentences == ["Spending rose 85% [1]."]
    assert checked.answer == text.rsplit(" Spending", 1)[0]
    assert not checked.refused
    refused, _ = verify(Answer("The share was 85% [1].", citations(), language="en"), {}, [])
    assert refused.refused
    assert "文件中没有找到可核对的答案" in refused.answer
    assert refused.answer.startswith("No answer")


def test_sources_mapping_adds_quote_text():
    cited = [Citation(1, DOC, "表十", "")]
    _, report = verify(Answer("公务接待费0.20万元[1]。", cited), {1: HOSPITALITY}, [])
    assert report.ok


def test_input_answer_is_not_changed():
    answer = Answer("占比为85%[1]。", citations())
    verify(answer, {}, [])
    assert answer.answer == "占比为85%[1]。"
    assert answer.notes == []


def test_answer_without_figures_stays():
    text = "“三公”经费是指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费[1]。"
    checked, report = verify(Answer(text, citations()), {}, [])
    assert report.ok and not checked.refused


def test_counts_in_chinese_numerals_are_checked():
    cars = [Citation(1, DOC, "十一、国有资产占用情况", corpus_line("共有公务用车编制"))]
    checked, report = verify(Answer("该局实有两辆公务用车[1]。", cars), {}, [])
    assert report.ok
    checked, report = verify(Answer("该局实有2辆公务用车[1]。另有三辆执法车[1]。", cars), {}, [])
    assert checked.answer == "该局实有2辆公务用车[1]。"
    assert report.unverified == ["三辆"]
