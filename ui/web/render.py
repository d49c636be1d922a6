"""Answer → chat message (Markdown with HTML boxes). Pure functions, no Gradio.

In: an `assistant.answer.Answer`. Out: one string for a `gr.Chatbot` assistant message: the answer
text, then two collapsible `<details>` boxes, 来源 (numbered citations: document title, table or
section, row, page, the line in small print, quoted text; never a file name) and 计算核对 (one card per
calculation: expression, result, inputs, check; cards stack on a phone instead of a squeezed table).
The boxes are part of the message itself, so they stay with the answer in the history and reappear
with it whenever the history is shown again.

A user's question is shown as text (`render_question`): escaped and wrapped in one HTML block, so
neither HTML nor Markdown in it is ever rendered; `restore_history` re-applies this to a history
that comes back from the browser's storage.

The HTML is written without blank lines so the Markdown renderer passes it through as one block;
every piece of text from documents or users is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.answer import Answer, Calculation, Citation

STREAM_CURSOR = "▌"
_CITE_REF = re.compile(r"\[(\d{1,3})\]")
_LINE_PART = re.compile(r"(?:^|\s*·\s*)(第\d+(?:[–-]\d+)?行)\s*$")
_QUESTION_OPEN = '<div class="bqa-question">'
_QUESTION_CLOSE = "</div>"


def escape(text: str) -> str:
    """HTML-escape text and keep its line breaks (as <br>)."""
    return html.escape(text or "", quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def render_text(text: str) -> str:
    """The answer's own text for Markdown: `<`, `>` and `&` escaped, citation marks [n] kept.

    Citation marks become `<sup>[n]</sup>` so a reader sees they point into the 来源 box.
    """
    safe = html.escape(text or "", quote=False)
    return _CITE_REF.sub(lambda m: f"<sup>[{m.group(1)}]</sup>", safe)


def split_locator(locator: str) -> tuple[str, str]:
    """`表十 · 合计 · 第446行` → (`表十 · 合计`, `第446行`): where in the document, and the line."""
    match = _LINE_PART.search(locator or "")
    if not match:
        return locator or "", ""
    return locator[: match.start()].strip(" ·"), match.group(1)


def render_citation(citation: Citation) -> str:
    """One numbered source as an HTML list item: [n] document title · table/section · row, quote.

    The file name is never shown (a citizen cannot open it, and uploads may carry temporary names);
    the line in the source text is kept in small print so the figure can still be checked.
    """
    where, line = split_locator(citation.locator)
    if not line and citation.line_start:
        line = (
            f"第{citation.line_start}行"
            if citation.line_end in (0, citation.line_start)
            else f"第{citation.line_start}–{citation.line_end}行"
        )
    title = " · ".join(part for part in (citation.doc, where) if part)
    line_part = f'<div class="bqa-line">原文{escape(line)}</div>' if line else ""
    quote = f"<blockquote>{escape(citation.quote)}</blockquote>" if citation.quote else ""
    source = ""
    if citation.doc_id and citation.line_start:
        last = max(citation.line_end, citation.line_start)
        source = f' data-doc="{escape(citation.doc_id)}" data-lines="{citation.line_start}-{last}"'
    return (
        f'<li class="bqa-citation" data-n="{citation.number}"{source}>'
        f'<b class="bqa-n">[{citation.number}]</b> <span class="bqa-where">{escape(title)}</span>'
        f"{line_part}{quote}</li>"
    )


def render_sources(citations: list[Citation], open_: bool = False) -> str:
    """The 来源 box: every citation in number order; "" when there are none."""
    if not citations:
        return ""
    items = "".join(render_citation(c) for c in sorted(citations, key=lambda c: c.number))
    opened = " open" if open_ else ""
    return (
        f'<details class="bqa-box bqa-sources"{opened}><summary>来源（{len(citations)} 条）</summary>'
        f'<ul class="bqa-citations">{items}</ul></details>'
    )


def _inputs_text(calc: Calculation) -> str:
    parts = []
    for item in calc.inputs:
        name = item.get("name", "")
        value = f"{item.get('value', '')}{item.get('unit', '')}"
        number = item.get("citation", "") or item.get("number", "")
        ref = f" [{number}]" if number else ""
        parts.append(f"{name} {value}{ref}".strip())
    return "；".join(parts)


def _field(label: str, value_html: str, css: str = "") -> str:
    extra = f" {css}" if css else ""
    return (
        f'<div class="bqa-field"><span class="bqa-label">{label}</span>'
        f'<span class="bqa-value{extra}">{value_html}</span></div>'
    )


def render_calculation(calc: Calculation) -> str:
    """One calculation as a card: 算式, 结果 with unit, 输入 with citation numbers, 核对."""
    result = f"{calc.result} {calc.unit}".strip()
    check = calc.check or "计算器按十进制精确计算，输入均来自上方来源"
    return (
        '<div class="bqa-calc">'
        + _field("算式", f"<code>{escape(calc.expression)}</code>")
        + _field("结果", escape(result), "bqa-result")
        + _field("输入", escape(_inputs_text(calc)) or "—")
        + _field("核对", escape(check))
        + "</div>"
    )


def render_calculations(calculations: list[Calculation], open_: bool = False) -> str:
    """The 计算核对 box: one card per calculation; "" when there are none."""
    if not calculations:
        return ""
    cards = "".join(render_calculation(c) for c in calculations)
    opened = " open" if open_ else ""
    return (
        f'<details class="bqa-box bqa-calcs"{opened}><summary>计算核对（{len(calculations)} 项）</summary>'
        f'<div class="bqa-calc-list">{cards}</div></details>'
    )


def render_notes(notes: list[str]) -> str:
    """Verifier notes (removed claims, scope warnings) as a small list; "" when there are none."""
    if not notes:
        return ""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return f'<div class="bqa-notes"><b>说明：</b><ul>{items}</ul></div>'


def render_answer(answer: Answer, open_sources: bool = False) -> str:
    """The whole assistant message: text, then notes, 来源 and 计算核对 boxes."""
    parts = [render_text(answer.answer)]
    boxes = "".join(
        part
        for part in (
            render_notes(answer.notes),
            render_sources(answer.citations, open_=open_sources),
            render_calculations(answer.calculations),
        )
        if part
    )
    if boxes:
        parts.append(f'<div class="bqa-boxes">{boxes}</div>')
    elif not answer.refused and not answer.citations:
        parts.append('<div class="bqa-notes">（此回答没有引用来源）</div>')
    return "\n\n".join(parts)


def render_partial(text: str) -> str:
    """An answer still streaming: its text so far with a cursor."""
    return render_text(text) + STREAM_CURSOR


def render_error(message: str) -> str:
    """An error shown in place of an answer, saying what went wrong and what to do."""
    return f'<div class="bqa-error">⚠ {escape(message)}</div>'


def render_question(question: str) -> str:
    """A user's question as the chat shows it: plain text in one HTML block (no markup rendered)."""
    return f"{_QUESTION_OPEN}{escape(question)}{_QUESTION_CLOSE}"


