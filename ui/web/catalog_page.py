"""The 目录 page's content: catalog hits as an HTML table that scrolls sideways in its own box.

In: a query, the `CatalogSearch` hits, the documents held. Out: HTML (every text escaped) and Markdown.
- 匹配 says how a hit matched: 精确 (the code, or the service name exactly), 同义 (through the
  everyday-word synonyms, e.g. 打官司 → 诉讼), 相近 (shared characters or meaning only).
- 出处 is the catalog itself: its title and 文号, and the held documents that adopt that version;
  never the file a copy of the catalog happened to be read from.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.catalog_search import Hit, normalise_text, rewrite_query
from ingest.api import CatalogEntry, DocumentHit
from ui.web.render import escape

HEADERS = ("代码", "服务名称", "匹配", "部门", "目录版本", "目录层级", "出处")
EMPTY_QUERY = "请输入目录代码（如 A0101）或服务名称、关键词。"
NO_HITS = "没有找到匹配的目录条目。可以换个说法，或改选部门、目录版本。"


def match_label(query: str, hit: Hit) -> str:
    """精确 / 同义 / 相近, meaning what they say (see the module docstring)."""
    text = normalise_text(query)
    entry = hit.entry
    if text and (text == entry.code.lower() or text == normalise_text(entry.name)):
        return "精确"
    if hit.how == "exact":
        return "精确"
    rewritten = rewrite_query(query)
    if rewritten and rewritten.replace(" ", "") != text:
        name = normalise_text(" ".join(entry.levels))
        words = [w for w in rewritten.split() if w and w not in text]
        if any(w in name for w in words):
            return "同义"
    return "相近"


def adopting_documents(version: str, documents: Sequence[DocumentHit]) -> list[str]:
    """Titles of the held documents that say they follow catalog `version`."""
    return [d.title for d in documents if version in d.summary.adopted_catalogs]


def catalog_source(entry: CatalogEntry, titles: dict[str, str], documents: Sequence[DocumentHit]) -> str:
    """出处 of an entry: the catalog's title and 文号, and which held documents adopt it."""
    title = titles.get(entry.version, "政府购买服务指导性目录")
    adopters = adopting_documents(entry.version, documents)
    used = f"；采用此版本的文档：{'、'.join(adopters)}" if adopters else ""
    return f"{title}（{entry.version}）{used}"


def hits_html(
    query: str, hits: Sequence[Hit], titles: dict[str, str], documents: Sequence[DocumentHit]
) -> str:
    """The hits as a table inside a box that scrolls sideways; "" when there are none."""
    if not hits:
        return ""
    head = "".join(f"<th>{h}</th>" for h in HEADERS)
    body = []
    for hit in hits:
        entry = hit.entry
        cells = [
            ("bqa-nowrap", entry.code),
            ("bqa-wide", entry.name or "（名称未能识别）"),
            ("bqa-nowrap bqa-how", match_label(query, hit)),
            ("bqa-nowrap", entry.department or "全部门通用（B类）"),
            ("bqa-nowrap", entry.version),
            ("bqa-wide", " > ".join(level or "—" for level in entry.levels)),
            ("bqa-wide", catalog_source(entry, titles, documents)),
        ]
        body.append("<tr>" + "".join(f'<td class="{c}">{escape(v)}</td>' for c, v in cells) + "</tr>")
    return (
        f'<div class="bqa-scroll"><table class="bqa-table bqa-hits"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def entry_markdown(entry: CatalogEntry, titles: dict[str, str], documents: Sequence[DocumentHit]) -> str:
    """One entry in full: code and name, levels, department, version, 出处, doubts."""
    path = " > ".join(level or "（未印出）" for level in entry.levels)
    department = entry.department or ("全部门通用（B类）" if entry.code.startswith("B") else "不详")
    lines = [
        f"**{entry.code} {entry.name or '（名称未能识别）'}**",
        f"- 目录层级：{path}",
        f"- 部门：{department}　目录版本：{entry.version}",
        f"- 出处：{catalog_source(entry, titles, documents)}",
    ]
    if entry.uncertain:
        lines.append("- 注意：此条目在原文中无法可靠对齐，名称或部门不确定，请核对原文")
    lines.extend(f"- 提示：{flag}" for flag in entry.flags)
    return "\n".join(escape(line) for line in lines)  # text from documents: no markup of its own
