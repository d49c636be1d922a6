"""Template vocabulary: everyday words and English → the budget terms the disclosures print.

In: a question. Out: `expand(question)` appends the budget terms its words stand for, so the matcher
compares like with like (买车养车 → 公务用车购置及运行费). Only vocabulary of the provincial disclosure
template and of everyday Chinese and English: nothing here is taken from one particular document.
"""

from __future__ import annotations

import re

# Everyday Chinese (a regular expression) → the template's own term(s).
EVERYDAY: list[tuple[str, str]] = [
    # class: running official cars, in everyday words
    (r"养车|车.{0,4}(花|钱)|(?<![购买])车费|用车.{0,2}费用", "公务用车购置及运行费"),
    # class: hosting guests, the guests named or not (接待来客 / 招待客人)
    (r"请客吃饭|请客|吃饭|招待|接待(来客|客人|来宾|宾客|外宾|来访的?人)?", "公务接待费"),
    (r"出国|出境", "因公出国（境）费"),  # class: travel abroad
    # class: kinds of trips abroad (出国考察, 出境培训)
    (r"出(国|境)(考察|访问|学习|培训|交流|开会|参观|招商)", "因公出国（境）费"),
    (r"公车运行|公车维护|养公车", "公务用车运行维护费"),  # class: keeping an official car running
    (r"买.{0,2}车|购.{0,2}车|新.{0,2}车", "公务用车购置费"),  # class: buying a (new) vehicle
    # class: short names of the functional classes (支出功能分类的类: 社保就业, 城乡社区, 农林水, 卫健, 科技,
    # 文旅体育, 资源勘探工信, 商业服务, 灾害应急): the class's printed name
    (r"社保(和|与|及)?就业|社会保障(和|与|及)?就业(?!支出)", "社会保障和就业支出"),
    (r"卫健|卫生(和|与)?健康(?!支出)", "卫生健康支出"),  # same class: a functional class's short name
    (r"城乡社区(?!支出)", "城乡社区支出"),  # same class: a functional class's short name
    (r"农林水(?!支出)", "农林水支出"),  # same class: a functional class's short name
    (r"(?<!科学)科技(?!局|部|厅|委)", "科学技术支出"),  # same class: a functional class's short name
    (r"文旅体育|文化旅游体育", "文化旅游体育与传媒支出"),  # same class: a functional class's short name
    (r"资源勘探|工业信息", "资源勘探工业信息等支出"),  # same class: a functional class's short name
    (r"商业服务业?(?!等支出)", "商业服务业等支出"),  # same class: a functional class's short name
    (r"灾害防治|应急管理(?!局)", "灾害防治及应急管理支出"),  # same class: a functional class's short name
    (r"医保", "医疗保险"),  # class: everyday abbreviations of insurance names
    (r"社保", "社会保障缴费 社会保险"),  # same class: everyday abbreviations of insurance names
    (r"修.{0,4}(设备|车|房|楼|电脑)|维修|修理|修缮", "维修"),  # class: repairs
    # class: official vehicles held (not when buying one is asked: 买新公车 is the purchase cost)
    (r"(?<![买购新])(公车|公务车)|几辆车|有车|用车|车辆", "公务用车 车辆实有 车辆编制"),
    # class: the office's size
    (r"办公室.{0,3}(多大|面积|最大|大小)|办公.{0,2}面积|办公用房|办公楼", "办公用房面积"),
    (r"建筑面积|办公的?(地方|场所|场地)|办公室$", "办公用房面积"),  # class: where the office is, as an area
    (r"多少人|几个人|多少名|人员编制|编制", "人员 编制 在职"),  # class: headcount
    (r"日常运转|机关.{0,2}运转|运转.{0,2}经费|运行经费", "机关运行经费"),  # class: keeping the office running
    (r"日常办公|办公.{0,2}经费", "公用经费"),  # class: day-to-day office spending
    (r"发工资|工资福利|人头费|养人", "人员经费"),  # class: paying the staff
    # class: a unit's own money, not appropriated (自己的钱 / 自有资金 / 自己的收入): the template's 单位资金
    (r"(单位|部门|机关)自(己|有)|自己的?(资金|钱|收入)|自有(资金|收入)?", "单位资金"),
    (r"公积金", "住房公积金"),  # class: everyday abbreviation of a contribution
    (r"退休(人员|的人|干部|职工|老同志)|离休|老干部", "离退休 退休费"),  # class: retirees in everyday words
    (r"办公用品|文具|纸张|打印纸|耗材", "办公费"),  # class: office supplies, an economic item
    (r"水电|水费|电费", "水费 电费"),  # class: utilities, economic items
    (r"暖气|取暖|供暖|烧锅炉", "取暖费"),  # class: heating, an economic item
    (r"电话费|话费|网费|寄东西|邮寄|快递|邮电", "邮电费"),  # class: post and telecoms, an economic item
    (r"工会", "工会经费"),  # class: the trade union's funds, an economic item
    (r"培训", "培训费"),  # class: training, an economic item
    # class: printing documents in everyday words (印材料 / 复印文件 / 打印资料), an economic item
    (r"(复印|打印|印刷|印制|印)(材料|文件|资料|文稿|册子|手册|表格|单据|宣传品)|复印费|打印费", "印刷费"),
    (r"比赛|大赛|赛事", "竞赛"),  # class: contests in everyday words (会计比赛 → 会计竞赛…经费)
    (r"年终奖|奖金|发奖励", "奖金"),  # class: bonuses, an economic item
    (  # class: a body's whole budget
        r"一共有多少钱|总共.{0,4}预算|一共.{0,4}预算|总预算|预算总额|全部预算|预算.{0,2}(总共|一共)|多少预算",
        "收入总计",
    ),
    (  # class: a body's total spending
        r"全部支出|总支出|支出总额|所有支出|全部的?开支|本部门支出|部门支出|本单位支出",
        "支出总计",
    ),
    (r"办项目|项目.{0,2}花|项目上", "项目支出"),  # class: spending on projects
    (r"采购|买东西|买.{0,2}东西", "政府采购"),  # class: buying goods and services
    # class: the procurement total asked without naming a part (货物/工程/服务)
    (r"^(?!.*(服务|货物|工程)).*(采购.{0,8}(多少|总)|买.{0,2}东西)", "总额"),
    # class: the procurement total named as an item without 总额 (政府采购预算, no 货物/工程/服务 part)
    (r"^(?!.*(服务|货物|工程)).*政府采购预算", "总额"),
    (r"买服务|购买服务", "服务"),  # class: purchasing services
    (r"结转", "上年结转"),  # class: money carried over
    (r"结转过来|没花完|结余下来", "上年结转"),  # same class, in everyday words (上年没花完结转过来的钱)
    (r"看病|医药费", "医疗费"),  # class: medical costs
    (r"搬迁|搬家", "迁建 搬迁"),  # class: relocation projects
    (r"编.{0,2}志", "编撰"),  # class: compiling local chronicles (编县志, 编史志), a common project kind
    (r"养老保险", "基本养老保险缴费"),  # class: everyday name of a contribution
    (r"三公", "三公经费"),  # class: the everyday abbreviation of 三公经费
    (  # class: whether the budget went up or down
        r"(预算|钱)[^支收出入]{0,8}(比去年|比上年|涨了|增加|减少|少了|多了)|(预算|钱).{0,4}怎么",
        "预算收入总计",
    ),
    (r"股室|科室|内设|部门设置|机构设置|设了几个", "内设机构 职能股室"),  # class: internal units
    (r"下属|所属", "下属单位"),  # class: subordinate units
    (r"干什么|做什么|干啥|用途|用在", "主要内容 用途 绩效目标"),  # class: what money is for
    # class: levels of government as everyday words for who pays (省里出的, 县上给的); the formal 省级/县级
    # name projects (省级财政医疗救助补助资金) and are left to the labels
    (r"中央(出|给|拨)|中央$", "中央财政资金"),  # same class: the central level
    (r"省里|省上", "省级财政资金"),  # same class: the provincial level
    (r"县里|市里|县上|市上", "市县财政资金"),  # same class: the local level, printed 市县（区）财政资金
]

