"""The question plan over the bundled corpus: one test per step kind, pinning figures, steps and citations.

Wordings here are the team's own (not taken from any eval set); each asserts the figure stated as the
answer, the plan's steps with their results, and that every plan step's citation exists.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from assistant.plan.items import asked_items, names_item
from assistant.service import Assistant
from ingest.summary import DocumentSummary


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _ops(answer: Any) -> list[str]:
    return [str(step["op"]) for step in answer.plan]


def _cited(answer: Any) -> None:
    numbers = {c.number for c in answer.citations}
    for step in answer.plan:
        if "citation" in step:
            assert step["citation"] in numbers


def test_two_items_of_one_document_are_both_answered(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医疗保障局2025年的住房公积金、机关事业单位基本养老保险缴费分别安排多少？")
    assert "45.08万元" in answer.answer and "52.91万元" in answer.answer
    figures = [s for s in answer.plan if s["op"] == "figure"]
    assert [s["result"] for s in figures] == ["45.08万元", "52.91万元"]
    assert len(answer.citations) == 2
    _cited(answer)


def test_cross_document_difference_names_the_larger_and_computes_the_gap(assistant: Assistant) -> None:
    answer = assistant.ask("住房公积金这一项，柳林县医保局2025年和柳林县工信局2024年哪家更多，多出多少？")
    first = answer.answer.split("。")[0]
    assert "柳林县医疗保障局更多" in first and "4.72万元" in first
    assert "|" not in answer.answer  # no |a − b| notation for citizens
    assert [c.expression for c in answer.calculations] == ["45.08 − 40.36 = 4.72"]
    difference = next(s for s in answer.plan if s["op"] == "difference")
    assert difference["result"] == "4.72万元"
    assert {c.doc for c in answer.citations} == {
        "柳林县医疗保障局2025年度部门预算",
        "柳林县工业和信息化局2024年度部门预算",
    }


def test_sum_across_two_documents(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年与晋城市信访局2024年的行政单位离退休，两家一共多少？")
    assert answer.answer.startswith("合计67.18万元")
    assert "sum" in _ops(answer)


def test_argmax_over_the_project_table_skips_unit_subtotals(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年本年预算里钱最多的项目是哪一个？")
    assert "883.33万元" in answer.answer and "中央财政医疗救助补助资金" in answer.answer
    assert "医疗保险服务中心" not in answer.answer  # a unit's subtotal, not a project
    assert _ops(answer)[:2] == ["rows", "argmax"]
    assert answer.plan[0]["inputs"]["table"] == "表十二"
    _cited(answer)


def test_argmin_over_function_classes(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年支出功能分类的各类中，最少的是哪一类？")
    assert "卫生健康支出" in answer.answer and "27.67万元" in answer.answer
    assert "argmin" in _ops(answer)


def test_argmax_over_public_expense_items_skips_class_totals(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年公用经费中最大的一项是什么？")
    assert "办公费" in answer.answer and "31.13万元" in answer.answer
    assert "商品和服务支出" not in answer.answer  # the class total equals the sum of its items


def test_share_divides_by_the_named_total(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年人员经费在基本支出里占多大比例？")
    assert [c.expression for c in answer.calculations] == ["412.69 ÷ 476.33 × 100% = 86.64%"]
    share = next(s for s in answer.plan if s["op"] == "share")
    assert share["inputs"]["part"] == "人员经费" and share["inputs"]["whole"] == "基本支出"
    assert share["result"] == "86.64%"


def test_previous_year_from_the_stated_change(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2023年的“三公”经费预算是多少？")
    assert "4.73万元" in answer.answer
    assert "calculate" in _ops(answer)


def test_blank_cell_is_a_stated_zero_with_its_citation(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年安排了因公出国（境）费吗？")
    assert not answer.refused
    assert "0万元" in answer.answer and "没有安排" in answer.answer
    assert answer.citations[0].locator.startswith("表十")
    assert answer.plan[0]["result"] == "0万元"


def test_attribute_says_basic_or_project_and_the_subject_code(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年事业运行这笔钱属于基本支出还是项目支出？科目编码呢？")
    assert "351.61万元" in answer.answer
    assert "属于基本支出" in answer.answer and "2101550" in answer.answer
    assert [s["result"] for s in answer.plan if s["op"] == "attribute"] == ["基本支出", "2101550"]


def test_attribute_of_a_carried_over_project(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年“服务业发展专项资金”是上年结转的还是今年新安排的？")
    assert "388.00万元" in answer.answer and "上年结转" in answer.answer


def test_item_no_label_names_is_refused_without_figures(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年食堂伙食费预算是多少？")
    assert answer.refused
    assert "伙食费" in answer.answer
    assert not any(ch.isdigit() for ch in answer.answer.replace("2026", "").split("（见")[0])
    assert answer.plan[0]["op"] == "missing"


def test_items_keep_labels_that_contain_joiners() -> None:
    asked = asked_items("的一般公共服务支出、社会保障和就业支出各是多少？", ["社会保障和就业支出"])
    assert asked.items == ["一般公共服务支出", "社会保障和就业支出"]
    placed = asked_items("基本支出里，人员经费和公用经费分别多少？", [])
    assert placed.context == "基本支出" and placed.items == ["人员经费", "公用经费"]


@pytest.mark.parametrize(
    ("item", "label", "named"),
    [
        ("物业费", "办公费（办公经费）", False),  # head noun differs
        ("医保基金收入", "二、政府性基金预算", False),  # same head, another fund
        ("政府性基金预算收入", "二、政府性基金预算", True),
        ("请客吃饭", "公务接待费", True),  # everyday words naming the head
        ("办公楼物业费", "房屋.办公用房面积", False),  # everyday word not at the head
        ("日常办公的公用经费", "公用经费", True),
    ],
)
def test_names_item(item: str, label: str, named: bool) -> None:
    assert names_item(item, label) is named


def test_composition_lists_the_parts_and_checks_their_sum(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年的基本支出包括哪些科目？各是多少？")
    for figure in ("350.16万元", "18.61万元", "40.40万元", "0.18万元", "18.81万元", "8.68万元", "39.49万元"):
        assert figure in answer.answer
    assert [c.result for c in answer.calculations] == ["476.33"]
    assert "与合计相符" in answer.answer
    assert _ops(answer)[0] == "rows" and _ops(answer)[-1] == "sum"


def test_composition_of_a_table_counts_a_blank_part_as_zero(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年的“三公”经费由哪些部分构成？")
    assert "因公出国（境）费0万元" in answer.answer and "公务接待费0.23万元" in answer.answer
    assert answer.calculations[0].expression == "0 + 0.23 + 0 + 4.00 = 4.23"


def test_two_columns_of_one_row(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年一般公共服务支出里基本支出和项目支出分别是多少？")
    assert "基本支出为980.49万元" in answer.answer and "项目支出为967.92万元" in answer.answer
    assert [s["op"] for s in answer.plan] == ["figure", "figure"]


def test_one_item_under_two_classes_is_summed(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年差旅费一共安排了多少？")
    assert "2.30万元" in answer.answer.split("。")[0]
    assert answer.calculations[0].expression == "1.50 + 0.80 = 2.30"


def test_per_vehicle_average_compared_across_documents(assistant: Assistant) -> None:
    answer = assistant.ask("医保局（柳林县2025年）和孝义市财政局（2026年），每辆车的运行维护费谁更高？")
    assert [c.expression for c in answer.calculations] == [
        "4.00 ÷ 2 = 2.00",
        "1.60 ÷ 1 = 1.60",
        "2.00 − 1.60 = 0.40",
    ]
    assert answer.answer.startswith("柳林县医疗保障局平均每辆更高，高0.40万元")


def test_shared_money_item_over_named_units(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年财政国库支付中心、财政预算服务中心的业务经费合计多少？")
    assert answer.answer.startswith("合计39.30万元")


def test_catalog_heading_code_lists_its_services(assistant: Assistant) -> None:
    answer = assistant.ask("晋财综〔2024〕37号目录里医疗保障部门的A16下面包括哪些服务？")
    assert "A160101" in answer.answer and "A160601" in answer.answer
    assert "行业管理服务" in answer.answer


def test_document_filter_says_the_named_department_is_filtered_out(assistant: Assistant) -> None:
    petitions = next(d for d in assistant.index.documents() if "信访" in d.department)
    answer = assistant.ask("孝义市财政局2026年公务接待费是多少？", doc_ids=[petitions.doc_id])
    assert answer.refused
    assert "孝义市财政局2026年度部门预算不在当前选定的文件范围内" in answer.answer
    assert "晋城市信访局2024年度部门预算" in answer.answer


def test_partial_department_names_are_found() -> None:
    from types import SimpleNamespace

    from assistant.understanding import _partial_department

    def doc(name: str) -> Any:
        return SimpleNamespace(department=name, summary=DocumentSummary(), year=2026)

    held = {name: [doc(name)] for name in ("阳泉市生态环境局盂县分局", "阳泉市生态环境局平定县分局")}
    assert _partial_department("盂县生态环境分局今年三公经费多少", held) == "阳泉市生态环境局盂县分局"
    assert _partial_department("生态环境分局今年三公经费多少", held) is None  # two fit: ambiguous


def test_projects_over_an_amount_largest_first(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年有哪些项目超过60万元？")
    amounts = [Decimal(a) for a in re.findall(r"：([\d.]+)万元\[", answer.answer)]
    assert amounts[0] == Decimal("300.00") and amounts == sorted(amounts, reverse=True)
    assert {Decimal("81.97"), Decimal("66.10")} <= set(amounts) and min(amounts) > 60
    assert [s["op"] for s in answer.plan][:2] == ["rows", "filter"]


def test_no_carried_over_projects_is_a_stated_zero(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年有没有上年结转下来的项目？有哪些？")
    assert not answer.refused
    assert "上年结转为0万元" in answer.answer and "没有上年结转的项目" in answer.answer


def test_a_units_project_spending_against_the_department_itself(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医疗保险服务中心2025年项目支出比医保局本级高多少？")
    assert answer.calculations[0].expression == "2058.19 − 70.00 = 1988.19"


def test_a_per_person_standard_comes_from_the_project_description(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年企业退休人员大病保险一个人一年多少钱？")
    assert "每人每年60元" in answer.answer
    assert answer.plan[0]["op"] == "clause"
    assert "企业退休人员大病保险" in answer.citations[0].locator or "大病保险" in answer.answer


def test_a_part_named_only_in_a_description_beats_a_nearby_table_line(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年档案管理费安排了多少？")
    assert "档案管理费3万元" in answer.answer
    assert "180.00" not in answer.answer


def test_a_count_stated_in_prose_is_said_as_the_answer(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局内部设了多少个职能股室？")
    first = answer.answer.split("。")[0]
    assert first.startswith("柳林县工业和信息化局2024年度部门预算") and first.endswith(
        "写明：局内设7个职能股室[1]"
    )


def test_english_change_is_stated_outside_the_quote(assistant: Assistant) -> None:
    answer = assistant.ask(
        "How much did 柳林县医保局's administrative operating expenses (机关运行经费) change in 2025?"
    )
    first = answer.answer.split(" [")[0]
    assert "up 0.45万元 (6%) on the previous year" in first


# ---------------------------------------------------------------- counts and standards stated in text


def test_a_count_in_an_enumeration_is_the_part_naming_the_asked_people(assistant: Assistant) -> None:
    # 领导班子现有成员8名:局长1名、副局长3名、主任科员2名、副主任科员2名 — one part answers
    answer = assistant.ask("柳林县工信局的领导班子中，主任科员一共几名？")
    first = answer.answer.split("。")[0]
    assert "主任科员2名" in first and "副主任" not in first and "8名" not in first
    assert _ops(answer) == ["clause"] and answer.plan[0]["result"] == "主任科员2名"
    assert answer.citations[0].locator.endswith("第118行")
    _cited(answer)


def test_a_count_only_a_performance_indicator_states_is_answered(assistant: Assistant) -> None:
    # 绩效指标：…新增市场主体：≥15个 — a count of things in a project's targets, not a table row
    answer = assistant.ask("工信局的乡村e镇项目打算新增几个市场主体？")
    assert not answer.refused
    assert "15个" in answer.answer.split("。")[0]
    assert answer.plan[0]["op"] == "clause"


def test_a_count_in_another_measure_word_answers_how_many(assistant: Assistant) -> None:
    # 几个项目 stated as 户 in the indicator (决算审计项目数：≥2户)
    answer = assistant.ask("孝义市财政局的PPP项目咨询服务费，要对几个项目做决算审计？")
    assert "2户" in answer.answer.split("。")[0]


def test_how_many_of_an_identity_kind_is_a_count_not_a_refusal(assistant: Assistant) -> None:
    # 品牌 is an undisclosed identity kind; 多少个品牌 asks a count the indicator states
    answer = assistant.ask("柳林县工信局2024年乡村e镇资金要培育几个品牌？")
    assert not answer.refused and "10个" in answer.answer.split("。")[0]
    assert assistant.ask("柳林县工信局买的电脑是什么品牌？").refused


def test_rate_times_head_count_states_the_per_person_figure(assistant: Assistant) -> None:
    # 财政资助资金700元*100人=70000元: 700元 is the per-person figure
    answer = assistant.ask("柳林县医保局特殊人群补缴，财政给每个人资助多少元？")
    first = answer.answer.split("。")[0]
    assert re.search(r"(?<![\d.])700元", first) and first.index("700") < first.index("70000")


def test_a_topic_clause_scopes_the_item_asked_after_it(assistant: Assistant) -> None:
    # X项目，人均补贴标准是多少: the standard of that project's indicator, not another project's
    answer = assistant.ask("柳林县医保局的省级财政医疗救助补助资金，人均补贴是多少？")
    assert "23.02元" in answer.answer.split("。")[0] and "402.74" not in answer.answer
    topic = asked_items("省级财政医疗救助补助资金，人均补贴是多少？", [])
    assert (topic.context, topic.items) == ("省级财政医疗救助补助资金", ["人均补贴"])
    shared = asked_items("财政国库支付中心和财政预算服务中心，业务经费各是多少？", [])
    assert shared.context == ""  # A和B，X各是多少: two slots, not a topic


def test_a_year_dating_a_premise_does_not_change_the_year_asked(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局在2025年处置了几辆车，目前还有几辆公务用车？")
    assert not answer.refused and "1辆" in answer.answer.split("。")[0]


def test_which_level_of_government_pays_reads_the_projects_funding_rows(assistant: Assistant) -> None:
    # 绩效目标表 (单位：元): 中央财政资金 0, 省级财政资金 10000000, 市县（区）财政资金 0 — a 7- or 8-digit
    # amount in a 元 table is a figure, not a code
    answer = assistant.ask("柳林县工信局乡村e镇项目建设培育资金，是省上给的还是县上给的？")
    assert "省级财政资金为10000000元" in answer.answer and "市县（区）财政资金为0元" in answer.answer
    assert [s["inputs"]["label"] for s in answer.plan] == ["省级财政资金", "市县（区）财政资金"]
    assert not answer.notes or not any("无法核对" in n for n in answer.notes)


def test_kinds_listed_in_brackets_become_one_slot_each(assistant: Assistant) -> None:
    asked = asked_items("两项补助资金（中央、省级）一共多少？", [])
    assert asked.items == ["中央补助资金", "省级补助资金"]
    # 表十二: 中央财政医疗救助补助资金 883.33, 省级… 49.91, 医疗救助资金县级补助 800.00
    answer = assistant.ask("柳林县医保局2025年医疗救助的补助资金（中央、省级、县级）加起来是多少？")
    assert answer.answer.startswith("合计1733.24万元")
    assert [c.expression for c in answer.calculations] == ["883.33 + 49.91 + 800.00 = 1733.24"]


def test_a_sum_over_amounts_a_project_description_states(assistant: Assistant) -> None:
    # 建设内容：1、购置…设备、…系统，共需45万元 … 2.…增加一个15平方米的大屏…共计15万元
    answer = assistant.ask(
        "晋城市信访局2024年信访场所标准化建设项目中，购置AI录像检测设备和安装大屏一共要花多少钱？"
    )
    assert answer.answer.startswith("合计60.00万元")
    assert [c.expression for c in answer.calculations] == ["45 + 15 = 60.00"]
    assert [s["op"] for s in answer.plan] == ["clause", "clause", "sum"]


def test_a_per_person_standard_and_the_total_are_both_answered(assistant: Assistant) -> None:
    # 项目概况：企业退休人员大病保险,共2575人,每人每年60元,总计154500元; 表十二 15.45万元
    answer = assistant.ask("柳林县医保局企业退休人员大病保险每人交多少，合计多少钱？")
    assert [s["op"] for s in answer.plan] == ["clause", "figure"]
    first, second = answer.answer.split("。")[:2]
    assert "每人每年60元" in first and "15.45万元" in second


def test_how_many_people_is_the_departments_own_headcount_not_a_sub_units(assistant: Assistant) -> None:
    # 编制人数8人 is stated under (六) 城镇集体联合社机构设置; the bureau: 全局机关现有干部职工29人
    answer = assistant.ask("柳林县工业和信息化局2024年总共有几个人？")
    assert "29人" in answer.answer.split("。")[0] and "8人" not in answer.answer.split("。")[0]
    unit = assistant.ask("柳林县工信局的国资中心共有多少人员？")
    assert "9人" in unit.answer.split("。")[0]


def test_each_documents_share_of_its_own_total(assistant: Assistant) -> None:
    # 表三 项目支出 2128.19 of 支出总计 2658.32 (医保局); 9050.78 of 9527.11 (信访局)
    answer = assistant.ask("柳林县医保局2025年和晋城市信访局2024年的项目支出，分别占本单位支出的比例是多少？")
    shares = [s for s in answer.plan if s["op"] == "share"]
    assert [s["result"] for s in shares] == ["80.06%", "95.00%"]
    assert [s["inputs"]["whole"] for s in shares] == ["支出总计", "支出总计"]
    assert "2128.19 ÷ 2658.32 × 100% = 80.06%" in [c.expression for c in answer.calculations]
    _cited(answer)


# ---------------------------------------------------------------- English questions of plan shapes


def test_an_english_question_for_two_items_is_planned_and_answered_in_english(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What are the basic expenditure and the project expenditure of the Liulin medical security bureau in 2025?"
    )
    assert answer.language == "en"
    assert [s["result"] for s in answer.plan if s["op"] == "figure"] == ["530.13万元", "2128.19万元"]
    assert "基本支出 is 530.13万元" in answer.answer and "项目支出 is 2128.19万元" in answer.answer
    assert not re.search(r"[，。]", answer.answer)  # English sentences, Chinese names only


def test_an_english_superlative_over_function_classes(assistant: Assistant) -> None:
    answer = assistant.ask("Which function class does the Liulin industry bureau spend least on?")
    assert answer.answer.startswith("The smallest is 卫生健康支出, 21.81万元")
    assert "argmin" in _ops(answer)


def test_each_part_of_a_named_total_asked_by_amount(assistant: Assistant) -> None:
    # 表十: 因公出国（境）费 0, 公务接待费 0.20, 公务用车购置及运行费 4.50 (购置 0 + 运行维护 4.50)
    answer = assistant.ask("柳林县工信局2024年的三公经费，每一项分别是多少？")
    assert answer.plan[0]["op"] == "rows"
    assert {s["inputs"]["label"]: s["result"] for s in answer.plan if s["op"] == "figure"}[
        "公务接待费"
    ] == "0.20万元"
    assert [c.expression for c in answer.calculations] == ["0 + 0.20 + 0 + 4.50 = 4.70"]
