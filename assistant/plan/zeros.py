"""A stated 0 asked as a yes/no question: the answer says "no" first, then the cited 0.

Citizens ask whether something exists (有没有单位资金 / 还有领导用车吗 / 打算买新车吗); the disclosure
answers with a 0 (a blank cell or a stated 0). In: the question and the evidence. Out: the leading
statement (没有 / 没有安排), or None when the question is no yes/no question or the figure is not 0.
"""

from __future__ import annotations

import re

from assistant.composer import Statement
from assistant.retrieval import Evidence

# Class: yes/no wordings of existence or intention (有没有 / 是否有 / 有无 / 还有…吗 / 打算…吗 / X吗).
_YES_NO = re.compile(r"有没有|是否|有无|吗[？?]?$|没有[？?]?$")
_MONEY_UNITS = ("万元", "元")


def zero_lead(question: str, ev: Evidence) -> Statement | None:
    """没有安排 (money) or 没有 (a count) before a 0 that answers a yes/no question."""
    if ev.value not in (None, 0) or not _YES_NO.search(question.strip()):
        return None
    return Statement("没有安排" if ev.unit in _MONEY_UNITS else "没有")