# English → Chinese template terms (general budget vocabulary); each entry's class is its English term.
ENGLISH: list[tuple[str, str]] = [
    (r"total revenue|total income|revenue budget", "收入总计"),  # class: total revenue
    (r"total (budget|spending|expenditure)", "支出总计"),  # class: total spending
    (r"basic expenditure", "基本支出"),  # class: basic expenditure
    (r"project expenditure|project spending", "项目支出"),  # class: project spending
    (r"three public|official receptions? and cars", "三公经费"),  # class: the three public expenses
    (r"reception", "公务接待费"),  # class: hosting guests
    (r"overseas|abroad|outbound|foreign trips?", "因公出国（境）费"),  # class: travel abroad
    (r"official (car|vehicle)s?|\bvehicles?\b|\bcars?\b", "公务用车 车辆实有"),  # class: official vehicles
    # class: office space
    (r"office (floor )?(area|space)|floor area|(how big|how large).{0,30}office", "办公用房面积"),
    (r"government procurement|procurement", "政府采购 总额"),  # class: procurement
    (r"housing provident fund|provident fund", "住房公积金"),  # class: housing fund contributions
    (r"administrative operating|operating expenses|running costs", "机关运行经费"),  # class: running costs
    (r"personnel (costs|expenses)|staff costs", "人员经费"),  # class: staff costs
    (r"public (funds|expenses) for office", "公用经费"),  # class: office spending
    (r"staff|employees|headcount|how many people", "人员 编制 在职"),  # class: headcount
    (r"\bhospitals?\b", "医院"),  # class: general vocabulary (hospital)
    (r"relocat", "迁建 搬迁"),  # class: relocation projects
    (r"petition", "信访"),  # class: a kind of department's work (letters and visits)
    (r"\bshare\b|proportion|percentage", "占比"),  # class: shares
    (r"compared with|change|increase|decrease", "比上年"),  # class: change against last year
    (r"\bwhy\b|reason", "原因"),  # class: reasons
    (r"carried over|carry-over", "上年结转"),  # class: money carried over
]

