"""Compound questions: several asks in one message, each with its own question word.

"X一共多少？其中Y多少？", "有几个项目，总金额多少？", "X是多少？资金来源是哪一级？" ask two things of
different kinds; one handler answers one kind, so each ask is answered on its own and the answers are
merged. An ask that only works on the previous one (为什么, 差多少, 加起来, 占多少比例, 能算出来吗) stays
joined to it: the whole-question handlers answer those together.

In: a question. Out: `split_compound` → the asks as `Ask`s (text, and whether it needs the previous
ask's topic: 其中Y / 总金额 / 资金来源 say what of, only through it), or None for a single ask.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from assistant.lexicon import COUNT_ASKED
from assistant.plan.items import asked_items, content_words
from assistant.plan.shapes import ATTRIBUTE, FUNDING_LEVEL, SHARE_BARE

# Class: question words: a segment without one is not an ask of its own (a premise, an aside).
_ASKS = re.compile(r"多少|(?<![这那])几|哪|什么|吗|谁|是否|有没有|怎么|怎样|如何|呢")
# Class: asks that work on the previous ask's result (reason, comparison, aggregation, its share,
# whether it can be derived): answered together with it.
_DEPENDENT = re.compile(
    r"为什么|为啥|原因|谁|哪个(更)?(多|高|大|少|低)|差多少|相差|差额|多多少|少多少|高多少|低多少|多出|"
    r"加起来|加在一起|合起来|一共|总共|合计|两者|二者|两项|两个|分别|各|"
    r"算出|推算|算得出|计算|能从|能否|能不能|可以|对吗|对不对|是不是|准确|"
    r"^(这一?|那一?|该)(类|项|个|笔)[^，,。？?]{0,4}占"  # the share of what the previous ask found
)
# Class: nouns that say what of the previous ask's topic is asked (总金额, 资金来源, 科目编码, 用途) and
# words pointing back at it (它, 这笔, 该项): such an ask needs the topic.
_REFERS = re.compile(
    r"总金额|金额|总额|总数|资金来源|来源|科目编码|科目|编码|性质|用途|级别|层级|多少钱|钱|"
    r"它|它们|这笔|这项|该项|这个|其|这些|"
    r"都?包括|包含|由哪|组成|构成|用来|用于|干什么|做什么|用在|是什么意思|指什么"  # what it is made of or for
)
# Class: an amount of money asked (多少钱/多少万元/金额).
_MONEY_ASKED = re.compile(r"多少钱|多少万|金额|资金")
# Class: 其中/里面 at the start: a part of the previous ask's topic.
PART_OF_PREVIOUS = re.compile(r"^(其中|这里面|这其中|里面|当中)")
_SEGMENT_END = re.compile(r"(?<=[？?；;])")


@dataclass(frozen=True)
class Ask:
    text: str
    needs_topic: bool = False


def split_compound(question: str) -> list[Ask] | None:
    """The question's asks, or None when it makes one ask (or its later asks all depend on the first)."""
    segments = [s.strip() for s in _SEGMENT_END.split(question) if s.strip()]
    pieces: list[str] = []
    for segment in segments:  # a comma-joined second ask (有几个，总金额多少) is a segment too
        clauses = re.split(r"[，,]", segment)
        if len(clauses) == 2 and all(_ASKS.search(c) for c in clauses) and len(clauses[1]) >= 3:
            pieces += [clauses[0] + "？", clauses[1]]
        else:
            pieces.append(segment)
    if len(pieces) < 2 or not _ASKS.search(pieces[0]):
        return None
    asks: list[Ask] = [Ask(pieces[0])]
    for before, piece in itertools.pairwise(pieces):
        kind = _kind(piece)
        if kind == "dependent" and COUNT_ASKED.search(before) and _MONEY_ASKED.search(piece):
            kind = "refers"  # 有几个，一共多少钱: the money of the things just counted
        if kind == "dependent":
            previous = asks[-1]
            asks[-1] = Ask(f"{previous.text.rstrip('？?；;')}，{piece}", previous.needs_topic)
        else:
            asks.append(Ask(piece, kind == "refers"))
    return asks if len(asks) >= 2 else None


def _kind(piece: str) -> str:
    """'own' (names its own item), 'refers' (asks something of the previous topic) or 'dependent'."""
    if not _ASKS.search(piece) or _DEPENDENT.search(piece) or SHARE_BARE.search(piece):
        return "dependent"
    if PART_OF_PREVIOUS.search(piece):
        return "refers"
    asks_of_topic = [ATTRIBUTE, FUNDING_LEVEL, COUNT_ASKED, _REFERS]
    rest = piece
    for pattern in asks_of_topic:
        rest = pattern.sub("", rest)
    if any(len(content_words(item)) >= 2 for item in asked_items(rest, []).items):
        return "own"
    if any(pattern.search(piece) for pattern in asks_of_topic):
        return "refers"
    return "dependent"


def topic_of(plain: str) -> str:
    """The thing the first ask is about (its first item), carried into the asks that need it."""
    items = asked_items(plain, []).items
    return items[0] if items else ""
