"""Hostile questions (scripts/hostile_questions.py): each gets a message or a refusal, never a stray quote.

The CLI exits 2 with a message on an empty, wordless or over-long question; noise with Latin words is
refused; text handling stays linear (checked by equivalence with the plain algorithms here, and timed
by scripts/bench_hostile.py, not here).
"""

from __future__ import annotations

import importlib.util
import json
import random
import time
from pathlib import Path

import pytest

from assistant.lexicon import is_english
from assistant.question_check import ASK_FOR_QUESTION, QuestionTimeout, check_question, within_budget
from assistant.retrieval import MAX_QUERY_TOKENS, query_tokens
from assistant.understanding import _close, _first_close
from ui.cli import main

_spec = importlib.util.spec_from_file_location(
    "hostile_questions", Path(__file__).resolve().parents[2] / "scripts" / "hostile_questions.py"
)
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)


def ask_cli(capsys: pytest.CaptureFixture[str], store_dir: Path, question: str) -> tuple[int, str, str]:
    code = main(["ask", question, "--json", "--store", str(store_dir), "--embedder", "hash"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_there_are_at_least_twenty_hostile_questions() -> None:
    assert len(hostile.all_questions()) >= 20


@pytest.mark.parametrize("name", sorted(hostile.INVALID))
def test_invalid_question_gets_a_message_not_an_answer(name: str) -> None:
    question = hostile.INVALID[name]
    text, message = check_question(question, 500)
    assert text == ""
    if len(question.strip()) > 500:
        assert message == f"问题太长：最多 500 个字，现在 {len(question.strip())} 个字。请删短后再发送。"
    else:
        assert message == ASK_FOR_QUESTION


@pytest.mark.parametrize(
    "question", ["A150201是什么服务", "what is the total budget?", "三公经费", "ｂｕｄｇｅｔ"]
)
def test_a_question_with_words_is_sent(question: str) -> None:
    assert check_question(f"  {question} ", 500) == (question, "")


@pytest.mark.parametrize("name", ["empty", "emoji", "brackets ×30000", "digits", "a question ×5000"])
def test_cli_exits_two_with_the_reason(corpus_store, capsys, name: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = ask_cli(capsys, corpus_store.store_dir, hostile.INVALID[name])
    assert code == 2 and out == ""
    assert ("请输入问题" in err) or (
        "问题太长：最多 500 个字" in err and "BUDGETQA_MAX_QUESTION_CHARS" in err
    )


@pytest.mark.parametrize("name", sorted(hostile.NOISE))
def test_noise_is_refused_without_a_quote(corpus_store, capsys, name: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = ask_cli(capsys, corpus_store.store_dir, hostile.NOISE[name])
    answer = json.loads(out)
    assert code == 0 and answer["refused"] is True
    assert answer["citations"] == [] and "「" not in answer["answer"]


@pytest.mark.parametrize("name", ["one character at the limit", "在…占 at the limit"])
def test_a_padded_word_is_refused_not_quoted(corpus_store, capsys, name: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = ask_cli(capsys, corpus_store.store_dir, hostile.HEAVY[name])
    answer = json.loads(out)
    assert code == 0 and answer["refused"] is True and answer["citations"] == []


def test_a_repeated_real_question_is_still_answered(corpus_store, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = ask_cli(capsys, corpus_store.store_dir, "柳林县工业和信息化局2024年三公经费是多少？" * 20)
    answer = json.loads(out)
    assert code == 0 and answer["refused"] is False and "4.70" in answer["answer"]


def test_is_english_reads_brackets_once() -> None:
    assert is_english("What is the 2024 project expenditure (项目支出) of the bureau?")
    assert not is_english("(" * 30000)
    assert is_english("what is the total budget " + "(" * 30000)  # unbalanced brackets hide nothing


def test_fuzzy_department_match_finds_what_a_scan_of_every_position_finds() -> None:
    rng = random.Random(12)
    name = "柳林县工业和信息化局"
    alphabet = list(name) + list("的是多少预算孟")
    for _ in range(300):
        question = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        scan = next(
            (i for i in range(len(question) - len(name) + 1) if _close(question[i : i + len(name)], name)), -1
        )
        assert _first_close(question, name) == scan
    assert _first_close("看看柳林县工业和信息化厅的预算", name) == 2  # one character different


def test_bm25_query_keeps_counts_and_caps_distinct_tokens() -> None:
    assert query_tokens(["经费", "经费", "三公"], {}) == {"经费": 2, "三公": 1}
    words = [f"w{i}" for i in range(200)]
    idf = {w: float(i) for i, w in enumerate(words)}
    kept = query_tokens([*words, "w199"], idf)
    assert len(kept) == MAX_QUERY_TOKENS and kept["w199"] == 2 and "w0" not in kept  # the rarest stay


def test_a_question_over_its_time_budget_gets_a_message() -> None:
    start = time.monotonic()
    with pytest.raises(QuestionTimeout, match=r"0\.2 秒内没有答完"):
        within_budget(0.2, lambda: time.sleep(5))
    assert time.monotonic() - start < 4  # the caller did not wait for the work
    assert within_budget(5, lambda: 42) == 42
    with pytest.raises(ZeroDivisionError):
        within_budget(5, lambda: 1 / 0)


def test_a_dense_search_embeds_at_most_the_query_bound_of_a_long_question(corpus_store) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import Assistant
    from ingest.stores.embeddings import QUERY_CHARS

    assistant = Assistant.from_settings(corpus_store.settings)
    embedded: list[str] = []
    embedder = assistant.store.embedder  # type: ignore[union-attr]
    real = embedder.embed_query

    def recording(text: str) -> list[float]:
        embedded.append(text)
        return real(text)

    embedder.embed_query = recording
    question = hostile.HEAVY["在…占 at the limit"]
    assert len(question) > QUERY_CHARS
    assistant.ask(question)
    assert embedded and max(len(text) for text in embedded) == QUERY_CHARS
    assert embedded[0] == question[:QUERY_CHARS]
