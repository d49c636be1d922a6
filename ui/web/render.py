"""Answer → chat message (Markdown with HTML boxes). Pure functions, no Gradio.

In: an `assistant.answer.Answer`. Out: one string for a `gr.Chatbot` assistant message: the answer
text, then two collapsible `<details>` boxes, 来源 (numbered citations: document, locator — table or
section, row, page or line — file, quoted text) and 计算核对 (each calculation's expression, result,
inputs and check). The boxes are part of the message itself, so they stay with the answer in the
history and reappear with it whenever the history is shown again.

The HTML is written without blank lines so the Markdown renderer passes it through as one block;
every piece of text from documents or users is HTML-escaped.
"""

from __future__ import annotations

import html
import re

from assistant.answer import Answer, Calculation, Citation

STREAM_CURSOR = "▌"
_CITE_REF = re.compile(r"\[(\d{1,3})\]")


def escape(text: str) -> str:
    """HTML-escape text and keep its line breaks (as <br>)."""
    return html.escape(text or "", quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def render_text(text: str) -> str:
    """The answer's own text for Markdown: `<`, `>` and `&` escaped, citation marks [n] kept.

    Citation marks become `<sup>[n]</sup>` so a reader sees they point into the 来源 box.
    """
    safe = html.escape(text or "", quote=False)
    return _CITE_REF.sub(lambda m: f"<sup>[{m.group(1)}]</sup>", safe)


def render_citation(citation: Citation) -> str:
    """One numbered source as an HTML list item: [n] document · locator, file and lines, quote."""
    where = " · ".join(part for part in (citation.doc, citation.locator) if part)
    file_part = ""
    if citation.file:
        lines = ""
        if citation.line_start:
            lines = (
                f" 第{citation.line_start}行"
                if citation.line_end in (0, citation.line_start)
                else f" 第{citation.line_start}–{citation.line_end}行"
            )
        file_part = f'<div class="bqa-file">文件：{escape(citation.file)}{lines}</div>'
    quote = f"<blockquote>{escape(citation.quote)}</blockquote>" if citation.quote else ""
    return (
        f'<li class="bqa-citation" data-n="{citation.number}">'
        f'<b class="bqa-n">[{citation.number}]</b> <span class="bqa-where">{escape(where)}</span>'
        f"{file_part}{quote}</li>"
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
        value = item.get("value", "")
        number = item.get("citation", "") or item.get("number", "")
        ref = f" [{number}]" if number else ""
        parts.append(f"{name} {value}{ref}".strip())
    return "；".join(parts)


def render_calculation(calc: Calculation) -> str:
    """One calculation as a table row: expression, result with unit, inputs with citation numbers, check."""
    result = f"{calc.result} {calc.unit}".strip()
    check = calc.check or "计算器按十进制精确计算，输入均来自上方来源"
    return (
        f'<tr><td><code>{escape(calc.expression)}</code></td><td class="bqa-result">{escape(result)}</td>'
        f"<td>{escape(_inputs_text(calc)) or '—'}</td><td>{escape(check)}</td></tr>"
    )


def render_calculations(calculations: list[Calculation], open_: bool = False) -> str:
    """The 计算核对 box: a table of every calculation; "" when there are none."""
    if not calculations:
        return ""
    rows = "".join(render_calculation(c) for c in calculations)
    opened = " open" if open_ else ""
    return (
        f'<details class="bqa-box bqa-calcs"{opened}><summary>计算核对（{len(calculations)} 项）</summary>'
        '<table class="bqa-calc-table"><thead><tr><th>算式</th><th>结果</th><th>输入与来源</th>'
        f"<th>核对</th></tr></thead><tbody>{rows}</tbody></table></details>"
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


CSS = """
.bqa-box { margin-top: 0.5em; border: 1px solid var(--border-color-primary); border-radius: 6px;
  padding: 0.3em 0.7em; }
.bqa-box summary { cursor: pointer; font-weight: 600; }
.bqa-citations { list-style: none; padding-left: 0; margin: 0.4em 0; }
.bqa-citation { margin: 0.5em 0; }
.bqa-citation blockquote { margin: 0.2em 0 0 1.5em; padding-left: 0.6em;
  border-left: 3px solid var(--color-accent); white-space: pre-wrap; }
.bqa-file { margin-left: 1.5em; font-size: 0.85em; opacity: 0.75; }
.bqa-calc-table { font-size: 0.9em; }
.bqa-notes { font-size: 0.85em; opacity: 0.8; }
.bqa-error { color: var(--error-text-color, #b91c1c); }
"""
