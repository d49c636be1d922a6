"""Items, lists and superlatives over the bundled corpus: one economic item printed under several classes
of 表六 counted as one item, rows named in part or in everyday words, the largest functional class, and
project lists filtered by words in their names or by unit.

Wordings are the team's own (not from any eval set). Each test pins the figures stated as the answer,
the plan step that produced them and, for computed figures, the calculator's expression.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.plan.items import asked_items
from assistant.plan.merged_items import item_name
from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    return Assistant.from_settings(corpus_store.settings)


def _steps(answer: Any, op: str) -> list[dict[str, Any]]:
    return [s for s in answer.plan if s["op"] == op]


# ------------------------------------------------------------- one item under several classes of 表六


def test_the_largest_staff_item_is_ranked_by_the_sum_of_its_rows(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年的人员经费，哪一个科目花得最多？")
    (argmax,) = _steps(answer, "argmax")
    assert argmax["inputs"]["label"] == "基本工资" and argmax["result"] == "538.77万元"
    assert _steps(answer, "sum")[0]["inputs"]["expression"] == "101.61 + 437.16 = 538.77"
    assert "最多的是“基本工资”，538.77万元" in answer.answer and "101.61 + 437.16 = 538.77" in answer.answer
    assert not answer.notes  # every figure said is cited or computed: the verifier removed nothing


def test_the_largest_office_item_adds_its_rows_under_both_classes(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年公用经费各科目中金额最大的是哪个？")
    (argmax,) = _steps(answer, "argmax")
    assert argmax["inputs"]["label"] == "办公费" and argmax["result"] == "6.35万元"
    assert "3.75 + 2.60 = 6.35" in answer.answer


def test_the_smallest_item_is_the_sum_of_its_rows_too(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年公用经费里哪个科目的钱最少？")
    (argmin,) = _steps(answer, "argmin")
    assert argmin["inputs"]["label"] == "公务接待费" and argmin["result"] == "0.23万元"
    assert "0.03 + 0.20 = 0.23" in answer.answer


def test_the_second_largest_item_is_ranked_by_sums_too(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年公用经费里第二大的是哪个科目？")
    (pick,) = _steps(answer, "pick")
    assert pick["inputs"]["label"] == "其他交通费用" and pick["result"] == "14.82万元"  # 办公费 46.09 first
    top = assistant.ask("柳林县医保局2025年公用经费金额前三的科目是哪些？")
    assert [s["inputs"]["label"] for s in _steps(top, "pick")] == ["福利费", "劳务费", "其他商品和服务支出"]
    assert "0.43 + 4.16 = 4.59" in top.answer


def test_a_comparison_across_documents_adds_an_items_rows(assistant: Assistant) -> None:
    answer = assistant.ask("办公费预算，柳林县工信局2024年比晋城市信访局2024年少多少？")
    (difference,) = _steps(answer, "difference")
    assert difference["inputs"]["expression"] == "31.13 − 6.35 = 24.78"
    assert difference["inputs"]["smaller"] == "柳林县工业和信息化局"
    assert "3.75 + 2.60 = 6.35" in answer.answer


def test_who_has_more_of_an_item_printed_on_two_rows_in_both(assistant: Assistant) -> None:
    answer = assistant.ask("工会经费，晋城市信访局2024年和柳林县工信局2024年谁多？差多少？")
    (difference,) = _steps(answer, "difference")
    assert difference["inputs"]["expression"] == "5.05 − 1.18 = 3.87"
    assert "3.35 + 1.70 = 5.05" in answer.answer and "0.44 + 0.74 = 1.18" in answer.answer


# ------------------------------------------------------------------- the largest functional class


def test_where_most_of_the_money_goes_is_the_largest_class(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医保局2025年的钱主要用在哪一大类？")
    (argmax,) = _steps(answer, "argmax")
    assert argmax["inputs"]["label"] == "卫生健康支出" and argmax["result"] == "2560.32万元"
    assert _steps(answer, "rows")[0]["inputs"]["set"] == "支出功能分类的类"


def test_the_largest_class_and_its_share_of_the_named_whole(assistant: Assistant) -> None:
    answer = assistant.ask(
        "孝义市财政局2026年的钱大部分花在哪一类支出上？这一类占一般公共预算当年支出的百分之几？"
    )
    (argmax,) = _steps(answer, "argmax")
    assert argmax["inputs"]["label"] == "一般公共服务支出" and argmax["result"] == "1948.41万元"
    (share,) = _steps(answer, "share")
    assert share["result"] == "82.73%" and share["inputs"]["whole"] == "一般公共预算当年支出"
    assert "1948.41 ÷ 2355.13 × 100% = 82.73%" in answer.answer


# ------------------------------------------------------- lists filtered by name words or by unit


def test_projects_whose_names_hold_a_quoted_word_are_listed_and_summed(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年项目名称中带有“工程”字样的有哪些？合计多少？")
    labels = [s["inputs"]["label"] for s in _steps(answer, "figure")]
    assert labels == [
        "柳林晋西科技公司吕梁专家港配套设施建设工程款",
        "吕梁柳林高新技术产业开发区洪水沟柳林段工程款",
    ]
    assert _steps(answer, "sum")[0]["inputs"]["expression"] == "100.00 + 100.00 = 200.00"


def test_names_holding_every_quoted_word_when_asked_for_both(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年名称里同时含有“培训”和“经费”的项目有哪些，一共多少钱？")
    labels = [s["inputs"]["label"] for s in _steps(answer, "figure")]
    assert labels == ["全市财政干部职工培训经费", "农村财会人员培训经费"]  # not 培训班: no 经费 in it
    assert "25.00 + 22.00 = 47.00" in answer.answer


def test_an_unquoted_word_before_zi_filters_names_and_none_is_said(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年名字里有培训两个字的项目有哪些？")
    labels = [s["inputs"]["label"] for s in _steps(answer, "figure")]
    assert labels == ["全市财政干部职工培训经费", "农村财会人员培训经费", "2026年干部专业化能力提升培训班"]
    assert "25.00 + 22.00 + 1.00 = 48.00" in answer.answer
    none = assistant.ask("晋城市信访局2024年名字里带“平台”的项目有哪些？")
    assert "没有名称含“平台”的项目" in none.answer and _steps(none, "filter")[0]["result"] == "0项"


def test_the_departments_own_unit_lists_only_its_projects(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年局本级的项目有哪些？合计多少？")
    figures = _steps(answer, "figure")
    assert len(figures) == 16 and figures[0]["inputs"]["label"] == "乡村e镇项目建设培育资金"
    assert _steps(answer, "sum")[0]["result"] == "6733.09万元"
    assert "与表中“柳林县工业和信息化局”一行的小计相符" in answer.answer
    assert "关于申请柳林县人民医院迁建项目资金的请示" not in answer.answer  # the 国有资产服务中心's


def test_a_unit_left_out_is_not_listed(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县医疗保障局2025年，除了医疗保险服务中心，局里自己有哪些项目，合计多少？")
    labels = [s["inputs"]["label"] for s in _steps(answer, "figure")]
    assert labels == ["医疗服务与保障能力提升补助资金", "医保专项业务工作经费柳财预【2025】234号"]
    assert "50.00 + 20.00 = 70.00" in answer.answer


def test_the_other_units_when_the_own_level_is_left_out(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年除了局本级以外，其他单位有哪些项目？各多少？")
    (flt,) = _steps(answer, "filter")
    assert flt["inputs"]["condition"] == "柳林县国有资产服务中心、柳林县城镇集体联合社"
    assert _steps(answer, "sum")[0]["result"] == "10307.53万元"


# ------------------------------------------------ rows named in part or in everyday words


def test_parts_listed_after_a_heading_keep_a_joiner_the_row_name_prints() -> None:
    labels = ["政府采购系统及平台服务费", "国库一体化业务系统服务费"]
    asked = asked_items("那两笔服务费——政府采购系统及平台、国库一体化业务系统，各列了多少？", labels)
    assert asked.context == "服务费"
    assert asked.items == ["政府采购系统及平台", "国库一体化业务系统"]  # 及 inside a name splits nothing


def test_each_part_named_after_a_dash_is_answered(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年这几笔培训——全市财政干部职工、农村财会人员，各列了多少？")
    figures = {s["inputs"]["label"]: s["result"] for s in _steps(answer, "figure")}
    assert figures == {"全市财政干部职工培训经费": "25.00万元", "农村财会人员培训经费": "22.00万元"}


def test_printing_in_everyday_words_is_the_printing_line(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年打印资料花多少钱？")
    assert _steps(answer, "sum")[0]["inputs"]["expression"] == "1.00 + 1.00 = 2.00"
    assert {s["inputs"]["label"] for s in _steps(answer, "figure")} == {
        "印刷费（办公经费）",
        "印刷费（商品和服务支出）",
    }
    project = assistant.ask("孝义市财政局2026年印材料的钱有多少？")  # a project named for printing
    assert "单据、文件、资料印刷费为10.00万元" in project.answer


def test_printing_a_document_does_not_print_is_refused(assistant: Assistant) -> None:
    answer = assistant.ask("晋城市信访局2024年复印文件的钱是多少？")
    assert answer.refused and "万元" not in answer.answer


def test_handing_out_welfare_is_the_welfare_line_summed(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年给职工发福利的预算是多少？")
    assert _steps(answer, "sum")[0]["inputs"]["expression"] == "1.28 + 2.16 = 3.44"
    assert "福利费共3.44万元" in answer.answer


def test_hosting_guests_named_with_the_guests_is_the_hosting_line(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局2026年接待客人的钱和差旅费各多少？")
    labels = [s["inputs"]["label"] for s in _steps(answer, "figure")]
    assert labels == ["公务接待费", "差旅费（办公经费）"]
    assert "公务接待费为0万元" in answer.answer and "差旅费（办公经费）为3.00万元" in answer.answer


def test_a_contest_in_everyday_words_is_the_contest_project(assistant: Assistant) -> None:
    answer = assistant.ask("孝义市财政局搞会计大赛的钱有多少？")
    assert "会计竞赛及其相关活动经费为3.00万元" in answer.answer and not answer.refused


def test_a_name_written_partly_in_letters_is_matched_by_its_head(assistant: Assistant) -> None:
    answer = assistant.ask("工信局的乡村e镇那笔钱有多少？")
    assert not answer.refused and "乡村e镇项目建设培育资金为1000.00万元" in answer.answer


def test_an_items_name_keeps_brackets_inside_it_and_drops_its_class() -> None:
    assert item_name("福利费（办公经费）") == "福利费"
    assert item_name("因公出国（境）费用（因公出国（境）费用）") == "因公出国（境）费用"
    assert item_name("住房公积金") == "住房公积金"
