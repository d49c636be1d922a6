"""Answer → chat message: the 来源 and 计算核对 boxes carry every citation and calculation."""

from __future__ import annotations

import re

from assistant.answer import Answer, Calculation, Citation
from ui.web.render import (
    question_text,
    render_answer,
    render_calculations,
    render_citation,
    render_error,
    render_partial,
    render_question,
    render_sources,
    render_text,
    restore_history,
    split_locator,
)

DOC = "柳林县工业和信息化局2024年度部门预算"


def sangong_answer() -> Answer:
    """The 三公 answer for 柳林县工业和信息化局 2024 (表十 of the bundled disclosure)."""
    return Answer(
        answer="2024年“三公”经费预算4.70万元[1]，其中公务接待费0.20万元[2]，公务用车运行维护费4.50万元[3]。",
        citations=[
            Citation(3, DOC, "表十 · ②公务用车运行维护费 · 第444行", "②公务用车运行维护费\t4.50\t4.50"),
            Citation(
                1,
                DOC,
                "表十 · 合计 · 第446行",
                "合计\t4.70\t4.70",
                file="2024_柳林县工业和信息化局_部门预算.txt",
                line_start=446,
                line_end=446,
            ),
            Citation(2, DOC, "表十 · 公务接待费 · 第441行", "公务接待费\t0.20\t0.20"),
        ],
        calculations=[
            Calculation(
                "4.50 + 0.20 = 4.70",
                "4.70",
                "万元",
                [
                    {"name": "公务用车运行维护费", "value": "4.50", "citation": "3"},
                    {"name": "公务接待费", "value": "0.20", "citation": "2"},
                ],
            )
        ],
        intent="lookup",
    )


def test_sources_box_lists_every_citation_in_number_order_with_locator_and_quote() -> None:
    html = render_sources(sangong_answer().citations)
    assert html.startswith('<details class="bqa-box bqa-sources">')
    assert "<summary>来源（3 条）</summary>" in html
    numbers = [int(n) for n in re.findall(r'data-n="(\d+)"', html)]
    assert numbers == [1, 2, 3]
    assert f'<span class="bqa-where">{DOC} · 表十 · 合计</span>' in html
    assert '<div class="bqa-line">原文第446行</div>' in html
    assert "<blockquote>公务接待费\t0.20\t0.20</blockquote>" in html
    assert ".txt" not in html and "文件：" not in html  # a citizen cannot open a file name
    assert "\n\n" not in html  # one HTML block for the Markdown renderer


def test_calculation_box_shows_expression_result_inputs_and_check() -> None:
    html = render_calculations(sangong_answer().calculations)
    assert "<summary>计算核对（1 项）</summary>" in html
    assert "<code>4.50 + 0.20 = 4.70</code>" in html
    assert '<span class="bqa-value bqa-result">4.70 万元</span>' in html
    assert "公务用车运行维护费 4.50 [3]；公务接待费 0.20 [2]" in html
    assert "<table" not in html and html.count('class="bqa-calc"') == 1  # a card, not a table
    assert "计算器按十进制精确计算" in html
    noted = Calculation("97.33%", "97.33", "%", check="文件写作97.32%，核算为97.33%")
    assert "文件写作97.32%，核算为97.33%" in render_calculations([noted])


def test_whole_answer_has_text_then_both_boxes() -> None:
    message = render_answer(sangong_answer())
    text, boxes = message.split("\n\n", 1)
    assert "4.70万元<sup>[1]</sup>" in text
    assert boxes.index("bqa-sources") < boxes.index("bqa-calcs")
    assert "<details" in boxes and "open" not in boxes.split(">")[0]
    assert 'class="bqa-box bqa-sources" open' in render_answer(sangong_answer(), open_sources=True)