# English names of kinds of department → the words Chinese department names use for them.
ENGLISH_DEPARTMENTS: list[tuple[str, tuple[str, ...]]] = [
    (r"industry|industrial|information technology", ("工业和信息化", "工信")),
    (r"\bfinance|\bfinancial", ("财政",)),
    (r"health ?care security|medical (insurance|security)", ("医疗保障", "医保")),
    (r"letters and (calls|visits)|petitions? (bureau|office)", ("信访",)),
    (r"\beducation", ("教育",)),
    (r"public security|\bpolice", ("公安",)),
    (r"civil affairs", ("民政",)),
    (r"human resources|social security", ("人力资源和社会保障", "人社")),
    (r"natural resources", ("自然资源",)),
    (r"ecolog|environment", ("生态环境",)),
    (r"transport", ("交通运输",)),
    (r"agricultur|rural affairs", ("农业农村",)),
    (r"water resources|water conservancy", ("水利",)),
    (r"health commission|health and family", ("卫生健康", "卫健")),
    (r"\baudit", ("审计",)),
    (r"statistic", ("统计",)),
    (r"market (regulation|supervision)", ("市场监督管理", "市场监管")),
    (r"emergency management", ("应急管理",)),
    (r"culture|tourism", ("文化和旅游", "文旅")),
    (r"housing and (urban|construction)", ("住房和城乡建设", "住建")),
]

