"""The app's pages as Gradio components, each wired to its handlers in `Views`.

In: a `Views` (handlers), inside an open `gr.Blocks`. Out: the components other pages need (returned
as small dataclasses). Phone first: the chat input comes right after a chat box that grows with its
messages; what the store holds and example questions sit beside it on a wide screen, below it on a
phone; evaluator examples and the 上传 tab appear only after the admin password, once per session.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ingest.api import UPLOAD_REQUIREMENTS
from ui.web import chat
from ui.web.admin import SESSION_ROUTE
from ui.web.render import restore_history
from ui.web.views import ALL, Message, Views

ANSWER_GROUP = "answer"
INGEST_GROUP = "ingest"


@dataclass
class ChatPage:
    doc_filter: gr.Dropdown
    admin_examples: gr.Column | None


def _keep(history: list[Message] | None) -> list[Message]:
    return list(history or [])


def _restore(saved: Any, shown: list[Message] | None) -> Any:
    """The saved chat, unless the visitor has already asked something: a question sent before the
    page finished loading (a slow server) must not be wiped by the restore arriving after it."""
    return list(shown) if shown else restore_history(saved)


def _example_sender(views: Views, question: str) -> Any:
    """A click handler that sends `question` as if typed (two inputs: history, document filter)."""

    def send(history: list[Message] | None, doc_ids: list[str] | None) -> Iterator[Any]:
        yield from views.respond(question, history, doc_ids)

    return send


@dataclass
class _ChatColumn:
    """The conversation column's components the handlers read and write."""

    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    hint: gr.Markdown
    source_view: gr.HTML
    clear: gr.Button
    doc_filter: gr.Dropdown


def _chat_column(views: Views) -> _ChatColumn:
    """The chat box, the question box with its send button, the source view and the document filter."""
    chatbot = gr.Chatbot(
        label="对话",
        show_label=False,
        height=None,
        min_height=80,
        max_height="70vh",
        elem_id="chatbot",
        buttons=["copy"],
        feedback_options=None,
        latex_delimiters=[],
        layout="panel",
        placeholder="在下面输入问题，或点示例问题。",
    )
    with gr.Row(equal_height=False):
        question = gr.Textbox(
            placeholder="例如：三公经费是多少？",
            show_label=False,
            lines=1,
            max_lines=6,
            scale=5,
            min_width=160,
            elem_id="question",
        )
        send = gr.Button("发送", variant="primary", scale=1, min_width=64, elem_id="send")
    hint = gr.Markdown("", elem_id="question-hint", elem_classes=["bqa-hint"])
    source_view = gr.HTML("", visible=False, elem_id="source-view")
    with gr.Row():
        clear = gr.Button("清空对话", size="sm", elem_id="clear")
    with gr.Accordion("限定文档（不选则查全部）", open=False):
        doc_filter = gr.Dropdown(
            choices=views.document_choices(),
            value=[],
            multiselect=True,
            show_label=False,
            elem_id="doc-filter",
        )
    return _ChatColumn(chatbot, question, send, hint, source_view, clear, doc_filter)


def _chat_side(views: Views) -> tuple[list[tuple[gr.Button, str]], gr.Column | None]:
    """What the store holds and the example buttons (the evaluators' column hidden until admin login)."""
    examples = chat.example_questions(views.index, views.assistant.catalog)
    gr.Markdown(chat.held_documents(views.index), elem_id="held", elem_classes=["bqa-held"])
    example_buttons: list[tuple[gr.Button, str]] = []
    with gr.Column(elem_id="examples", elem_classes=["bqa-examples"]):
        gr.Markdown("**试试这些问题**（点一下就发送）")
        for text in [*examples["市民"][:3], *examples["工作人员"][:2]]:
            example_buttons.append((gr.Button(text, size="sm"), text))
    if not views.settings.admin_password:
        return example_buttons, None
    with gr.Column(visible=False, elem_id="admin-examples", elem_classes=["bqa-examples"]) as admin_examples:
        gr.Markdown("**评估人员示例问题**")
        for text in examples["评估人员"]:
            example_buttons.append((gr.Button(text, size="sm"), text))
    return example_buttons, admin_examples


