"""Scoring: hand-made answers against cases built from real figures of the bundled disclosures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.answer import Answer, Calculation, Citation
from eval.scoring import extract_figures, parse_expected, same_figure, score_case
from eval.testset import TestCase, TestSetError, load_testset, load_testsets

DOC = "柳林县工业和信息化局"
QUOTE_TOTAL = "2024年柳林县工业和信息化局[部门]财政拨款安排的“三公”经费预算4.70万元比2023年减少0.03万元"
QUOTE_ROWS = "公务接待费\t0.20\t0.20\t\t\n公务用车购置及运行费\t4.50\t4.50"

SANGONG = TestCase(
    id="sg-1",
    question="柳林县工业和信息化局2024年三公经费预算是多少？",
    category="figures",
    figures=("4.70",),
    unit="万元",
    doc=DOC,
)
CATALOG = TestCase(
    id="cat-1", question="柳林县工信局的人大宣传服务目录代码是什么？", category="catalog", codes=("A150201",)
)
UNANSWERABLE = TestCase(
    id="un-1", question="柳林县工业和信息化局2024年给局长发了多少奖金？", category="unanswerable"
)


def cite(quote: str, number: int = 1) -> Citation:
    return Citation(
        number=number,
        doc="柳林县工业和信息化局2024年度部门预算",
        locator="第三部分 · 三公经费 · 第569行",
        quote=quote,
        file="data/corpus/2024_柳林县工业和信息化局_部门预算.txt",
    )


def test_figures_are_normalised() -> None:
    found = extract_figures("合计17,944.67万元，占97.32％，9527.119527.11，第446行[2]，A150201，2024年")
    assert [(f.value, f.unit, f.scale) for f in found] == [
        (Decimal("17944.67"), "元", Decimal(10000)),
        (Decimal("97.32"), "%", Decimal(1)),
        (Decimal("9527.11"), "", Decimal(1)),
    ]
    not_figures = "1、依据柳财预【2025】234号、晋市信字［2024］1号\n2. 见晋财综〔2023〕43号 [1]\n（3）第446行"
    assert extract_figures(not_figures) == []
    expected = parse_expected("4.70", "万元")
    assert same_figure(expected, extract_figures("4.7万元")[0])
    assert same_figure(expected, extract_figures("47,000.00元")[0])
    assert same_figure(expected, extract_figures("4.70")[0])  # a bare number in the expected unit
    assert not same_figure(expected, extract_figures("4.70元")[0])  # wrong unit
    assert not same_figure(expected, extract_figures("14.70万元")[0])  # never a substring of a longer number
    assert same_figure(parse_expected("97.32%"), extract_figures("97.320％")[0])
    assert same_figure(parse_expected("-0.03", "万元"), extract_figures("减少0.03万元")[0])


def test_correct_answer_passes() -> None:
    answer = Answer(
        answer="2024年“三公”经费预算为4.70万元[1]，其中公务接待费0.20万元、公务用车购置及运行费4.50万元[2]。",
        citations=[cite(QUOTE_TOTAL), cite(QUOTE_ROWS, 2)],
        calculations=[Calculation(expression="4.50 + 0.20 = 4.70", result="4.70", unit="万元")],
        latency_ms=120.0,
    )
    result = score_case(SANGONG, answer)
    assert result.passed, result.reasons
    assert result.checks == ["figures", "slot", "citation", "verified"]
    assert result.latency_ms == 120.0


def test_wrong_figure_fails_naming_the_missing_figure() -> None:
    answer = Answer(answer="2024年“三公”经费预算为4.73万元[1]。", citations=[cite(QUOTE_TOTAL)])
    result = score_case(SANGONG, answer)
    assert not result.passed
    assert any("缺少数字 4.70万元" in reason and "4.73万元" in reason for reason in result.reasons)
    # 4.73 is in no quote either: the verifier check names it too
    assert any("4.73万元" in reason and "未见于" in reason for reason in result.reasons)


def test_figure_only_in_a_longer_number_is_not_found() -> None:
    answer = Answer(answer="预算为14.70万元。", citations=[cite("预算为14.70万元")])
    result = score_case(SANGONG, answer)
    assert [r for r in result.reasons if r.startswith("缺少数字 4.70万元")]


def test_missing_code_fails() -> None:
    answer = Answer(answer="人大宣传服务属于A15类宣传服务。", citations=[cite("A150201\t人大宣传服务")])
    result = score_case(CATALOG, answer)
    assert not result.passed
    assert result.reasons == ["缺少目录代码 A150201"]
    good = Answer(answer="人大宣传服务的目录代码是 A150201[1]。", citations=[cite("A150201\t人大宣传服务")])
    assert score_case(CATALOG, good).passed
    longer = Answer(answer="代码是 A1502011。", citations=[cite("A1502011")])
    assert "缺少目录代码 A150201" in score_case(CATALOG, longer).reasons


def test_made_up_answer_to_unanswerable_case_fails() -> None:
    made_up = Answer(answer="局长2024年的奖金为3.50万元。", refused=False)
    result = score_case(UNANSWERABLE, made_up)
    assert not result.passed
    assert "应当拒答（文件中没有答案），但给出了回答" in result.reasons
    assert any("3.50万元" in reason for reason in result.reasons)


def test_refusal_with_an_invented_figure_still_fails() -> None:
    sneaky = Answer(answer="文件没有说明，不过通常约为2万元。", refused=True)
    result = score_case(UNANSWERABLE, sneaky)
    assert not result.passed
    assert any("2万元" in reason for reason in result.reasons)


def test_plain_refusal_passes_and_may_repeat_the_question_year() -> None:
    refusal = Answer(answer="2024年的部门预算公开文件没有说明局长奖金，无法回答。", refused=True)
    assert score_case(UNANSWERABLE, refusal).passed


def test_refusing_an_answerable_question_fails() -> None:
    result = score_case(SANGONG, Answer(answer="文件没有说明。", refused=True))
    assert "拒答了一个文件中有答案的问题" in result.reasons


def test_citation_must_point_at_expected_document() -> None:
    other = Citation(number=1, doc="晋城市信访局2024年部门预算", locator="表九", quote="4.70", file="x.txt")
    result = score_case(SANGONG, Answer(answer="4.70万元[1]", citations=[other]))
    assert result.reasons == [f"没有引用预期文件「{DOC}」（引用了：晋城市信访局2024年部门预算）"]


def test_unverified_figure_fails_even_when_expected_figures_are_there() -> None:
    answer = Answer(answer="三公经费4.70万元[1]，比上年增长12.5%。", citations=[cite(QUOTE_TOTAL)])
    result = score_case(SANGONG, answer)
    assert result.reasons == ["数字 12.5% 未见于任何引用原文或计算"]


def test_converted_figure_is_backed_by_a_table_cell_in_wanyuan() -> None:
    answer = Answer(answer="公务接待费为2000元[1]。", citations=[cite(QUOTE_ROWS)])
    case = TestCase(id="jd", question="公务接待费？", figures=("0.20万元",), doc=DOC)
    assert score_case(case, answer).passed


def test_jsonl_and_yaml_load_with_line_numbers(tmp_path: Path) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(
        '{"id": "a1", "question": "三公经费？", "figures": ["4.70"], "unit": "万元", "category": "figures"}\n'
        "\n"
        '{"id": "a2", "question": "奖金？", "category": "unanswerable"}\n',
        encoding="utf-8",
    )
    yml = tmp_path / "b.yaml"
    yml.write_text(
        "cases:\n  - id: b1\n    question: 代码？\n    codes: [A150201]\n  - id: b2\n    question: 金额？\n"
        "    figures: [4.70]\n",
        encoding="utf-8",
    )
    cases = load_testsets([tmp_path])
    assert [c.id for c in cases] == ["a1", "a2", "b1", "b2"]
    assert cases[0].figures == ("4.70",) and cases[0].unit == "万元"
    assert cases[1].unanswerable and cases[1].origin == f"{jsonl}:3"
    assert cases[2].codes == ("A150201",) and cases[2].origin == f"{yml}:2"
    assert cases[3].figures == ("4.7",)  # YAML floats lose trailing zeros; scoring normalises them


def test_bad_test_sets_say_file_line_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "x", "question": "q", "figures": ["1"]}\n{"id": "y", "question": \n', encoding="utf-8"
    )
    with pytest.raises(TestSetError, match=r"bad\.jsonl:2: not valid JSON"):
        load_testset(bad)
    typo = tmp_path / "typo.jsonl"
    typo.write_text('{"id": "x", "question": "q", "figure": ["1"], "style": "informal"}\n', encoding="utf-8")
    with pytest.raises(TestSetError, match=r"typo\.jsonl:1: unknown key 'figure'; did you mean 'figures'\?"):
        load_testset(typo)
    dup = tmp_path / "dup.jsonl"
    dup.write_text('{"id": "x", "question": "q", "codes": ["A1"]}\n' * 2, encoding="utf-8")
    with pytest.raises(TestSetError, match=r"dup\.jsonl:2: duplicate id 'x'"):
        load_testsets([dup])


def test_expected_figure_that_is_not_a_number_is_a_load_error(tmp_path: Path) -> None:
    vague = tmp_path / "vague.yaml"
    vague.write_text("- id: v\n  question: 多少？\n  figures: [约5万]\n", encoding="utf-8")
    with pytest.raises(TestSetError, match=r"vague\.yaml:1: expected figure '约5万' is not a number"):
        load_testset(vague)


def test_bundled_test_sets_load() -> None:
    sets = Path(__file__).parent.parent / "eval" / "sets"
    if not any(sets.glob("*.jsonl")):
        pytest.skip("eval/sets has no test set yet")
    cases = {case.id: case for case in load_testsets([sets])}
    first = cases["lookup-001"]
    assert (first.figures, first.unit, first.doc) == (("17944.67",), "万元", ("柳林县工业和信息化局",))
    assert first.extra["source"].startswith("2024_柳林县工业和信息化局_部门预算.txt:")
    assert sum(case.unanswerable for case in cases.values()) >= 20


def test_a_table_cell_before_a_label_with_nian_is_still_a_figure() -> None:
    found = extract_figures("上年结转\t458.60\t年终结转\t\t\t")
    assert [f.value for f in found] == [Decimal("458.60")]
