"""What a question asks for: its items (the slots), the context they sit in, and whether a figure's label
really names an item.

In: the question without department names and years (`Query.plain`). Out: `AskedItems` (context phrase,
item phrases in order, the ask words) and `names_item(item, label)`, the check that turns "the nearest
figure" into "the figure asked for" (物业费 is not 办公费: refuse instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.lexicon import EVERYDAY

# Question words that ask for a figure (class: how-much / which / whether wordings); removed from items.
_ASK = re.compile(
    r"(分别|各自|各|一共|总共|合计|共)?(是|为|有|要|安排了?|花了?|给了?|能报|需要|交|预算|列了?|占)?"
    r"(多少钱|多少万元|多少|多大|几何|啥|什么|几)(钱|万元|元|平方米|平米|个人|人|名|位|个|辆|台|项)?|"
    r"分别|各自|各项|各|吗|呢|么|呀|的钱|钱|都?包括|包含|都有|是指|指的是"
)
# Operation and time words (class: comparison, aggregation, superlative and period wordings): not items.
_OPERATION = re.compile(
    r"(谁|哪(个|一个|项|一项|边|家))(的|更|要|花得|花的|用得)?(多|高|大|少|低)?|哪一?[类笔]|最(大|多|少|小|高|低)|加起来|(加|合|算)(在|到)一起|一共|合计|总共|相差|差额|比较|"
    r"^(高|低|多|少|差)(多少|几)?$|(高|低|多|少|差)(多少|几)$|一年|今年|每年|全年|现在|目前|大概|大约|约|"
    r"两家|两者|二者|这两[块项笔个]|这些|那些|(这|那)?[两二三四几]样|这一?[项笔块类]|那一?[项笔块类]|^比(多|少|高|低)?(出|了)?$|"
    r"^(更|还|再)?(多|少|高|低|大|小)(出|了|些|一些)?$|(更|还要|比较)(多|少|高|低|大|小)$|"
    r"(花|用|要)?得(更)?(多|少|高|低)$|(?<=[费出入金款额计])(差|差了|差距|差额)$|"
    r"(?<=面积|人数|金额|数额|规模|编制)(更|要)?(大|小|多|少|高|低)$"  # 哪家面积大: a measure compared
)
_FIGURE = re.compile(r"[\d,.]+\s*(万元|元|亿元|%)?")
# The asker's hedges and checks (class: 我看/我觉得/好像/听说 …, 真的吗/对吗 …, and a clause's opening
# 可/但是): how the asker feels about the figure, not an item.
_HEDGE = re.compile(
    r"我看|我觉得|我感觉|感觉|好像|似乎|貌似|听说|据说|是不是真的|是真的吗|真的吗|对不对|对吗|没错吧|是吧|"
    r"(?<=[，,；;。！!])\s*(?:可是|但是|不过|可|但)(?=[\u4e00-\u9fff])"
)
# The asker's remarks on sizes (class: 人少钱也少 / 钱不多): a clause of only such remarks is no item.
_REMARK = re.compile(
    r"(?:(?<=^)|(?<=[，,；;。！!]))\s*(?:[\u4e00-\u9fff]{1,2}(?:也|都|还|又|不)?(?:少|多)){1,3}(?=[，,；;。！!])"
)
# What is left of a comparison once the compared body's name is taken out (class: 比 还高 / 比 更多 /
# 比 多): the comparison's frame, not a part of the item.
_COMPARED_FRAME = re.compile(r"比\s+(?:还|更|要|还要)?(?:高|多|低|少|大|小)(?:出|了|一些|些)?")
# Where the items sit (class: locative phrases: X里 / X中 / X下面 / 在X中 / X当中 / X方面).
_CONTEXT = re.compile(
    r"^(?:在)?(.{2,24}?)(?:里面|里|当中|之中|中(?![心央标])|下面|下边|下(?![属岗达])|方面|项下)[，,：:]?"
)
# Joiners between items (class: Chinese coordination: 、 和 与 及 以及 还有 跟 加上, and alternatives:
# 还是 或者; not 同, which is mostly inside words: 合同, 同比, 共同).
_JOINERS = re.compile(r"[、，,；;/？?。！!：:]|以及|还有|加上|还是|或者|和|与|及|跟")
# Generic heads every budget line may end with (class: money nouns): the item's own head is before them.
_GENERIC_TAIL = re.compile(
    r"(预算拨款|预算资金|预算|拨款|资金|经费|支出|费用|金额|的钱|钱|款项|款|数|额|"
    r"项目|收支|收入|东西|方面|部分|这块|那块|这一块|这笔|那笔|这项|这部分|之类|等等|等|类|活动|的)$"  # flows and placeholder nouns: 买的东西, 工程类, 工会活动
)
_PUNCT = re.compile(r"[\s“”\"'*（）()\[\]【】〔〕{}<>《》·.。，,、：:；;？?！!]")


@dataclass
class AskedItems:
    """The context phrase (may be ""), the items asked in order, and the text they came from."""

    context: str
    items: list[str] = field(default_factory=list)
    text: str = ""


def normalise(text: str) -> str:
    return _PUNCT.sub("", text)


# Class: kinds listed in brackets after the thing they qualify (三笔补助资金（中央、省级、县级）): one item
# per kind, each with the thing's name.
_BRACKETED_KINDS = re.compile(
    r"(?:[两三四五六七八九]|\d)?(?:笔|项|个|类)?([\u4e00-\u9fff]{2,16})[（(]((?:[\u4e00-\u9fff]{1,6}[、,，])+[\u4e00-\u9fff]{1,6})[）)]"
)


# Class: asides naming the document asked about (（2025年公开）, （部门预算）, （单位预算版）): not items.
_DOCUMENT_ASIDE = re.compile(r"[（(][\s\d年度部门单位预算公开文件版本的里中]{1,12}[）)]")


# Class: money nouns that name no line by themselves (开支, 费用, 钱): after a topic they ask the topic's.
_GENERIC_MONEY = {"开支", "支出", "费用", "花费", "钱", "经费", "资金", "预算"}
# Of them, the ones that never name a line of their own (支出 alone is the total spending).
_POINTING_MONEY = _GENERIC_MONEY - {"支出"}
# Class: a body's whole spending or income named plainly (支出 / 总收入 / 支出预算 / 预算支出合计 / 开支):
# its total line.
_WHOLE_TOTAL = re.compile(r"(本年|全年|部门|单位|总)?(预算)?(?P<flow>支出|开支|收入)(预算|总额|合计|总数)?")


def total_line(words: str) -> str | None:
    """支出总计 or 收入总计 when `words` plainly name a body's whole spending or income, else None."""
    match = _WHOLE_TOTAL.fullmatch(normalise(words))
    if match is None:
        return None
    return "收入总计" if match.group("flow") == "收入" else "支出总计"


