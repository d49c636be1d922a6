"""The assistant end to end over the bundled corpus: figures, scopes, citations, refusals, arithmetic."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.service import Assistant


@pytest.fixture(scope="module")
def assistant(corpus_store: Any) -> Assistant:
    bot = Assistant.from_settings(corpus_store.settings)
    bot.warm_up()
    return bot


def test_everyday_words_find_the_reception_figure(assistant: Assistant) -> None:
    answer = assistant.ask("医保局2025年请客吃饭花了多少？")
    assert "0.23万元" in answer.answer
    assert not answer.refused
    assert answer.citations[0].doc == "柳林县医疗保障局2025年度部门预算"
    assert "公务接待费" in answer.citations[0].quote
    assert answer.citations[0].line_start > 0
    assert answer.intent == "lookup"


def test_basic_expenditure_says_its_scope(assistant: Assistant) -> None:
    total = assistant.ask("柳林县工信局2024年预算支出总表中的基本支出是多少？")
    assert "445.45万元" in total.answer and "表三" in total.answer
    economic = assistant.ask("柳林县工信局2024年一般公共预算安排的基本支出（分经济科目表）是多少？")
    assert "158.45万元" in economic.answer and "表六" in economic.answer


def test_vehicles_and_office_area(assistant: Assistant) -> None:
    assert "962平方米" in assistant.ask("孝义市财政局办公室多大？").answer
    assert "0辆" in assistant.ask("晋城市信访局有没有公车？有几辆？").answer


def test_unknown_department_and_year_are_refused_without_figures(assistant: Assistant) -> None:
    other = assistant.ask("柳林县教育局2024年“三公”经费是多少？")
    assert other.refused and "柳林县教育局" in other.answer
    later = assistant.ask("晋城市信访局2025年的部门预算总额是多少？")
    assert later.refused and "2025" in later.answer


def test_undisclosed_topic_points_at_what_is_disclosed(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局的两辆公车是什么牌子的？")
    assert answer.refused
    assert "品牌" in answer.answer
    assert answer.citations, "the refusal points at the vehicle disclosure"


def test_previous_year_from_the_stated_change(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2023年的“三公”经费预算是多少？（按2024年公开的变化推算）")
    assert answer.intent == "arithmetic"
    assert [c.result for c in answer.calculations] == ["4.73"]
    assert "4.70 + 0.03 = 4.73" in answer.answer


def test_share_is_computed_by_the_calculator(assistant: Assistant) -> None:
    answer = assistant.ask("柳林县工信局2024年公务用车运行维护费占“三公”经费的比例？")
    assert answer.calculations[0].expression == "4.50 ÷ 4.70 × 100% = 95.74%"


def test_sum_across_documents(assistant: Assistant) -> None:
    answer = assistant.ask(
        "四个部门（柳林工信局2024、柳林医保局2025、孝义财政局2026、晋城信访局2024）的“三公”经费加起来是多少？"
    )
    assert answer.calculations[0].result == "10.53"
    assert len({c.doc for c in answer.citations}) == 4


def test_catalog_code_in_the_adopted_version(assistant: Assistant) -> None:
    answer = assistant.ask(
        "按孝义市财政局2026年预算公开所附的晋财综〔2024〕37号目录，财政部门的A160903是什么服务？"
    )
    assert "A160903" in answer.answer and "财会专业知识培训服务" in answer.answer
    assert any(c.doc == "孝义市财政局2026年度部门预算" for c in answer.citations)


def test_glossary_and_english(assistant: Assistant) -> None:
    glossary = assistant.ask("孝义市财政局2026年预算说的机关运行经费是什么？")
    assert glossary.intent == "glossary" and "公用经费" in glossary.answer
    english = assistant.ask(
        "What is the 2024 project expenditure (项目支出) of the Jincheng Letters and Visits Bureau (晋城市信访局)?"
    )
    assert english.language == "en" and "9050.78" in english.answer


def test_stream_gives_the_answer_in_pieces(assistant: Assistant) -> None:
    pieces = list(assistant.stream("孝义市财政局2026年机关运行经费是多少？"))
    assert "70.51万元" in "".join(pieces)


def test_warm_up_loads_the_tokenizer_and_opens_the_dense_store_before_any_question(corpus_store: Any) -> None:
    """A server warms up in the background: the first narrative question or upload must not load
    jieba's dictionary or open the dense store (seconds of CPU). Run in a fresh process, where nothing
    loaded them yet."""
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys; from pathlib import Path; import jieba\n"
        "from assistant.service import Assistant\n"
        "from ingest.api import load_settings\n"
        f"a = Assistant.from_settings(load_settings(store_dir=Path({str(corpus_store.store_dir)!r}), embedder='hash'))\n"
        "before = jieba.dt.initialized, a.store.opened\n"
        "a.warm_up()\n"
        "print(*before, jieba.dt.initialized, a.store.opened)\n"
    )
    from assistant.warm_state import save
    from ingest.api import open_index

    save(open_index(corpus_store.settings), corpus_store.store_dir)  # as `budgetqa ingest` leaves a store
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split() == ["False", "False", "True", "True"], done.stderr[-2000:]
