"""The app's handlers over one assistant; each returns values for Gradio components.

In: `Settings` (limits, admin password) and an assistant (`AssistantLike`). Out: one method per
endpoint (`ask`, `respond`, `admin_login`, `show_document`, `show_table`, `search_catalog`,
`diff_catalog`, `upload`); the page modules (chat, documents, catalog_page) do the work.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import gradio as gr
import pandas as pd

from assistant.answer import Answer
from assistant.catalog_search import CatalogSearch, format_diff
from assistant.question_check import QuestionTimeout, within_budget
from ingest.api import BackgroundVectors, Settings, StoreError, StructuredIndex
from ui.web import catalog_page, charts, chat, documents, render, sources
from ui.web.admin import AdminGate
from ui.web.render import render_answer

ALL = ""  # the "no filter" choice of the department and version drop-downs
UPLOAD_COLUMNS = ["文件", "结果", "文档", "表", "行", "目录条目", "说明"]
Message = chat.Message


class AssistantLike(Protocol):
    """What the app needs from `assistant.service.Assistant`."""

    index: StructuredIndex

    @property
    def catalog(self) -> CatalogSearch: ...

    def ask(self, question: str, doc_ids: list[str] | None = None) -> Answer: ...


class Views:
    """The app's handlers over one assistant."""

    def __init__(self, settings: Settings, assistant: AssistantLike) -> None:
        self.settings = settings
        self.assistant = assistant
        self.admin = AdminGate(settings.admin_password)
        self.vectors = BackgroundVectors(settings)  # an upload's vectors are embedded after it returns

    @property
    def index(self) -> StructuredIndex:
        return self.assistant.index

    # --------------------------------------------------------------------------------- chat

    def document_choices(self) -> list[tuple[str, str]]:
        return [(d.title, d.doc_id) for d in self.index.documents()]

    def ask(self, question: str, doc_ids: list[str] | None = None) -> dict[str, Any]:
        """One question → the `ask --json` object plus `html`, the message as the chat shows it.

        An empty or over-long question raises `gr.Error` with the same hint the chat shows.
        """
        text, hint = chat.check_question(question, self.settings.max_question_chars)
        if hint:
            raise gr.Error(hint)
        try:
            answer = self._ask(text, list(doc_ids or []) or None)
        except (StoreError, QuestionTimeout) as exc:
            raise gr.Error(str(exc)) from exc
        return {**answer.to_json(), "html": render_answer(answer)}

    def _ask(self, text: str, doc_ids: list[str] | None) -> Answer:
        """The assistant's answer within the question's time budget (`settings.question_seconds`); one it
        gave before over the same documents at once (no thread started: under load each costs a wait)."""
        known = getattr(self.assistant, "known_answer", None)
        answer = known(text, doc_ids) if known is not None else None
        if answer is not None:
            return answer
        return within_budget(
            self.settings.question_seconds, lambda: self.assistant.ask(text, doc_ids=doc_ids)
        )

    def respond(
        self, question: str, history: list[Message] | None, doc_ids: list[str] | None = None
    ) -> Iterator[tuple[list[Message], str, str]]:
        """Chat turn: (history, input box text, hint), streamed (see `chat.chat_turn`)."""

        yield from chat.chat_turn(self._ask, question, history, doc_ids, self.settings.max_question_chars)

    def show_sources(self, history: list[Message] | None, event: gr.SelectData) -> Any:
        """The 原文 panel for the clicked message (an answer: its cited lines; else nothing)."""
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        messages = list(history or [])
        if not isinstance(index, int) or not 0 <= index < len(messages):
            return gr.update(visible=False)
        message = messages[index]
        if message.get("role") != "assistant":
            return gr.update(visible=False)
        content = render.message_text(message.get("content")) or ""
        return gr.update(
            value=sources.render_source_view(content, self.index, self.settings.store_dir), visible=True
        )

    # --------------------------------------------------------------------------------- admin

    def admin_login(self, password: str | None, client: str = "") -> tuple[bool, str, str]:
        """(is admin for this session, message, session token or "").

        The password is asked once per session; wrong ones from one client are slowed down (admin.py).
        The token is what the upload route asks for, as a cookie the page sets.
        """
        token, message = self.admin.log_in(password, client)
        return token is not None, message, token or ""

    # --------------------------------------------------------------------------------- documents

    def show_document(
        self, doc_id: str | None
    ) -> tuple[str, pd.DataFrame, Any, Any, Any, Any, str, str, pd.DataFrame]:
        """A document's summary (Markdown), facts, table choices, its three charts (hidden when it
        has no data for one), a note on charts it cannot have, and its first table (title, rows)."""
        doc = next((d for d in self.index.documents() if d.doc_id == doc_id), None)
        if doc is None:
            empty = pd.DataFrame(columns=documents.FACT_COLUMNS)
            hidden = gr.update(value=None, visible=False)
            return (
                "请选择一个文档。",
                empty,
                gr.update(choices=[], value=None),
                hidden,
                hidden,
                hidden,
                "",
                "",
                empty,
            )
        pending = self.index.pending_vectors().get(doc.doc_id, 0)
        vectors = {"complete": not pending, "pending": pending, "running": self.vectors.running}
        summary = documents.document_markdown(
            doc.title, doc.summary, documents.key_figures(self.index, doc.doc_id), vectors
        )
        tables = documents.table_choices(self.index, doc.doc_id)
        plots, chart_note = document_plots(self.index, doc.doc_id)
        first_table = tables[0][1] if tables else None
        return (
            summary,
            documents.facts_frame(self.index, doc.doc_id),
            gr.update(choices=tables, value=first_table),
            *plots,
            chart_note,
            *self.show_table(doc.doc_id, first_table),
        )

    def show_table(self, doc_id: str | None, table: str | None) -> tuple[str, pd.DataFrame]:
        """One table of a document as printed (two-sided tables side by side)."""
        rows = self.index.rows(doc_id, table) if doc_id and table else []
        if not rows:
            return "", pd.DataFrame()
        first = rows[0]
        return f"**{first.table} {first.table_title}**（单位：{first.unit}）", documents.table_frame(rows)

    # --------------------------------------------------------------------------------- catalog

    def search_catalog(self, query: str, department: str = ALL, version: str = ALL) -> tuple[str, str]:
        """Catalog search by code or words → (hits table HTML, the best hits in full as Markdown)."""
        if not (query or "").strip():
            return "", catalog_page.EMPTY_QUERY
        hits = self.assistant.catalog.search(
            query, department=department or None, version=version or None, k=20
        )
        if not hits:
            return "", catalog_page.NO_HITS
        titles = {v.version: v.title for v in self.index.catalog_versions()}
        docs = self.index.documents()
        detail = "\n\n".join(catalog_page.entry_markdown(h.entry, titles, docs) for h in hits[:3])
        return catalog_page.hits_html(query, hits, titles, docs), detail

    def diff_catalog(self, v1: str, v2: str, department: str = ALL) -> str:
        """What changed between two catalog versions (for one department when given)."""
        if not v1 or not v2 or v1 == v2:
            return "请选择两个不同的目录版本。"
        diff = self.assistant.catalog.diff(v1, v2, department=department or None)
        return "```text\n" + format_diff(diff, limit=100) + "\n```"

    # --------------------------------------------------------------------------------- upload

    def upload(
        self, files: list[str] | None, is_admin: bool, progress: gr.Progress | None = None
    ) -> tuple[str, pd.DataFrame]:
        """Admin upload (this session logged in): ingest the files with progress, report each file."""
        if not self.settings.admin_password or not is_admin:
            return "⚠ 请先以管理员身份登录：未导入任何文件。", pd.DataFrame(columns=UPLOAD_COLUMNS)
        paths = [Path(f) for f in (files or [])]
        if not paths:
            return "请先选择要上传的 PDF 或文本导出（.txt）文件。", pd.DataFrame(columns=UPLOAD_COLUMNS)
        from assistant.lazy_store import LazyVectorStore
        from ingest.api import Ingestor

        store = getattr(self.assistant, "store", None)
        if isinstance(store, LazyVectorStore):
            store = store.store  # the assistant opens its store on first use; writing needs it now
        try:
            if store is not None:
                store.change_marker()  # one small read: is the store there at all?
        except StoreError as exc:
            _remove_uploads(paths)
            return f"⚠ 存储不可用，未导入任何文件。{exc}", pd.DataFrame(columns=UPLOAD_COLUMNS)
        ingestor = Ingestor(self.settings, store=store, index=self.index)

        def report(number: int, total: int, name: str) -> None:
            if progress is not None:
                progress((number - 1, total), desc=f"正在导入 {name}（{number}/{total}）")

        try:
            summary = ingestor.ingest(paths, progress=report, vectors=False)
        finally:
            _remove_uploads(paths)  # the store keeps its own copy under sources/
            del ingestor
            release_memory()
        refresh = getattr(self.assistant, "refresh", None)
        if refresh is not None and any(f.status in ("ingested", "replaced") for f in summary.files):
            refresh()  # new documents and catalogs become askable (the store's change marker moved)
        self.vectors.start()  # their vectors: in the background, shown on the 文档 page
        status = {
            "ingested": "✓ 新导入",
            "replaced": "✓ 已更新",
            "unchanged": "未变（已导入过）",
            "duplicate": "已存在（内容相同，未重复导入）",
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
            columns=UPLOAD_COLUMNS,
        )
        return "```text\n" + summary.render() + "\n```", frame