def _spread_kinds(match: re.Match[str]) -> str:
    thing = match.group(1)
    return "、".join(kind + thing for kind in re.split(r"[、,，]", match.group(2)))


def _protect(text: str, labels: list[str]) -> tuple[str, dict[str, str]]:
    """Replace known labels that contain joiner characters (社会保障和就业支出) by placeholders, and the
    parts of labels a question quotes across such a joiner (政府采购系统及平台, of 政府采购系统及平台服务费)."""
    kept: dict[str, str] = {}
    joined = [label for label in labels if len(label) >= 4 and _JOINERS.search(label)]
    for name in sorted(set(joined) | _partial_names(text, joined), key=len, reverse=True):
        if name in text:
            key = chr(0xE000 + len(kept))  # a private-use character: no pattern below touches it
            kept[key] = name
            text = text.replace(name, key)
    return text, kept


def _partial_names(text: str, labels: list[str]) -> set[str]:
    """Stretches of the text a label also prints around the same joiner, at least two characters each
    side: the question names that line in part, and its joiner does not split it."""
    found: set[str] = set()
    for label in labels:
        for inner in _JOINERS.finditer(label):
            joiner = inner.group(0)
            for outer in re.finditer(re.escape(joiner), text):
                left = _common_length(text[: outer.start()][::-1], label[: inner.start()][::-1])
                right = _common_length(text[outer.end() :], label[inner.end() :])
                if left >= 2 and right >= 2:
                    found.add(text[outer.start() - left : outer.end() + right])
    return found


