"""What each of the template's 13 tables looks like without its title: header words and row labels.

In: a table number and the text of a block's first lines. Out: how well the text fits that table.
Used to number a table whose body has no title (only the 目录 names it), so the title is a hint
and the header shape decides.
"""

from __future__ import annotations

# The template's own names for the tables (year prefix added by the caller).
TEMPLATE_NAMES: dict[int, str] = {
    1: "预算收支总表",
    2: "预算收入总表",
    3: "预算支出总表",
    4: "财政拨款收支总表",
    5: "一般公共预算支出预算表（不含上年结转）",
    6: "一般公共预算安排基本支出分经济科目表（不含上年结转）",
    7: "政府性基金预算收入表（不含上年结转）",
    8: "政府性基金预算支出表（不含上年结转）",
    9: "国有资本经营预算收支预算表（不含上年结转）",
    10: "财政拨款安排“三公”经费支出预算表",
    11: "财政拨款安排机关运行经费预算表",
    12: "项目支出预算表（本年预算）",
    13: "项目支出预算表（上年结转）",
}

# Words that appear in a table's header or first rows (+) and words that rule it out (−).
_SHAPES: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    1: (("当年预算安排", "上年结转安排", "收入总计", "财政专户管理资金"), ("科目编码", "小计")),
    2: (("本年收入", "科目编码", "单位资金", "财政专户管理"), ("基本支出",)),
    3: (("科目编码", "基本支出", "项目支出"), ("本年收入", "经济科目", "政府性基金收入预算")),
    4: (("小计", "金额", "上年财政拨款结转", "收入总计"), ("科目编码",)),
    5: (("科目编码", "基本支出", "项目支出"), ("本年收入", "经济科目", "政府性基金收入预算")),
    6: (("经济科目", "人员经费", "公用经费", "工资福利支出"), ("项目支出",)),
    7: (("政府性基金收入预算", "收入科目编码"), ("基本支出", "国有资本经营收入预算")),
    8: (("科目编码", "基本支出", "项目支出"), ("本年收入", "经济科目", "国有资本经营")),
    9: (("国有资本经营收入预算", "国有资本经营预算支出", "收入科目编码"), ("人员经费",)),
    10: (("因公出国", "公务接待费", "公务用车"), ("科目编码",)),
    11: (("单位名称", "预算数", "部门合计"), ("科目编码", "公务接待费")),
    12: (("项目名称", "财政专户管理资金", "单位资金"), ("科目编码",)),
    13: (("项目名称",), ("科目编码", "单位资金", "财政专户管理资金")),
}


def shape_score(number: int, text: str) -> int:
    """Header words of table `number` found in `text`, minus the words that rule it out."""
    wanted, unwanted = _SHAPES[number]
    return sum(word in text for word in wanted) - 2 * sum(word in text for word in unwanted)