# Kinds of information a 部门预算公开 never discloses, whatever the department (each entry a class):
# a person's name, a person's pay, a brand or model, an address or phone, a supplier, actual spending
# (决算, not 预算). Anything else is refused from the evidence (assistant/plan), not from wording.
UNDISCLOSED: list[tuple[str, str]] = [
    (r"牌子|品牌|型号|brand|make of", "品牌型号"),  # class: brand or model of a purchase
    (r"叫什么名字|姓名|是谁|叫什么|who is", "个人姓名"),  # class: a person's or firm's name
    (
        r"一个月工资|月薪|年薪|平均工资|人均工资|个人工资|(局长|主任|科长|书记|领导).{0,6}(工资|收入|拿多少)",
        "个人或人均工资",
    ),  # class: a person's pay
    # class: an address (地址, 在哪儿办公, 办公楼在哪)
    (r"地址|在哪儿办公|在哪里办公|办公地点|(办公楼|办公室|单位|机关|大楼).{0,3}在哪|address", "办公地址"),
    (r"电话(?!费)|联系方式|phone(?! bill)", "联系电话"),  # class: contact details (电话费 is a cost)
    (r"哪家公司|中标|供应商|承包商|supplier", "供应商"),  # class: who was contracted
    (
        r"决算(?!审)|实际(花|支出|用|执行)|到年底.{0,6}花",
        "决算数",
    ),  # class: actual spending (决算审计 is a service)
]

# Identity kinds among them (a name, a brand, an address, a phone, a supplier): a question for how MANY
# of them (培育多少个品牌, 几家供应商) asks a count, which the evidence may state, not the identity.
_IDENTITY_TOPICS = {"品牌型号", "个人姓名", "办公地址", "联系电话", "供应商"}
# Class: questions for a count of people or things (几个/多少个/几位/多少名/几户/几家/几项).
COUNT_ASKED = re.compile(r"(几|多少)(个|位|名|户|家|项|所|座|件)|多少人|几人")

_EN_WORD = re.compile(r"[A-Za-z]{3,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A bracketed aside: the inner text may not hold an opening bracket, so an unbalanced run of brackets
# (`((((…`) is scanned once, not once per bracket (linear time on any question).
_BRACKETED = re.compile(r"[（(][^（()）]*[）)]")


def is_english(question: str) -> bool:
    """True when the question is written in English (Chinese terms in brackets allowed)."""
    latin = len(_EN_WORD.findall(question))
    cjk_outside = len(_CJK.findall(_BRACKETED.sub("", question)))
    return latin >= 3 and cjk_outside <= latin * 2


def expand(question: str) -> str:
    """The question followed by the budget terms its everyday or English words stand for."""
    extra: list[str] = []
    lowered = question.lower()
    for pattern, term in EVERYDAY:
        if re.search(pattern, question):
            extra.append(term)
    for pattern, term in ENGLISH:
        if re.search(pattern, lowered):
            extra.append(term)
    return question + (" " + " ".join(extra) if extra else "")


def undisclosed_topic(question: str) -> str | None:
    """The kind of information asked for that budget disclosures do not hold, or None."""
    lowered = question.lower()
    for pattern, topic in UNDISCLOSED:
        if re.search(pattern, lowered) and not (topic in _IDENTITY_TOPICS and COUNT_ASKED.search(lowered)):
            return topic
    return None


_EN_ORG = r".{0,40}?\b(?:bureau|office|department|commission|administration|center|centre)\b"
_EN_PLACE = r"(?:\s+of\s+(?!the\b)[a-z][\w-]*(?:\s+(?:county|city|district))?)?"


def english_department_words(question: str) -> list[tuple[str, ...]]:
    """For an English question, the Chinese words of each kind of department it names (finance → 财政)."""
    lowered = question.lower()
    return [words for pattern, words in ENGLISH_DEPARTMENTS if re.search(f"(?:{pattern}){_EN_ORG}", lowered)]


def english_department_phrase(question: str) -> str | None:
    """The words an English question names a department with (`the education bureau of Liulin`), or None."""
    for pattern, _ in ENGLISH_DEPARTMENTS:
        match = re.search(f"(?:{pattern})[\\w-]*{_EN_ORG}{_EN_PLACE}", question, re.IGNORECASE)
        if match:
            phrase = match.group(0).strip()
            return phrase if phrase.lower().startswith("the ") else f"the {phrase}"
    return None