def _common_length(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


# Class: a list introduced by its heading and a dash or colon (那几笔服务费——A、B、C / X：A、B和C).
_LIST_HEADING = re.compile(
    r"^(?P<whole>[^，,？?：:—]{2,20}?)(?:——|—|：|:)(?P<list>[^，,？?]+[、和与及][^，,？?]+)"
)
# Class: a demonstrative and a count before a heading (那几笔 / 这三项 / 以下几个).
_LEADING_COUNT = re.compile(r"^(那|这|以下|下面)?[几两二三四五六七八九十\d]*(笔|项|个|类|种|块)?")


def _restore(text: str, kept: dict[str, str]) -> str:
    for key, label in kept.items():
        text = text.replace(key, label)
    return text


def asked_items(plain: str, labels: list[str]) -> AskedItems:
    """Split the asked part of a question into items; `labels` are the documents' own row and fact
    names, kept whole when they contain a joiner (社会保障和就业支出 is one item)."""
    plain = _BRACKETED_KINDS.sub(_spread_kinds, plain)
    plain = re.sub(r"（[^）]{4,}）|\([^)]{4,}\)", "", plain)  # asides: （上面转移支付下来的那笔）
    plain = _DOCUMENT_ASIDE.sub("", plain)  # （2025年公开）: which document, not an item
    plain = _COMPARED_FRAME.sub("", _REMARK.sub("", _HEDGE.sub("", plain)))
    text, kept = _protect(plain, labels)
    divided = LISTED_PARTS.match(text)
    if divided is not None:  # X分成A、B、C三块，每块多少: the items are the listed parts of X
        parts = [
            _LIST_COUNT.sub("", _restore(p, kept).strip()) for p in _JOINERS.split(divided.group("list"))
        ]
        whole = _restore(divided.group("whole"), kept).strip(" 的")
        return AskedItems(context=whole, items=[p for p in parts if len(p) >= 2], text=plain)
    context = ""
    clauses = [c for c in re.split(r"[，,；;？?。！!]", text) if c.strip()]
    heading = _LIST_HEADING.match(text)
    if heading is not None:  # X——A、B、C / X：A、B和C: the parts listed after their heading
        context = _restore(_LEADING_COUNT.sub("", heading.group("whole")), kept)
        text = text[heading.start("list") :]
    elif len(clauses) >= 2:
        match = _CONTEXT.match(clauses[0] + "，")
        if match and match.end() >= len(clauses[0]):
            context = _restore(match.group(1), kept)
            text = text[len(clauses[0]) :]
        elif (topic := _topic(clauses)) is not None:
            context = _restore(topic, kept)
            text = clauses[-1]
    else:
        match = _CONTEXT.match(text)
        if match and _JOINERS.search(text[match.end() :]):
            context = _restore(match.group(1), kept)
            text = text[match.end() :]
    items: list[str] = []
    for piece in _JOINERS.split(_ASK.sub(" ", text)):
        piece = _OPERATION.sub(" ", _FIGURE.sub(" ", re.sub(r"\s+", "", piece)))
        item = re.sub(r"\s+", "", _restore(piece, kept)).strip("（）() 的了")
        item = re.sub(r"^(的|是|和|其中|那么|那|另外|还有|以及|下面的|下属的)+", "", item).strip()
        # who has it (class: possession wordings 人有/有没有/是否有 before the thing asked)
        item = re.sub(r"^(的?人|我们|单位|部门)?(有没有|是否有|有无|没有|有)(?=[\u4e00-\u9fff]{2})", "", item)
        item = re.sub(r"(又|还|也|呢|再)$", "", item)  # trailing adverbs: 修设备又（花多少）
        item = _unframed(item)
        item = _LIST_COUNT.sub("", item)  # A、B、C三个科目: the count names the list, not an item
        # whether it is there, asked after the thing (class: X有没有 / X有没有预算 / X是否有安排)
        item = re.sub(r"(的钱|的预算)?(有没有|有无|是否有|有吗|没有)(预算|安排|钱)?$", "", item)
        # arranging verbs before the thing (class: 安排了/列了/给了 X asks X)
        item = re.sub(r"^(安排了?|列了?|给了?)(?=[\u4e00-\u9fff]{2})", "", item)
        item = re.sub(r"(?<=[\u4e00-\u9fff]{2})的(预算|钱)$", "", item)
        # intentions before the act asked (class: 打算/准备/想 X asks X; 准备金 is a noun)
        item = re.sub(r"^(打算|准备(?!金)|想要|想)(?=[\u4e00-\u9fff]{2})", "", item)
        item = _ridden(item)
        # acquisition verbs before the thing (class: 买/购置/加装/安装/添置/配备/更换 X asks X)
        # (not before a vehicle: the template prints buying one as its own line, 公务用车购置费)
        item = re.sub(
            r"^(买|购买|购置|加装|安装|新装|添置|配备|更换)(?=[\u4e00-\u9fffA-Za-z]{2})(?![\u4e00-\u9fff]{0,2}车)",
            "",
            item,
        )
        item = re.sub(r"(?<=[里上级央府])(出|给|拨|付)(钱|的)?$", "", item)  # who pays: 省里出的 asks 省里
        item = item if context else (total_line(item) or item)  # 供暖方面的开支 is 供暖's, not the total
        if len(normalise(item)) >= 2 and item not in items:
            items.append(item)
    if context and (not items or (len(items) == 1 and items[0] in _GENERIC_MONEY)):  # 供暖方面的开支: 供暖's
        return AskedItems(context="", items=[_unframed(context.strip(" 的"))], text=plain)
    if len(items) >= 2:  # X活动，一年给多少经费 / A和B，各给了多少预算: the money of the things named
        items = [i for i in items if i not in _POINTING_MONEY] or items
    return AskedItems(context=context.strip(" 的"), items=items, text=plain)


# Class: vehicles named by who rides them (领导坐的车 / 专门给领导用的车 / 给执法用的车): the template
# names its vehicle kinds <who>用车 (领导用车, 执法执勤用车). A bare verb phrase (平时坐车) names no kind.
_RIDDEN = re.compile(
    r"^(?:专门|专)?(?P<give>给|供|让)?(?P<who>[\u4e00-\u9fff]{2,4}?)(?:乘坐|坐|乘|使用|用|开)(?P<of>的)?"
    r"(?:专车|车辆|车)$"
)


def _ridden(item: str) -> str:
    match = _RIDDEN.match(item)
    if match is None or not (match.group("give") or match.group("of")):
        return item
    return f"{match.group('who')}用车"


# Class: a count closing a list of items (A、B、C三个科目 / 这两项 / 四笔 / 三块), not part of the last item.
_LIST_COUNT = re.compile(
    r"(?<=[\u4e00-\u9fff]{2})(这|那)?[两二三四五六七八九十\d]+(个|项|笔|块|类|部分|方面|家)"
    r"(科目|项目|单位|支出|经费|资金)?$"
)


# Class: a whole divided into listed parts (X分成/分为/包括/有A、B、C), then asked part by part (每块/每项/各).
LISTED_PARTS = re.compile(
    r"^(?P<whole>[^，,？?]{2,20}?)(分成|分为|包括|包含|由)(?P<list>[^，,？?]+[、和与及][^，,？?]+?)(组成|构成)?"
    r"[，,](每|各)(一)?(块|项|个|笔|部分|类|方面)?(各自|分别)?(是|为|有|安排了?)?(多少|几何)"
)


def _unframed(item: str) -> str:
    """The item without the document's kind before it (部门预算的X) and without a locative frame
    (class: 在X上 / 在X方面 / 在X这块 asks X; 在 as a bound morpheme stays: 在职/在编/在岗/在用/在建)."""
    item = re.sub(r"^(部门|单位)预算(的|里|中)?(?=[\u4e00-\u9fff]{2})", "", item)
    item = re.sub(r"^在(?![职编岗册用建读校])(?=[\u4e00-\u9fff]{2,})", "", item)
    return re.sub(r"(?<=[\u4e00-\u9fff]{2})(这一块|这块|方面)?上$", "", item)


# Class: ask words (多少/几/什么/哪): a clause with one asks; a clause without one is a topic or a premise.
_ASKING = re.compile(r"多少|几|什么|啥|哪|吗|呢|是否|有没有|还是|是不是|属于")


# Class: words that only point at money or a place in the document (预算里, 资金上, 今年的钱).
_PLACEHOLDER = re.compile(r"今年|的|在|预算|拨款|资金|经费|钱|费用|金额|里|中|上|内|安排|总")
# Class: operations over several slots (加起来/一共/分别/各/谁/相差/比).
_MULTI_SLOT = re.compile(r"加起来|一共|合计|总共|分别|各|谁|哪个|相差|差|比")


def _topic(clauses: list[str]) -> str | None:
    """Topic–comment questions (X项目，每人补贴标准是多少): earlier clauses that ask nothing are the
    topic the last clause's item sits in, when that last clause names an item of its own (not 各是多少)."""
    *before, last = clauses
    if any(_ASKING.search(c) for c in before) or not _ASKING.search(last):
        return None
    rest = _OPERATION.sub("", _ASK.sub("", re.sub(r"\s+", "", last)))
    if len(normalise(_PLACEHOLDER.sub("", rest))) < 2:
        return None  # 预算里安排了多少钱: the last clause only points back at the topic
    topic = "，".join(c.strip() for c in before)
    if _JOINERS.search(topic) and _MULTI_SLOT.search(last):
        return None  # A和B，业务经费加起来: the topic holds several slots sharing the last clause's item
    return topic


def core(item: str) -> str:
    """The item without generic money heads: 一般公共预算拨款 → 一般公共, 人员经费 → 人员."""
    text = normalise(item)
    while True:
        stripped = _GENERIC_TAIL.sub("", text)
        if stripped == text or len(stripped) < 2:
            return text if len(stripped) < 2 else stripped
        text = stripped


def _head(item: str) -> str:
    text = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", core(item))  # names written in letters: 乡村e镇 ends in e镇
    return text[-2:] if len(text) >= 2 else text


def everyday_terms(item: str, at_head: bool = False) -> list[str]:
    """The template terms an item's everyday words stand for (请客吃饭 → 公务接待费); with `at_head`,
    only words that end the item's core, i.e. name the thing asked (办公楼的物业费 is not 办公用房)."""
    text = core(item) if at_head else item
    terms: list[str] = []
    for pattern, term in EVERYDAY:
        if re.search(f"(?:{pattern}).?$" if at_head else pattern, text):
            terms += term.split()
    return terms


def names_item(item: str, label: str) -> bool:
    """Whether a figure's `label` names the asked `item`: the item's own head word (保险费 → 险费)
    appears in the label, or a template term the item's everyday words stand for does."""
    flat = normalise(re.sub(r"（[^）]*）|\([^)]*\)", "", label))  # the class in brackets is not the item
    bare_label = normalise(
        re.sub(r"（[^）]*）|\([^)]*\)|^[一二三四五六七八九十]+、", "", label.split(".")[-1])
    )
    item = re.sub(r"（[^）]*）|\([^)]*\)", "", item)  # 因公出国（境）费 is compared as 因公出国费
    head = _head(item)
    if len(bare_label) >= 2 and bare_label in normalise(item) and head in bare_label:
        return True  # the question names the line itself (日常办公的公用经费 names 公用经费)
    stem = bare_label.removesuffix("费")
    if len(stem) >= 2 and stem != bare_label and normalise(core(item)).endswith(stem):
        return True  # the phrase ends with the item's own word, without 费 (给职工发福利 names 福利费)
    tail = re.sub(r"[^\u4e00-\u9fffA-Za-z]|的", "", core(item))[-4:]
    grams = {tail[i : i + 2] for i in range(len(tail) - 1)}
    if not head or (head in flat and sum(g in flat for g in grams) * 2 >= len(grams)):
        return True  # the head noun and most of the phrase it ends (医保基金 is not 政府性基金)
    bare = re.sub(r"（[^）]*）|\([^)]*\)", "", label)
    for term in everyday_terms(item, at_head=True):
        term_flat = normalise(re.sub(r"（[^）]*）|\([^)]*\)", "", term))  # compared as the label is
        if len(term_flat) >= 2 and (term_flat in flat or normalise(bare) in term_flat):
            return True
    return False


# Question words, comparisons and fillers (class: how-much/which wordings) left out of the asked words.
_QUESTION_WORDS = re.compile(
    r"（[^）]*）|\([^)]*\)|(一共|总共|共)?有(?=几|多少)|几个|多少个|几位|多少位|几名|多少名|"
    r"是多少|多少钱|多少|百分之几|几|哪些|哪里|哪儿|什么|怎么|吗|呢|预计|大概|一共|总共|"
    r"安排了?|要|交|花|比上年|比去年|比|了|的|[？?，,。、\s]"
)


def content_words(plain: str) -> str:
    """The asked words of a question: names and years are already gone (`Query.plain`); question words,
    asides in brackets and fillers go here; Chinese characters stay, and Latin letters when the question
    is Chinese (PPP项目, e镇: names written in letters)."""
    text = _QUESTION_WORDS.sub("", plain)
    if not re.search(r"[\u4e00-\u9fff]", text):
        return ""
    return re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", text)