def _wire_chat(
    demo: gr.Blocks, views: Views, page: _ChatColumn, example_buttons: list[tuple[gr.Button, str]]
) -> None:
    """The chat's events: send (also the `/respond` endpoint), examples, clear, sources, reload, `/ask`."""
    saved = gr.BrowserState([], storage_key="budgetqa-chat")
    chatbot, question, hint = page.chatbot, page.question, page.hint
    outputs = [chatbot, question, hint]
    limits: dict[str, Any] = {
        "concurrency_id": ANSWER_GROUP,
        "concurrency_limit": views.settings.max_concurrency,
    }
    gr.on(
        [page.send.click, question.submit],
        views.respond,
        inputs=[question, chatbot, page.doc_filter],
        outputs=outputs,
        api_name="respond",
        **limits,
    ).then(_keep, inputs=[chatbot], outputs=[saved], api_visibility="private", queue=False)
    for button, text in example_buttons:
        button.click(
            _example_sender(views, text),
            inputs=[chatbot, page.doc_filter],
            outputs=outputs,
            api_visibility="private",
            **limits,
        ).then(_keep, inputs=[chatbot], outputs=[saved], api_visibility="private", queue=False)
    page.clear.click(
        lambda: ([], [], "", gr.update(value="", visible=False)),
        outputs=[chatbot, saved, hint, page.source_view],
        api_visibility="private",
        queue=False,
    )
    chatbot.select(  # a click on an answer (its 来源 included) shows the cited lines of the source
        views.show_sources, inputs=[chatbot], outputs=[page.source_view], api_visibility="private"
    ).then(None, js="() => document.querySelector('#source-view')?.scrollIntoView({block: 'nearest'})")
    # the saved chat comes back after a reload; user messages are re-escaped whatever storage holds
    demo.load(_restore, inputs=[saved, chatbot], outputs=[chatbot], api_visibility="private", queue=False)
    api_question = gr.Textbox(visible=False)
    api_answer = gr.JSON(visible=False)
    gr.Button(visible=False).click(
        views.ask, inputs=[api_question, page.doc_filter], outputs=[api_answer], api_name="ask", **limits
    )


def chat_page(demo: gr.Blocks, views: Views) -> ChatPage:
    """The 问答 tab: the conversation column, beside it (below on a phone) the store and examples."""
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=300):
            page = _chat_column(views)
        with gr.Column(scale=2, min_width=260, elem_id="chat-side"):
            example_buttons, admin_examples = _chat_side(views)
    _wire_chat(demo, views, page, example_buttons)
    return ChatPage(doc_filter=page.doc_filter, admin_examples=admin_examples)


@dataclass
class DocumentsPage:
    doc_pick: gr.Dropdown