def question_text(content: str) -> str:
    """The plain question back from `render_question`'s output (or from any stored string)."""
    text = content or ""
    if text.startswith(_QUESTION_OPEN) and text.endswith(_QUESTION_CLOSE):
        inner = text[len(_QUESTION_OPEN) : -len(_QUESTION_CLOSE)]
        return html.unescape(inner.replace("<br>", "\n"))
    return text


def restore_history(saved: Any) -> list[dict[str, str]]:
    """A chat history from the browser's storage, made safe again before it is shown.

    User messages are re-rendered as text (whatever the storage holds); assistant messages are the
    app's own HTML, passed through Gradio's sanitiser like any message. Anything else is dropped.
    """
    history: list[dict[str, str]] = []
    for message in saved if isinstance(saved, list) else []:
        content = message_text(message.get("content")) if isinstance(message, dict) else None
        if content is None:
            continue
        role = message.get("role")
        if role == "user":
            history.append({"role": "user", "content": render_question(question_text(content))})
        elif role == "assistant":
            history.append({"role": "assistant", "content": content})
    return history


def message_text(content: Any) -> str | None:
    """A message's text: a string, or Gradio 6's list of parts (`{"type": "text", "text": …}`)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(isinstance(p, dict) and p.get("type") == "text" for p in content):
        return "".join(str(p.get("text", "")) for p in content)
    return None
