"""Stricter scoring: quoted figures do not count, a wrong figure for the slot fails, code → service needs
the name, `must` phrases, unscored cases, `doc` lists. Figures are real ones of the bundled disclosures."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from assistant.answer import Answer, Calculation, Citation
from eval.figures import extract_figures, outside_quotes, sentences
from eval.runner import EXIT_OK, eval_command, run_eval
from eval.scoring import score_case
from eval.testset import TestCase, load_testset

GXJ_TITLE = "柳林县工业和信息化局2024年度部门预算"
GXJ_FILE = "data/corpus/2024_柳林县工业和信息化局_部门预算.txt"
YBJ_TITLE = "柳林县医疗保障局2025年度部门预算"
QUOTE_SANGONG = "2024年柳林县工业和信息化局[部门]财政拨款安排的“三公”经费预算4.70万元比2023年减少0.03万元"
QUOTE_BASIC = "合计\t17944.67\t445.45\t17499.22\n一般公共预算安排基本支出合计158.45"


def cite(quote: str, doc: str = GXJ_TITLE, file: str = GXJ_FILE, number: int = 1) -> Citation:
    return Citation(number=number, doc=doc, locator="表三", quote=quote, file=file)


SANGONG = TestCase(
    id="sg",
    question="工信局2024年三公经费预算是多少？",
    figures=("4.70",),
    unit="万元",
    doc=("工业和信息化局",),
)
BASIC = TestCase(id="jb", question="工信局2024年支出总表的基本支出是多少？", figures=("445.45",), unit="万元")


# ------------------------------------------------------------------------------------------- quotes


def test_quote_spans_are_removed_chinese_and_english() -> None:
    assert outside_quotes("原文：「预算4.70万元」，即4.70万元") == "原文： ，即4.70万元"
    assert outside_quotes("The table says “4.70” in total.") == "The table says   in total."
    assert outside_quotes("“三公”经费4.70万元") == " 经费4.70万元"  # a quoted term, the figure stays
    assert outside_quotes("未闭合「4.70万元") == "未闭合「4.70万元"  # no closing mark: nothing removed
    assert outside_quotes("原文“安排的“三公”经费4.70万元”，共4.70万元") == "原文 ，共4.70万元"  # nested


def test_a_figure_only_inside_a_quote_does_not_count() -> None:
    quoted = Answer(answer=f"文件写道：「{QUOTE_SANGONG}」[1]", citations=[cite(QUOTE_SANGONG)])
    result = score_case(SANGONG, quoted)
    assert not result.passed
    assert result.reasons == ["缺少数字 4.70万元（引文之外答案给出的数字：无）"]
    english = Answer(answer=f"The document says “{QUOTE_SANGONG}” [1].", citations=[cite(QUOTE_SANGONG)])
    assert not score_case(SANGONG, english).passed
    stated = Answer(answer=f"三公经费预算4.70万元[1]。「{QUOTE_SANGONG}」", citations=[cite(QUOTE_SANGONG)])
    assert score_case(SANGONG, stated).passed


# ------------------------------------------------------------------------------------ slot (wrong figure)


def test_leading_with_another_figure_for_the_slot_fails_even_if_the_right_one_follows() -> None:
    wrong_first = Answer(
        answer="基本支出158.45万元[1]。按预算支出总表，基本支出445.45万元[1]。", citations=[cite(QUOTE_BASIC)]
    )
    result = score_case(BASIC, wrong_first)
    assert result.reasons == ["答案首先给出的数字 158.45万元 不是所问的数字（预期 445.45万元）"]
    right_first = Answer(
        answer="基本支出445.45万元[1]。另：一般公共预算安排的基本支出是158.45万元[1]。",
        citations=[cite(QUOTE_BASIC)],
    )
    assert score_case(BASIC, right_first).passed


def test_context_in_the_same_sentence_passes_and_other_units_are_not_the_slot() -> None:
    case = TestCase(id="c", question="三公经费比上年减少多少？", figures=("0.03",), unit="万元")
    answer = Answer(answer="三公经费4.70万元，比上年减少0.03万元[1]。", citations=[cite(QUOTE_SANGONG)])
    assert score_case(case, answer).passed
    share = Answer(answer="下降0.6%；减少0.03万元[1]。", citations=[cite(QUOTE_SANGONG + "，下降0.6%")])
    assert score_case(case, share).passed  # 0.6% is not a 万元 figure


def test_figures_from_the_question_and_calculation_inputs_are_context() -> None:
    derived = TestCase(
        id="d", question="工信局2023年的公务接待费预算是多少？", figures=("0.23",), unit="万元"
    )
    text = "2024年公务接待费0.20万元，与上年相比减少0.03万元[1]。计算：0.20 + 0.03 = 0.23万元。"
    quote = "公务接待费0.20万元，与上年预算数相比减少0.03万元"
    calculation = Calculation(expression="0.20 + 0.03 = 0.23", result="0.23", unit="万元")
    assert score_case(
        derived, Answer(answer=text, citations=[cite(quote)], calculations=[calculation])
    ).passed
    # the same text without a calculation behind it leads with 0.20: that is the figure a reader takes away
    result = score_case(derived, Answer(answer=text, citations=[cite(quote + "，0.23")]))
    assert result.reasons == ["答案首先给出的数字 0.20万元、0.03万元 不是所问的数字（预期 0.23万元）"]
    echo = TestCase(
        id="e",
        question="一般公共服务支出一共2353.19万元，其中当年预算安排多少？",
        figures=("2325.19",),
        unit="万元",
    )
    answer = Answer(
        answer="2353.19万元中，当年预算安排2325.19万元[1]。", citations=[cite("2353.19\t2325.19")]
    )
    assert score_case(echo, answer).passed


def test_an_expected_figure_that_is_also_a_calculation_input_still_answers() -> None:
    case = TestCase(id="j", question="工信局2024年机关运行经费是多少？", figures=("27.40",), unit="万元")
    text = "机关运行经费为27.40万元[1]。下属涉及2家事业单位均无机关运行经费，比2023年预算减少1.34万元[1]。"
    check = Calculation(expression="(28.74 − 27.40) ÷ 28.74 × 100% = 4.66%", result="4.66", unit="%")
    quote = (
        "下属涉及2家事业单位均无机关运行经费，工信局本级2024年机关运行经费27.40万元，比2023年预算减少1.34万元"
    )
    assert score_case(case, Answer(answer=text, citations=[cite(quote)], calculations=[check])).passed


def test_years_ranges_and_department_codes_are_not_figures() -> None:
    text = "增加了2022-2023年专网线路服务超期费；主管部门及代码 011-晋城市信访局；下属2家单位；合计114.49万元"
    assert [(f.value, f.unit) for f in extract_figures(text)] == [(2, "家"), (Decimal("114.49"), "元")]
    listed = "文件原文：8、综合业务科：负责窗口业务；分别为3、5人；0.20万元、4.50万元"
    assert [str(f) for f in extract_figures(listed)] == ["3", "5人", "0.20万元", "4.50万元"]


def test_counts_keep_their_unit() -> None:
    case = TestCase(id="v", question="医保局有几辆车？", figures=("2",), unit="辆")
    answer = Answer(answer="实有公务用车2辆，运行维护费4.00万元[1]。", citations=[cite("车辆2辆，4.00万元")])
    assert score_case(case, answer).passed
    wrong = Answer(answer="实有公务用车3辆[1]。", citations=[cite("3辆")])
    assert "答案首先给出的数字 3辆 不是所问的数字（预期 2辆）" in score_case(case, wrong).reasons


# ---------------------------------------------------------------------------------- codes and must


CODE_TO_SERVICE = TestCase(
    id="cs",
    question="43号目录里工业和信息化部门的A160201是什么服务？",
    codes=("A160201",),
    answer="A160201 工业和信息化领域入企服务（工业和信息化，晋财综〔2023〕43号）",
)


def test_code_to_service_needs_the_service_name() -> None:
    echoed = Answer(answer="A160201 是目录中的一项服务[1]。", citations=[cite("A160201")])
    result = score_case(CODE_TO_SERVICE, echoed)
    assert result.reasons == ["只重复了代码 A160201，没有说出服务名称「工业和信息化领域入企服务」"]
    named = Answer(answer="A160201 是「工业和信息化领域 入企服务」[1]。", citations=[cite("A160201")])
    assert score_case(CODE_TO_SERVICE, named).passed  # a name is wording: quotes and spaces are fine


def test_echoed_code_with_no_name_to_check_is_unscored() -> None:
    case = TestCase(id="cx", question="A160201是什么服务？", codes=("A160201",), doc=("工业和信息化局",))
    result = score_case(case, Answer(answer="A160201[1]", citations=[cite("A160201")]))
    assert (result.scored, result.passed) == (False, False)
    service_to_code = TestCase(id="sc", question="入企服务的代码？", codes=("A160201",))
    assert score_case(service_to_code, Answer(answer="A160201[1]", citations=[cite("A160201")])).passed


def test_figures_the_question_states_do_not_score_a_case_alone() -> None:
    echo = TestCase(
        id="a",
        question="工信局“国有企业退休人员社会化管理”这22万元属于哪类预算资金？",
        figures=("22.00",),
        unit="万元",
    )
    result = score_case(echo, Answer(answer="22.00万元[1]", citations=[cite("22.00")]))
    assert (result.scored, result.passed) == (False, False)
    with_must = TestCase(
        id="b", question=echo.question, figures=("22.00",), unit="万元", must=("国有资本经营预算",)
    )
    assert score_case(
        with_must, Answer(answer="这22.00万元列在国有资本经营预算[1]。", citations=[cite("22.00")])
    ).passed
    missing = score_case(with_must, Answer(answer="列在国有资本经营预算[1]。", citations=[cite("22.00")]))
    assert missing.scored and missing.reasons == ["缺少数字 22.00万元（引文之外答案给出的数字：无）"]


def test_must_phrases_with_alternatives() -> None:
    case = TestCase(id="m", question="三公经费指什么？", must=("因公出国|出国（境）", "公务接待", "公务用车"))
    good = Answer(answer="指因公出国(境)费用、公务用车购置及运行费和公务接待费[1]。", citations=[cite("x")])
    assert score_case(case, good).passed  # full-width and half-width brackets are the same
    short = Answer(answer="指公务接待费和公务用车费用[1]。", citations=[cite("x")])
    assert score_case(case, short).reasons == ["缺少关键内容「因公出国|出国（境）」"]


# ------------------------------------------------------------------------------- refusals and docs


def test_a_refusal_may_name_what_is_disclosed_but_not_invent() -> None:
    case = TestCase(id="u", question="工信局两辆公车各自的保险费是多少？", category="unanswerable")
    honest = Answer(
        answer="文件没有按车辆单列保险费，只公开了公务用车运行维护费4.50万元[1]。",
        refused=True,
        citations=[cite("公务用车运行维护费4.50万元")],
    )
    assert score_case(case, honest).passed
    invented = Answer(answer="文件没有单列，估计每辆约0.3万元。", refused=True)
    assert score_case(case, invented).reasons == ["数字 0.3万元 未见于任何引用原文或计算"]
    answered = Answer(answer="运行维护费4.50万元[1]。", citations=[cite("4.50万元")])
    assert score_case(case, answered).reasons == ["应当拒答（文件中没有答案），但给出了回答"]


def test_doc_list_needs_every_document_by_title_or_file_name() -> None:
    case = TestCase(
        id="x",
        question="工信局和医保局的公用经费谁多？",
        figures=("20.58", "36.19"),
        unit="万元",
        doc=("2024_柳林县工业和信息化局_部门预算.txt", "柳林县医疗保障局"),
    )
    one = Answer(answer="工信局20.58万元，医保局36.19万元[1]。", citations=[cite("20.58 36.19")])
    assert score_case(case, one).reasons == [f"没有引用预期文件「柳林县医疗保障局」（引用了：{GXJ_TITLE}）"]
    both = Answer(
        answer=one.answer,
        citations=[cite("20.58"), cite("36.19", doc=YBJ_TITLE, file="x/2025_柳林县医疗保障局_部门预算.txt")],
    )
    assert score_case(case, both).passed


# ----------------------------------------------------------------------------------- runs and files


def test_sentences_split_chinese_and_english_not_decimals() -> None:
    assert sentences("预算4.70万元。减少0.03万元；原因如下\nThe total is 4.70. Down 0.03.") == [
        "预算4.70万元。",
        "减少0.03万元；",
        "原因如下",
        "The total is 4.70.",
        "Down 0.03.",
    ]


def test_unscored_case_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    cases = [
        SANGONG,
        TestCase(
            id="n1", question="预算为什么减少？", category="narrative", answer="人员退休", doc=("工业",)
        ),
        TestCase(id="mp", question="三公经费？", category="multi_part", figures=("4.70",), unit="万元"),
    ]
    answer = Answer(answer="三公经费4.70万元[1]。", citations=[cite(QUOTE_SANGONG)], latency_ms=5.0)
    run = run_eval(cases, lambda question: answer, {}, out_dir=tmp_path, min_score=0.9)
    primary = run.report.systems["budgetqa"]
    assert (primary.overall.total, primary.overall.passed, primary.overall.unscored) == (2, 2, 1)
    assert run.score == 1.0 and run.exit_code == EXIT_OK
    assert primary.categories["narrative"].unscored == 1 and primary.categories["narrative"].total == 0
    assert set(primary.categories) == {"other", "narrative", "multi_part"}  # any category name is reported
    data = json.loads(run.paths["json"].read_text(encoding="utf-8"))
    assert data["systems"]["budgetqa"]["summary"]["unscored"] == 1
    assert data["systems"]["budgetqa"]["summary"]["categories"]["narrative"]["unscored"] == 1
    markdown = run.paths["markdown"].read_text(encoding="utf-8")
    assert "| narrative | —，未评分 1 |" in markdown and "| 未评分题目 | 1 |" in markdown
    assert "n1（narrative）" in markdown and "| multi_part | 1/1 (100.0%) |" in markdown
    assert "| 类别（延迟 p50） | budgetqa |" in markdown and "| narrative | 5 ms |" in markdown
    assert "n1（narrative）" in run.paths["html"].read_text(encoding="utf-8")


def test_eval_command_loads_unscorable_cases_and_list_docs(tmp_path: Path) -> None:
    testset = tmp_path / "set.jsonl"
    rows = [
        {"id": "a", "question": "三公经费？", "figures": ["4.70"], "unit": "万元", "doc": ["工业和信息化局"]},
        {"id": "b", "question": "为什么？", "answer": "只有参考文字", "unit": None, "codes": []},
    ]
    testset.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    cases = load_testset(testset)
    assert cases[0].doc == ("工业和信息化局",) and cases[1].doc == ()
    answer = Answer(answer="三公经费4.70万元[1]。", citations=[cite(QUOTE_SANGONG)])
    assert eval_command([testset], lambda q: answer, None, tmp_path / "out", None, 0.9) == EXIT_OK


# ------------------------------------------------------------------------------------ stated zeros, codes

ABROAD = TestCase(id="cg", question="工信局2024年因公出国（境）费预算多少？", figures=("0",), unit="万元")
ROW_BLANK = "柳林县工业和信息化局2024年度部门预算 表十 （单位：万元）因公出国（境）费："


def test_a_zero_is_backed_by_a_cited_blank_cell_only() -> None:
    text = "表十中，因公出国（境）费为0万元（表中该栏为空，即没有安排）[1]。"
    blank = Answer(
        answer=text, citations=[Citation(1, GXJ_TITLE, "表十", ROW_BLANK, file=GXJ_FILE, blank=True)]
    )
    assert score_case(ABROAD, blank).passed
    unmarked = Answer(answer=text, citations=[cite(ROW_BLANK)])
    result = score_case(ABROAD, unmarked)
    assert not result.passed and any("未见于任何引用原文" in r for r in result.reasons)


def test_a_named_subject_code_is_not_a_figure() -> None:
    assert [f.text for f in extract_figures("科目编码为2101550，事业运行351.61万元")] == ["351.61万元"]
    assert [f.text for f in extract_figures("共2101550元")] == ["2101550元"]