def documents_page(demo: gr.Blocks, views: Views) -> DocumentsPage:
    """The 文档 tab: summary with findings, charts (open; hidden when a document lacks the data),
    the narrative's figures, and one table at a time."""
    docs = views.document_choices()
    doc_pick = gr.Dropdown(choices=docs, value=docs[0][1] if docs else None, label="文档", elem_id="doc-pick")
    summary = gr.Markdown(elem_id="doc-summary")
    with gr.Accordion("图表", open=True, elem_id="charts"):
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
    table_view = gr.Dataframe(interactive=False, wrap=False, max_height=600, elem_id="table-view")
    outputs = [
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
    doc_pick.change(views.show_document, inputs=[doc_pick], outputs=outputs, api_name="show_document")
    table_pick.change(
        views.show_table,
        inputs=[doc_pick, table_pick],
        outputs=[table_title, table_view],
        api_name="show_table",
    )
    demo.load(views.show_document, inputs=[doc_pick], outputs=outputs, api_visibility="private")
    return DocumentsPage(doc_pick=doc_pick)


def catalog_page(views: Views) -> None:
    """The 目录 tab: search by code or words (results appear only after a search), version diff."""
    catalog = views.assistant.catalog
    versions = catalog.versions()
    departments = [("全部部门", ALL), *[(d, d) for d in catalog.departments()]]
    version_choices = [("全部版本", ALL), *[(v, v) for v in versions]]
    with gr.Row():
        query = gr.Textbox(
            label="代码或关键词",
            placeholder="例如 A0101，或 法律顾问、宣传片",
            scale=3,
            min_width=200,
            elem_id="catalog-query",
        )
        department = gr.Dropdown(choices=departments, value=ALL, label="部门", scale=2, min_width=160)
        version = gr.Dropdown(choices=version_choices, value=ALL, label="目录版本", scale=2, min_width=160)
        search = gr.Button("搜索", variant="primary", scale=1, min_width=80, elem_id="catalog-search")
    hits = gr.HTML("", elem_id="catalog-hits")
    detail = gr.Markdown(elem_id="catalog-detail")
    gr.on(
        [search.click, query.submit],
        views.search_catalog,
        inputs=[query, department, version],
        outputs=[hits, detail],
        api_name="search_catalog",
    )
    with gr.Accordion("版本对比", open=False):
        with gr.Row():
            old = gr.Dropdown(choices=versions, value=versions[0] if versions else None, label="旧版本")
            new = gr.Dropdown(choices=versions, value=versions[-1] if versions else None, label="新版本")
            button = gr.Button("对比")
        diff_view = gr.Markdown()
        button.click(
            views.diff_catalog, inputs=[old, new, department], outputs=[diff_view], api_name="diff_catalog"
        )


def _with_progress(views: Views) -> Any:
    def upload(files: list[str] | None, is_admin: bool, progress: gr.Progress = gr.Progress()) -> Any:  # noqa: B008
        return views.upload(files, is_admin, progress)

    return upload


# After a login, the page posts the session token to this route, which sets the cookie the upload
# route asks for (ui/web/admin.py); relative, so it works under any root path.
_SET_ADMIN_COOKIE = f"""async (token) => {{
  if (token) {{
    await fetch("./{SESSION_ROUTE.lstrip("/")}", {{method: "POST", body: token, credentials: "same-origin"}});
  }}
  return [];
}}"""


def admin_login(views: Views, admin_state: gr.State, reveal: list[Any]) -> None:
    """A collapsed 管理员登录 box: the password, once per session, reveals `reveal` (the upload tab,
    the evaluator examples) and lets this session upload. Wrong passwords are slowed down."""
    with gr.Accordion("管理员登录", open=False, elem_id="admin"):
        password = gr.Textbox(label="管理员密码", type="password", elem_id="admin-password")
        login = gr.Button("登录", size="sm", elem_id="admin-login")
        message = gr.Markdown()
        token = gr.Textbox(visible=False)  # the session token, turned into a cookie by the page

    def log_in(text: str, request: gr.Request) -> tuple[Any, ...]:
        client = request.client.host if request is not None and request.client is not None else ""
        ok, note, session = views.admin_login(text, client)
        return (ok, note, "", *[gr.update(visible=ok) for _ in reveal], session)

    gr.on(
        [login.click, password.submit],
        log_in,
        inputs=[password],
        outputs=[admin_state, message, password, *reveal, token],
        api_name="admin_login",
    ).then(None, inputs=[token], outputs=None, js=_SET_ADMIN_COOKIE, api_visibility="private")


def upload_tab(views: Views, admin_state: gr.State, doc_targets: list[gr.Dropdown]) -> gr.Tab:
    """The 上传 tab (hidden until the admin logs in this session)."""
    with gr.Tab("上传", id="upload", visible=False) as tab:
        gr.Markdown("上传部门预算公开的 PDF 或文本导出（.txt），导入后即可提问。\n\n" + UPLOAD_REQUIREMENTS)
        files = gr.File(file_count="multiple", file_types=[".pdf", ".txt"], label="文件")
        ingest_button = gr.Button("导入", variant="primary")
        ingest_summary = gr.Markdown()
        ingest_table = gr.Dataframe(interactive=False, wrap=True)
        ingest_button.click(
            _with_progress(views),
            inputs=[files, admin_state],
            outputs=[ingest_summary, ingest_table],
            api_name="upload",
            concurrency_id=INGEST_GROUP,
            concurrency_limit=1,
        ).then(
            lambda: tuple(gr.update(choices=views.document_choices()) for _ in doc_targets),
            outputs=doc_targets,
            api_visibility="private",
        )
    return tab
