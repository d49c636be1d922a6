"""The Gradio app: 问答 (chat), 文档 (documents), 目录 (catalog), 上传 (upload, admin only).

In: `Settings` (store, limits, admin password) and optionally an assistant object (tests pass one).
Out: `build_app(settings) -> gr.Blocks`; `serve(settings, host, port)` launches it on host:port.

Every handler is a plain function of the views below, exposed as an API endpoint with the same name
(`/ask`, `/respond`, `/search_catalog`, `/diff_catalog`, `/show_document`, `/show_table`, `/upload`).
Limits are set on purpose: answers share one concurrency group of `settings.max_concurrency`, uploads
run one at a time, and at most `settings.max_queue` requests wait before new ones are turned away.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import gradio as gr
import pandas as pd

from assistant.answer import Answer
from assistant.catalog_search import CatalogSearch, format_diff, format_entry
from ingest.index import StructuredIndex
from ingest.quality import UPLOAD_REQUIREMENTS, table_status_text
from ingest.settings import Settings
from ui.web import charts
from ui.web.render import CSS, render_answer, render_error, render_partial

ANSWER_GROUP = "answer"
INGEST_GROUP = "ingest"
ALL = ""  # the "no filter" choice of the department and version drop-downs
Message = dict[str, Any]


class AssistantLike(Protocol):
    """What the app needs from `assistant.service.Assistant`."""

    index: StructuredIndex
    catalog: CatalogSearch

    def ask(self, question: str, doc_ids: list[str] | None = None) -> Answer: ...


def load_assistant(settings: Settings) -> AssistantLike:
    """The real assistant over the store in `settings`."""
    from assistant.service import Assistant

    return Assistant.from_settings(settings)


# ------------------------------------------------------------------------------------------ examples


def example_questions(index: StructuredIndex, catalog: CatalogSearch | None) -> dict[str, list[str]]:
    """Example questions for citizens, staff and evaluators, made from what the store holds."""
    docs = index.documents()
    citizen: list[str] = []
    evaluator: list[str] = []
    for doc in docs[:2]:
        name = f"{doc.department}{doc.year or ''}年" if doc.year else doc.department
        citizen.append(f"{name}“三公”经费是多少？")
        citizen.append(f"{name}基本支出和项目支出各是多少？")
    citizen.append("三公经费是什么？")
    if docs:
        doc = docs[-1]
        evaluator.append(f"{doc.department}{doc.year}年支出预算合计是多少？比上年增减多少？")
        evaluator.append(f"{doc.department}{doc.year}年人员经费占基本支出的比例是多少？")
        evaluator.append(f"{doc.department}{doc.year}年职工食堂每天的菜单是什么？")
    staff: list[str] = []
    if catalog is not None and catalog.entries:
        departments = catalog.departments()
        if departments:
            department = departments[0]
            leaf = next(
                (e for e in catalog.entries if e.department == department and len(e.code) >= 7 and e.name),
                None,
            )
            if leaf is not None:
                staff.append(f"{department} {leaf.code} 是什么服务？")
                staff.append(f"{leaf.name}的目录代码是什么？")
            staff.append(f"{department}能买哪些宣传服务？")
        versions = catalog.versions()
        if len(versions) >= 2:
            staff.append(f"{versions[0]}和{versions[1]}两版目录有什么不同？")
    return {"市民": citizen, "工作人员": staff, "评估人员": evaluator}


# ------------------------------------------------------------------------------------------ views


class Views:
    """The app's handlers over one assistant; each returns values for Gradio components."""

    def __init__(
        self,
        settings: Settings,
        assistant: AssistantLike,
        reopen: Callable[[Settings], AssistantLike] | None = None,
    ) -> None:
        self.settings = settings
        self.assistant = assistant
        self.reopen = reopen  # builds a fresh assistant after an upload changed the store

    @property
    def index(self) -> StructuredIndex:
        return self.assistant.index

    # --------------------------------------------------------------------------------- chat

    def document_choices(self) -> list[tuple[str, str]]:
        return [(d.title, d.doc_id) for d in self.index.documents()]

    def ask(self, question: str, doc_ids: list[str] | None = None) -> dict[str, Any]:
        """One question → the `ask --json` object plus `html`, the message as the chat shows it."""
        answer = self.assistant.ask(question.strip(), doc_ids=list(doc_ids or []) or None)
        return {**answer.to_json(), "html": render_answer(answer)}

    def respond(
        self, question: str, history: list[Message] | None, doc_ids: list[str] | None = None
    ) -> Iterator[tuple[list[Message], str]]:
        """Chat turn: the history with the question, then the answer streamed, then its boxes."""
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            yield history, ""
            return
        history.append({"role": "user", "content": question})
        history.append({"role": "assistant", "content": render_partial("正在查找来源……")})
        yield history, ""
        try:
            answer = self.assistant.ask(question, doc_ids=list(doc_ids or []) or None)
        except Exception as exc:  # the page stays usable; the message says what to do
            history[-1] = {
                "role": "assistant",
                "content": render_error(
                    f"回答时出错（{type(exc).__name__}: {exc}）。请换个问法重试；如果一直出错，请联系管理员查看日志。"
                ),
            }
            yield history, ""
            return
        for partial in _pieces(answer.answer):
            history[-1] = {"role": "assistant", "content": render_partial(partial)}
            yield history, ""
        history[-1] = {"role": "assistant", "content": render_answer(answer)}
        yield history, ""

    # --------------------------------------------------------------------------------- documents

    def show_document(
        self, doc_id: str | None
    ) -> tuple[str, pd.DataFrame, Any, Any, Any, Any, str, str, pd.DataFrame]:
        """A document's key figures (markdown, facts table), its table choices, its three charts,
        a note on charts it cannot have, and its first table (title, rows)."""
        doc = next((d for d in self.index.documents() if d.doc_id == doc_id), None)
        if doc is None:
            empty = pd.DataFrame(columns=["项目", "数值", "单位", "出处"])
            return (
                "请选择一个文档。",
                empty,
                gr.update(choices=[], value=None),
                None,
                None,
                None,
                "",
                "",
                empty,
            )
        summary_md = _document_markdown(doc.title, doc.summary, _key_figures(self.index, doc.doc_id))
        facts = pd.DataFrame(
            [
                (
                    f.name.replace(".", " · "),
                    f.raw if f.raw is not None else "—",
                    f.unit,
                    _where(f.record.metadata),
                )
                for f in self.index.facts(doc.doc_id)
            ],
            columns=["项目", "数值", "单位", "出处"],
        )
        tables = _table_choices(self.index, doc.doc_id)
        figures = charts.document_charts(self.index, doc.doc_id)
        missing = [name for name, fig in figures.items() if fig is None]
        chart_note = ("本文档没有可画图的数据：" + "、".join(missing)) if missing else ""
        first_table = tables[0][1] if tables else None
        return (
            summary_md,
            facts,
            gr.update(choices=tables, value=first_table),
            figures["支出功能分类"],
            figures["基本支出与项目支出"],
            figures["三公经费构成"],
            chart_note,
            *self.show_table(doc.doc_id, first_table),
        )

    def show_table(self, doc_id: str | None, table: str | None) -> tuple[str, pd.DataFrame]:
        """One table of a document as printed: 科目编码, indented 项目, then every column."""
        rows = self.index.rows(doc_id, table) if doc_id and table else []
        if not rows:
            return "", pd.DataFrame()
        columns: list[str] = []
        for row in rows:
            columns.extend(c for c in row.cells if c not in columns)
        data = [
            [
                row.code or "",
                "\u3000" * max(len(row.path) - 1, 0) + row.label,
                *["" if row.cells.get(c) is None else str(row.cells[c]) for c in columns],
                str(row.record.metadata.get("line_start", "")),
            ]
            for row in rows
        ]
        frame = pd.DataFrame(data, columns=["科目编码", "项目", *columns, "行号"])
        first = rows[0]
        return f"**{first.table} {first.table_title}**（单位：{first.unit}）", frame

    # --------------------------------------------------------------------------------- catalog

    def search_catalog(
        self, query: str, department: str = ALL, version: str = ALL
    ) -> tuple[pd.DataFrame, str]:
        """Catalog search by code or words → hits table and the best hit in full."""
        catalog = self.assistant.catalog
        if not (query or "").strip():
            return _hits_frame([]), "请输入目录代码（如 A0101）或服务名称、关键词。"
        hits = catalog.search(query, department=department or None, version=version or None, k=20)
        if not hits:
            return _hits_frame([]), "没有找到匹配的目录条目。可以换个说法，或改选部门、目录版本。"
        detail = "\n\n".join(f"```text\n{format_entry(h.entry)}\n```" for h in hits[:3])
        return _hits_frame(hits), detail

    def diff_catalog(self, v1: str, v2: str, department: str = ALL) -> str:
        """What changed between two catalog versions (for one department when given)."""
        if not v1 or not v2 or v1 == v2:
            return "请选择两个不同的目录版本。"
        diff = self.assistant.catalog.diff(v1, v2, department=department or None)
        return "```text\n" + format_diff(diff, limit=100) + "\n```"

    # --------------------------------------------------------------------------------- upload

    def upload(
        self, files: list[str] | None, password: str, progress: gr.Progress | None = None
    ) -> tuple[str, pd.DataFrame]:
        """Admin upload: check the password, ingest the files with progress, report each file."""
        columns = ["文件", "结果", "文档", "表", "行", "目录条目", "说明"]
        if not self.settings.admin_password or not hmac.compare_digest(
            (password or "").encode(), self.settings.admin_password.encode()
        ):
            return "⚠ 管理员密码不正确：未导入任何文件。", pd.DataFrame(columns=columns)
        paths = [Path(f) for f in (files or [])]
        if not paths:
            return "请先选择要上传的 PDF 或文本导出（.txt）文件。", pd.DataFrame(columns=columns)
        from ingest.pipeline import Ingestor

        ingestor = Ingestor(self.settings, store=getattr(self.assistant, "store", None), index=self.index)

        def report(number: int, total: int, name: str) -> None:
            if progress is not None:
                progress((number - 1, total), desc=f"正在导入 {name}（{number}/{total}）")

        summary = ingestor.ingest(paths, progress=report)
        if self.reopen is not None and any(f.status in ("ingested", "replaced") for f in summary.files):
            self.assistant = self.reopen(self.settings)  # new documents and catalogs become askable
        status = {
            "ingested": "✓ 新导入",
            "replaced": "✓ 已更新",
            "unchanged": "未变（已导入过）",
            "failed": "✗ 失败",
        }
        frame = pd.DataFrame(
            [
                (
                    f.path.name,
                    status.get(f.status, f.status) if f.quality_status == "ok" else "⚠ 已导入，部分表需检查",
                    f.title,
                    f.tables,
                    f.rows,
                    f.catalog_entries,
                    f.error or "；".join(f.warnings[:3]),
                )
                for f in summary.files
            ],
            columns=columns,
        )
        return "```text\n" + summary.render() + "\n```", frame