def test_refusal_and_notes_render_without_empty_boxes() -> None:
    refusal = Answer(answer="所收录的预算公开文件中没有找到这个问题的答案。", refused=True)
    message = render_answer(refusal)
    assert message == "所收录的预算公开文件中没有找到这个问题的答案。"
    noted = Answer(answer="见下。", notes=["删去了一个没有来源的数字 12.5"])
    assert "删去了一个没有来源的数字 12.5" in render_answer(noted)
    assert "没有引用来源" not in render_answer(noted)
    assert "（此回答没有引用来源）" in render_answer(Answer(answer="说明文字。"))


def test_document_text_is_escaped() -> None:
    citation = Citation(1, "<script>x</script>", "表一 · 第1行", 'a < b & "c"')
    html = render_citation(citation)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "a &lt; b &amp; &quot;c&quot;" in html
    assert render_text("1 < 2 [1]") == "1 &lt; 2 <sup>[1]</sup>"
    assert "<img" not in render_error("<img src=x>")


def test_streaming_text_ends_with_a_cursor() -> None:
    assert render_partial("2024年“三公”经费") == "2024年“三公”经费▌"


def test_locator_splits_into_place_and_line() -> None:
    assert split_locator("表十 · 合计 · 第446行") == ("表十 · 合计", "第446行")
    assert split_locator("第四部分 名词解释 · 第6885–6897行") == ("第四部分 名词解释", "第6885–6897行")
    assert split_locator("表十 · 合计") == ("表十 · 合计", "")
    cited = render_citation(
        Citation(1, DOC, "第三部分 > 七、“三公”经费 · 第569行", "…", file="a1b2c3d4e5.txt")
    )
    assert "a1b2c3d4e5" not in cited and "原文第569行" in cited


INJECTIONS = [
    "<img src=x onerror=alert(1)>",
    "<b>粗体</b>",
    "<script>alert(2)</script>",
    "**粗** _斜_ [链接](http://x)",
]


def test_a_question_is_shown_as_text_never_as_markup() -> None:
    for typed in INJECTIONS:
        shown = render_question(typed)
        inner = shown.removeprefix('<div class="bqa-question">').removesuffix("</div>")
        assert "<" not in inner and ">" not in inner  # no tag of the user's survives
        assert "\n\n" not in shown  # one HTML block: Markdown inside it is not rendered
        assert question_text(shown) == typed
    assert render_question("第一行\n\n第三行") == '<div class="bqa-question">第一行<br><br>第三行</div>'


def test_a_restored_history_is_escaped_again_whatever_the_storage_holds() -> None:
    saved = [
        {"role": "user", "content": "<img src=x onerror=alert(1)>"},  # tampered: raw HTML
        {"role": "user", "content": '<div class="bqa-question"><b>粗体</b></div>'},  # tampered wrapper
        {"role": "assistant", "content": [{"type": "text", "text": "回答<sup>[1]</sup>"}]},  # Gradio 6 parts
        {"role": "system", "content": "x"},
        "not a message",
    ]
    history = restore_history(saved)
    assert [m["role"] for m in history] == ["user", "user", "assistant"]
    assert history[0]["content"] == '<div class="bqa-question">&lt;img src=x onerror=alert(1)&gt;</div>'
    assert history[1]["content"] == '<div class="bqa-question">&lt;b&gt;粗体&lt;/b&gt;</div>'
    assert history[2]["content"] == "回答<sup>[1]</sup>"
    assert restore_history(None) == [] and restore_history(history) == history


def test_a_question_asked_before_the_page_finished_loading_is_not_wiped_by_the_restore() -> None:
    from ui.web.layout import _restore

    saved = [{"role": "user", "content": "旧问题"}, {"role": "assistant", "content": "旧回答"}]
    shown = [{"role": "user", "content": "新问题"}, {"role": "assistant", "content": "新回答"}]
    assert _restore(saved, shown) == shown
    assert [m["role"] for m in _restore(saved, [])] == ["user", "assistant"]
    assert _restore(None, None) == []
