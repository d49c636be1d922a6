"""Hostile questions: what an attacker or a careless paste sends, and what each must get back.

`INVALID` never reaches the assistant (CLI exit 2, a message in the web page): empty, no words, or
over the length limit. `NOISE` has Latin words but nothing a budget disclosure speaks of: it must be
refused. `HEAVY` is a real question padded to the limit: answered or refused, on time. Used by
scripts/bench_hostile.py (time and memory) and tests/reliability/test_hostile_questions.py.
"""

from __future__ import annotations

LIMIT = 500  # Settings.max_question_chars by default

INVALID: dict[str, str] = {
    "empty": "",
    "spaces and tabs": " \t\n  \u3000 ",
    "brackets ×30000": "(" * 30000,
    "full-width brackets ×30000": "（" * 30000,
    "letters ×30000": "a" * 30000,
    "emoji ×5000": "😀" * 5000,
    "a question ×5000": "三公经费是多少？" * 5000,
    "brackets at the limit": "(" * LIMIT,
    "punctuation": "？？？！！！……——",
    "emoji": "😀🙏🔥👍",
    "digits": "1234567890",
    "control and zero-width characters": "\x00\x01\u200b\u202e\u2066",
}

NOISE: dict[str, str] = {
    "SQL injection": "'; DROP TABLE records; --",
    "SQL select": "SELECT * FROM records WHERE 1=1",
    "script tag": "<script>alert(1)</script>",
    "template injection": "{{7*7}} ${jndi:ldap://127.0.0.1/a}",
    "letters at the limit": "a" * LIMIT,
    "words at the limit": "lorem ipsum " * (LIMIT // 12),
}

HEAVY: dict[str, str] = {
    "a question repeated to the limit": "三公经费是多少？" * (LIMIT // 8),
    "one character at the limit": "车" * LIMIT,
    "在…占 at the limit": "在" * (LIMIT - 1) + "占",
    "比 at the limit": "比" * LIMIT,
    "为什么 at the limit": "为什么" * (LIMIT // 3),
    "department padded with 的": "柳林县工业和信息化局" + "的" * (LIMIT - 10),
    "unbalanced brackets after a question": "三公经费是多少" + "(" * (LIMIT - 7),
    "catalog code repeated": "A150201 " * (LIMIT // 8),
}


def all_questions() -> dict[str, str]:
    return {**INVALID, **NOISE, **HEAVY}