def _pieces(text: str, size: int = 12) -> Iterator[str]:
    """The answer text growing piece by piece, for a streamed display."""
    for end in range(size, len(text), size):
        yield text[:end]


def _where(metadata: dict[str, Any]) -> str:
    locator = str(metadata.get("locator") or "")
    return locator.split(" > ")[-1] if locator else ""


def _table_choices(index: StructuredIndex, doc_id: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for row in index.rows(doc_id):
        seen.setdefault(row.table, f"{row.table} {row.table_title}")
    return [(label, key) for key, label in seen.items()]


KEY_FACTS = ("三公经费.合计", "机关运行经费", "政府采购.总额", "人员.在职", "车辆.实有", "绩效.二级项目金额")


def _key_figures(index: StructuredIndex, doc_id: str) -> list[str]:
    """The figures a reader looks for first, each with where it is printed."""
    lines: list[str] = []
    rows = charts.spending_table(index, doc_id)
    total = next((r for r in rows if r.label == "合计"), None)
    if total is not None:
        parts = [
            f"{name} {value}"
            for name in ("合计", "基本支出", "项目支出")
            if (column := next((c for c in total.cells if c == name or c.endswith("/" + name)), None))
            and (value := total.cells.get(column)) is not None
        ]
        where = f"{total.table} {total.table_title} 第{total.record.metadata.get('line_start', '?')}行"
        lines.append(f"支出：{'，'.join(parts)}（{total.unit}；{where}）")
    facts = {f.name: f for f in index.facts(doc_id)}
    for name in KEY_FACTS:
        fact = facts.get(name)
        if fact is not None and fact.raw is not None:
            label = name.replace(".", "")
            lines.append(f"{label}：{fact.raw} {fact.unit}（{_where(fact.record.metadata)}）")
    return lines


def _document_markdown(title: str, summary: dict[str, Any], key_figures: list[str]) -> str:
    counts = summary.get("counts") or {}
    catalogs = "、".join(summary.get("adopted_catalogs") or []) or "文件未写明"
    lines = [
        f"### {title}",
        f"- 部门：{summary.get('department', '')}　年度：{summary.get('year', '')}　文件：{summary.get('file', '')}",
        f"- {table_status_text(summary)}，"
        f"行 {counts.get('rows', 0)}，名词解释 {counts.get('glossary', 0)} 条，目录条目 {counts.get('catalog_entries', 0)} 条",
        f"- 执行的政府购买服务目录：{catalogs}",
    ]
    if key_figures:
        lines.append("\n**主要数字**\n")
        lines.extend(f"- {line}" for line in key_figures)
    findings = summary.get("findings") or []
    if findings:
        lines.append(f"\n**表内算术不符 {len(findings)} 处**（按原文保留，未作修改）\n")
        for item in findings[:10]:
            lines.append(
                f"- {item.get('locator', '')}：{item.get('rule', '')}，"
                f"应为 {item.get('expected', '')}，原文 {item.get('actual', '')}"
            )
    return "\n".join(lines)


def _hits_frame(hits: list[Any]) -> pd.DataFrame:
    how = {"exact": "精确", "fuzzy": "相近", "semantic": "语义"}
    return pd.DataFrame(
        [
            (
                h.entry.code,
                h.entry.name or "（名称未能识别）",
                " > ".join(level or "—" for level in h.entry.levels),
                h.entry.department or "全部门通用（B类）",
                h.entry.version,
                how.get(h.how, h.how),
                f"{h.entry.locator.file} · {h.entry.locator.render()}",
            )
            for h in hits
        ],
        columns=["代码", "服务名称", "目录层级", "部门", "目录版本", "匹配", "出处"],
    )


# ------------------------------------------------------------------------------------------ layout

INTRO = (
    "# 部门预算问答\n"
    "问部门预算公开和政府购买服务指导性目录。每个数字都注明出处（文档、表、行、行号和原文），"
    "每个计算都由计算器核对并写出算式。文件没有写的，会直说没有。"
)


def build_app(settings: Settings, assistant: AssistantLike | None = None) -> gr.Blocks:
    """The whole web app over the store in `settings` (or over `assistant` when given)."""
    views = Views(settings, assistant or load_assistant(settings), None if assistant else load_assistant)
    docs = views.document_choices()
    catalog = views.assistant.catalog
    versions = catalog.versions()
    departments = [("全部部门", ALL), *[(d, d) for d in catalog.departments()]]
    version_choices = [("全部版本", ALL), *[(v, v) for v in versions]]

    with gr.Blocks(title="部门预算问答") as demo:
        gr.Markdown(INTRO)
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                doc_filter = gr.Dropdown(
                    choices=docs,
                    value=[],
                    multiselect=True,
                    label="限定文档（不选则查全部）",
                    elem_id="doc-filter",
                )
                chatbot = gr.Chatbot(
                    label="对话",
                    height=560,
                    elem_id="chatbot",
                    buttons=["copy"],
                    feedback_options=None,
                    placeholder="在下面输入问题，或点一个示例问题。",
                )
                with gr.Row():
                    question = gr.Textbox(
                        placeholder="例如：某局今年“三公”经费是多少？",
                        show_label=False,
                        scale=8,
                        elem_id="question",
                    )
                    send = gr.Button("发送", variant="primary", scale=1, elem_id="send")
                    clear = gr.Button("清空对话", scale=1, elem_id="clear")
                for group, questions in example_questions(views.index, catalog).items():
                    if questions:
                        gr.Examples(
                            examples=[[q] for q in questions], inputs=[question], label=f"{group}示例问题"
                        )
                saved = gr.BrowserState([], storage_key="budgetqa-chat")
                gr.on(
                    [send.click, question.submit],
                    views.respond,
                    inputs=[question, chatbot, doc_filter],
                    outputs=[chatbot, question],
                    api_name="respond",
                    concurrency_id=ANSWER_GROUP,
                    concurrency_limit=settings.max_concurrency,
                ).then(_keep, inputs=[chatbot], outputs=[saved], api_visibility="private", queue=False)
                clear.click(lambda: ([], []), outputs=[chatbot, saved], api_visibility="private", queue=False)
                demo.load(_keep, inputs=[saved], outputs=[chatbot], api_visibility="private", queue=False)
                api_question = gr.Textbox(visible=False)
                api_answer = gr.JSON(visible=False)
                gr.Button(visible=False).click(
                    views.ask,
                    inputs=[api_question, doc_filter],
                    outputs=[api_answer],
                    api_name="ask",
                    concurrency_id=ANSWER_GROUP,
                    concurrency_limit=settings.max_concurrency,
                )

            with gr.Tab("文档", id="documents"):
                doc_pick = gr.Dropdown(
                    choices=docs, value=docs[0][1] if docs else None, label="文档", elem_id="doc-pick"
                )
                summary = gr.Markdown(elem_id="doc-summary")
                with gr.Accordion("图表", open=False, elem_id="charts"):
                    chart_note = gr.Markdown()
                    with gr.Row():
                        chart_function = gr.Plot(
                            label="支出功能分类", show_label=False, format="png", elem_id="chart-function"
                        )
                        chart_split = gr.Plot(
                            label="基本支出与项目支出", show_label=False, format="png", elem_id="chart-split"
                        )
                    chart_sangong = gr.Plot(
                        label="“三公”经费构成", show_label=False, format="png", elem_id="chart-sangong"
                    )
                with gr.Accordion("主要数字（正文说明中的数字）", open=False):
                    facts = gr.Dataframe(label="主要数字", interactive=False, wrap=True, max_height=400)
                table_pick = gr.Dropdown(choices=[], label="表格", elem_id="table-pick")
                table_title = gr.Markdown()
                table_view = gr.Dataframe(interactive=False, wrap=True, max_height=600, elem_id="table-view")
                doc_outputs = [
                    summary,
                    facts,
                    table_pick,
                    chart_function,
                    chart_split,
                    chart_sangong,
                    chart_note,
                    table_title,
                    table_view,
                ]
                doc_pick.change(
                    views.show_document, inputs=[doc_pick], outputs=doc_outputs, api_name="show_document"
                )
                table_pick.change(
                    views.show_table,
                    inputs=[doc_pick, table_pick],
                    outputs=[table_title, table_view],
                    api_name="show_table",
                )
                demo.load(
                    views.show_document, inputs=[doc_pick], outputs=doc_outputs, api_visibility="private"
                )

            with gr.Tab("目录", id="catalog"):
                with gr.Row():
                    catalog_query = gr.Textbox(
                        label="代码或关键词",
                        placeholder="例如 A0101，或 法律顾问、宣传片",
                        scale=3,
                        elem_id="catalog-query",
                    )
                    catalog_department = gr.Dropdown(choices=departments, value=ALL, label="部门", scale=2)
                    catalog_version = gr.Dropdown(
                        choices=version_choices, value=ALL, label="目录版本", scale=2
                    )
                    catalog_search = gr.Button("搜索", variant="primary", scale=1, elem_id="catalog-search")
                catalog_hits = gr.Dataframe(
                    interactive=False, wrap=True, max_height=480, elem_id="catalog-hits"
                )
                catalog_detail = gr.Markdown(elem_id="catalog-detail")
                search_inputs = [catalog_query, catalog_department, catalog_version]
                gr.on(
                    [catalog_search.click, catalog_query.submit],
                    views.search_catalog,
                    inputs=search_inputs,
                    outputs=[catalog_hits, catalog_detail],
                    api_name="search_catalog",
                )
                with gr.Accordion("版本对比", open=False):
                    with gr.Row():
                        diff_old = gr.Dropdown(
                            choices=versions, value=versions[0] if versions else None, label="旧版本"
                        )
                        diff_new = gr.Dropdown(
                            choices=versions, value=versions[-1] if versions else None, label="新版本"
                        )
                        diff_button = gr.Button("对比")
                    diff_view = gr.Markdown()
                    diff_button.click(
                        views.diff_catalog,
                        inputs=[diff_old, diff_new, catalog_department],
                        outputs=[diff_view],
                        api_name="diff_catalog",
                    )

            if settings.admin_password:
                with gr.Tab("上传", id="upload"):
                    gr.Markdown(
                        "管理员上传部门预算公开的 PDF 或文本导出（.txt），导入后即可提问。\n\n"
                        + UPLOAD_REQUIREMENTS
                    )
                    password = gr.Textbox(label="管理员密码", type="password")
                    files = gr.File(file_count="multiple", file_types=[".pdf", ".txt"], label="文件")
                    ingest_button = gr.Button("导入", variant="primary")
                    ingest_summary = gr.Markdown()
                    ingest_table = gr.Dataframe(interactive=False, wrap=True)
                    ingest_button.click(
                        _with_progress(views),
                        inputs=[files, password],
                        outputs=[ingest_summary, ingest_table],
                        api_name="upload",
                        concurrency_id=INGEST_GROUP,
                        concurrency_limit=1,
                    ).then(
                        lambda: (
                            gr.update(choices=views.document_choices()),
                            gr.update(choices=views.document_choices()),
                        ),
                        outputs=[doc_filter, doc_pick],
                        api_visibility="private",
                    )
    return demo


def _keep(history: list[Message] | None) -> list[Message]:
    return list(history or [])


def _with_progress(views: Views) -> Any:
    def upload(files: list[str] | None, password: str, progress: gr.Progress = gr.Progress()) -> Any:  # noqa: B008
        return views.upload(files, password, progress)

    return upload


def theme() -> gr.themes.Base:
    """The app's look: Latin fonts bundled with Gradio, then local CJK fonts (nothing fetched)."""
    return gr.themes.Soft(
        font=("ui-sans-serif", "system-ui", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "sans-serif"),
        font_mono=("ui-monospace", "WenQuanYi Micro Hei Mono", "monospace"),
    )


def launch(demo: gr.Blocks, settings: Settings, host: str, port: int, block: bool = True) -> gr.Blocks:
    """Queue with the limits of `settings`, then launch on host:port (never shared publicly)."""
    demo.queue(default_concurrency_limit=settings.max_concurrency, max_size=settings.max_queue)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        prevent_thread_lock=not block,
        show_error=True,
        ssr_mode=False,
        quiet=not block,
        theme=theme(),
        css=CSS,
        footer_links=["api"],
    )
    return demo


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    """Build the app over the store in `settings` and serve it; `block=False` returns once it listens."""
    charts.find_cjk_font()  # fail now, with the fix, rather than with boxes in every chart
    return launch(build_app(settings), settings, host, port, block=block)
