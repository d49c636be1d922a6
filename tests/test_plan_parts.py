"""Shares, compound questions, funding levels and counts in words, over the bundled corpus.

Wordings are the team's own (not from any eval set). Each test pins the figure stated as the answer,
the plan step that produced it and its operands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.compound import split_compound
from assistant.service import Assistant
from ingest.pipeline import Ingestor
from ingest.settings import load_settings


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _step(answer: Any, op: str) -> dict[str, Any]:
    return next(s for s in answer.plan if s["op"] == op)


def test_a_share_of_a_whole_only_the_text_states_uses_that_whole(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年住房保障支出在一般公共预算当年支出中所占比例是多少？")
    share = _step(answer, "share")
    assert share["result"] == "1.70%" and share["inputs"]["whole"] == "一般公共预算当年支出"
    assert "45.08 ÷ 2658.32 × 100% = 1.70%" in answer.answer


def test_a_share_without_a_named_whole_is_of_its_own_table_total(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年的项目支出占了多少比例？")
    share = _step(answer, "share")
    assert share["result"] == "95.00%"
    assert "9050.78 ÷ 9527.11 × 100% = 95.00%" in answer.answer


def test_two_documents_shares_are_compared_in_percentage_points(assistant: Assistant) -> None:
    answer = assistant.ask("项目支出占比：孝义市财政局2026年和柳林县医保局2025年哪家更高？")
    first = answer.answer.split("。")[0]
    assert "柳林县医疗保障局的占比更高" in first and "36.92个百分点" in first
    assert _step(answer, "difference")["inputs"]["expression"] == "80.06 − 43.14 = 36.92个百分点"


def test_a_part_larger_than_its_whole_gets_no_share(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年卫生健康支出占公务接待费的比例是多少？")
    assert not any(s["op"] == "share" for s in answer.plan)
    assert "谈不上占它的比例" in answer.answer and "%" not in answer.answer


def test_compound_asks_are_split_only_when_each_stands_alone() -> None:
    asks = split_compound("柳林县工信局2024年政府采购预算总额是多少？其中采购服务的是多少？")
    assert asks is not None and [a.needs_topic for a in asks] == [False, True]
    asks = split_compound("柳林县工信局2024年纳入绩效目标管理的二级项目有几个，一共多少钱？")
    assert asks is not None and asks[1].needs_topic  # the money of the things just counted
    assert split_compound("孝义市财政局2026年公务接待费是多少？为什么没有变化？") is None  # the reason of it
    assert split_compound("两家的住房公积金各是多少？相差多少？") is None  # the gap between them


def test_a_total_and_a_part_of_it_are_both_answered(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年政府采购预算总额是多少？其中采购服务的是多少？")
    assert "36.49万元" in answer.answer and "31.70万元" in answer.answer
    assert "68.19" not in answer.answer  # not summed: the second is a part of the first


def test_a_count_and_the_money_of_what_is_counted(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年纳入绩效目标管理的二级项目有多少个？总金额是多少？")
    text = answer.answer
    assert "28个" in text and "101.59万元" in text
    assert text.index("28个") < text.index("101.59万元")


def test_the_level_of_government_paying_for_a_project(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局的2025年度医疗救助资金县级补助是哪一级财政出钱？")
    first = answer.answer.split("。")[0]
    assert first.startswith("有安排的是市县（区）财政资金（8731080元）")
    assert "中央财政资金、省级财政资金为0" in first


def test_a_count_written_in_chinese_numerals_is_said_with_digits(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年内设多少个职能股室？")
    assert "十四个（14个）职能股室" in answer.answer and not answer.refused


def test_which_of_two_items_is_larger_in_one_document(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年工资福利支出和商品和服务支出哪一项更多？")
    assert answer.answer.startswith("工资福利支出更多，比商品和服务支出多330.24万元")
    assert _step(answer, "difference")["inputs"]["expression"] == "393.89 − 63.65 = 330.24"


def test_which_department_has_the_most_of_an_item(assistant: Assistant) -> None:
    answer = assistant.ask("这几个部门当中，哪个部门的支出总计最高？")
    first = answer.answer.split("。")[0]
    assert "最多的是柳林县工业和信息化局2024年度部门预算，17944.67万元" in first
    figures = [s["result"] for s in answer.plan if s["op"] == "figure"]
    assert sorted(figures) == sorted(["17944.67万元", "9527.11万元", "2658.32万元", "2355.13万元"])
    assert next(s for s in answer.plan if s["op"] == "argmax")["result"] == "17944.67万元"


def test_which_of_two_named_departments_has_the_least(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局和柳林县医保局，哪个单位的住房公积金最少？")
    first = answer.answer.split("。")[0]
    assert (
        first.startswith("所问的几个部门中")
        and "最少的是柳林县医疗保障局2025年度部门预算，45.08万元" in first
    )
    argmin = next(s for s in answer.plan if s["op"] == "argmin")
    assert argmin["inputs"]["doc"] == "柳林县医疗保障局2025年度部门预算" and argmin["result"] == "45.08万元"
    assert len([s for s in answer.plan if s["op"] == "figure"]) == 2


def test_a_change_stated_with_yu_shang_nian_xiang_bi_is_found(assistant: Assistant) -> None:
    answer = assistant.ask("医保局2025年公务接待费跟去年比少了多少钱？")
    first = answer.answer.split("。")[0]
    assert "公务接待费0.23万元，比上年减少0.02万元" in first


def test_another_line_s_change_is_not_given_as_the_asked_one(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年的基本支出比上年增加了多少？")
    first = answer.answer.split("。")[0]
    assert first == "孝义市财政局2026年度部门预算没有单独说明基本支出与上年相比的变化"
    assert "基本支出为1339.21万元" in answer.answer
    assert "文件说明的是本年部门预算支出总计2355.13万元，比上年增加129.30万元" in answer.answer


def test_each_part_of_a_named_whole_gets_its_share(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年政府采购当中，货物和服务各占多少？")
    shares = {s["inputs"]["part"]: s["result"] for s in answer.plan if s["op"] == "share"}
    assert shares == {"政府采购货物预算": "26.12%", "政府采购服务预算": "73.88%"}


def test_an_average_per_vehicle_of_one_document(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年公务用车运行维护费平均每辆公车是多少？")
    assert "平均每辆2.25万元（4.50 ÷ 2 = 2.25）" in answer.answer


def test_an_average_without_a_count_says_so(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年平均每个干部的人员经费有多少？")
    assert answer.answer.startswith("孝义市财政局2026年度部门预算没有可用于平均的人数")
    assert "人员经费为1268.70万元" in answer.answer


def test_an_income_line_is_read_from_the_income_tables(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年一般公共预算拨款和政府性基金预算拨款各有多少？")
    figures = [s for s in answer.plan if s["op"] == "figure"]
    assert figures[0]["result"] == "2355.13万元"  # not the 三公 table's funding column (1.60万元)


def test_an_item_printed_under_two_classes_is_summed_among_several_items(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年差旅费和公务用车运行维护费加起来多少？")
    assert "差旅费共1.40万元（1.10 + 0.30 = 1.40" in answer.answer
    assert answer.answer.startswith("合计5.40万元（1.40 + 4.00 = 5.40）")


def test_the_bare_words_spending_and_income_name_the_totals(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年支出有多少？收入有多少？")
    assert "支出总计为17944.67万元" in answer.answer and "收入总计为17944.67万元" in answer.answer


def test_the_dearest_project(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年哪个项目最贵？")
    assert "最多的是“2025年孝义市工程造价咨询费”，300.00万元" in answer.answer


def test_projects_named_by_a_topic_and_their_total(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年跟医疗救助有关的项目都有哪些？")
    assert "名称含“医疗救助”的项目合计1733.24万元（883.33 + 49.91 + 800.00 = 1733.24）" in answer.answer
    assert [s["result"] for s in answer.plan if s["op"] == "figure"] == [
        "883.33万元",
        "49.91万元",
        "800.00万元",
    ]


def test_the_second_largest_project(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年的项目中金额第二大的是哪一个？")
    assert "排第二的是“2026年孝义市工程造价咨询费”，100.00万元" in answer.answer
    assert next(s for s in answer.plan if s["op"] == "pick")["result"] == "100.00万元"


def test_the_top_three_keep_a_tie_at_the_boundary(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年金额前三的项目有哪些？")
    picked = [s["result"] for s in answer.plan if s["op"] == "pick"]
    assert picked == ["10200.00万元", "3000.00万元", "1000.00万元", "1000.00万元"]


def test_a_multiple_of_one_figure_over_another(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年的项目支出是基本支出的几倍？")
    assert answer.answer.startswith("项目支出是基本支出的19.00倍（9050.78 ÷ 476.33 = 19.00）")


def test_everyday_words_for_economic_items(assistant: Assistant) -> None:
    heating = assistant.ask("柳林县工信局2024年供暖方面的开支是多少？")
    assert "取暖费（商品和服务支出）为0.80万元" in heating.answer
    post = assistant.ask("孝义市财政局2026年电话费预算多少？")
    assert "邮电费（办公经费）为2.00万元" in post.answer


def test_a_rank_asked_as_a_place(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年项目金额排在第三位的是哪个？")
    assert "排第三的是“PPP项目咨询服务费”，100.00万元" in answer.answer


def test_a_sum_worded_put_together_across_documents(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年和柳林县医保局2025年的住房公积金合在一起有多少？")
    assert answer.answer.startswith("合计85.44万元（40.36 + 45.08 = 85.44）")


def test_a_topic_then_a_comparison_of_two_documents(assistant: Assistant) -> None:
    answer = assistant.ask("政府采购里的货物预算，孝义市财政局2026年比柳林县医保局2025年多出多少？")
    assert answer.answer.startswith("孝义市财政局更多，比柳林县医疗保障局多42.23万元（45.60 − 3.37 = 42.23）")


def test_lines_listed_with_a_count_are_each_answered(assistant: Assistant) -> None:
    answer = assistant.ask(
        "晋城市信访局2024年住房公积金、行政单位医疗和机关事业单位基本养老保险缴费支出这三项分别是多少钱？"
    )
    figures = [s["result"] for s in answer.plan if s["op"] == "figure"]
    assert figures == ["39.49万元", "18.81万元", "40.40万元"]  # not read as two units sharing the last line


def test_a_whole_divided_into_listed_parts_answers_each_and_names_the_missing(assistant: Assistant) -> None:
    answer = assistant.ask(
        "柳林县工信局2024年的社会保障和就业支出分为行政事业单位养老支出、抚恤两部分，每部分多少？"
    )
    assert [s["result"] for s in answer.plan if s["op"] == "figure"] == ["44.15万元"]
    assert [s["inputs"]["item"] for s in answer.plan if s["op"] == "missing"] == ["抚恤"]
    assert "没有单列“抚恤”" in answer.answer
    bodies = assistant.ask(
        "柳林县工信局2024年项目预算里，局本级、国有资产服务中心、城镇集体联合社这三家各多少？"
    )
    assert [s["result"] for s in bodies.plan if s["op"] == "figure"] == [
        "6733.09万元",
        "10214.53万元",
        "93.00万元",
    ]
    listed = assistant.ask("柳林县医保局2025年的三公经费包括公务接待费和公务用车运行维护费，各是多少？")
    assert [s["result"] for s in listed.plan if s["op"] == "figure"] == ["0.23万元", "4.00万元"]


def test_two_documents_compared_on_a_measure_that_is_not_money(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局和柳林县医保局，谁的办公用房面积更大？大出多少？")
    difference = _step(answer, "difference")
    assert difference["result"] == "6.47平方米" and difference["inputs"]["larger"] == "柳林县医疗保障局"
    assert answer.answer.startswith("柳林县医疗保障局更大，比晋城市信访局多6.47平方米")


def test_a_multiple_of_two_figures_the_texts_state(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年预算收入总计是晋城市信访局2024年的几倍？")
    assert _step(answer, "divide")["result"] == "0.25"
    assert "2355.13 ÷ 9527.11 = 0.25" in answer.answer


def test_a_threshold_with_an_aspect_particle_and_activities_named_by_purpose(assistant: Assistant) -> None:
    over = assistant.ask("晋城市信访局2024年超过了100万元的项目有哪些？")
    assert "8620.78万元" in over.answer and "180.00万元" in over.answer and "50.00万元" not in over.answer
    union = assistant.ask("柳林县工信局2024年用在工会活动上的钱有多少？")
    assert "工会经费共1.18万元（0.44 + 0.74 = 1.18）" in union.answer


OTHER = Path("/work/shared/corpus_other")


@pytest.mark.slow
@pytest.mark.skipif(not OTHER.is_dir(), reason="/work/shared/corpus_other is not on this machine")
def test_a_functional_class_the_table_does_not_list_is_an_implied_zero(tmp_path: Path) -> None:
    settings = load_settings(store_dir=tmp_path, embedder="hash")
    Ingestor(settings).ingest([OTHER / "2026_上海市普陀区司法局_部门预算.pdf"])
    answer = Assistant.from_settings(settings).ask("普陀区司法局2026年部门预算在教育方面安排了多少？")
    step = _step(answer, "unlisted")
    assert step["result"] == "0.00万元" and step["inputs"]["item"] == "教育支出"
    assert "没有列出“教育支出”" in answer.answer and "合计9628.22万元" in answer.answer
    listed = Assistant.from_settings(settings).ask("普陀区司法局2026年部门预算的卫生健康支出多少？")
    assert not any(s["op"] == "unlisted" for s in listed.plan) and listed.citations


def test_a_per_person_average_over_the_headcount_the_question_names(assistant: Assistant) -> None:
    staffed = assistant.ask("柳林县工信局2024年人员经费按编制人数平均到每个人是多少？")
    assert "编制人数8人，平均每人17.23万元（137.87 ÷ 8 = 17.23）" in staffed.answer
    present = assistant.ask("柳林县工信局2024年人均人员经费多少？")  # no kind named: the staff in post
    assert "在职人数4人，平均每人34.47万元（137.87 ÷ 4 = 34.47）" in present.answer


def test_projects_asked_by_their_exact_name_are_all_listed_and_summed(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年叫补充业务费的项目有哪些？")
    assert [s["result"] for s in answer.plan if s["op"] == "figure"] == [
        "22.33万元",
        "4.33万元",
        "199.00万元",
        "4.53万元",
    ]
    assert "合计230.19万元（22.33 + 4.33 + 199.00 + 4.53 = 230.19）" in answer.answer


def test_a_share_asked_as_percent_how_many_of_a_whole_named_with_a_placeholder(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年医疗救助这一块里，省级财政医疗救助补助资金占了百分之多少？")
    share = _step(answer, "share")
    assert share["result"] == "2.88%" and share["inputs"]["whole"] == "医疗救助"
    assert "49.91 ÷ 1733.24 × 100% = 2.88%" in answer.answer


def test_which_unit_a_project_is_listed_under(assistant: Assistant) -> None:
    unit = assistant.ask("柳林县医保局2025年“企业退休人员大病保险”是哪个单位的项目？")
    assert [s["result"] for s in unit.plan if s["op"] == "attribute"][-1] == "柳林县医疗保险服务中心"
    assert "15.45万元" in unit.answer and "列在“柳林县医疗保险服务中心”名下" in unit.answer
    own = assistant.ask("柳林县工信局2024年国有企业退休人员社会化管理这个项目由谁来实施？")
    assert "22.00万元" in own.answer and "列在部门本级名下" in own.answer


def test_documents_ranked_by_who_then_the_spread_between_the_ends(assistant: Assistant) -> None:
    answer = assistant.ask("这几个部门里谁的支出总计最少？最多的和最少的相差多少？")
    assert [s["doc"] for s in (s["inputs"] for s in answer.plan if s["op"] == "argmin")] == [
        "孝义市财政局2026年度部门预算"
    ]
    assert _step(answer, "difference")["result"] == "15589.54万元"
    assert "（17944.67 − 2355.13 = 15589.54）" in answer.answer
    few = assistant.ask("几家单位里，谁的公务接待费最少？")  # 几家 counts the bodies, not the figure's unit
    assert _step(few, "argmin")["result"] == "0万元"


def test_projects_of_an_exact_amount_listed_and_summed(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年恰好1000万元的项目有哪些，加起来多少？")
    assert [s["result"] for s in answer.plan if s["op"] == "figure"] == ["1000.00万元", "1000.00万元"]
    assert _step(answer, "sum")["result"] == "2000.00万元"
    assert "乡村e镇项目建设培育资金" in answer.answer and "李家湾园区招商引资项目" in answer.answer