def _remove_uploads(paths: list[Path]) -> None:
    """Delete Gradio's temporary copies of uploaded files (and their per-upload folders); files
    elsewhere (a path given by a caller) are left alone."""
    from gradio.utils import get_upload_folder

    uploads = Path(get_upload_folder()).resolve()
    for path in paths:
        if not path.resolve().is_relative_to(uploads):
            continue
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # Gradio puts each upload in a folder of its own; left if not empty


def release_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc), so an upload's parse
    does not stay in the server's resident memory."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def document_plots(index: StructuredIndex, doc_id: str) -> tuple[list[Any], str]:
    """Updates for the three chart slots and a note: a chart with no data, or only zeros, is hidden
    (no blank placeholder) and named in the note instead."""
    plots: list[Any] = []
    missing: list[str] = []
    zero: list[str] = []
    for name, data in charts.document_chart_data(index, doc_id).items():
        if data is None:
            missing.append(name)
        elif not any(data.values):
            zero.append(name)
        else:
            plots.append(gr.update(value=charts.bar_chart(data), visible=True))
            continue
        plots.append(gr.update(value=None, visible=False))
    notes = []
    if missing:
        notes.append("本文档没有可画图的数据：" + "、".join(missing))
    if zero:
        notes.append("各项均为零，不画图：" + "、".join(zero))
    return plots, "；".join(notes) + ("。" if notes else "")
