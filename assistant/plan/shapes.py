"""The question shapes the planner recognises, as wording classes (each regex names its class).

In: a question. Out: which shape it has; nothing here names a department, a project or a test question.
"""

from __future__ import annotations

import re

# Class: superlative wordings (最大/最多/最高 → argmax; 最少/最小/最低 → argmin),
# and where most of the money goes (钱主要花在哪一类 / 大部分用在哪儿).
MOST = re.compile(
    r"最(大|多|高|贵)|数额最大|金额最大|花.{0,2}最多|大头|(主要|大部分|大多|多半)(是)?(花|用|投)(在|到|于|给)"
)
LEAST = re.compile(r"最(少|小|低|便宜|省)")
# Class: items left out of a ranking (除了X以外哪项最多 / 不算X，最大的是 / X除外): X is not ranked.
LEFT_OUT = re.compile(
    r"(?:除了|除去|除开|不算|不计|刨去)(?P<left>[^，,。？?]{1,20}?)(?:的话)?(?=以外|之外|外|[，,。？?]|哪|谁|最)|"
    r"(?P<left_after>[^，,。？?]{1,20}?)除外"
)
# Class: a rank other than the first (第二大 / 第三多 / 前三名 / 排名前五): the n-th or the top n.
RANK = re.compile(
    r"第(?P<nth>[二三四五六七八九十\d]+)(?=大|多|高|少|小|低|名|位|的|个|项)|前(?P<top>[二三四五六七八九十\d]+)(名|位|个|项|大)?"
)
_CN_DIGITS = {"二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def numeral(text: str) -> int | None:
    """The rank a RANK match names (第二 → 2, 前3 → 3), or None."""
    if text.isdigit():
        return int(text)
    return _CN_DIGITS.get(text)


# Class: a ratio or multiple of two figures (A和B之比 / A是B的几倍 / 比值).
RATIO = re.compile(r"之比|比值|是.{1,16}的(多少|几)倍|(多少|几)倍")
# Class: which level of government pays (哪一级财政出的 / 资金来源是哪一级 / 哪级资金): the levels as slots.
FUNDING_LEVEL = re.compile(r"(是|由|来自|属于)?哪一?级(政府|财政)?(出|给|拨|安排)?的?(钱|资金|经费)?")
# Class: attribute questions (which column, which class of funds, which subject code).
ATTRIBUTE = re.compile(
    r"基本支出还是项目支出|项目支出还是基本支出|属于(哪|什么)|哪(类|种|一类|个科目|一级)|科目编码|什么科目|"
    r"新批.{0,8}还是.{0,6}结转|还是上年结转|结转.{0,6}还是|还是.{0,4}(今年|当年|本年)新|"
    r"哪(个|家|一个)(下属)?单位|由谁(来)?(实施|执行|负责)|谁(来)?(实施|执行|负责)"  # which unit runs it
)
# Class: comparison of the same item across documents or of two items (谁高/哪个多/差多少/A比B多多少).
COMPARE = re.compile(
    r"谁|哪(个|一个|项|一项|边)更?(多|高|大|少|低)|哪家|差多少|相差|多多少|少多少|高多少|低多少|多出|差额|比(?![例重率])[^，,。？?]{1,12}(多|少|高|低)"
)
# Class: a choice between named alternatives (A还是B / A或者B): which of them holds the amount.
ALTERNATIVES = re.compile(r"还是|或者")
# Class: a share of a named whole (占本部门支出的百分之几 / 占总支出的比例 / 在X中的比重).
SHARE_OF = re.compile(
    r"占(?!了?(?:多少|百分|几成|多大|比))(?P<whole>[^，,。？?占]{2,14}?)的?(百分之几|百分比|比例|比重|多少)"
)
# Class: a share of a whole named before it without 占 (A在B里的比重 / A在B中的比例 / 在B当中的占比).
SHARE_WITHIN = re.compile(
    r"在(?P<whole>[^，,。？?在占]{2,14}?)(?:里面|里|中|当中)的?(?:比重|比例|占比|百分比)(?:是|为)?"
)
# Class: a share asked without naming the whole (占多少比例 / 占比多少 / 所占比重): of its table's total.
SHARE_BARE = re.compile(
    r"占(了)?(多少|百分之几|百分之多少|几成|多大)的?(比例|比重|百分比)?|占比|所占(比例|比重)"
)
# Class: aggregation wordings (加起来/一共/合计/总共/之和).
SUM = re.compile(r"加起来|合起来|(加|合|算)(在|到)一起|一共|总共|合计|之和|共计")
# Class: a change against another year (the document's own stated change answers it, changes.py).
CHANGE = re.compile(
    r"比(上|去)年|比上一年|(比|跟|和|与|同|较)20\d\d年?|(跟|和|与|同|较)(上一?|去)年(相比|比)|增加还是减少|增减|变化|怎么样|涨|降|同比"
)
# Class: counts and measures other than money (几个/多少人/几辆): the unit-aware look-up answers them;
# 那几笔/这几个 point at things the question names, they ask no count.
COUNT = re.compile(
    r"(?<![那这])几个|多少个|多少人|几人|几辆|多少辆|面积|多大|几台|(?<![那这])几笔|(?<![那这])[两三四五六七八九]笔"
)
# Class: what a money item's name ends with (费/金/款/支出/经费/资金/收入/补助): worth naming as not listed.
MONEY_ITEM = re.compile(r"(费|金|款|支出|经费|资金|收入|补助|补贴|拨款|保险|工资)$")
# Class: a threshold on amounts (500万元以上 / 超过50万元 / 不少于 / 以下 / 不到).
THRESHOLD = re.compile(
    r"(?:超过|高于|大于|不少于|不低于|多于|低于|少于|不到|不足)了?\s*(\d+(?:\.\d+)?)\s*(万元|元)|"
    r"(\d+(?:\.\d+)?)\s*(万元|元)\s*(以上|及以上|或以上|以下|及以下|以内)|"
    r"(?:正好|恰好|刚好|等于)(?:是|为)?\s*(\d+(?:\.\d+)?)\s*(万元|元)"  # an exact amount
)
# Class: what a total is made of (由哪几项组成/构成/包括哪些项/分成哪几块).
PARTS = re.compile(
    r"由哪.{0,4}(组成|构成)|包括哪(几|些)(项|部分|科目|块)|分(成|为)哪(几|些)|(组成|构成)部分|"
    r"各项(分别)?(是|为|有)?多少|每一?项(分别)?(是|为)?多少"  # each part of a named total, asked by amount
)
